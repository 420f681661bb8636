//! One API-heavy job per tenant at a time, and other tenants go ahead: two operations of tenant
//! A and a sync of tenant B, queued together while another worker holds A's lease. B's sync
//! runs to its end while both of A's operations wait; once the lease is free, A's operations
//! run one after the other (each holds A's lease from before its start to after its end).
//! Asserted on states and on the recorded start and end times, not on how fast jobs are picked.

use orgwarden_ids::TenantId;
use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use orgwarden_cloudsim::{spawn, SimConfig};
use orgwarden_store::sync_runs::SyncKind;
use orgwarden_store::{operations, sync_runs, tenant_leases, Backend};
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
    let app = TestApp::start_on(backend, &sim.url, |_| {}).await;
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
    // Another worker holds A's lease for as long as the test needs (once A's initial sync let
    // go of it: its job releases the lease just after the run is recorded).
    let holder = "another worker";
    let mut conn = app.db.db.get().unwrap();
    let a_id = TenantId::from(&tenant_a);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let now = Utc::now().naive_utc();
        let until = now + chrono::Duration::minutes(10);
        if tenant_leases::acquire(&mut conn, &a_id, holder, now, until).unwrap() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "A's lease stayed taken"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

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
    b.wait_for_sync().await;
    for id in &ops {
        let op: Value = a
            .get(&format!("/api/v1/operations/{id}"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            op["state"], "queued",
            "A's operation ran while A was busy: {op}"
        );
    }
    tenant_leases::release(&mut conn, &a_id, holder).unwrap();
    for id in &ops {
        let op = a
            .wait_operation(*id, Duration::from_secs(120), finished)
            .await;
        assert_eq!(op["state"], "completed", "{op}");
    }

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
    let b_finished = b_sync.finished_at.unwrap();
    assert!(
        b_finished < spans[0].0,
        "B's sync ended at {b_finished}, after A's first operation started {spans:?}"
    );
    // A's pre- and post-operation syncs ran inside its operations, one at a time.
    let mut a_syncs: Vec<_> = sync_runs::recent(&mut conn, &a_id, 10)
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
