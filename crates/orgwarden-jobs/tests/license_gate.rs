//! The license gate beyond the limit: an inactive Marketplace license refuses, a license never
//! evaluated allows acting for the first 14 days after the first install only (a reinstall does
//! not start them again), and an operation whose
//! license is refused by the time it executes ends failed with nothing executed. Both backends.

use crate::operations_support::*;
use crate::sync_support::{fixture, sim_config, Fixture, TENANT};
use chrono::{DateTime, Duration, Utc};
use orgwarden_cloudsim::{Installation, License};
use orgwarden_ids::TenantId;
use orgwarden_jobs::{license_gate, SyncKind};
use orgwarden_license::{LicenseRefusal, RefusalReason};
use orgwarden_store::on_both_backends;
use orgwarden_store::operations::{ItemState, RunState};
use orgwarden_store::sync_runs::SyncRunState;
use orgwarden_store::{tenants, Backend};
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

/// Uninstalls the tenant and installs it again now, which keeps the
/// first install's time.
fn reinstall_now(f: &Fixture) {
    let mut conn = f.db.db.get().unwrap();
    let (tenant, now) = (TenantId::from(TENANT), Utc::now().naive_utc());
    tenants::uninstall(&mut conn, &tenant, now, now + Duration::days(30)).unwrap();
    let install = tenants::Installation {
        client_key: TENANT.into(),
        app_key: "io.orgwarden.app".into(),
        base_url: format!("{}/jira/acme", f.sim.url),
        shared_secret: "s".into(),
        ..Default::default()
    };
    let again = tenants::install(&mut conn, &f.ctx.cipher, &install, now).unwrap();
    assert!(again.installed_at > again.first_installed_at + Duration::days(14));
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

    // Installing again does not start the first 14 days again.
    f.installed_days_ago(15);
    reinstall_now(&f);
    let refusal = gate(&f, Utc::now()).unwrap_err();
    assert_eq!(refusal.reason, RefusalReason::Unevaluated, "{backend:?}");
    assert!(refusal.message.contains("first installed"), "{refusal}");

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
    f.installed_days_ago(15);
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
