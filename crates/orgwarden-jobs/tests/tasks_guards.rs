//! A task's real run holds the guards of every bulk operation, on SQLite and PostgreSQL: an
//! IdP-synced group in its actions is left alone while the plain group is changed, and once the
//! license refuses acting (here: never evaluated, 15 days after the first install — the gate that also
//! refuses after the grace period, see `license.rs`) a due run ends failed with nothing executed;
//! so does a run whose acting admin lost the org-admin role after it started (the pre-operation
//! sync reads them again), and the task is switched off.

use chrono::{Duration, Timelike, Utc};
use orgwarden_ids::TenantId;
use orgwarden_jobs::tasks::claim_due_runs;
use orgwarden_store::operations::{ItemState, Operation, RunState};
use orgwarden_store::tasks::{self, TaskFields};
use orgwarden_store::Backend;
use orgwarden_store::{saved_filters, settings};
use serde_json::{json, Value};

use crate::operations_support::*;
use crate::sync_support::{sim_config, Fixture, TENANT};
use orgwarden_store::on_both_backends;

on_both_backends!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    a_task_run_leaves_idp_groups_alone_and_stops_once_the_license_refuses,
    a_run_whose_acting_admin_lost_the_role_since_it_started_changes_nothing
);

/// An active task of `admin` over every active person, due now, acting with `actions`.
fn due_task(f: &Fixture, admin: &str, name: &str, actions: Value) -> i64 {
    due_task_over(f, admin, name, actions, json!({"statuses": ["active"]}))
}

/// An active task of `admin` over the people `filter` selects, due now, acting with `actions`.
fn due_task_over(f: &Fixture, admin: &str, name: &str, actions: Value, filter: Value) -> i64 {
    let mut conn = f.db.db.get().unwrap();
    let now = Utc::now().naive_utc();
    // Runs never start inside the daily sync's hour: keep it far from now.
    let mut chosen = settings::get(&mut conn, &TenantId::from(TENANT)).unwrap();
    chosen.sync_hour = i32::try_from((Utc::now().hour() + 12) % 24).unwrap();
    settings::save(&mut conn, &TenantId::from(TENANT), &chosen, "test", now).unwrap();
    let filter = filter.to_string();
    let saved = saved_filters::create(
        &mut conn,
        &TenantId::from(TENANT),
        name,
        &filter,
        admin,
        now,
    )
    .unwrap();
    let (actions, schedule) = (
        actions.to_string(),
        json!({"kind": "weekly", "weekdays": ["mon"], "time": "09:00"}).to_string(),
    );
    let fields = TaskFields {
        name,
        saved_filter_id: saved.id,
        actions: &actions,
        reason: Some("guards"),
        schedule: &schedule,
        time_zone: "UTC",
        active: true,
        dry_run_only: false,
        next_run_at: Some(now - Duration::seconds(1)),
    };
    tasks::create(&mut conn, &TenantId::from(TENANT), &fields, admin, now)
        .unwrap()
        .id
}

/// Claims the due runs now and runs each to its end.
async fn run_due(f: &Fixture) -> Vec<Operation> {
    let claimed = {
        let mut conn = f.db.db.get().unwrap();
        tokio::task::block_in_place(|| claim_due_runs(&mut conn, Utc::now()).unwrap())
    };
    let mut ran = Vec::new();
    for run in claimed {
        ran.push(f.run_operation(run.id).await);
    }
    ran
}

