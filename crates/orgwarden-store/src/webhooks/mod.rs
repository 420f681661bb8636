//! Webhooks: where a tenant's notifications go, with a secret stored encrypted (shown once when
//! generated). Events are written to an outbox ([`enqueue_event`]) in the same transaction as
//! what caused them; a worker delivers them ([`outbox`]) and logs every attempt.

mod events;
mod key_expiry;
pub mod outbox;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::connection::{first_for_update, with_backend};
use crate::schema::webhooks;
use crate::{Cipher, DbConnection, SecretSlot, StoreError};

pub use events::{enqueue_event, enqueue_test, Event, KeyExpiry, ADMIN_PAGE_MODULE};
pub use key_expiry::{check_all_key_expiries, check_key_expiry, record_notice};

/// What a generated secret starts with (the Standard Webhooks convention).
pub const SECRET_PREFIX: &str = "whsec_";

/// The events a webhook may subscribe to (the stored and published names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum EventKind {
    /// The saved Organization API key expires in 7 days, or today.
    OrgKeyExpiry,
    /// An automated task run succeeded.
    TaskSuccess,
    /// An automated task run failed.
    TaskFailure,
    /// A bulk operation ended.
    OperationFinished,
    /// A sync failed.
    SyncFailed,
    /// The app's license entered its grace period.
    LicenseGrace,
    /// A test sent from Settings.
    Test,
}

impl EventKind {
    /// Every event, in the documentation's order.
    pub const ALL: [EventKind; 7] = [
        Self::OrgKeyExpiry,
        Self::TaskSuccess,
        Self::TaskFailure,
        Self::OperationFinished,
        Self::SyncFailed,
        Self::LicenseGrace,
        Self::Test,
    ];

    /// The stored and published name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrgKeyExpiry => "orgKeyExpiry",
            Self::TaskSuccess => "taskSuccess",
            Self::TaskFailure => "taskFailure",
            Self::OperationFinished => "operationFinished",
            Self::SyncFailed => "syncFailed",
            Self::LicenseGrace => "licenseGrace",
            Self::Test => "test",
        }
    }

    /// Parses a published name.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

fn secret_slot(tenant_id: &TenantId) -> SecretSlot<'_> {
    SecretSlot {
        column: "webhooks.secret",
        tenant_id,
    }
}

/// A fresh secret: `whsec_` and base64 of 24 random bytes.
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes))
}

/// A webhook's row; the secret stays encrypted until [`Webhook::secret`] is called.
#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct Webhook {
    /// Webhook id.
    pub id: i64,
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Its name.
    pub name: String,
    /// Where deliveries are POSTed.
    pub url: String,
    /// Subscribed event names, comma-separated.
    pub events: String,
    secret_enc: String,
    /// Free notes.
    pub notes: String,
    /// Whether events are sent to it.
    pub active: bool,
    /// Why the app switched it off, if it did.
    pub disabled_reason: Option<String>,
    /// Start of the current run of failed deliveries.
    pub failing_since: Option<NaiveDateTime>,
    /// Account that created it.
    pub created_by: String,
    /// When it was created.
    pub created_at: NaiveDateTime,
    /// Account that last changed it.
    pub updated_by: String,
    /// When it was last changed.
    pub updated_at: NaiveDateTime,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook")
            .field("id", &self.id)
            .field("tenant_id", &self.tenant_id)
            .field("url", &self.url)
            .field("secret", &"[redacted]")
            .finish_non_exhaustive()
    }
}

impl Webhook {
    /// The secret in clear, for signing.
    pub fn secret(&self, cipher: &Cipher) -> Result<String, StoreError> {
        Ok(cipher.decrypt(&self.secret_enc, secret_slot(&self.tenant_id))?)
    }

    /// The subscribed events (unknown stored names are ignored).
    pub fn event_kinds(&self) -> Vec<EventKind> {
        self.events
            .split(',')
            .filter_map(EventKind::parse)
            .collect()
    }
}

/// The fields an admin sets.
#[derive(Debug, Clone)]
pub struct WebhookFields {
    /// Name.
    pub name: String,
    /// Target URL.
    pub url: String,
    /// Subscribed events.
    pub events: Vec<EventKind>,
    /// Notes.
    pub notes: String,
    /// Active.
    pub active: bool,
}

