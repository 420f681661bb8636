//! Durable bulk operations against cloudsim: with faults every item ends done or failed with a
//! reason; a run dropped mid-way resumes without repeating a change; a resume that cannot read
//! its users again, or an operation whose requester lost the role, changes nothing more.

use std::collections::BTreeMap;

use crate::operations_support::*;
use crate::sync_support::*;
use diesel::RunQueryDsl;
use orgwarden_cloudsim::SimConfig;
use orgwarden_store::on_both_backends;
use orgwarden_store::operations::exemptions::ExemptionKind;
use orgwarden_store::operations::{self, ItemState, RunState};
use orgwarden_store::Backend;
use serde_json::{json, Value};

on_both_backends!(with_five_percent_faults_every_item_ends_done_or_failed_with_a_reason);

/// The worker is gone: ages operation `id`'s lease as the reconciler would see it.
fn age_lease(f: &Fixture, id: i64) {
    let mut conn = f.db.db.get().unwrap();
    let stale = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(120);
    diesel::sql_query(format!(
        "UPDATE operations SET heartbeat_at = '{}' WHERE id = {id}",
        stale.format("%Y-%m-%d %H:%M:%S")
    ))
    .execute(&mut *conn)
    .unwrap();
}

async fn with_five_percent_faults_every_item_ends_done_or_failed_with_a_reason(backend: Backend) {
    let config = SimConfig {
        fault_rate: 0.05,
        ..sim_config(150)
    };
    let (f, _, _) = prepared(backend, config).await;
    let org = f.sim_org().await;
    let group = plain_group(&org, &[]);
    let users = pick(&org, 60, ordinary);
    let before = snapshot(&org);
    let actions = json!([{"type": "removeAppAccess", "all": true}, {"type": "addToGroups", "groupIds": [group]}, {"type": "suspend"}]);
    let id = f.create_operation(&users, actions, None);
    let op = f.run_operation(id).await;
    assert_eq!(op.state, RunState::Completed, "{:?}", op.error);
    let items = f.items(id);
    for item in &items {
        match item.state {
            ItemState::Done => {}
            ItemState::Skipped => assert!(item.reason.is_some()),
            ItemState::Failed => assert!(item.error.as_deref().is_some_and(|e| !e.is_empty())),
            other => panic!("item left {other}: {item:?}"),
        }
    }
    assert_eq!(op.done + op.skipped + op.failed, op.total);
    assert_same(
        &snapshot(&f.sim_org().await),
        &apply(before, &items),
        "after faults",
    );
    let stats = f.sim_stats().await;
    assert!(
        stats["faults"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum::<u64>()
            > 0,
        "faults were served"
    );
}

#[actix_web::test]
async fn a_run_dropped_mid_way_resumes_without_repeating_finished_items() {
    let config = SimConfig {
        latency_ms: 40,
        ..sim_config(150)
    };
    let (f, _, _) = prepared(Backend::Sqlite, config).await;
    let org = f.sim_org().await;
    let group = plain_group(&org, &[]);
    let users = pick(&org, 80, ordinary);
    let before = snapshot(&org);
    let stats_before = f.sim_stats().await;
    let id = f.create_operation(
        &users,
        json!([{"type": "addToGroups", "groupIds": [group]}, {"type": "suspend"}]),
        None,
    );
    let some_done = async {
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            if f.items(id)
                .iter()
                .filter(|i| i.state == ItemState::Done)
                .count()
                >= 40
            {
                break;
            }
        }
    };
    tokio::select! {
        result = orgwarden_jobs::run_operation(&f.ctx, id) => panic!("the run ended before it was dropped: {result:?}"),
        () = some_done => {}
    }
    let mid: BTreeMap<ItemState, usize> = f.items(id).iter().fold(BTreeMap::new(), |mut m, i| {
        *m.entry(i.state).or_default() += 1;
        m
    });
    assert!(
        mid.get(&ItemState::Done).copied().unwrap_or(0) > 0
            && mid.get(&ItemState::Pending).copied().unwrap_or(0) > 0,
        "{mid:?}"
    );
    let in_flight_at_drop = mid.get(&ItemState::InFlight).copied().unwrap_or(0);
    age_lease(&f, id);
    let op = f.run_operation(id).await;
    assert_eq!(op.state, RunState::Completed, "{:?}", op.error);
    let items = f.items(id);
    assert!(
        items
            .iter()
            .all(|i| i.state == ItemState::Done || i.state == ItemState::Skipped),
        "{mid:?}"
    );
    assert_eq!(
        op.done,
        i64::try_from(items.iter().filter(|i| i.state == ItemState::Done).count()).unwrap()
    );
    assert_same(
        &snapshot(&f.sim_org().await),
        &apply(before, &items),
        "after the resume",
    );
    let sent = mutations_between(&stats_before, &f.sim_stats().await);
    assert_eq!(
        sent,
        done_mutations(&items),
        "each change reached cloudsim exactly once ({in_flight_at_drop} were in flight)"
    );
}

