//! Tenant lifecycle rules on both backends.
use chrono::{Duration, NaiveDateTime, Utc};
use orgwarden_ids::TenantId;
use orgwarden_store::tenants::{self, Installation, TenantState};
use orgwarden_store::testing::fresh_database;
use orgwarden_store::Backend;
use orgwarden_store::Cipher;

use orgwarden_store::on_both_backends;

on_both_backends!(sync: lifecycle_transitions);

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn installation(secret: &str) -> Installation {
    Installation {
        client_key: "client-1".into(),
        app_key: "io.orgwarden.app".into(),
        base_url: "https://example.atlassian.net".into(),
        shared_secret: secret.into(),
        ..Default::default()
    }
}

fn lifecycle_transitions(backend: Backend) {
    let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    let t = tenants::install(&mut conn, &cipher, &installation("first-secret"), now()).unwrap();
    assert_eq!(t.state(), TenantState::Installed);
    assert_eq!(t.shared_secret(&cipher).unwrap(), "first-secret");

    let t = tenants::install(&mut conn, &cipher, &installation("second-secret"), now()).unwrap();
    assert_eq!(
        t.shared_secret(&cipher).unwrap(),
        "second-secret",
        "{backend:?}"
    );

    // A disabled app installed again (a rotated secret) stays disabled until `enabled`.
    assert!(tenants::disable(&mut conn, &TenantId::from("client-1"), now()).unwrap());
    let t = tenants::install(&mut conn, &cipher, &installation("rotated"), now()).unwrap();
    assert_eq!(t.state(), TenantState::Disabled, "{backend:?}");
    assert!(!t.state().allows_access());
    assert_eq!(t.shared_secret(&cipher).unwrap(), "rotated");

    assert!(tenants::enable(&mut conn, &TenantId::from("client-1"), now()).unwrap());
    assert!(tenants::uninstall(
        &mut conn,
        &TenantId::from("client-1"),
        now(),
        now() + Duration::days(30)
    )
    .unwrap());
    // A `disabled` racing the uninstall must not resurrect the tenant.
    assert!(!tenants::disable(&mut conn, &TenantId::from("client-1"), now()).unwrap());
    assert!(!tenants::enable(&mut conn, &TenantId::from("client-1"), now()).unwrap());
    let t = tenants::find(&mut conn, &TenantId::from("client-1"))
        .unwrap()
        .unwrap();
    assert_eq!(t.state(), TenantState::Uninstalled);
    assert!(!t.state().allows_access());

    assert!(tenants::due_for_purge(&mut conn, now()).unwrap().is_empty());
    let due = tenants::due_for_purge(&mut conn, now() + Duration::days(31)).unwrap();
    assert_eq!(due, vec!["client-1".to_string()]);

    // Reinstall within retention restores the tenant and cancels the purge.
    tenants::install(&mut conn, &cipher, &installation("third"), now()).unwrap();
    assert!(!tenants::purge(&mut conn, &TenantId::from("client-1")).unwrap());
    assert!(tenants::find(&mut conn, &TenantId::from("client-1"))
        .unwrap()
        .is_some());

    tenants::uninstall(&mut conn, &TenantId::from("client-1"), now(), now()).unwrap();
    assert!(tenants::purge(&mut conn, &TenantId::from("client-1")).unwrap());
    assert!(tenants::find(&mut conn, &TenantId::from("client-1"))
        .unwrap()
        .is_none());
}
