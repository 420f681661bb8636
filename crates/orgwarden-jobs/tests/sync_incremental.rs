//! Incremental syncs: after random changes in cloudsim a daily sync reads what the events name
//! and the mirror equals cloudsim again; it costs what changed; events that cannot be trusted
//! fall back to a full sync; an interrupted sync leaves the previous mirror.

use orgwarden_ids::TenantId;
use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use orgwarden_jobs::{request_sync, run_sync, SyncKind};
use orgwarden_store::sync_runs::{SyncMode, SyncRunState};
use orgwarden_store::Backend;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

use crate::sync_support::*;
use orgwarden_store::on_both_backends;

on_both_backends!(
    after_random_changes_an_incremental_sync_equals_cloudsim,
    a_resync_after_one_percent_changed_costs_what_changed,
    events_that_cannot_be_trusted_fall_back_to_a_full_sync,
    an_interrupted_incremental_sync_leaves_the_previous_mirror
);

const ACTOR: &str = "test-actor";

/// One change made in cloudsim (indices pick users and groups).
#[derive(Debug, Clone)]
enum Change {
    Suspend(usize),
    Restore(usize),
    GrantProduct(usize),
    RevokeProduct(usize),
    Join(usize, usize),
    Leave(usize, usize),
    Remove(usize),
    Create(usize),
    CreateGroup(usize),
    DeleteGroup(usize),
    Activity(usize),
}

fn change() -> impl Strategy<Value = Change> {
    let i = 0..10_000_usize;
    prop_oneof![
        i.clone().prop_map(Change::Suspend),
        i.clone().prop_map(Change::Restore),
        i.clone().prop_map(Change::GrantProduct),
        i.clone().prop_map(Change::RevokeProduct),
        (i.clone(), i.clone()).prop_map(|(u, g)| Change::Join(u, g)),
        (i.clone(), i.clone()).prop_map(|(u, g)| Change::Leave(u, g)),
        i.clone().prop_map(Change::Remove),
        i.clone().prop_map(Change::Create),
        i.clone().prop_map(Change::CreateGroup),
        i.clone().prop_map(Change::DeleteGroup),
        i.prop_map(Change::Activity),
    ]
}

/// Applies a change as the Admin API would (recording its event); returns the account whose
/// last-active date changed without an event, if any. Refused changes do nothing.
async fn apply(f: &Fixture, change: &Change) -> Option<String> {
    if let Change::Create(n) = change {
        let body = serde_json::json!({"name": format!("New Person {n}"),
            "products": [{"productKey": "jira-software"}]});
        let answer = reqwest::Client::new()
            .post(format!("{}/__sim/users", f.sim.url))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{}", answer.status());
        return None;
    }
    let mut org = f.sim.state.org.write();
    let users: Vec<String> = org.users.iter().map(|u| u.account_id.clone()).collect();
    let groups: Vec<String> = org.groups.iter().map(|g| g.id.clone()).collect();
    let user = |i: &usize| users[i % users.len()].clone();
    let group = |i: &usize| groups[i % groups.len()].clone();
    let product = {
        let site = &org.sites[0];
        format!(
            "ari:cloud:{}::site/{}",
            site.products[0].key(),
            site.site_id
        )
    };
    let _ = match change {
        Change::Suspend(u) => org.suspend(ACTOR, &user(u)),
        Change::Restore(u) => org.restore(ACTOR, &user(u)),
        Change::GrantProduct(u) => {
            org.grant_role(ACTOR, &user(u), "atlassian/user", Some(&product))
        }
        Change::RevokeProduct(u) => {
            org.revoke_role(ACTOR, &user(u), "atlassian/user", Some(&product))
        }
        Change::Join(u, g) => org.set_membership(ACTOR, &group(g), &user(u), true),
        Change::Leave(u, g) => org.set_membership(ACTOR, &group(g), &user(u), false),
        Change::Remove(u) => org.remove_from_directory(ACTOR, &user(u)),
        Change::CreateGroup(n) => {
            let seq = org.next_event_seq;
            org.create_group(
                ACTOR,
                format!("g-{n}-{seq}"),
                &format!("Team {n} {seq}"),
                None,
            )
            .map(|_| ())
        }
        Change::DeleteGroup(g) => org.delete_group(ACTOR, &group(g)),
        Change::Activity(u) => {
            let id = user(u);
            let site = org.sites[0].clone();
            let target = org.user_mut(&id).unwrap();
            target.activity.retain(|a| a.site_id != site.site_id);
            target.activity.push(orgwarden_cloudsim::Activity {
                site_id: site.site_id.clone(),
                product: site.products[0],
                at: Utc::now() - Duration::hours(1),
            });
            return Some(id);
        }
        Change::Create(_) => Ok(()),
    };
    None
}

