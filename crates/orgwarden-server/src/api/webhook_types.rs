//! The JSON shapes of `/api/v1/webhooks` and their validation.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use orgwarden_store::webhooks::outbox::{Attempt, Delivery, DeliveryState};
use orgwarden_store::webhooks::{EventKind, Webhook, WebhookFields, SECRET_PREFIX};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// A webhook to create, or its new state (`PUT`).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookInput {
    /// A name (1–100 characters).
    pub name: String,
    /// Where deliveries are POSTed: `https://…` (plain `http` and private addresses only when
    /// `ORGWARDEN_WEBHOOKS_ALLOW_PRIVATE=true`).
    pub url: String,
    /// The events it receives (at least one).
    pub events: Vec<EventKind>,
    /// The signing secret: `whsec_` and base64 of 24–64 bytes, or an Atlassian Automation
    /// webhook's secret (8–200 characters). Absent: generated on create, kept on update.
    #[serde(default)]
    pub secret: Option<String>,
    /// Free notes (up to 1,000 characters).
    #[serde(default)]
    pub notes: Option<String>,
    /// Whether events are sent to it.
    pub active: bool,
}

/// The last delivery of a webhook, for the list.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LastDelivery {
    /// Delivery id.
    pub id: String,
    /// Event name.
    pub event: String,
    /// Where it is.
    pub state: DeliveryState,
    /// HTTP status of its last attempt.
    pub status_code: Option<i32>,
    /// When it was last attempted (or queued).
    pub at: DateTime<Utc>,
}

/// A webhook (never its secret).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookView {
    /// Webhook id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Target URL.
    pub url: String,
    /// Subscribed events.
    pub events: Vec<EventKind>,
    /// Notes.
    pub notes: String,
    /// Whether events are sent to it.
    pub active: bool,
    /// Why the app switched it off (after 3 days of failed deliveries), if it did.
    pub disabled_reason: Option<String>,
    /// Since when its deliveries fail, if they do.
    pub failing_since: Option<DateTime<Utc>>,
    /// Creator's account id.
    pub created_by: String,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Last editor's account id.
    pub updated_by: String,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
    /// Its newest delivery, if any.
    pub last_delivery: Option<LastDelivery>,
}

impl WebhookView {
    /// The view of `w` with its newest delivery.
    pub fn new(w: &Webhook, last: Option<&Delivery>) -> Self {
        Self {
            id: w.id,
            name: w.name.clone(),
            url: w.url.clone(),
            events: w.event_kinds(),
            notes: w.notes.clone(),
            active: w.active,
            disabled_reason: w.disabled_reason.clone(),
            failing_since: w.failing_since.map(|t| t.and_utc()),
            created_by: w.created_by.clone(),
            created_at: w.created_at.and_utc(),
            updated_by: w.updated_by.clone(),
            updated_at: w.updated_at.and_utc(),
            last_delivery: last.map(|d| LastDelivery {
                id: d.id.clone(),
                event: d.event.clone(),
                state: d.state,
                status_code: d.last_status_code,
                at: d.last_attempt_at.unwrap_or(d.created_at).and_utc(),
            }),
        }
    }
}

/// A new webhook, with its secret (shown this once).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedWebhook {
    /// The webhook.
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// The signing secret; not shown again.
    pub secret: String,
}

/// The tenant's webhooks.
#[derive(Serialize, ToSchema)]
pub struct WebhookList {
    /// Oldest first.
    pub items: Vec<WebhookView>,
}

/// A queued delivery.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryQueued {
    /// Its id (the `webhook-id` header).
    pub delivery_id: String,
}

/// A delivery as listed.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryView {
    /// `msg_…`, the `webhook-id` header.
    pub id: String,
    /// Event name.
    pub event: String,
    /// Attempts made so far.
    pub attempt: i32,
    /// Where it is.
    pub state: DeliveryState,
    /// HTTP status of the last attempt.
    pub status_code: Option<i32>,
    /// Duration of the last attempt.
    pub duration_ms: Option<i64>,
    /// When it was last attempted (or queued).
    pub at: DateTime<Utc>,
    /// When the next attempt is due (pending only).
    pub next_attempt_at: Option<DateTime<Utc>>,
}

