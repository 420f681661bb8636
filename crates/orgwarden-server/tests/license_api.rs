//! `GET /api/v1/license` on each backend reports the Marketplace license Jira gives for the app
//! beside the edition: a subscription, an evaluation, and none at all, each read again by a sync.

use std::time::{Duration, Instant};

use orgwarden_cloudsim::SimConfig;
use orgwarden_store::Backend;
use serde_json::{json, Value};

use crate::audit_support::{manual_sync, sim_post};
use crate::operations_support::{start, Stack};
use orgwarden_store::on_both_backends;

on_both_backends!(the_license_reports_the_marketplace_licence);

/// Sets the app's license in cloudsim, syncs, and waits (the license is read again right after
/// the sync ends) until `GET /api/v1/license` reports `expected`.
async fn reported_after_sync(s: &Stack, license: Value, expected: Value) {
    sim_post(s, "/__sim/license", json!({ "license": license })).await;
    manual_sync(s).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let answer: Value = s.get("/api/v1/license").await.json().await.unwrap();
        if answer["marketplaceLicense"] == expected {
            return;
        }
        assert!(Instant::now() < deadline, "expected {expected}: {answer}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn the_license_reports_the_marketplace_licence(backend: Backend) {
    let (_sim, _app, s) = start(
        backend,
        SimConfig {
            users: 20,
            sites: 1,
            groups: 3,
            ..SimConfig::default()
        },
    )
    .await;
    let answer: Value = s.get("/api/v1/license").await.json().await.unwrap();
    assert!(answer["edition"].is_string(), "{answer}");

    reported_after_sync(
        &s,
        json!({"active": true, "type": "COMMERCIAL", "evaluation": true}),
        json!({"active": true, "evaluation": true, "type": "COMMERCIAL"}),
    )
    .await;
    let active: Value = s.get("/api/v1/license").await.json().await.unwrap();
    assert_eq!(active["mayAct"], true, "{active}");
    reported_after_sync(
        &s,
        json!({"active": false, "type": "COMMERCIAL", "evaluation": false}),
        json!({"active": false, "evaluation": false, "type": "COMMERCIAL"}),
    )
    .await;
    // What starting an operation would meet, said before anyone tries.
    let inactive: Value = s.get("/api/v1/license").await.json().await.unwrap();
    assert_eq!(inactive["mayAct"], false, "{inactive}");
    assert!(
        inactive["message"]
            .as_str()
            .unwrap()
            .contains("Marketplace license on this Jira site is not active"),
        "{inactive}"
    );
    reported_after_sync(&s, Value::Null, Value::Null).await;
    let none: Value = s.get("/api/v1/license").await.json().await.unwrap();
    assert_eq!(none["mayAct"], true, "{none}");
}
