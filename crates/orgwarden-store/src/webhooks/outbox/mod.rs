//! The outbox: one delivery per event and webhook (its id is the `webhook-id` header), claimed
//! by a worker with a compare-and-set lease (so two workers never send it at once, and a dead
//! worker's claim expires), and a log row per attempt. A webhook whose deliveries fail for
//! [`FAILING_DAYS_BEFORE_OFF`] days in a row is switched off with the reason.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use orgwarden_ids::TenantId;
use rand::RngCore;

use super::{EventKind, Webhook};
use crate::schema::{webhook_attempts, webhook_deliveries};
use crate::text_enum::text_enum;
use crate::{DbConnection, StoreError};

mod backlog;
mod lease;

pub use backlog::backlog;
pub use lease::{claim, due_webhooks, record_attempts, Finished};

/// How long a delivery is retried after it was queued (or redelivered).
pub const RETRY_WINDOW: Duration = Duration::hours(24);
/// Days of failed deliveries after which a webhook is switched off.
pub const FAILING_DAYS_BEFORE_OFF: i64 = 3;
/// The longest response body kept per attempt, in bytes.
pub const RESPONSE_SNIPPET_BYTES: usize = 1024;

text_enum! {
    /// A delivery's states.
    pub enum DeliveryState {
        /// Waiting for its next attempt.
        Pending = "pending",
        /// The receiver answered 2xx.
        Succeeded = "succeeded",
        /// No more attempts will be made.
        Failed = "failed",
    }
}

/// A delivery (the payload is the exact body that is signed and sent).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct Delivery {
    /// `msg_…`, sent as `webhook-id`.
    pub id: String,
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Target webhook.
    pub webhook_id: i64,
    /// Event name.
    pub event: String,
    /// JSON body.
    pub payload: String,
    /// Attempts made so far.
    pub attempts: i32,
    /// Where it is.
    pub state: DeliveryState,
    /// When the next attempt is due (pending only).
    pub next_attempt_at: Option<NaiveDateTime>,
    /// No attempt starts after this.
    pub retry_until: NaiveDateTime,
    /// HTTP status of the last attempt.
    pub last_status_code: Option<i32>,
    /// Duration of the last attempt.
    pub last_duration_ms: Option<i64>,
    /// When the last attempt was made.
    pub last_attempt_at: Option<NaiveDateTime>,
    /// When it was queued.
    pub created_at: NaiveDateTime,
}

/// One attempt's log row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_attempts)]
pub struct Attempt {
    /// 1, 2, …
    pub attempt: i32,
    /// When it started.
    pub at: NaiveDateTime,
    /// HTTP status, when the receiver answered.
    pub status_code: Option<i32>,
    /// How long it took.
    pub duration_ms: i64,
    /// The first [`RESPONSE_SNIPPET_BYTES`] of the answer.
    pub response: Option<String>,
    /// Why it failed, when it did.
    pub error: Option<String>,
    /// When the next attempt was planned, if any.
    pub next_attempt_at: Option<NaiveDateTime>,
}

/// What becomes of a delivery after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Delivered.
    Succeeded,
    /// Try again at this time.
    RetryAt(NaiveDateTime),
    /// Give up.
    Failed,
}

/// A fresh delivery id: `msg_` and 22 random URL-safe characters.
pub(crate) fn new_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("msg_{}", URL_SAFE_NO_PAD.encode(bytes))
}

