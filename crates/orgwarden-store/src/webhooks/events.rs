//! What happened, as webhook payloads: an envelope (`id`, `event`, `occurredAt`, `tenant`) around
//! the seed's shapes (`trigger`, `processId`, `name`, `actionTypes`, `deepLink`; or `apiKeyId`,
//! `name`, `expiresAt`, `settingsUrl`). [`enqueue_event`] is called inside the transaction of
//! the change it reports; deep links open the app's admin page inside Jira, with the page's
//! `view` and state passed as Connect `ac.` parameters.

use chrono::{NaiveDate, NaiveDateTime};
use orgwarden_ids::TenantId;
use serde_json::{json, Value};

use super::{outbox, EventKind, Webhook};
use crate::{tenants, DbConnection, StoreError};

/// The descriptor's admin page module, which deep links open.
pub const ADMIN_PAGE_MODULE: &str = "orgwarden-admin";

/// The saved key's expiry, as the `orgKeyExpiry` payload tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyExpiry {
    /// A stable id of the key (the first 16 hex digits of its SHA-256; never the key).
    pub api_key_id: String,
    /// A name for the key.
    pub name: String,
    /// Its last day.
    pub expires_on: NaiveDate,
    /// Days from today to that day (0 on the day, negative after).
    pub days_left: i64,
}

/// An event that webhooks subscribed to it receive.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A bulk operation ended.
    OperationFinished {
        /// Operation id (the payload's `processId`).
        operation_id: i64,
        /// How it ended.
        state: crate::operations::RunState,
        /// The actions' types (`suspend`, `addToGroups`…).
        action_types: Vec<String>,
        /// Its reason, if one was given.
        reason: Option<String>,
        /// Counts: total, done, skipped, failed.
        counts: [i64; 4],
    },
    /// A sync failed.
    SyncFailed {
        /// Sync run id.
        run_id: i64,
        /// Why it ran.
        kind: crate::sync_runs::SyncKind,
        /// The admin-facing error.
        error: String,
    },
    /// The app's license entered its grace period.
    LicenseGrace {
        /// The edition in force.
        edition: String,
        /// When grace started.
        started_at: NaiveDateTime,
        /// When it ends (operations and tasks are refused after it).
        ends_at: Option<NaiveDateTime>,
    },
    /// The saved Organization API key expires soon, or today.
    OrgKeyExpiry(KeyExpiry),
    /// An automated task run succeeded.
    TaskSuccess {
        /// Task id.
        task_id: i64,
        /// The run's process id.
        process_id: String,
        /// Task name.
        name: String,
        /// The actions' types.
        action_types: Vec<String>,
    },
    /// An automated task run failed.
    TaskFailure {
        /// Task id.
        task_id: i64,
        /// The run's process id.
        process_id: String,
        /// Task name.
        name: String,
        /// The actions' types.
        action_types: Vec<String>,
        /// Why it failed.
        error: Option<String>,
    },
}

impl Event {
    /// The event's name.
    pub fn kind(&self) -> EventKind {
        match self {
            Self::OperationFinished { .. } => EventKind::OperationFinished,
            Self::SyncFailed { .. } => EventKind::SyncFailed,
            Self::LicenseGrace { .. } => EventKind::LicenseGrace,
            Self::OrgKeyExpiry(_) => EventKind::OrgKeyExpiry,
            Self::TaskSuccess { .. } => EventKind::TaskSuccess,
            Self::TaskFailure { .. } => EventKind::TaskFailure,
        }
    }

    fn data(&self, link: &DeepLink<'_>) -> Value {
        let trigger = self.kind().as_str();
        match self {
            Self::OperationFinished {
                operation_id,
                state,
                action_types,
                reason,
                counts: [total, done, skipped, failed],
            } => json!({
                "trigger": trigger, "processId": operation_id.to_string(),
                "name": reason.clone().unwrap_or_else(|| format!("Operation {operation_id}")),
                "actionTypes": action_types, "state": state,
                "counts": {"total": total, "done": done, "skipped": skipped, "failed": failed},
                "deepLink": link.to(&[("view", "operations"), ("op", &operation_id.to_string())]),
            }),
            Self::SyncFailed {
                run_id,
                kind,
                error,
            } => json!({
                "trigger": trigger, "processId": run_id.to_string(),
                "name": format!("{kind} sync"), "error": error,
                "deepLink": link.to(&[("view", "settings")]),
            }),
            Self::LicenseGrace {
                edition,
                started_at,
                ends_at,
            } => json!({
                "trigger": trigger, "name": edition,
                "graceStartedAt": started_at.and_utc(), "graceEndsAt": ends_at.map(|e| e.and_utc()),
                "deepLink": link.to(&[("view", "dashboard")]),
            }),
            Self::OrgKeyExpiry(key) => json!({
                "trigger": trigger, "apiKeyId": key.api_key_id, "name": key.name,
                "expiresAt": key.expires_on.format("%Y-%m-%d").to_string(),
                "daysLeft": key.days_left,
                "settingsUrl": link.to(&[("view", "settings")]),
            }),
            Self::TaskSuccess {
                task_id,
                process_id,
                name,
                action_types,
            } => task_data(
                trigger,
                *task_id,
                process_id,
                name,
                action_types,
                None,
                link,
            ),
            Self::TaskFailure {
                task_id,
                process_id,
                name,
                action_types,
                error,
            } => task_data(
                trigger,
                *task_id,
                process_id,
                name,
                action_types,
                error.as_deref(),
                link,
            ),
        }
    }
}

