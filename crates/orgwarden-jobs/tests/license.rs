//! The app's license against cloudsim: users added to the organization push the tenant over its
//! limit (installation site's Jira users × 2), a clock moved by hand walks it through the grace
//! period to exceeded (the gate refuses), and removing the users brings it back to ok. Both
//! backends.

use crate::sync_support::{fixture, Fixture, TENANT};
use chrono::{DateTime, Duration, Utc};
use orgwarden_cloudsim::{Installation, RoleGrant, SimConfig, User};
use orgwarden_ids::TenantId;
use orgwarden_jobs::{current_license, license_gate, SyncKind};
use orgwarden_license::LicenseState;
use orgwarden_store::on_both_backends;
use orgwarden_store::sync_runs::SyncRunState;
use orgwarden_store::webhooks::{self, outbox, EventKind, WebhookFields};
use orgwarden_store::Backend;

on_both_backends!(over_the_limit_through_grace_to_exceeded_and_back);

/// Account ids of the users the test adds.
const ADDED: &str = "557058:license-test-";

/// Registers the tenant's Connect installation on the `acme` site, so the signed Jira calls of
/// the license (approximate license count) are answered.
fn install_in_jira(f: &Fixture) {
    let site = f.sim.state.org.read().site_by_name("acme").unwrap().clone();
    f.sim.state.installations.write().push(Installation {
        app_key: "io.orgwarden.app".into(),
        site_id: site.site_id,
        site_name: site.name,
        client_key: TENANT.into(),
        shared_secret: "s".into(),
        app_base_url: "http://127.0.0.1:9".into(),
        descriptor: serde_json::json!({"key": "io.orgwarden.app", "scopes": ["READ", "ADMIN"]}),
        installed: true,
        license: None,
        installed_at: Utc::now(),
    });
}

fn gate_allows(f: &Fixture, now: DateTime<Utc>) -> bool {
    let mut conn = f.db.db.get().unwrap();
    license_gate(&mut conn, &TenantId::from(TENANT), now)
        .unwrap()
        .is_ok()
}

/// Adds `n` billable people whose only access is outside the installation site's Jira, so they
/// count as managed users without raising the limit.
fn add_outside_users(f: &Fixture, n: usize) {
    let mut org = f.sim.state.org.write();
    let install = org.site_by_name("acme").unwrap().site_id.clone();
    let (site, product) = org
        .sites
        .iter()
        .flat_map(|s| s.products.iter().map(move |p| (s, *p)))
        .find(|(s, p)| s.site_id != install || !p.is_jira())
        .map(|(s, p)| (s.site_id.clone(), p))
        .expect("a product outside the installation site's Jira");
    let template = org
        .users
        .iter()
        .find(|u| !u.org_admin && u.email.is_some())
        .unwrap()
        .clone();
    for i in 0..n {
        let mut user: User = template.clone();
        user.account_id = format!("{ADDED}{i}");
        user.email = Some(format!("license-test-{i}@example.com"));
        user.nickname = format!("license-test-{i}");
        user.name = format!("License Test {i}");
        user.roles = vec![RoleGrant {
            resource: format!("ari:cloud:{}::site/{site}", product.key()),
            role: "atlassian/user".into(),
        }];
        assert!(
            !org.active_access(&user).is_empty(),
            "the new user has access"
        );
        org.users.push(user);
    }
    org.reindex();
}

fn remove_added_users(f: &Fixture) {
    let mut org = f.sim.state.org.write();
    org.users.retain(|u| !u.account_id.starts_with(ADDED));
    org.reindex();
}

/// A webhook of the tenant that receives `licenseGrace`; returns its id.
fn subscribe_to_grace(f: &Fixture) -> i64 {
    let mut conn = f.db.db.get().unwrap();
    let fields = WebhookFields {
        name: "grace".into(),
        url: "https://example.com/hook".into(),
        events: vec![EventKind::LicenseGrace],
        notes: String::new(),
        active: true,
    };
    let now = Utc::now().naive_utc();
    let secret = webhooks::generate_secret();
    webhooks::create(
        &mut conn,
        &f.ctx.cipher,
        &TenantId::from(TENANT),
        &fields,
        &secret,
        "a",
        now,
    )
    .unwrap()
    .id
}