async fn after_random_changes_an_incremental_sync_equals_cloudsim(backend: Backend) {
    let mut runner = TestRunner::new(Config {
        cases: 4,
        ..Config::default()
    });
    let changes = prop::collection::vec(change(), 1..15);
    let f = fixture(backend, sim_config(120)).await;
    let run = f.sync(SyncKind::Initial, None).await;
    assert_eq!(
        (run.state, run.mode),
        (SyncRunState::Succeeded, SyncMode::Full)
    );
    let mut stale = BTreeSet::new();
    for _ in 0..4 {
        let batch = changes.new_tree(&mut runner).unwrap().current();
        for c in &batch {
            stale.extend(apply(&f, c).await);
        }
        let run = f.sync(SyncKind::Daily, None).await;
        assert_eq!(
            run.state,
            SyncRunState::Succeeded,
            "{backend:?} {batch:?}: {:?}",
            run.error
        );
        assert_eq!(run.mode, SyncMode::Incremental, "{backend:?} {batch:?}");
        f.assert_mirror_matches_but_activity_of(&stale).await;
        assert!(
            summary_is_exact(&f),
            "{backend:?} {batch:?}: the dashboard's summary"
        );
    }
    // A full reconciliation brings the last-active dates events do not report.
    let run = f.sync(SyncKind::Manual, None).await;
    assert_eq!(run.mode, SyncMode::Full);
    f.assert_mirror_matches().await;
}

async fn a_resync_after_one_percent_changed_costs_what_changed(backend: Backend) {
    let f = fixture(backend, sim_config(3_000)).await;
    let full = f.sync(SyncKind::Initial, None).await;
    assert_eq!(full.state, SyncRunState::Succeeded);
    for i in 0..30 {
        let c = match i % 3 {
            0 => Change::Suspend(i * 97),
            1 => Change::Join(i * 89, i),
            _ => Change::GrantProduct(i * 83),
        };
        apply(&f, &c).await;
    }
    let daily = f.sync(SyncKind::Daily, None).await;
    assert_eq!(daily.state, SyncRunState::Succeeded, "{:?}", daily.error);
    assert_eq!(daily.mode, SyncMode::Incremental);
    eprintln!(
        "{backend:?}: full {} requests {} rows; incremental {} requests {} rows",
        full.requests, full.rows_written, daily.requests, daily.rows_written
    );
    assert!(
        daily.requests * 10 <= full.requests,
        "{} vs {}",
        daily.requests,
        full.requests
    );
    assert!(daily.rows_written > 0);
    assert!(
        daily.rows_written * 50 <= full.rows_written,
        "{} vs {}",
        daily.rows_written,
        full.rows_written
    );
    f.assert_mirror_matches().await;
    assert!(summary_is_exact(&f), "{backend:?}: the dashboard's summary");
}

async fn events_that_cannot_be_trusted_fall_back_to_a_full_sync(backend: Backend) {
    let f = fixture(backend, sim_config(200)).await;
    f.sync(SyncKind::Initial, None).await;
    apply(&f, &Change::Suspend(3)).await;
    assert_eq!(
        f.sync(SyncKind::Daily, None).await.mode,
        SyncMode::Incremental
    );
    // Events after the kept cursor are lost (retention): the stream refuses the cursor.
    apply(&f, &Change::Remove(5)).await;
    f.sim.state.org.write().events.clear();
    let run = f.sync(SyncKind::Daily, None).await;
    assert_eq!(
        (run.state, run.mode),
        (SyncRunState::Succeeded, SyncMode::Full),
        "{:?}",
        run.error
    );
    f.assert_mirror_matches().await;
    // A failed sync is followed by a full one.
    let saved: Vec<_> = f.sim.state.api_keys.read().clone();
    for key in f.sim.state.api_keys.write().iter_mut() {
        key.expires_at = Utc::now().date_naive() - Duration::days(1);
    }
    assert_eq!(
        f.sync(SyncKind::Daily, None).await.state,
        SyncRunState::Failed
    );
    *f.sim.state.api_keys.write() = saved;
    apply(&f, &Change::Restore(3)).await;
    let run = f.sync(SyncKind::Daily, None).await;
    assert_eq!(
        (run.state, run.mode),
        (SyncRunState::Succeeded, SyncMode::Full)
    );
    f.assert_mirror_matches().await;
    assert_eq!(
        f.sync(SyncKind::Daily, None).await.mode,
        SyncMode::Incremental
    );
}