fn task_data(
    trigger: &str,
    task_id: i64,
    process_id: &str,
    name: &str,
    action_types: &[String],
    error: Option<&str>,
    link: &DeepLink<'_>,
) -> Value {
    let task = task_id.to_string();
    let mut data = json!({
        "trigger": trigger, "processId": process_id, "name": name, "actionTypes": action_types,
        "deepLink": link.to(&[("view", "tasks"), ("task", &task), ("process", process_id)]),
    });
    if let Some(error) = error {
        data["error"] = json!(error);
    }
    data
}

/// The admin page of the app inside the tenant's Jira.
struct DeepLink<'a> {
    base_url: &'a str,
    app_key: &'a str,
}

impl DeepLink<'_> {
    fn to(&self, params: &[(&str, &str)]) -> String {
        let mut query = url_query(params);
        if !query.is_empty() {
            query.insert(0, '?');
        }
        format!(
            "{}/plugins/servlet/ac/{}/{ADMIN_PAGE_MODULE}{query}",
            self.base_url.trim_end_matches('/'),
            self.app_key
        )
    }
}

fn url_query(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(k, v)| {
            let value: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        char::from(b).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("ac.{k}={value}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn envelope(
    id: &str,
    kind: EventKind,
    now: NaiveDateTime,
    tenant: &tenants::Tenant,
    data: Value,
) -> String {
    json!({
        "id": id, "event": kind.as_str(), "occurredAt": now.and_utc(),
        "tenant": {"clientKey": tenant.client_key, "baseUrl": tenant.base_url},
        "data": data,
    })
    .to_string()
}

/// Queues `event` for every active webhook of the tenant subscribed to it; call it inside the
/// transaction of the change the event reports. Returns the new deliveries' ids.
pub fn enqueue_event(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    event: &Event,
    now: NaiveDateTime,
) -> Result<Vec<String>, StoreError> {
    let kind = event.kind();
    let targets: Vec<Webhook> = super::list(conn, tenant_id)?
        .into_iter()
        .filter(|w| w.active && w.event_kinds().contains(&kind))
        .collect();
    let Some(tenant) = tenants::find(conn, tenant_id)?.filter(|_| !targets.is_empty()) else {
        return Ok(Vec::new());
    };
    let link = DeepLink {
        base_url: &tenant.base_url,
        app_key: &tenant.app_key,
    };
    let data = event.data(&link);
    let mut ids = Vec::with_capacity(targets.len());
    for webhook in targets {
        let id = outbox::new_id();
        let body = envelope(&id, kind, now, &tenant, data.clone());
        outbox::insert(conn, &id, &webhook, kind, &body, now)?;
        ids.push(id);
    }
    Ok(ids)
}

/// Queues a `test` delivery to `webhook` (active or not); returns its id.
pub fn enqueue_test(
    conn: &mut DbConnection,
    webhook: &Webhook,
    now: NaiveDateTime,
) -> Result<String, StoreError> {
    let tenant = tenants::find(conn, &webhook.tenant_id)?
        .ok_or(StoreError::Query(diesel::result::Error::NotFound))?;
    let link = DeepLink {
        base_url: &tenant.base_url,
        app_key: &tenant.app_key,
    };
    let data = json!({
        "trigger": EventKind::Test.as_str(), "name": webhook.name,
        "message": "A test from orgwarden: this webhook is set up.",
        "deepLink": link.to(&[("view", "settings")]),
    });
    let id = outbox::new_id();
    let body = envelope(&id, EventKind::Test, now, &tenant, data);
    outbox::insert(conn, &id, webhook, EventKind::Test, &body, now)?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_links_open_the_admin_page_with_ac_parameters() {
        let link = DeepLink {
            base_url: "https://acme.atlassian.net/",
            app_key: "io.orgwarden.app",
        };
        assert_eq!(
            link.to(&[("view", "operations"), ("op", "12 3")]),
            "https://acme.atlassian.net/plugins/servlet/ac/io.orgwarden.app/orgwarden-admin?ac.view=operations&ac.op=12%203"
        );
    }
}
