//! The app's own license per tenant: inputs read from Jira (installation-site billable users,
//! Marketplace license) and the mirror (managed users), evaluated by `orgwarden-license`, stored
//! with the grace start (recorded once, so it survives restarts; entering grace queues the
//! `licenseGrace` webhook event in the same transaction).

use chrono::{DateTime, Utc};
use orgwarden_atlassian::{JiraClient, JiraTenant};
use orgwarden_ids::TenantId;
use orgwarden_license::{
    evaluate, gate, Edition, GateInput, LicenseEvaluation, LicenseInput, LicenseRefusal,
};
use orgwarden_store::license_states::{self, LicenseStateRow};
use orgwarden_store::webhooks::{self, Event};
use orgwarden_store::{tenants, Cipher, Database, DbConnection, StoreError};

use crate::sync::blocking;

/// How the app licenses itself.
#[derive(Clone)]
pub struct LicenseSettings {
    /// The descriptor key (for the addon license endpoint).
    pub app_key: String,
    /// The edition in force (configuration; the Marketplace license says only whether it is active).
    pub edition: Edition,
}

/// The Marketplace license as stored: all `None` when the app is free or unlicensed.
struct Marketplace {
    active: Option<bool>,
    evaluation: Option<bool>,
    license_type: Option<String>,
}

/// Reads the inputs now, evaluates at `now` and stores the result.
pub async fn refresh_license(
    db: &Database,
    cipher: &Cipher,
    http: &reqwest::Client,
    settings: &LicenseSettings,
    tenant_id: &TenantId,
    now: DateTime<Utc>,
) -> anyhow::Result<LicenseEvaluation> {
    let key = tenant_id.to_owned();
    let tenant = blocking(db, move |conn| tenants::find(conn, &key))
        .await?
        .ok_or_else(|| anyhow::anyhow!("unknown tenant"))?;
    let secret = tenant.shared_secret(cipher)?;
    let jira = JiraClient::new(http.clone(), settings.app_key.clone());
    let target = JiraTenant {
        client_key: &tenant.client_key,
        base_url: &tenant.base_url,
        shared_secret: &secret,
    };
    let billable = jira.approximate_license_count(&target).await?;
    // A failed read (after the client's retries) keeps what the last read found: a Jira blip
    // must not lift the block of an inactive Marketplace license.
    let marketplace = match jira.addon_license(&target).await {
        Ok(licence) => Some(Marketplace {
            active: licence.as_ref().map(|m| m.active),
            evaluation: licence.as_ref().map(|m| m.evaluation),
            license_type: licence.and_then(|m| m.license_type),
        }),
        Err(e) => {
            tracing::warn!(tenant = %tenant_id, error = %e, "the Marketplace license could not be read; keeping the last one read");
            None
        }
    };
    let (edition, key) = (settings.edition, tenant_id.to_owned());
    blocking(db, move |conn| {
        let managed = license_states::managed_users(conn, &key)?;
        let stored = license_states::find(conn, &key)?;
        let was_in_grace = stored
            .as_ref()
            .is_some_and(|s| s.grace_started_at.is_some());
        let marketplace = marketplace.unwrap_or_else(|| Marketplace {
            active: stored.as_ref().and_then(|s| s.marketplace_active),
            evaluation: stored.as_ref().and_then(|s| s.marketplace_evaluation),
            license_type: stored.as_ref().and_then(|s| s.marketplace_type.clone()),
        });
        let evaluation = evaluate(&LicenseInput {
            edition,
            install_site_billable_users: billable,
            managed_users: u64::try_from(managed).unwrap_or(0),
            grace_started_at: stored.and_then(|s| s.grace_started_at).map(|t| t.and_utc()),
            now,
        });
        let conn = &mut *conn;
        orgwarden_store::transaction(conn, |conn| {
            if let (false, Some(started)) = (was_in_grace, evaluation.grace_started_at) {
                let event = Event::LicenseGrace {
                    edition: edition.to_string(),
                    started_at: started.naive_utc(),
                    ends_at: evaluation.grace_ends_at.map(|t| t.naive_utc()),
                };
                webhooks::enqueue_event(conn, &key, &event, now.naive_utc())?;
            }
            license_states::save(
                conn,
                &LicenseStateRow {
                    tenant_id: key.clone(),
                    edition: edition.to_string(),
                    install_site_billable_users: i64::try_from(billable).unwrap_or(i64::MAX),
                    managed_users: managed,
                    grace_started_at: evaluation.grace_started_at.map(|t| t.naive_utc()),
                    marketplace_active: marketplace.active,
                    marketplace_evaluation: marketplace.evaluation,
                    marketplace_type: marketplace.license_type,
                    evaluated_at: now.naive_utc(),
                },
            )
        })?;
        Ok(evaluation)
    })
    .await
}

/// The stored evaluation, re-evaluated at `now` (grace ends on time even without a refresh).
/// `None` before the first evaluation.
pub fn current_license(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    now: DateTime<Utc>,
) -> Result<Option<LicenseEvaluation>, StoreError> {
    Ok(license_states::find(conn, tenant_id)?.map(|row| evaluate_stored(&row, now)))
}

fn evaluate_stored(row: &LicenseStateRow, now: DateTime<Utc>) -> LicenseEvaluation {
    let edition: Edition = row.edition.parse().unwrap_or(Edition::Standard);
    evaluate(&LicenseInput {
        edition,
        install_site_billable_users: u64::try_from(row.install_site_billable_users).unwrap_or(0),
        managed_users: u64::try_from(row.managed_users).unwrap_or(0),
        grace_started_at: row.grace_started_at.map(|t| t.and_utc()),
        now,
    })
}

/// The one check every acting feature makes before it acts (when an operation is created, and
/// again when its items are about to execute): refused when the Marketplace license is inactive,
/// after the grace period, or when the license was never evaluated and the first
/// [`orgwarden_license::UNEVALUATED_DAYS`] days after the first install are over.
pub fn license_gate(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    now: DateTime<Utc>,
) -> Result<Result<(), LicenseRefusal>, StoreError> {
    let row = license_states::find(conn, tenant_id)?;
    let evaluation = row.as_ref().map(|row| evaluate_stored(row, now));
    // A tenant row is always there for a caller that got this far; without one the install
    // time is unknown, and the first period counts as over.
    let first_installed_at = tenants::find(conn, tenant_id)?
        .map_or(DateTime::<Utc>::UNIX_EPOCH, |t| {
            t.first_installed_at.and_utc()
        });
    Ok(gate(&GateInput {
        evaluation: evaluation.as_ref(),
        marketplace_active: row.and_then(|r| r.marketplace_active),
        first_installed_at,
        now,
    }))
}
