//! Recording finished webhook attempts: one whose webhook was deleted while it was sent does not
//! undo the others of its batch (they would be sent again once their lease ran out). Only an
//! installed, enabled app's deliveries are due.

use chrono::{Duration, NaiveDateTime, Utc};
use orgwarden_ids::TenantId;
use orgwarden_store::tenants::{self, Installation};
use orgwarden_store::testing::fresh_database;
use orgwarden_store::webhooks::outbox::{self, Attempt, Finished, Next};
use orgwarden_store::webhooks::{self, EventKind, WebhookFields};
use orgwarden_store::{Backend, Cipher, DbConnection};

use orgwarden_store::on_both_backends;

on_both_backends!(
    sync: an_attempt_of_a_deleted_webhook_does_not_undo_its_batch,
    deliveries_wait_while_the_app_is_disabled_and_stop_once_uninstalled
);

/// Tenant `t1` installed now, with the cipher its secrets use.
fn installed(conn: &mut DbConnection) -> (Cipher, TenantId, NaiveDateTime) {
    let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    let now = Utc::now().naive_utc();
    let install = Installation {
        client_key: "t1".into(),
        shared_secret: "s".into(),
        base_url: "https://acme.atlassian.net".into(),
        ..Default::default()
    };
    tenants::install(conn, &cipher, &install, now).unwrap();
    (cipher, TenantId::from("t1"), now)
}

fn an_attempt_of_a_deleted_webhook_does_not_undo_its_batch(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    let (cipher, tenant, now) = installed(&mut conn);
    let hook = |name: &str| WebhookFields {
        name: name.into(),
        url: "https://hooks.example.com/x".into(),
        events: vec![EventKind::Test],
        notes: String::new(),
        active: true,
    };
    let kept = webhooks::create(
        &mut conn,
        &cipher,
        &tenant,
        &hook("kept"),
        "whsec_a",
        "me",
        now,
    )
    .unwrap();
    let gone = webhooks::create(
        &mut conn,
        &cipher,
        &tenant,
        &hook("gone"),
        "whsec_b",
        "me",
        now,
    )
    .unwrap();
    for w in [&kept, &gone] {
        webhooks::enqueue_test(&mut conn, w, now).unwrap();
    }
    let wanted = [(kept.id, 1), (gone.id, 1)];
    let claimed = outbox::claim(
        &mut conn,
        &wanted,
        "worker-1",
        now,
        now + Duration::seconds(60),
    )
    .unwrap();
    assert_eq!(claimed.len(), 2, "{backend:?}");
    assert!(webhooks::delete(&mut conn, &tenant, gone.id).unwrap());
    let finished: Vec<Finished> = claimed
        .into_iter()
        .map(|(delivery, _)| Finished {
            delivery,
            owner: "worker-1".into(),
            attempt: Attempt {
                attempt: 1,
                at: now,
                status_code: Some(200),
                duration_ms: 12,
                response: Some("ok".into()),
                error: None,
                next_attempt_at: None,
            },
            next: Next::Succeeded,
            reason: String::new(),
        })
        .collect();
    outbox::record_attempts(&mut conn, &finished).unwrap();
    let kept_deliveries = outbox::list(&mut conn, &tenant, kept.id, 10).unwrap();
    assert_eq!(kept_deliveries.len(), 1);
    assert_eq!(
        kept_deliveries[0].state,
        outbox::DeliveryState::Succeeded,
        "{backend:?}: the kept webhook's attempt is recorded"
    );
}

fn deliveries_wait_while_the_app_is_disabled_and_stop_once_uninstalled(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    let (cipher, tenant, now) = installed(&mut conn);
    let fields = WebhookFields {
        name: "hook".into(),
        url: "https://hooks.example.com/x".into(),
        events: vec![EventKind::Test],
        notes: String::new(),
        active: true,
    };
    let hook =
        webhooks::create(&mut conn, &cipher, &tenant, &fields, "whsec_a", "me", now).unwrap();
    webhooks::enqueue_test(&mut conn, &hook, now).unwrap();
    let due = |conn: &mut _| outbox::due_webhooks(conn, now + Duration::seconds(1), 10).unwrap();
    let this = vec![(hook.id, "t1".to_owned())];
    assert_eq!(due(&mut conn), this, "{backend:?}: installed");
    tenants::disable(&mut conn, &tenant, now).unwrap();
    assert_eq!(due(&mut conn), vec![], "{backend:?}: disabled");
    tenants::enable(&mut conn, &tenant, now).unwrap();
    assert_eq!(due(&mut conn), this, "{backend:?}: enabled again");
    tenants::uninstall(&mut conn, &tenant, now, now + Duration::days(30)).unwrap();
    assert_eq!(due(&mut conn), vec![], "{backend:?}: uninstalled");
}
