//! The scale-out topology under a crash: two web processes (this test's server and an
//! `orgwarden serve` child, both HTTP only) and two `orgwarden worker` children on one
//! PostgreSQL, three tenants (one cloudsim site and API key each), cloudsim limiting every key to
//! the rate the client paces at. Tenant A runs a long operation, B a sync (requested through web
//! 2) and an operation, C two operations at once; the worker running A's operation is SIGKILLed
//! mid-way.
//! Every operation completes; cloudsim's per-account counts show every done item happened and at
//! most the items in flight at the kill happened twice; no key got a 429; while tenant A is busy
//! (the test holds A's lease, as another job would), B's sync runs to its end and A's operation
//! waits (checked before A's operation starts).
//!
//! PostgreSQL only, and only when `ORGWARDEN_TEST_POSTGRES_URL` is set.

use std::time::{Duration, Instant};

use chrono::{Days, Utc};
use orgwarden_cloudsim::{spawn, ApiKey, SimConfig};
use orgwarden_ids::TenantId;
use orgwarden_jobs::operations::ITEM_CONCURRENCY;
use orgwarden_store::operations::RunState;
use orgwarden_store::sync_runs::{SyncKind, SyncRunState};
use orgwarden_store::{operations, sync_runs, tenant_leases, Backend};
use serde_json::{json, Value};

use crate::common::TestApp;
use crate::operations_support::model::{
    done_mutations, mutations_between, ordinary, pick, repeated_mutations,
};
use crate::operations_support::{finished, items_of, Stack};
use crate::processes_support::{
    free_port, orgwarden, postgres_available, sim_json, suspend, wait_ready, Children,
};

/// Requests per second: cloudsim's limit per key and the client's pace.
const RATE: f64 = 20.0;

/// The owner of tenant A's lease while the test holds it.
const LEASE_HOLDER: &str = "the cluster test";