fn events_text(events: &[EventKind]) -> String {
    events
        .iter()
        .map(|e| e.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Creates a webhook with `secret` (encrypted here).
pub fn create(
    conn: &mut DbConnection,
    cipher: &Cipher,
    tenant_id: &TenantId,
    fields: &WebhookFields,
    secret: &str,
    by: &str,
    now: NaiveDateTime,
) -> Result<Webhook, StoreError> {
    let row = (
        webhooks::tenant_id.eq(tenant_id),
        webhooks::name.eq(&fields.name),
        webhooks::url.eq(&fields.url),
        webhooks::events.eq(events_text(&fields.events)),
        webhooks::secret_enc.eq(cipher.encrypt(secret, secret_slot(tenant_id))?),
        webhooks::notes.eq(&fields.notes),
        webhooks::active.eq(fields.active),
        webhooks::created_by.eq(by),
        webhooks::created_at.eq(now),
        webhooks::updated_by.eq(by),
        webhooks::updated_at.eq(now),
    );
    let id: i64 = with_backend!(&mut *conn, |c| diesel::insert_into(webhooks::table)
        .values(row)
        .returning(webhooks::id)
        .get_result(c))?;
    find(conn, tenant_id, id)?.ok_or(StoreError::Query(diesel::result::Error::NotFound))
}

/// The tenant's webhooks, oldest first.
pub fn list(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<Vec<Webhook>, StoreError> {
    Ok(webhooks::table
        .filter(webhooks::tenant_id.eq(tenant_id))
        .order(webhooks::id.asc())
        .select(Webhook::as_select())
        .load(conn)?)
}

/// The tenant's webhook `id`.
pub fn find(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
) -> Result<Option<Webhook>, StoreError> {
    Ok(webhooks::table
        .filter(webhooks::tenant_id.eq(tenant_id))
        .filter(webhooks::id.eq(id))
        .select(Webhook::as_select())
        .first(conn)
        .optional()?)
}

/// [`find`] inside a write transaction that changes or deletes the webhook: the row stays held
/// until the transaction ends, so its audit entry's old values are the ones replaced.
pub fn find_for_update(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
) -> Result<Option<Webhook>, StoreError> {
    Ok(first_for_update!(
        conn,
        webhooks::table
            .filter(webhooks::tenant_id.eq(tenant_id))
            .filter(webhooks::id.eq(id))
            .select(Webhook::as_select())
    )?)
}

/// Changes a webhook's fields, and its secret when `secret` is given. Switching it on clears
/// the reason the app switched it off and its failing streak; a webhook left switched off has
/// its pending deliveries failed (none is sent while it is off).
#[allow(clippy::too_many_arguments)]
pub fn update(
    conn: &mut DbConnection,
    cipher: &Cipher,
    tenant_id: &TenantId,
    id: i64,
    fields: &WebhookFields,
    secret: Option<&str>,
    by: &str,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let target = webhooks::table
        .filter(webhooks::tenant_id.eq(tenant_id))
        .filter(webhooks::id.eq(id));
    let changed = diesel::update(target)
        .set((
            webhooks::name.eq(&fields.name),
            webhooks::url.eq(&fields.url),
            webhooks::events.eq(events_text(&fields.events)),
            webhooks::notes.eq(&fields.notes),
            webhooks::active.eq(fields.active),
            webhooks::updated_by.eq(by),
            webhooks::updated_at.eq(now),
        ))
        .execute(conn)?;
    if let Some(secret) = secret {
        diesel::update(target)
            .set(webhooks::secret_enc.eq(cipher.encrypt(secret, secret_slot(tenant_id))?))
            .execute(conn)?;
    }
    if fields.active {
        diesel::update(target)
            .set((
                webhooks::disabled_reason.eq(None::<String>),
                webhooks::failing_since.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    } else if changed > 0 {
        outbox::fail_pending(conn, id)?;
    }
    Ok(changed > 0)
}

/// Deletes a webhook with its deliveries; returns whether it existed.
pub fn delete(conn: &mut DbConnection, tenant_id: &TenantId, id: i64) -> Result<bool, StoreError> {
    outbox::delete_of_webhook(conn, tenant_id, id)?;
    let deleted = diesel::delete(
        webhooks::table
            .filter(webhooks::tenant_id.eq(tenant_id))
            .filter(webhooks::id.eq(id)),
    )
    .execute(conn)?;
    Ok(deleted > 0)
}

/// Deletes the tenant's webhooks, deliveries and notices (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<(), StoreError> {
    use crate::schema::webhook_notices;
    outbox::purge(conn, tenant_id)?;
    diesel::delete(webhook_notices::table.filter(webhook_notices::tenant_id.eq(tenant_id)))
        .execute(conn)?;
    diesel::delete(webhooks::table.filter(webhooks::tenant_id.eq(tenant_id))).execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_secrets_are_whsec_base64_of_24_bytes() {
        let secret = generate_secret();
        let body = secret.strip_prefix(SECRET_PREFIX).unwrap();
        assert_eq!(STANDARD.decode(body).unwrap().len(), 24);
        assert_ne!(secret, generate_secret());
    }

    #[test]
    fn event_names_round_trip() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        assert_eq!(EventKind::parse("nope"), None);
    }
}