pub(crate) fn insert(
    conn: &mut DbConnection,
    id: &str,
    webhook: &Webhook,
    kind: EventKind,
    body: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(webhook_deliveries::table)
        .values((
            webhook_deliveries::id.eq(id),
            webhook_deliveries::tenant_id.eq(&webhook.tenant_id),
            webhook_deliveries::webhook_id.eq(webhook.id),
            webhook_deliveries::event.eq(kind.as_str()),
            webhook_deliveries::payload.eq(body),
            webhook_deliveries::attempts.eq(0),
            webhook_deliveries::state.eq(DeliveryState::Pending),
            webhook_deliveries::next_attempt_at.eq(Some(now)),
            webhook_deliveries::retry_until.eq(now + RETRY_WINDOW),
            webhook_deliveries::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The webhook's deliveries, newest first, at most `limit`.
pub fn list(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    webhook_id: i64,
    limit: i64,
) -> Result<Vec<Delivery>, StoreError> {
    page(conn, tenant_id, webhook_id, None, limit)
}

/// Up to `limit` of the webhook's deliveries, newest first, from just after `after` (the
/// creation time and id of the previous page's last delivery) or from the newest.
pub fn page(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    webhook_id: i64,
    after: Option<(NaiveDateTime, &str)>,
    limit: i64,
) -> Result<Vec<Delivery>, StoreError> {
    let mut query = webhook_deliveries::table
        .filter(webhook_deliveries::tenant_id.eq(tenant_id))
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .into_boxed();
    if let Some((at, id)) = after {
        query = query.filter(
            webhook_deliveries::created_at
                .lt(at)
                .or(webhook_deliveries::created_at
                    .eq(at)
                    .and(webhook_deliveries::id.lt(id.to_owned()))),
        );
    }
    Ok(query
        .order((
            webhook_deliveries::created_at.desc(),
            webhook_deliveries::id.desc(),
        ))
        .limit(limit)
        .select(Delivery::as_select())
        .load(conn)?)
}

/// The webhook's delivery `id`.
pub fn find(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    webhook_id: i64,
    id: &str,
) -> Result<Option<Delivery>, StoreError> {
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::tenant_id.eq(tenant_id))
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .filter(webhook_deliveries::id.eq(id))
        .select(Delivery::as_select())
        .first(conn)
        .optional()?)
}

/// A delivery's attempts, first first.
pub fn attempts(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    delivery_id: &str,
) -> Result<Vec<Attempt>, StoreError> {
    Ok(webhook_attempts::table
        .filter(webhook_attempts::tenant_id.eq(tenant_id))
        .filter(webhook_attempts::delivery_id.eq(delivery_id))
        .order(webhook_attempts::id.asc())
        .select(Attempt::as_select())
        .load(conn)?)
}

/// Queues delivery `id` again now, with a fresh retry window; returns whether it exists.
pub fn redeliver(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    webhook_id: i64,
    id: &str,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::tenant_id.eq(tenant_id))
            .filter(webhook_deliveries::webhook_id.eq(webhook_id))
            .filter(webhook_deliveries::id.eq(id)),
    )
    .set((
        webhook_deliveries::state.eq(DeliveryState::Pending),
        webhook_deliveries::next_attempt_at.eq(Some(now)),
        webhook_deliveries::retry_until.eq(now + RETRY_WINDOW),
    ))
    .execute(conn)?;
    Ok(changed > 0)
}

/// Fails the webhook's pending deliveries (it was switched off): none is sent again.
pub(super) fn fail_pending(conn: &mut DbConnection, webhook_id: i64) -> Result<(), StoreError> {
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::webhook_id.eq(webhook_id))
            .filter(webhook_deliveries::state.eq(DeliveryState::Pending)),
    )
    .set((
        webhook_deliveries::state.eq(DeliveryState::Failed),
        webhook_deliveries::next_attempt_at.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

pub(super) fn delete_of_webhook(
    conn: &mut DbConnection,
    tenant_id: &str,
    webhook_id: i64,
) -> Result<(), StoreError> {
    let ids: Vec<String> = webhook_deliveries::table
        .filter(webhook_deliveries::tenant_id.eq(tenant_id))
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .select(webhook_deliveries::id)
        .load(conn)?;
    for chunk in ids.chunks(500) {
        diesel::delete(webhook_attempts::table.filter(webhook_attempts::delivery_id.eq_any(chunk)))
            .execute(conn)?;
    }
    diesel::delete(
        webhook_deliveries::table
            .filter(webhook_deliveries::tenant_id.eq(tenant_id))
            .filter(webhook_deliveries::webhook_id.eq(webhook_id)),
    )
    .execute(conn)?;
    Ok(())
}

pub(super) fn purge(conn: &mut DbConnection, tenant_id: &str) -> Result<(), StoreError> {
    diesel::delete(webhook_attempts::table.filter(webhook_attempts::tenant_id.eq(tenant_id)))
        .execute(conn)?;
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::tenant_id.eq(tenant_id)))
        .execute(conn)?;
    Ok(())
}
