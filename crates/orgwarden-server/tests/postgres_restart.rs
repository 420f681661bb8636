//! A PostgreSQL restart mid-run: `orgwarden serve` (HTTP and workers in one child process) on a
//! PostgreSQL server of the test's own runs a bulk operation; the server is stopped (every
//! connection closed) and started again while the operation's items are being executed.
//! The operation completes in the job that was running it (the reconciler never had to enqueue
//! it again), cloudsim's per-account counts show every done item happened and at most the items
//! in flight at the restart happened twice, the HTTP API answers again and a sync requested after
//! the restart runs. While the server is down the API answers 503 `database_unavailable`.
//!
//! PostgreSQL only, and only when `ORGWARDEN_TEST_POSTGRES_URL` is set (the test does not use
//! that server: it starts its own, so that stopping it disturbs no other test).

use std::time::Duration;

use orgwarden_cloudsim::{spawn, SimConfig};
use orgwarden_jobs::operations::ITEM_CONCURRENCY;
use orgwarden_store::Database;
use serde_json::json;

use crate::common::config;
use crate::operations_support::model::{
    done_mutations, mutations_between, ordinary, pick, repeated_mutations,
};
use crate::operations_support::{finished, items_of, Stack};
use crate::processes_support::postgres::OwnPostgres;
use crate::processes_support::{
    free_port, orgwarden, postgres_available, sim_json, suspend, wait_ready, Children,
};

/// Requests per second: cloudsim's limit and the client's pace, so the operation lasts seconds.
const RATE: f64 = 20.0;
/// How long PostgreSQL stays down: longer than the pool waits for a connection (10 s).
const DOWN: Duration = Duration::from_secs(12);

#[actix_web::test]
async fn an_operation_survives_a_postgres_restart() {
    if !postgres_available() {
        return;
    }
    let pg = OwnPostgres::start();
    let sim = spawn(SimConfig {
        users: 300,
        sites: 1,
        groups: 6,
        latency_ms: 40,
        rate_limit: Some(RATE),
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let url = format!("http://127.0.0.1:{}", free_port());
    let mut settings = config(&url, &pg.url(), &format!("{}/install-keys", sim.url));
    settings.admin_api_url = sim.url.clone();
    settings.admin_api_rate = RATE;
    let dir = tempfile::tempdir().unwrap();
    let _serve = Children::start(dir.path(), "serve", 1, || {
        let mut serve = orgwarden("serve", &settings);
        serve
            .env("ORGWARDEN_BIND", url.trim_start_matches("http://"))
            .env("ORGWARDEN_BASE_URL", &url)
            .env("ORGWARDEN_LOG", "warn,orgwarden_jobs=info");
        serve
    });
    wait_ready(&url).await;
    let stack = Stack::install(&sim.url, sim.api_key(), &url).await;
    let org = sim_json(&sim.url, "/__sim/org").await;
    let users = pick(&org, 150, ordinary);
    assert_eq!(users.len(), 150, "enough ordinary people");
    let before = sim_json(&sim.url, "/__sim/stats").await;

    let op = suspend(&stack, &users).await;
    let running = stack
        .wait_operation(op, Duration::from_secs(60), |op| {
            op["progress"]["done"].as_i64().unwrap_or(0) >= 10
        })
        .await;
    assert_eq!(running["state"], "running", "{running}");
    pg.stop();
    let stopped = std::time::Instant::now();
    // Meanwhile the API answers 503 with a retry hint, not a 500.
    let down = stack.get("/api/v1/settings").await;
    assert_eq!(down.status(), 503);
    assert!(down.headers().contains_key("retry-after"));
    let body: serde_json::Value = down.json().await.unwrap();
    assert_eq!(body["error"]["code"], "database_unavailable", "{body}");
    tokio::time::sleep(DOWN.saturating_sub(stopped.elapsed())).await;
    pg.start_server();
    wait_ready(&url).await;

    let op_after = stack
        .wait_operation(op, Duration::from_secs(180), finished)
        .await;
    assert_eq!(op_after["state"], "completed", "{op_after}");
    assert_eq!(op_after["progress"]["failed"], 0, "{op_after}");
    assert_eq!(op_after["progress"]["done"], 150, "{op_after}");
    let after = sim_json(&sim.url, "/__sim/stats").await;
    let happened = mutations_between(&before, &after);
    let db = Database::connect(&pg.url()).unwrap();
    let repeats = repeated_mutations(&happened, &done_mutations(&items_of(&db, op)));
    assert!(
        repeats <= ITEM_CONCURRENCY as u64,
        "{repeats} repeated mutations"
    );

    let synced = stack.post("/api/v1/sync", json!({})).await;
    assert!(
        synced.status().is_success(),
        "{}",
        synced.text().await.unwrap()
    );
    stack.wait_for_sync().await;
    let log = std::fs::read_to_string(dir.path().join("serve-0.log")).unwrap();
    assert!(
        !log.contains("re-enqueueing an orphaned operation"),
        "the operation's job was lost in the restart and had to be enqueued again"
    );
    eprintln!("postgres restart: {repeats} repeated mutations; a new sync ran after it");
}