async fn over_the_limit_through_grace_to_exceeded_and_back(backend: Backend) {
    let f = fixture(
        backend,
        SimConfig {
            users: 80,
            sites: 2,
            groups: 8,
            ..SimConfig::default()
        },
    )
    .await;
    install_in_jira(&f);
    assert_eq!(
        f.sync(SyncKind::Initial, None).await.state,
        SyncRunState::Succeeded
    );
    let start = f.refresh_license_at(Utc::now()).await;
    assert_eq!(start.state, LicenseState::Ok, "{start:?}");
    assert_eq!(start.limit, start.install_site_billable_users * 2);
    assert!(gate_allows(&f, Utc::now()));

    // Users added, then synced: the sync re-evaluates the license, over the limit → grace
    // starts then, and is recorded once.
    let hook = subscribe_to_grace(&f);
    let over = usize::try_from(start.limit - start.managed_users).unwrap() + 3;
    add_outside_users(&f, over);
    let before = Utc::now() - Duration::seconds(1);
    assert_eq!(
        f.sync(SyncKind::Manual, None).await.state,
        SyncRunState::Succeeded
    );
    let grace = {
        let mut conn = f.db.db.get().unwrap();
        current_license(&mut conn, &TenantId::from(TENANT), Utc::now())
            .unwrap()
            .unwrap()
    };
    assert_eq!(grace.state, LicenseState::Grace, "{grace:?}");
    let t0 = grace.grace_started_at.unwrap();
    assert!(t0 >= before && t0 <= Utc::now(), "{t0}");
    assert_eq!(grace.managed_users, start.managed_users + over as u64);
    assert_eq!(
        grace.limit, start.limit,
        "outside users leave the limit alone"
    );
    assert_eq!(grace.grace_ends_at, Some(t0 + Duration::days(30)));
    assert_eq!(grace.grace_days_left, Some(30));
    assert!(grace.may_act && gate_allows(&f, t0 + Duration::days(29)));

    // Ten days on, a new evaluation keeps the first grace start.
    let later = f.refresh_license_at(t0 + Duration::days(10)).await;
    assert_eq!(later.state, LicenseState::Grace);
    assert_eq!(later.grace_started_at, Some(t0));
    assert_eq!(later.grace_days_left, Some(20));
    // Entering grace queued one `licenseGrace` event; staying in grace queues no other.
    let queued = {
        let mut conn = f.db.db.get().unwrap();
        outbox::list(&mut conn, &TenantId::from(TENANT), hook, 10).unwrap()
    };
    assert_eq!(queued.len(), 1, "{backend:?}");
    let payload: serde_json::Value = serde_json::from_str(&queued[0].payload).unwrap();
    assert_eq!(payload["event"], "licenseGrace");
    let started: DateTime<Utc> = payload["data"]["graceStartedAt"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (started - t0).num_milliseconds().abs() < 1,
        "{started} {t0}"
    );

    // Past the grace period: exceeded, acting refused, reading still works.
    let after = t0 + Duration::days(30) + Duration::minutes(1);
    let stored = {
        let mut conn = f.db.db.get().unwrap();
        current_license(&mut conn, &TenantId::from(TENANT), after)
            .unwrap()
            .unwrap()
    };
    assert_eq!(stored.state, LicenseState::Exceeded, "{stored:?}");
    assert!(!stored.may_act);
    assert!(!gate_allows(&f, after));
    let exceeded = f.refresh_license_at(after).await;
    assert_eq!(exceeded.state, LicenseState::Exceeded);
    assert!(!exceeded.message.is_empty());

    // The users removed and synced: back to ok, grace cleared, acting allowed again.
    remove_added_users(&f);
    assert_eq!(
        f.sync(SyncKind::Manual, None).await.state,
        SyncRunState::Succeeded
    );
    let back = f.refresh_license_at(after + Duration::days(1)).await;
    assert_eq!(back.state, LicenseState::Ok, "{back:?}");
    assert_eq!(back.grace_started_at, None);
    assert!(gate_allows(&f, after + Duration::days(1)));
}
