//! Cancelling a running operation, and the license gate refusing new ones after the grace period.

use std::time::Duration;

use crate::operations_support::model::{apply, assert_same, ordinary, pick, snapshot};
use crate::operations_support::{error, finished, items_of, start};
use orgwarden_cloudsim::SimConfig;
use orgwarden_store::operations::ItemState;
use orgwarden_store::Backend;
use serde_json::{json, Value};

/// cloudsim's latency per API call.
const LATENCY_MS: u64 = 400;

#[actix_web::test]
async fn cancel_stops_new_items_and_the_license_gate_refuses_after_grace() {
    let (_sim, app, s) = start(
        Backend::Sqlite,
        SimConfig {
            users: 200,
            sites: 2,
            groups: 12,
            latency_ms: LATENCY_MS,
            ..SimConfig::default()
        },
    )
    .await;
    let org = s.sim("/__sim/org").await;
    let users = pick(&org, 120, ordinary);
    let before = snapshot(&org);
    let created: Value = s
        .post(
            "/api/v1/operations",
            json!({"selection": {"accountIds": users}, "actions": [{"type": "suspend"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    s.wait_operation(id, Duration::from_secs(60), |op| {
        op["progress"]["done"].as_i64().unwrap_or(0) >= 10
    })
    .await;
    // From now on each call takes 5 s: what is left (about 13 rounds of 8 calls) cannot end
    // before the cancel arrives, however slow the machine.
    s.set_latency(5_000).await;
    let cancelled: Value = s
        .post(&format!("/api/v1/operations/{id}/cancel"), json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        matches!(
            cancelled["state"].as_str(),
            Some("cancelling" | "cancelled")
        ),
        "{cancelled}"
    );
    // Cancelling: no item starts any more, so the pace may come back (the calls in flight keep
    // theirs).
    s.set_latency(LATENCY_MS).await;
    let op = s
        .wait_operation(id, Duration::from_secs(60), finished)
        .await;
    assert_eq!(op["state"], "cancelled", "{op}");
    let progress = &op["progress"];
    assert_eq!(progress["pending"], 0);
    assert!(
        progress["skipped"].as_i64().unwrap() > 0 && progress["done"].as_i64().unwrap() < 120,
        "{op}"
    );
    let items = items_of(&app.db.db, id);
    assert!(items
        .iter()
        .filter(|i| i.state == ItemState::Skipped)
        .all(|i| i.reason.as_deref() == Some("operation cancelled")));
    assert_same(
        &snapshot(&s.sim("/__sim/org").await),
        &apply(before, &items),
        "after the cancel",
    );

    {
        let mut conn = app.db.db.get().unwrap();
        let tenant = orgwarden_store::operations::find_for_job(&mut conn, id)
            .unwrap()
            .unwrap()
            .tenant_id;
        let long_ago = (chrono::Utc::now() - chrono::Duration::days(400)).naive_utc();
        let row = orgwarden_store::license_states::LicenseStateRow {
            tenant_id: tenant,
            edition: "standard".into(),
            install_site_billable_users: 1,
            managed_users: 5000,
            grace_started_at: Some(long_ago),
            marketplace_active: Some(true),
            marketplace_type: None,
            marketplace_evaluation: None,
            evaluated_at: chrono::Utc::now().naive_utc(),
        };
        orgwarden_store::license_states::save(&mut conn, &row).unwrap();
    }
    let refused = s
        .post(
            "/api/v1/operations",
            json!({"selection": {"accountIds": users}, "actions": [{"type": "restore"}]}),
        )
        .await;
    assert_eq!(error(refused, 402).await.0, "license_exceeded");
    let preview = s
        .post(
            "/api/v1/operations/preview",
            json!({"selection": {"accountIds": users}, "actions": [{"type": "restore"}]}),
        )
        .await;
    assert_eq!(preview.status(), 200, "previews stay available");
}
