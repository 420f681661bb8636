//! One API-heavy job per tenant at a time, and other tenants go ahead: two operations of tenant
//! A and a sync of tenant B, queued together. A's operations never run at once (each holds A's
//! lease from before its start to after its end), and B's sync starts before A's second
//! operation, which waits for A's first. Asserted on the recorded start and end times.

use orgwarden_ids::TenantId;
use std::time::Duration;

use chrono::NaiveDateTime;
use orgwarden_cloudsim::{spawn, SimConfig};
use orgwarden_store::sync_runs::SyncKind;
use orgwarden_store::{operations, sync_runs, Backend};
use serde_json::{json, Value};

use crate::common::TestApp;
use crate::operations_support::model::{ordinary, pick};
use crate::operations_support::{finished, Stack};
use orgwarden_store::on_both_backends;

async fn client_key(stack: &Stack) -> String {
    let me: Value = stack.get("/api/v1/me").await.json().await.unwrap();
    me["tenant"]["clientKey"].as_str().unwrap().to_owned()
}

async fn a_tenants_jobs_take_turns_while_others_go_ahead(backend: Backend) {
    let sim = spawn(SimConfig {
        users: 60,
        sites: 2,
        groups: 4,
        latency_ms: 60,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let app = TestApp::start_on(backend, &sim.url, |c| {
        // Slow enough that A's first operation (about 17 requests) lasts over 4 s, well beyond
        // the time B's sync takes to be requested and picked from the queue (up to 2 s seen).
        c.admin_api_rate = 4.0;
    })
    .await;
    let org: Value = reqwest::get(format!("{}/__sim/org", sim.url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let site = |n: usize| org["sites"][n]["name"].as_str().unwrap().to_owned();
    let a = Stack::install_on(&sim.url, sim.api_key(), &app.url, Some(&site(0))).await;
    let b = Stack::install_on(&sim.url, sim.api_key(), &app.url, Some(&site(1))).await;
    let (tenant_a, tenant_b) = (client_key(&a).await, client_key(&b).await);
    let users = pick(&org, 40, ordinary);

    let mut ops = Vec::new();
    for half in users.chunks(20) {
        let created = a
            .post(
                "/api/v1/operations",
                json!({"selection": {"accountIds": half}, "actions": [{"type": "suspend"}]}),
            )
            .await;
        assert_eq!(created.status(), 202, "{}", created.text().await.unwrap());
        ops.push(
            created.json::<Value>().await.unwrap()["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let synced = b.post("/api/v1/sync", json!({})).await;
    assert!(
        synced.status().is_success(),
        "{}",
        synced.text().await.unwrap()
    );
    for id in &ops {
        let op = a
            .wait_operation(*id, Duration::from_secs(120), finished)
            .await;
        assert_eq!(op["state"], "completed", "{op}");
    }
    b.wait_for_sync().await;

    let mut conn = app.db.db.get().unwrap();
    let mut spans: Vec<(NaiveDateTime, NaiveDateTime)> = ops
        .iter()
        .map(|id| {
            let op = operations::find_for_job(&mut conn, *id).unwrap().unwrap();
            (op.started_at.unwrap(), op.finished_at.unwrap())
        })
        .collect();
    spans.sort();
    assert!(
        spans[0].1 <= spans[1].0,
        "A's operations overlapped: {spans:?}"
    );
    let b_sync = sync_runs::recent(&mut conn, &TenantId::from(&tenant_b), 1)
        .unwrap()
        .remove(0);
    assert_eq!(b_sync.kind, SyncKind::Manual);
    let b_started = b_sync.started_at.unwrap();
    assert!(
        b_started < spans[1].0,
        "B's sync started at {b_started}, after A's second operation {spans:?}"
    );
    eprintln!("A's operations {spans:?}; B's sync started at {b_started}");
    // A's pre- and post-operation syncs ran inside its operations, one at a time.
    let mut a_syncs: Vec<_> = sync_runs::recent(&mut conn, &TenantId::from(&tenant_a), 10)
        .unwrap()
        .into_iter()
        .filter(|r| r.kind != SyncKind::Initial)
        .map(|r| (r.started_at.unwrap(), r.finished_at.unwrap()))
        .collect();
    a_syncs.sort();
    assert_eq!(a_syncs.len(), 4, "{a_syncs:?}");
    assert!(a_syncs.windows(2).all(|w| w[0].1 <= w[1].0), "{a_syncs:?}");
}

on_both_backends!(a_tenants_jobs_take_turns_while_others_go_ahead);