/// Sets cloudsim's added latency per Admin API request.
fn latency(f: &Fixture, ms: u64) {
    let update = serde_json::from_value(serde_json::json!({ "latencyMs": ms })).unwrap();
    f.sim.state.limits.update(update);
}

async fn an_interrupted_incremental_sync_leaves_the_previous_mirror(backend: Backend) {
    let f = fixture(backend, sim_config(300)).await;
    f.sync(SyncKind::Initial, None).await;
    let before = published(&f);
    // Drop the sync after each number of Admin API requests it sends: while it reads the
    // events, the groups and what they grant, the users.
    for stop_after in 1..=7_u64 {
        for i in 0..12 {
            apply(&f, &Change::Join(i * 7 + stop_after as usize, i)).await;
        }
        apply(&f, &Change::CreateGroup(stop_after as usize)).await;
        let (run, _) = {
            let mut conn = f.db.db.get().unwrap();
            request_sync(
                &mut conn,
                &TenantId::from(TENANT),
                SyncKind::Daily,
                None,
                None,
            )
            .unwrap()
        };
        let sent = f.sim.state.stats.snapshot().total_requests;
        let (ctx, id) = (f.ctx.clone(), run.id);
        // Each answer comes a quarter second late, so the sync (which sends more requests than
        // any `stop_after` here) is still waiting for its next one when it is dropped, unless
        // this loop is kept off the cores that long.
        latency(&f, 250);
        let task = tokio::spawn(async move { run_sync(&ctx, id).await });
        while f.sim.state.stats.snapshot().total_requests < sent + stop_after && !task.is_finished()
        {
            tokio::task::yield_now().await;
        }
        task.abort();
        let _ = task.await;
        latency(&f, 0);
        assert_eq!(
            published(&f),
            before,
            "{backend:?}: the previous mirror stays"
        );
        // Its worker is gone: the run is taken over once its heartbeat is stale.
        {
            let mut conn = f.db.db.get().unwrap();
            let stale = Utc::now().naive_utc() - Duration::hours(1);
            let progress = orgwarden_store::sync_runs::Progress::default();
            orgwarden_store::sync_runs::progress(&mut conn, id, &progress, stale).unwrap();
        }
        run_sync(&f.ctx, id).await.unwrap();
        let mut conn = f.db.db.get().unwrap();
        let done = orgwarden_store::sync_runs::find(&mut conn, id)
            .unwrap()
            .unwrap();
        assert_eq!(done.state, SyncRunState::Succeeded, "{:?}", done.error);
        assert_eq!(
            done.mode,
            SyncMode::Incremental,
            "the taken-over run still trusts the events"
        );
    }
    f.assert_mirror_matches().await;
}

/// Whether the dashboard's activity summary, moved by the incremental syncs, equals one counted
/// afresh from the mirror.
fn summary_is_exact(f: &Fixture) -> bool {
    let mut conn = f.db.db.get().unwrap();
    orgwarden_store::mirror::activity_summary_is_exact(&mut conn, TENANT).unwrap()
}

/// The published generation and its user count.
fn published(f: &Fixture) -> (i64, usize) {
    let mut conn = f.db.db.get().unwrap();
    let state = orgwarden_store::mirror::current(&mut conn, &TenantId::from(TENANT))
        .unwrap()
        .unwrap();
    let users = orgwarden_store::mirror::changes::user_count(
        &mut conn,
        orgwarden_store::mirror::MirrorRef {
            tenant: &TenantId::from(TENANT),
            generation: state.generation,
        },
    )
    .unwrap();
    (state.generation, users)
}
