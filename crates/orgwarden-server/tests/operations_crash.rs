//! Crash test: `orgwarden serve` as a child process runs a 2,000-user operation, is killed with
//! SIGKILL mid-way and started again; the operation completes, cloudsim's state is exactly the
//! plan, no item is lost, and a change reaches cloudsim twice only for an item that was in
//! flight at the kill (counted from `/__sim/stats`).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::operations_support::model::{
    apply, assert_same, done_mutations, mutations_between, ordinary, pick, repeated_mutations,
    snapshot,
};
use crate::operations_support::{finished, Stack};
use crate::processes_support::Serve;
use orgwarden_cloudsim::{spawn, SimConfig};
use orgwarden_store::operations::{self, ItemState};
use orgwarden_store::Database;
use serde_json::{json, Value};

const USERS: usize = 2000;

fn ledger(db: &Database, id: i64) -> Vec<operations::Item> {
    let mut conn = db.get().unwrap();
    let tenant = operations::find_for_job(&mut conn, id)
        .unwrap()
        .unwrap()
        .tenant_id;
    operations::all_items(&mut conn, &tenant, id).unwrap()
}

fn by_state(items: &[operations::Item]) -> BTreeMap<ItemState, usize> {
    items.iter().fold(BTreeMap::new(), |mut m, i| {
        *m.entry(i.state).or_default() += 1;
        m
    })
}

#[actix_web::test]
async fn a_killed_server_resumes_its_operation_without_losing_or_repeating_work() {
    let sim = spawn(SimConfig {
        users: USERS + 600,
        sites: 2,
        groups: 20,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}/orgwarden.sqlite", dir.path().display());
    let server = Serve::new(&database_url, dir.path(), &sim.url);
    let mut child = server.start(1).await;
    let s = Stack::install(&sim.url, sim.api_key(), &server.url()).await;

    let org = s.sim("/__sim/org").await;
    let users = pick(&org, USERS, ordinary);
    assert_eq!(users.len(), USERS);
    let group = org["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["managedBy"] != "external" && g["roles"].as_array().unwrap().is_empty())
        .unwrap()["id"]
        .clone();
    let before = snapshot(&org);
    let stats_before = s.sim("/__sim/stats").await;
    let body = json!({"selection": {"accountIds": users}, "actions": [{"type": "addToGroups", "groupIds": [group]}, {"type": "suspend"}], "reason": "crash test"});
    let created: Value = s
        .post("/api/v1/operations", body)
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().expect("operation created");
    let started = Instant::now();
    s.wait_operation(id, Duration::from_secs(120), |op| {
        op["progress"]["done"].as_i64().unwrap_or(0) >= 1200
    })
    .await;

    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let killed_at = started.elapsed();
    let db = Database::connect(&database_url).unwrap();
    let at_kill = by_state(&ledger(&db, id));
    let in_flight = at_kill.get(&ItemState::InFlight).copied().unwrap_or(0);
    assert!(
        at_kill.get(&ItemState::Pending).copied().unwrap_or(0) > 0,
        "killed too late: {at_kill:?}"
    );

    let restarted = Instant::now();
    let mut child = server.start(2).await;
    let op = s
        .wait_operation(id, Duration::from_secs(240), finished)
        .await;
    let resumed_in = restarted.elapsed();
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(op["state"], "completed", "{op}");

    let items = ledger(&db, id);
    let end = by_state(&items);
    assert_eq!(
        end.get(&ItemState::Pending).copied().unwrap_or(0)
            + end.get(&ItemState::InFlight).copied().unwrap_or(0),
        0,
        "{end:?}"
    );
    assert_eq!(
        end.get(&ItemState::Failed).copied().unwrap_or(0),
        0,
        "{end:?}"
    );
    assert_eq!(items.len(), USERS * 2, "no item lost");
    assert_same(
        &snapshot(&s.sim("/__sim/org").await),
        &apply(before, &items),
        "cloudsim after the resumed operation",
    );

    let sent = mutations_between(&stats_before, &s.sim("/__sim/stats").await);
    let done = done_mutations(&items);
    let repeated = repeated_mutations(&sent, &done);
    assert!(
        repeated <= u64::try_from(in_flight).unwrap(),
        "{repeated} repeated mutations but only {in_flight} items were in flight"
    );
    eprintln!(
        "crash test: killed after {killed_at:?} at {at_kill:?}; {in_flight} in flight; {repeated} mutations repeated; \
         the restarted server finished in {resumed_in:?}"
    );
}
