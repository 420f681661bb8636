//! Crash test of the sync: `orgwarden serve` as a child process is killed with SIGKILL while a
//! full sync of 3,000 users runs (SQLite and PostgreSQL), at five points of it (after its first Admin API request, after
//! a quarter, half and three quarters of a full sync's requests, and after all of them, while it
//! writes). Each time the mirror published before stays readable and unchanged (or is the run's
//! own, when the run had ended before the kill), and the restarted server takes the run over and
//! completes it with the mirror equal to cloudsim's organization.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::Utc;
use orgwarden_cloudsim::{spawn, RunningSim, SimConfig};
use orgwarden_ids::TenantId;
use orgwarden_store::sync_runs::{self, SyncRunState};
use orgwarden_store::testing::fresh_database;
use orgwarden_store::users::{self, Filter, Sort};
use orgwarden_store::{mirror, on_both_backends, tenant_leases, Backend, Database};
use serde_json::Value;

use crate::operations_support::model::{ordinary, pick};
use crate::operations_support::Stack;
use crate::processes_support::Serve;

const USERS: usize = 3000;
/// Users suspended in cloudsim before each killed sync, so its mirror differs from the last.
const CHANGED_PER_ROUND: usize = 5;

/// The published generation and each mirrored user's status and groups.
type Published = (i64, BTreeMap<String, (String, Vec<String>)>);

fn published(db: &Database, tenant: &TenantId) -> Published {
    let mut conn = db.get().unwrap();
    let generation = mirror::current(&mut conn, tenant)
        .unwrap()
        .expect("a mirror is published")
        .generation;
    let page = users::search(
        &mut conn,
        tenant,
        generation,
        &Filter::default(),
        Sort::default(),
        1,
        1_000_000,
        Utc::now().naive_utc(),
    )
    .unwrap();
    let users = page
        .items
        .into_iter()
        .map(|u| {
            let mut groups: Vec<String> = u.groups.into_iter().map(|g| g.id).collect();
            groups.sort();
            (u.account_id, (u.status, groups))
        })
        .collect();
    (generation, users)
}

/// cloudsim's organization in the shape of [`published`]'s users.
async fn organization(stack: &Stack) -> BTreeMap<String, (String, Vec<String>)> {
    let org = stack.sim("/__sim/org").await;
    org["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let mut groups: Vec<String> = u["groupIds"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g.as_str().unwrap().to_owned())
                .collect();
            groups.sort();
            let status = u["status"].as_str().unwrap().to_owned();
            (
                u["accountId"].as_str().unwrap().to_owned(),
                (status, groups),
            )
        })
        .collect()
}

/// Suspends `accounts` through cloudsim's Admin API.
async fn suspend_in_cloudsim(stack: &Stack, accounts: &[String]) {
    let org = stack.sim("/__sim/org").await;
    for account in accounts {
        let url = format!(
            "{}/admin/v2/orgs/{}/directories/{}/users/{account}/suspend",
            stack.sim_url,
            org["orgId"].as_str().unwrap(),
            org["directoryId"].as_str().unwrap()
        );
        let answer = stack
            .http
            .post(url)
            .bearer_auth(&stack.api_key)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "suspend {account}");
    }
}

/// Waits until cloudsim has answered `count` more requests than `from` (or the run ended).
async fn wait_requests(sim: &RunningSim, db: &Database, run: i64, from: u64, count: u64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while sim.state.stats.snapshot().total_requests < from + count {
        let mut conn = db.get().unwrap();
        let state = sync_runs::find(&mut conn, run).unwrap().unwrap().state;
        if state.has_ended() {
            return;
        }
        assert!(Instant::now() < deadline, "the sync sent no requests");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Marks `run`'s worker as long gone, as minutes without its heartbeat and its tenant lease
/// would.
fn age_heartbeat(db: &Database, run: i64) {
    let mut conn = db.get().unwrap();
    let (now, hour) = (Utc::now().naive_utc(), chrono::Duration::hours(1));
    sync_runs::progress(&mut conn, run, &sync_runs::Progress::default(), now - hour).unwrap();
    tenant_leases::prune(&mut conn, now + hour).unwrap();
}

/// Waits until `run` has ended; returns its row.
async fn wait_ended(db: &Database, run: i64) -> sync_runs::SyncRun {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let found = sync_runs::find(&mut db.get().unwrap(), run)
            .unwrap()
            .unwrap();
        if found.state.has_ended() {
            return found;
        }
        assert!(Instant::now() < deadline, "run {run} did not end");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

on_both_backends!(
    #[actix_web::test]
    a_sync_killed_at_any_phase_leaves_the_previous_mirror_and_the_next_completes,
);

async fn a_sync_killed_at_any_phase_leaves_the_previous_mirror_and_the_next_completes(
    backend: Backend,
) {
    let sim = spawn(SimConfig {
        users: USERS,
        sites: 3,
        groups: 60,
        latency_ms: 5,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(backend);
    let db = &database.db;
    let server = Serve::new(&database.url, dir.path(), &sim.url);
    let mut child = server.start(0).await;
    let stack = Stack::install(&sim.url, sim.api_key(), &server.url()).await;
    let first: Value = stack.get("/api/v1/sync").await.json().await.unwrap();
    let full_requests = first["requests"].as_u64().unwrap();
    let tenant = sync_runs::find(&mut db.get().unwrap(), first["id"].as_i64().unwrap())
        .unwrap()
        .unwrap()
        .tenant_id;
    let org = stack.sim("/__sim/org").await;
    let mut plain = pick(&org, USERS, ordinary).into_iter();

    for (round, quarter) in (0..=4_u64).enumerate() {
        let changed: Vec<String> = plain.by_ref().take(CHANGED_PER_ROUND).collect();
        suspend_in_cloudsim(&stack, &changed).await;
        let before = published(db, &tenant);
        let from = sim.state.stats.snapshot().total_requests;
        let requested: Value = stack
            .post("/api/v1/sync", serde_json::json!({}))
            .await
            .json()
            .await
            .unwrap();
        let run = requested["id"].as_i64().unwrap();
        let stop_after = (full_requests * quarter / 4).max(1);
        wait_requests(&sim, db, run, from, stop_after).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let sent = sim.state.stats.snapshot().total_requests - from;

        let at_kill = sync_runs::find(&mut db.get().unwrap(), run)
            .unwrap()
            .unwrap();
        let after = published(db, &tenant);
        if at_kill.state == SyncRunState::Succeeded {
            assert_eq!(after.1, organization(&stack).await, "round {round}");
        } else {
            assert_eq!(after, before, "round {round}: the previous mirror stays");
        }

        age_heartbeat(db, run);
        child = server.start(round as u32 + 1).await;
        let done = wait_ended(db, run).await;
        assert_eq!(
            done.state,
            SyncRunState::Succeeded,
            "round {round}: {:?}",
            done.error
        );
        assert_eq!(
            published(db, &tenant).1,
            organization(&stack).await,
            "round {round}: the mirror after the taken-over run"
        );
        eprintln!(
            "round {round}: killed after {sent} of {full_requests} requests, the run {:?}",
            at_kill.state
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