/// Takes tenant A's lease for the test (as another worker's job would hold it), once A's
/// earlier jobs (its initial sync) have let go of it.
async fn hold_lease(app: &TestApp, a: &Stack) -> TenantId {
    let me: Value = a.get("/api/v1/me").await.json().await.unwrap();
    let tenant = TenantId::from(me["tenant"]["clientKey"].as_str().unwrap());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let now = Utc::now().naive_utc();
        let until = now + chrono::Duration::minutes(10);
        let mut conn = app.db.db.get().unwrap();
        if tenant_leases::acquire(&mut conn, &tenant, LEASE_HOLDER, now, until).unwrap() {
            return tenant;
        }
        drop(conn);
        assert!(Instant::now() < deadline, "A's lease stayed taken");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until B's manual sync has run to its end, and checks that A's operation (its tenant
/// busy) has waited meanwhile.
async fn b_sync_ends_while_a_waits(app: &TestApp, op_a: i64, op_b: i64) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut conn = app.db.db.get().unwrap();
        let b_tenant = operations::find_for_job(&mut conn, op_b)
            .unwrap()
            .unwrap()
            .tenant_id;
        let b_sync = sync_runs::recent(&mut conn, &b_tenant, 10)
            .unwrap()
            .into_iter()
            .find(|r| r.kind == SyncKind::Manual && r.finished_at.is_some());
        if let Some(b_sync) = b_sync {
            assert_eq!(b_sync.state, SyncRunState::Succeeded, "{b_sync:?}");
            let a = operations::find_for_job(&mut conn, op_a).unwrap().unwrap();
            assert_eq!(
                a.state,
                RunState::Queued,
                "A's operation ran while A was busy"
            );
            assert!(a.started_at.is_none(), "{a:?}");
            return;
        }
        assert!(Instant::now() < deadline, "B's sync did not end");
        drop(conn);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[actix_web::test]
async fn a_killed_worker_loses_nothing_and_no_key_goes_over_its_rate_on_postgres() {
    if !postgres_available() {
        return;
    }
    let expires = Utc::now().date_naive() + Days::new(300);
    let sim = spawn(SimConfig {
        users: 300,
        sites: 3,
        groups: 6,
        latency_ms: 40,
        rate_limit: Some(RATE),
        api_keys: (0..3)
            .map(|n| ApiKey {
                key: format!("ATCTT3xFfGN0cluster-key-{n}"),
                expires_at: expires,
                foreign_org: None,
            })
            .collect(),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let app = TestApp::start_on(Backend::Postgres, &sim.url, |c| {
        c.admin_api_rate = RATE;
        c.workers = false;
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let web_2 = format!("http://127.0.0.1:{}", free_port());
    let _web = Children::start(dir.path(), "web", 1, || {
        let mut web = orgwarden("serve", &app.config);
        web.env("ORGWARDEN_WORKERS", "false")
            .env("ORGWARDEN_BIND", web_2.trim_start_matches("http://"))
            .env("ORGWARDEN_BASE_URL", &app.url);
        web
    });
    let mut workers = Children::start(dir.path(), "worker", 2, || orgwarden("worker", &app.config));
    wait_ready(&web_2).await;

    let org = sim_json(&sim.url, "/__sim/org").await;
    let mut tenants = Vec::new();
    for (n, key) in sim.api_keys.iter().enumerate() {
        let site = org["sites"][n]["name"].as_str().unwrap();
        tenants.push(Stack::install_on(&sim.url, &key.key, &app.url, Some(site)).await);
    }
    let users = pick(&org, 210, ordinary);
    assert_eq!(users.len(), 210, "enough ordinary people");
    let before = sim_json(&sim.url, "/__sim/stats").await;

    // Tenant A is busy (the test holds its lease) until B's sync has ended.
    let a_tenant = hold_lease(&app, &tenants[0]).await;
    let op_a = suspend(&tenants[0], &users[..90]).await;
    let b_through_web_2 = Stack {
        url: web_2.clone(),
        http: crate::common::http_client(),
        sim_url: sim.url.clone(),
        api_key: tenants[1].api_key.clone(),
        admin: tenants[1].admin.clone(),
        site: tenants[1].site.clone(),
    };
    let synced = b_through_web_2.post("/api/v1/sync", json!({})).await;
    assert!(
        synced.status().is_success(),
        "{}",
        synced.text().await.unwrap()
    );
    let op_b = suspend(&b_through_web_2, &users[90..120]).await;
    // Two operations of C at once: without one budget per tenant they would send at twice the rate.
    let op_c = suspend(&tenants[2], &users[120..165]).await;
    let op_c2 = suspend(&tenants[2], &users[165..]).await;
    b_sync_ends_while_a_waits(&app, op_a, op_b).await;
    {
        let mut conn = app.db.db.get().unwrap();
        tenant_leases::release(&mut conn, &a_tenant, LEASE_HOLDER).unwrap();
    }

    // Mid-operation: kill the worker process holding A's operation (its lease names the pid).
    let owner = tenants[0]
        .wait_operation(op_a, Duration::from_secs(120), |op| {
            op["progress"]["done"].as_i64().unwrap_or(0) >= 10
        })
        .await;
    assert_eq!(owner["state"], "running", "{owner}");
    let lease = {
        let mut conn = app.db.db.get().unwrap();
        operations::find_for_job(&mut conn, op_a)
            .unwrap()
            .unwrap()
            .lease_owner
            .unwrap()
    };
    let pid = u32::from_str_radix(lease.split('-').next().unwrap(), 16).unwrap();
    assert!(workers.kill(pid), "lease {lease} names no worker");

    let all = [
        (&tenants[0], op_a),
        (&b_through_web_2, op_b),
        (&tenants[2], op_c),
        (&tenants[2], op_c2),
    ];
    for (stack, id) in all {
        let op = stack
            .wait_operation(id, Duration::from_secs(240), finished)
            .await;
        assert_eq!(op["state"], "completed", "{op}");
        assert_eq!(op["progress"]["failed"], 0, "{op}");
    }
    let after = sim_json(&sim.url, "/__sim/stats").await;
    assert_eq!(after["rateLimited"], 0, "429s: {}", after["statuses"]);
    let happened = mutations_between(&before, &after);
    let items: Vec<_> = all
        .into_iter()
        .flat_map(|(_, id)| items_of(&app.db.db, id))
        .collect();
    let repeats = repeated_mutations(&happened, &done_mutations(&items));
    assert!(
        repeats <= ITEM_CONCURRENCY as u64,
        "{repeats} repeated mutations"
    );

    eprintln!("cluster: {repeats} repeated mutations after the kill; no 429");
}