impl From<&Delivery> for DeliveryView {
    fn from(d: &Delivery) -> Self {
        Self {
            id: d.id.clone(),
            event: d.event.clone(),
            attempt: d.attempts,
            state: d.state,
            status_code: d.last_status_code,
            duration_ms: d.last_duration_ms,
            at: d.last_attempt_at.unwrap_or(d.created_at).and_utc(),
            next_attempt_at: d.next_attempt_at.map(|t| t.and_utc()),
        }
    }
}

/// A webhook's deliveries.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryList {
    /// Newest first.
    pub items: Vec<DeliveryView>,
    /// The cursor of the next (older) page, `null` on the last.
    pub next_cursor: Option<String>,
}

/// One attempt of a delivery.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AttemptView {
    /// 1, 2, …
    pub attempt: i32,
    /// When it started.
    pub at: DateTime<Utc>,
    /// HTTP status, when the receiver answered.
    pub status_code: Option<i32>,
    /// How long it took.
    pub duration_ms: i64,
    /// The first KiB of the answer.
    pub response: Option<String>,
    /// Why it failed (timeout, connection refused, refused address…).
    pub error: Option<String>,
    /// The next attempt planned after it, if any.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

impl From<&Attempt> for AttemptView {
    fn from(a: &Attempt) -> Self {
        Self {
            attempt: a.attempt,
            at: a.at.and_utc(),
            status_code: a.status_code,
            duration_ms: a.duration_ms,
            response: a.response.clone(),
            error: a.error.clone(),
            next_attempt_at: a.next_attempt_at.map(|t| t.and_utc()),
        }
    }
}

/// A delivery with its payload and every attempt.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryDetail {
    /// The delivery.
    #[serde(flatten)]
    pub delivery: DeliveryView,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// The JSON body sent (and signed).
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// Its attempts, first first.
    pub attempts: Vec<AttemptView>,
}

/// The URL field's error for a refused target.
pub fn url_error(message: impl std::fmt::Display) -> ApiError {
    ApiError::invalid("url", &message.to_string())
}

/// Checks a secret an admin typed.
fn check_secret(secret: &str) -> Result<(), ApiError> {
    if let Some(b64) = secret.strip_prefix(SECRET_PREFIX) {
        let ok = STANDARD
            .decode(b64)
            .is_ok_and(|b| (24..=64).contains(&b.len()));
        if !ok {
            return Err(ApiError::invalid(
                "secret",
                "a whsec_ secret is whsec_ and base64 of 24 to 64 bytes; leave it empty to generate one",
            ));
        }
    } else if !(8..=200).contains(&secret.chars().count())
        || secret.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(ApiError::invalid(
            "secret",
            "use 8 to 200 characters without spaces, or leave it empty to generate one",
        ));
    }
    Ok(())
}

impl WebhookInput {
    /// The checked fields (the URL's form here, its addresses by the caller) and secret.
    pub fn validate(self) -> Result<(WebhookFields, Option<String>), ApiError> {
        let name = self.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
            return Err(ApiError::invalid(
                "name",
                "use 1 to 100 characters, no line breaks",
            ));
        }
        let url = self.url.trim().to_owned();
        if url.len() > 2000 {
            return Err(ApiError::invalid("url", "use at most 2,000 characters"));
        }
        let mut events = Vec::new();
        for event in self.events {
            if !events.contains(&event) {
                events.push(event);
            }
        }
        if events.is_empty() {
            return Err(ApiError::invalid("events", "choose at least one event"));
        }
        let notes = self.notes.unwrap_or_default().trim().to_owned();
        if notes.chars().count() > 1000 {
            return Err(ApiError::invalid("notes", "use at most 1,000 characters"));
        }
        let secret = self.secret.map(|s| s.trim().to_owned());
        if let Some(secret) = &secret {
            check_secret(secret)?;
        }
        let fields = WebhookFields {
            name,
            url,
            events,
            notes,
            active: self.active,
        };
        Ok((fields, secret))
    }
}
