//! The license gate beyond the limit: an inactive Marketplace licence refuses, a license never
//! evaluated allows acting for the first 14 days after the install only, and an operation whose
//! license is refused by the time it executes ends failed with nothing executed. Both backends.

use crate::operations_support::*;
use crate::sync_support::{fixture, sim_config, Fixture, TENANT};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use orgwarden_cloudsim::{Installation, License};
use orgwarden_ids::TenantId;
use orgwarden_jobs::{license_gate, SyncKind};
use orgwarden_license::{LicenseRefusal, RefusalReason};
use orgwarden_store::on_both_backends;
use orgwarden_store::operations::{ItemState, RunState};
use orgwarden_store::sync_runs::SyncRunState;
use orgwarden_store::Backend;
use serde_json::json;

on_both_backends!(
    an_inactive_marketplace_license_refuses_acting,
    an_unevaluated_license_allows_acting_for_the_first_14_days_only,
    an_operation_refused_at_execution_executes_nothing
);

/// Registers the tenant's Connect installation on `acme` with licensing on and `license`.
fn install_in_jira(f: &Fixture, license: License) {
    let site = f.sim.state.org.read().site_by_name("acme").unwrap().clone();
    f.sim.state.installations.write().push(Installation {
        app_key: "io.orgwarden.app".into(),
        site_id: site.site_id,
        site_name: site.name,
        client_key: TENANT.into(),
        shared_secret: "s".into(),
        app_base_url: "http://127.0.0.1:9".into(),
        descriptor: json!({"key": "io.orgwarden.app", "enableLicensing": true,
                           "scopes": ["READ", "ADMIN"]}),
        installed: true,
        license: Some(license),
        installed_at: Utc::now(),
    });
}

fn set_license_active(f: &Fixture, active: bool) {
    for installation in f.sim.state.installations.write().iter_mut() {
        if let Some(license) = installation.license.as_mut() {
            license.active = active;
        }
    }
}

fn gate(f: &Fixture, now: DateTime<Utc>) -> Result<(), LicenseRefusal> {
    let mut conn = f.db.db.get().unwrap();
    license_gate(&mut conn, &TenantId::from(TENANT), now).unwrap()
}

fn installed_days_ago(f: &Fixture, days: i64) {
    let mut conn = f.db.db.get().unwrap();
    let at = (Utc::now() - Duration::days(days)).naive_utc();
    let sql = format!(
        "UPDATE tenants SET installed_at = '{}' WHERE client_key = '{TENANT}'",
        at.format("%Y-%m-%d %H:%M:%S")
    );
    diesel::sql_query(sql).execute(&mut conn).unwrap();
}

async fn an_inactive_marketplace_license_refuses_acting(backend: Backend) {
    let f = fixture(backend, sim_config(40)).await;
    install_in_jira(
        &f,
        License {
            active: false,
            ..License::default()
        },
    );
    f.refresh_license_at(Utc::now()).await;
    let refusal = gate(&f, Utc::now()).unwrap_err();
    assert_eq!(refusal.reason, RefusalReason::Inactive, "{backend:?}");
    assert_eq!(refusal.code(), "license_inactive");
    assert!(refusal.message.contains("Marketplace license"), "{refusal}");

    set_license_active(&f, true);
    f.refresh_license_at(Utc::now()).await;
    assert_eq!(gate(&f, Utc::now()), Ok(()));
}

async fn an_unevaluated_license_allows_acting_for_the_first_14_days_only(backend: Backend) {
    let f = fixture(backend, sim_config(40)).await;
    // Never evaluated (no Jira installation answers the license calls).
    assert_eq!(gate(&f, Utc::now()), Ok(()));
    assert_eq!(gate(&f, Utc::now() + Duration::days(13)), Ok(()));
    let refusal = gate(&f, Utc::now() + Duration::days(14)).unwrap_err();
    assert_eq!(refusal.reason, RefusalReason::Unevaluated, "{backend:?}");
    assert!(
        refusal.message.contains("first 14 days"),
        "{}",
        refusal.message
    );

    // A successful evaluation lifts the refusal.
    install_in_jira(&f, License::default());
    f.refresh_license_at(Utc::now()).await;
    assert_eq!(gate(&f, Utc::now() + Duration::days(14)), Ok(()));
}

async fn an_operation_refused_at_execution_executes_nothing(backend: Backend) {
    let f = fixture(backend, sim_config(60)).await;
    assert_eq!(
        f.sync(SyncKind::Initial, None).await.state,
        SyncRunState::Succeeded
    );
    let org = f.sim_org().await;
    let ids = pick(&org, 4, ordinary);
    // Queued while acting was allowed...
    assert_eq!(gate(&f, Utc::now()), Ok(()));
    let id = f.create_operation(&ids, json!([{"type": "suspend"}]), None);
    // ...and executed after the first 14 days, the license still never evaluated.
    installed_days_ago(&f, 15);
    let op = f.run_operation(id).await;

    assert_eq!(op.state, RunState::Failed, "{backend:?}");
    let error = op.error.unwrap_or_default();
    assert!(error.contains("Not executed"), "{error}");
    assert!(error.contains("first 14 days"), "{error}");
    let items = f.items(id);
    assert!(!items.is_empty());
    assert!(items.iter().all(|i| i.state == ItemState::Skipped));
    assert_same(
        &snapshot(&f.sim_org().await),
        &snapshot(&org),
        "nothing executed",
    );
}