/// A suspension of 30 users whose run (cloudsim answering in 40 ms) is dropped as soon as its
/// ledger is written: a worker gone mid-run, its lease still held.
async fn suspension_dropped_once_planned() -> (Fixture, i64) {
    dropped_once_planned(|org| (pick(org, 30, ordinary), json!([{"type": "suspend"}]))).await
}

/// The operation `choose` makes of cloudsim's organization (users, actions), cloudsim
/// answering in 40 ms, its run dropped as soon as its ledger is written.
async fn dropped_once_planned(
    choose: impl FnOnce(&Value) -> (Vec<String>, Value),
) -> (Fixture, i64) {
    let config = SimConfig {
        latency_ms: 40,
        ..sim_config(150)
    };
    let (f, _, _) = prepared(Backend::Sqlite, config).await;
    let (users, actions) = choose(&f.sim_org().await);
    let id = f.create_operation(&users, actions, None);
    let planned = async {
        while f.items(id).len() < users.len() {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    };
    tokio::select! {
        result = orgwarden_jobs::run_operation(&f.ctx, id) => panic!("the run ended before it was dropped: {result:?}"),
        () = planned => {}
    }
    (f, id)
}

/// A crash after an item was marked in flight, before its call left: the last pending item of
/// operation `id`, put in flight; returned as it was.
fn left_in_flight(f: &Fixture, id: i64) -> orgwarden_store::operations::Item {
    let item = f
        .items(id)
        .into_iter()
        .rev()
        .find(|i| i.state == ItemState::Pending)
        .expect("a pending item at the drop");
    let mut conn = f.db.db.get().unwrap();
    diesel::sql_query(format!(
        "UPDATE operation_items SET state = 'in_flight' WHERE id = {}",
        item.id
    ))
    .execute(&mut *conn)
    .unwrap();
    item
}

#[actix_web::test]
async fn an_item_left_in_flight_for_a_user_now_exempt_is_checked_never_sent() {
    let (f, id) = suspension_dropped_once_planned().await;
    // A crash after an item was marked in flight, before its call left; meanwhile its user
    // was exempted.
    let item = left_in_flight(&f, id);
    f.exempt(ExemptionKind::User, item.account_id.as_str());
    age_lease(&f, id);
    let op = f.run_operation(id).await;
    assert_eq!(op.state, RunState::Completed, "{:?}", op.error);
    let settled = f.items(id).into_iter().find(|i| i.id == item.id).unwrap();
    assert_eq!(settled.state, ItemState::Skipped, "{settled:?}");
    let after = snapshot(&f.sim_org().await);
    assert_eq!(after[item.account_id.as_str()].status, "active");
}

#[actix_web::test]
async fn no_item_starts_once_a_cancel_is_asked_or_another_worker_holds_the_run() {
    let (f, id) = suspension_dropped_once_planned().await;
    let owner = f.operation(id).lease_owner.expect("leased");
    let pending = f
        .items(id)
        .into_iter()
        .find(|i| i.state == ItemState::Pending)
        .expect("a pending item at the drop");
    let tenant = orgwarden_ids::TenantId::from(crate::sync_support::TENANT);
    let mut conn = f.db.db.get().unwrap();
    let now = chrono::Utc::now().naive_utc();
    let mark = |conn: &mut orgwarden_store::DbConnection, owner: &str| {
        operations::mark_in_flight(conn, &tenant, (id, owner), pending.id, now).unwrap()
    };
    assert!(!mark(&mut conn, "another-worker"), "not the lease holder");
    assert!(
        mark(&mut conn, &owner),
        "the lease holder of a running operation"
    );
    operations::request_cancel(&mut conn, &tenant, id, now).unwrap();
    assert!(!mark(&mut conn, &owner), "a cancel was asked");
}

#[actix_web::test]
async fn an_item_left_in_flight_by_a_run_that_ends_cancelled_is_recorded_failed() {
    let (f, id) = suspension_dropped_once_planned().await;
    let item = left_in_flight(&f, id);
    {
        let mut conn = f.db.db.get().unwrap();
        let tenant = orgwarden_ids::TenantId::from(crate::sync_support::TENANT);
        operations::request_cancel(&mut conn, &tenant, id, chrono::Utc::now().naive_utc()).unwrap();
    }
    age_lease(&f, id);
    let op = f.run_operation(id).await;
    assert_eq!(op.state, RunState::Cancelled, "{:?}", op.error);
    let settled = f.items(id).into_iter().find(|i| i.id == item.id).unwrap();
    assert_eq!(settled.state, ItemState::Failed, "{settled:?}");
    assert!(settled.error.unwrap().contains("worker stopped"));
    assert_eq!(op.done + op.skipped + op.failed, op.total);
}

#[actix_web::test]
async fn a_resume_that_cannot_read_its_users_again_changes_nothing_more() {
    let (f, id) = suspension_dropped_once_planned().await;
    let item = left_in_flight(&f, id);
    let suspended_at_drop = snapshot(&f.sim_org().await)
        .values()
        .filter(|u| u.status == "suspended")
        .count();
    // The key was revoked meanwhile: the users cannot be read again before resuming.
    let gone = reqwest::Client::new()
        .delete(format!("{}/__sim/api-keys/{}", f.sim.url, f.sim.api_key()))
        .send()
        .await
        .unwrap();
    assert!(gone.status().is_success(), "{}", gone.status());
    age_lease(&f, id);
    let op = f.run_operation(id).await;
    assert_eq!(op.state, RunState::Failed, "{op:?}");
    assert!(
        op.error
            .as_deref()
            .unwrap_or_default()
            .contains("could not be read again"),
        "{:?}",
        op.error
    );
    let items = f.items(id);
    let not_started: Vec<_> = items
        .iter()
        .filter(|i| i.state == ItemState::Skipped)
        .collect();
    assert!(!not_started.is_empty());
    assert!(not_started.iter().all(|i| i
        .reason
        .as_deref()
        .unwrap_or_default()
        .starts_with("Not started: the users could not be read again")));
    let settled = items.iter().find(|i| i.id == item.id).unwrap();
    assert_eq!(settled.state, ItemState::Failed, "{settled:?}");
    assert_eq!(op.done + op.skipped + op.failed, op.total);
    let suspended_now = snapshot(&f.sim_org().await)
        .values()
        .filter(|u| u.status == "suspended")
        .count();
    assert_eq!(suspended_now, suspended_at_drop, "nothing more was changed");
}

#[actix_web::test]
async fn an_operation_whose_requester_lost_the_role_before_it_acts_changes_nothing() {
    let (f, _, _) = prepared(Backend::Sqlite, sim_config(60)).await;
    let users = pick(&f.sim_org().await, 5, ordinary);
    let id = f.create_operation(&users, json!([{"type": "suspend"}]), None);
    let requester = f.operation(id).requested_by;
    // The organization admin who started it is one no longer when it runs.
    f.sim
        .state
        .org
        .write()
        .user_mut(&requester)
        .unwrap()
        .org_admin = false;
    let before = snapshot(&f.sim_org().await);
    let op = f.run_operation(id).await;
    assert_eq!(op.state, RunState::Failed, "{op:?}");
    let error = op.error.unwrap_or_default();
    assert!(
        error.contains(&requester) && error.contains("no longer an organization admin"),
        "{error}"
    );
    assert!(f
        .items(id)
        .iter()
        .all(|i| i.state == ItemState::Skipped && i.reason.as_deref() == Some(error.as_str())));
    let after = snapshot(&f.sim_org().await);
    assert_same(&after, &before, "nothing changed");
}

#[actix_web::test]
async fn a_group_exempted_after_the_plan_gets_no_new_members() {
    let (f, id) = dropped_once_planned(|org| {
        let group = plain_group(org, &[]);
        let outside = |u: &Value| {
            ordinary(u)
                && !u["groupIds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|g| g == group.as_str())
        };
        let actions = json!([{"type": "addToGroups", "groupIds": [group]}]);
        (pick(org, 30, outside), actions)
    })
    .await;
    let group = f.items(id)[0].group_id.clone().unwrap().to_string();
    // The plan was made; then the group was exempted, before the resumed run acts.
    f.exempt(ExemptionKind::Group, &group);
    let members = || {
        f.sim
            .state
            .org
            .read()
            .group(&group)
            .unwrap()
            .member_ids
            .len()
    };
    let members_before = members();
    age_lease(&f, id);
    let op = f.run_operation(id).await;
    assert_eq!(op.state, RunState::Completed, "{:?}", op.error);
    let items = f.items(id);
    let added = items.iter().filter(|i| i.state == ItemState::Done).count();
    assert!(items
        .iter()
        .filter(|i| i.state == ItemState::Skipped)
        .all(|i| i
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("checked again before acting")));
    let members_after = members();
    assert_eq!(
        members_after, members_before,
        "{added} were added before the drop"
    );
}