fn members(org: &Value, group: &str) -> Vec<Value> {
    org["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == group)
        .map(|g| g["memberIds"].as_array().cloned().unwrap_or_default())
        .unwrap_or_default()
}

async fn a_task_run_leaves_idp_groups_alone_and_stops_once_the_license_refuses(backend: Backend) {
    let (f, _, idp_group) = prepared(backend, sim_config(40)).await;
    let org = f.sim_org().await;
    let admin = pick(&org, 1, org_admin)[0].clone();
    let plain = plain_group(&org, &[]);
    due_task(
        &f,
        &admin,
        "Groups",
        json!([{"type": "addToGroups", "groupIds": [plain, idp_group]}]),
    );
    let runs = run_due(&f).await;
    assert_eq!(runs.len(), 1, "{backend:?}");
    assert_eq!(runs[0].state, RunState::Completed, "{:?}", runs[0].error);
    let after = f.sim_org().await;
    assert_eq!(
        idp_groups(&after),
        idp_groups(&org),
        "{backend:?}: IdP groups untouched"
    );
    assert!(members(&after, &plain).len() > members(&org, &plain).len());
    let items = f.items(runs[0].id);
    let idp_items: Vec<_> = items
        .iter()
        .filter(|i| i.group_id.as_deref() == Some(idp_group.as_str()))
        .collect();
    assert!(
        !idp_items.is_empty(),
        "{backend:?}: the plan names the IdP group"
    );
    assert!(idp_items.iter().all(|i| i.state == ItemState::Skipped));

    // 15 days after the first install, never evaluated: the license refuses acting.
    f.installed_days_ago(15);
    due_task(&f, &admin, "Suspend", json!([{"type": "suspend"}]));
    let before = f.sim_org().await;
    let refused = run_due(&f).await;
    assert_eq!(refused.len(), 1, "{backend:?}");
    assert_eq!(refused[0].state, RunState::Failed, "{backend:?}");
    assert!(refused[0]
        .error
        .as_deref()
        .unwrap_or("")
        .contains("license"));
    assert!(f
        .items(refused[0].id)
        .iter()
        .all(|i| i.state != ItemState::Done));
    assert_eq!(
        snapshot(&f.sim_org().await),
        snapshot(&before),
        "{backend:?}: nothing executed"
    );
}

async fn a_run_whose_acting_admin_lost_the_role_since_it_started_changes_nothing(backend: Backend) {
    let (f, _, _) = prepared(backend, sim_config(40)).await;
    let org = f.sim_org().await;
    let admin = pick(&org, 1, org_admin)[0].clone();
    let targets = pick(&org, 2, ordinary);
    let email = |account: &str| {
        org["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["accountId"] == account)
            .unwrap()["email"]
            .clone()
    };
    // Two tasks of the admin, each selecting one ordinary person (not the admin).
    let tasks_of: Vec<i64> = targets
        .iter()
        .map(|target| {
            due_task_over(
                &f,
                &admin,
                &format!("Suspend {target}"),
                json!([{"type": "suspend"}]),
                json!({"statuses": ["active"], "search": email(target)}),
            )
        })
        .collect();
    // Their runs start while the mirror still says org admin...
    let claimed = {
        let mut conn = f.db.db.get().unwrap();
        tokio::task::block_in_place(|| claim_due_runs(&mut conn, Utc::now()).unwrap())
    };
    assert_eq!(claimed.len(), 2, "{backend:?}");
    let run_of = |task: i64| claimed.iter().find(|r| r.task_id == Some(task)).unwrap();
    for (task, target) in tasks_of.iter().zip(&targets) {
        let run = run_of(*task);
        assert_eq!(run.state, RunState::Queued, "{:?}", run.error);
        assert!(run.selection.contains(target.as_str()) && !run.selection.contains(&admin));
    }
    // ...another admin saves the second task (it now acts as them), and the first admin loses
    // the role in the organization before the runs act.
    {
        use diesel::RunQueryDsl;
        let mut conn = f.db.db.get().unwrap();
        let sql = format!(
            "UPDATE tasks SET acting_admin = '557058:saved-since' WHERE id = {}",
            tasks_of[1]
        );
        diesel::sql_query(sql).execute(&mut conn).unwrap();
    }
    f.sim.state.org.write().user_mut(&admin).unwrap().org_admin = false;
    let before = f.sim_org().await;
    let mut errors = Vec::new();
    for task in &tasks_of {
        let run = f.run_operation(run_of(*task).id).await;
        assert_eq!(run.state, RunState::Failed, "{backend:?}");
        assert!(f.items(run.id).iter().all(|i| i.state != ItemState::Done));
        errors.push(run.error.unwrap_or_default());
    }
    assert_eq!(
        snapshot(&f.sim_org().await),
        snapshot(&before),
        "{backend:?}: nothing executed"
    );
    assert!(
        errors[0].contains("no longer an organization admin"),
        "{errors:?}"
    );
    assert!(errors[1].contains("whoever saved it since"), "{errors:?}");
    let mut conn = f.db.db.get().unwrap();
    let find = |conn: &mut _, id| {
        tasks::find(conn, &TenantId::from(TENANT), id)
            .unwrap()
            .unwrap()
    };
    let first = find(&mut conn, tasks_of[0]);
    assert!(!first.active && first.next_run_at.is_none(), "{backend:?}");
    assert!(first.inactive_reason.unwrap().contains(&admin));
    assert!(
        find(&mut conn, tasks_of[1]).active,
        "{backend:?}: saved since, still on"
    );
}
