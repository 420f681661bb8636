//! The task scheduler against a synced tenant, on SQLite and PostgreSQL, with an injected
//! clock: runs start at their instants across a DST change, exactly once with two claimers
//! racing on one database, a run missed while every process was down runs once and late, a run
//! due inside the daily sync slot waits for its end, a task whose acting admin lost their rights
//! fails its run and is switched off, and retention prunes old runs.

use orgwarden_ids::TenantId;
use std::sync::Barrier;

use chrono::{DateTime, NaiveDate, Utc};
use orgwarden_jobs::tasks::{claim_due_runs, start_run, RunKind, Schedule, SyncSlot};
use orgwarden_jobs::SyncKind;
use orgwarden_store::operations::{Operation, RunState};
use orgwarden_store::sync_runs::SyncRunState;
use orgwarden_store::tasks::{self, TaskFields};
use orgwarden_store::webhooks::{self, outbox, EventKind, WebhookFields};
use orgwarden_store::{retention, saved_filters, Backend, Cipher, Database};
use serde_json::json;

use crate::operations_support::{ordinary, org_admin, pick};
use crate::sync_support::{fixture, sim_config, Fixture, TENANT};
use orgwarden_store::on_both_backends;

on_both_backends!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    due_runs_start_at_their_instants_exactly_once_across_dst_with_two_claimers,
    a_run_missed_while_down_runs_once_late_and_the_schedule_goes_on_from_now,
    a_task_whose_admin_lost_the_role_fails_says_why_and_is_switched_off_and_retention_prunes_runs,
    a_run_whose_filter_selects_more_than_one_plan_may_hold_fails_before_planning
);

const BERLIN: chrono_tz::Tz = chrono_tz::Europe::Berlin;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A synced tenant, an org admin of it and a saved filter of its active people.
async fn tenant(backend: Backend) -> (Fixture, String, i64) {
    let f = fixture(backend, sim_config(30)).await;
    assert_eq!(
        f.sync(SyncKind::Initial, None).await.state,
        SyncRunState::Succeeded
    );
    let org = f.sim_org().await;
    let admin = pick(&org, 1, org_admin)[0].clone();
    let mut conn = f.db.db.get().unwrap();
    let filter = json!({"statuses": ["active"]}).to_string();
    let saved = saved_filters::create(
        &mut conn,
        &TenantId::from(TENANT),
        "Active",
        &filter,
        &admin,
        Utc::now().naive_utc(),
    )
    .unwrap();
    drop(conn);
    (f, admin, saved.id)
}

/// Records an active task acting as `admin`, due at its first instant after `after`.
fn task(
    db: &Database,
    admin: &str,
    filter: i64,
    schedule: serde_json::Value,
    after: DateTime<Utc>,
) -> i64 {
    let parsed: Schedule = serde_json::from_value(schedule.clone()).unwrap();
    let plan = parsed
        .plan(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
        .unwrap();
    // The default settings: the daily sync from 02:00 UTC.
    let slot = SyncSlot {
        hour: 2,
        zone: chrono_tz::UTC,
    };
    let next = plan
        .next_after(BERLIN, Some(slot), after)
        .map(|t| t.naive_utc());
    let (actions, schedule) = (
        json!([{"type": "suspend"}]).to_string(),
        schedule.to_string(),
    );
    let fields = TaskFields {
        name: "Nightly",
        saved_filter_id: filter,
        actions: &actions,
        reason: None,
        schedule: &schedule,
        time_zone: "Europe/Berlin",
        active: true,
        dry_run_only: true,
        next_run_at: next,
    };
    let mut conn = db.get().unwrap();
    tasks::create(
        &mut conn,
        &TenantId::from(TENANT),
        &fields,
        admin,
        Utc::now().naive_utc(),
    )
    .unwrap()
    .id
}

/// A webhook of the tenant subscribed to `taskFailure`; its id.
fn failure_webhook(db: &Database) -> i64 {
    let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    let fields = WebhookFields {
        name: "failures".into(),
        url: "https://hooks.example.com/failures".into(),
        events: vec![EventKind::TaskFailure],
        notes: String::new(),
        active: true,
    };
    let mut conn = db.get().unwrap();
    let tenant = TenantId::from(TENANT);
    let now = Utc::now().naive_utc();
    webhooks::create(&mut conn, &cipher, &tenant, &fields, "whsec_x", "me", now)
        .unwrap()
        .id
}

/// Two claimers on their own connections racing at `now`; the runs each started.
fn race(db: &Database, now: DateTime<Utc>) -> Vec<Operation> {
    let barrier = Barrier::new(2);
    std::thread::scope(|scope| {
        let claimers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let mut conn = db.get().unwrap();
                    barrier.wait();
                    claim_due_runs(&mut conn, now).unwrap()
                })
            })
            .collect();
        claimers
            .into_iter()
            .flat_map(|c| c.join().unwrap())
            .collect()
    })
}

fn next_run_at(db: &Database, id: i64) -> Option<String> {
    let mut conn = db.get().unwrap();
    let task = tasks::find(&mut conn, &TenantId::from(TENANT), id)
        .unwrap()
        .unwrap();
    task.next_run_at.map(|t| t.and_utc().to_rfc3339())
}

async fn due_runs_start_at_their_instants_exactly_once_across_dst_with_two_claimers(
    backend: Backend,
) {
    let (f, admin, filter) = tenant(backend).await;
    let db = f.db.db.clone();
    let daily = json!({"kind": "interval", "every": 1, "unit": "days", "time": "02:30", "startDate": "2026-03-01"});
    let ids: Vec<i64> = (0..12)
        .map(|_| {
            task(
                &db,
                &admin,
                filter,
                daily.clone(),
                utc("2026-03-27T12:00:00Z"),
            )
        })
        .collect();
    // Berlin springs forward on 2026-03-29: 02:30 does not exist and runs at 03:00 CEST.
    let steps = [
        ("2026-03-28T01:29:59Z", 0, "2026-03-28T01:30:00+00:00"),
        ("2026-03-28T01:30:00Z", 12, "2026-03-29T01:00:00+00:00"),
        ("2026-03-28T01:30:05Z", 0, "2026-03-29T01:00:00+00:00"),
        ("2026-03-29T01:00:01Z", 12, "2026-03-30T00:30:00+00:00"),
        ("2026-03-29T01:00:06Z", 0, "2026-03-30T00:30:00+00:00"),
    ];
    for (now, started, next) in steps {
        let runs = tokio::task::block_in_place(|| race(&db, utc(now)));
        assert_eq!(runs.len(), started, "{backend:?} at {now}");
        assert!(runs.iter().all(|r| !r.late
            && r.dry_run
            && r.state == RunState::Queued
            && r.process_id.is_some()));
        assert!(
            ids.iter()
                .all(|id| next_run_at(&db, *id).as_deref() == Some(next)),
            "{backend:?} at {now}"
        );
    }
    let mut conn = db.get().unwrap();
    for id in &ids {
        assert_eq!(
            tasks::runs_of(&mut conn, &TenantId::from(TENANT), *id, 10)
                .unwrap()
                .len(),
            2,
            "{backend:?}: one run per instant"
        );
    }
}

async fn a_run_missed_while_down_runs_once_late_and_the_schedule_goes_on_from_now(
    backend: Backend,
) {
    let (f, admin, filter) = tenant(backend).await;
    let db = f.db.db.clone();
    let daily = json!({"kind": "interval", "every": 1, "unit": "days", "time": "02:30", "startDate": "2026-03-01"});
    let id = task(&db, &admin, filter, daily, utc("2026-03-27T12:00:00Z"));
    // Every process was down from 2026-03-27 until 2026-04-02 10:00 UTC: six runs missed.
    let runs = tokio::task::block_in_place(|| race(&db, utc("2026-04-02T10:00:00Z")));
    assert_eq!(runs.len(), 1, "{backend:?}");
    assert!(runs[0].late);
    assert_eq!(
        next_run_at(&db, id).as_deref(),
        Some("2026-04-03T00:30:00+00:00")
    );
    assert!(tokio::task::block_in_place(|| race(&db, utc("2026-04-02T10:00:30Z"))).is_empty());
    // Just after its instant a run is on time.
    let on_time = tokio::task::block_in_place(|| race(&db, utc("2026-04-03T00:30:20Z")));
    assert_eq!((on_time.len(), on_time[0].late), (1, false));
    // The daily sync moved to 00:00–01:00 UTC: the next run waits for the slot's end.
    let slot = orgwarden_store::settings::Settings {
        sync_hour: 0,
        ..Default::default()
    };
    let mut conn = db.get().unwrap();
    orgwarden_store::settings::save(
        &mut conn,
        &TenantId::from(TENANT),
        &slot,
        "test",
        Utc::now().naive_utc(),
    )
    .unwrap();
    drop(conn);
    assert!(tokio::task::block_in_place(|| race(&db, utc("2026-04-04T00:30:10Z"))).is_empty());
    assert_eq!(
        next_run_at(&db, id).as_deref(),
        Some("2026-04-04T01:00:00+00:00")
    );
    let deferred = tokio::task::block_in_place(|| race(&db, utc("2026-04-04T01:00:02Z")));
    assert_eq!(deferred.len(), 1, "{backend:?}");
}

async fn a_task_whose_admin_lost_the_role_fails_says_why_and_is_switched_off_and_retention_prunes_runs(
    backend: Backend,
) {
    let (f, _, filter) = tenant(backend).await;
    let plain = pick(&f.sim_org().await, 1, ordinary)[0].clone();
    let db = f.db.db.clone();
    let hook = failure_webhook(&db);
    let weekly = json!({"kind": "weekly", "weekdays": ["mon"], "time": "09:00"});
    let id = task(&db, &plain, filter, weekly, utc("2026-06-01T00:00:00Z"));
    let runs = tokio::task::block_in_place(|| race(&db, utc("2026-06-01T07:00:00Z")));
    assert_eq!(runs.len(), 1, "{backend:?}");
    assert_eq!(runs[0].state, RunState::Failed);
    // A run that fails as it starts still tells the webhooks subscribed to task failures.
    let mut conn = db.get().unwrap();
    let sent = outbox::list(&mut conn, &TenantId::from(TENANT), hook, 10).unwrap();
    let events: Vec<&str> = sent.iter().map(|d| d.event.as_str()).collect();
    assert_eq!(events, ["taskFailure"], "{backend:?}");
    drop(conn);
    assert!(runs[0]
        .error
        .as_deref()
        .unwrap()
        .contains("no longer an organization admin"));
    let mut conn = db.get().unwrap();
    let task = tasks::find(&mut conn, &TenantId::from(TENANT), id)
        .unwrap()
        .unwrap();
    assert!(!task.active && task.next_run_at.is_none());
    assert!(task.inactive_reason.unwrap().contains(&plain));

    let deleted = retention::apply(
        &mut conn,
        &TenantId::from(TENANT),
        utc("2026-09-01T00:00:00Z").naive_utc(),
        Utc::now().naive_utc(),
        &orgwarden_store::testing::seal_key(),
    )
    .unwrap();
    assert!(deleted.operations >= 1);
    assert!(
        tasks::runs_of(&mut conn, &TenantId::from(TENANT), id, 10)
            .unwrap()
            .is_empty(),
        "{backend:?}"
    );
}

async fn a_run_whose_filter_selects_more_than_one_plan_may_hold_fails_before_planning(
    backend: Backend,
) {
    let (f, admin, filter) = tenant(backend).await;
    // Every active user × 12,000 groups (saved without the API's checks) is over 300,000 steps.
    let groups: Vec<String> = (0..12_000).map(|n| format!("group-{n}")).collect();
    let actions = json!([{"type": "addToGroups", "groupIds": groups}]).to_string();
    let fields = TaskFields {
        name: "Too big",
        saved_filter_id: filter,
        actions: &actions,
        reason: None,
        schedule: r#"{"kind":"manual"}"#,
        time_zone: "UTC",
        active: true,
        dry_run_only: false,
        next_run_at: None,
    };
    let mut conn = f.db.db.get().unwrap();
    let tenant = TenantId::from(TENANT);
    let now = Utc::now().naive_utc();
    let task = tasks::create(&mut conn, &tenant, &fields, &admin, now).unwrap();
    let kind = RunKind {
        dry_run: false,
        late: false,
    };
    let run = start_run(&mut conn, &task, kind, now).unwrap();
    assert_eq!(run.state, RunState::Failed, "{backend:?}");
    let error = run.error.unwrap();
    assert!(error.contains("one run plans at most 300000"), "{error}");
    let task = tasks::find(&mut conn, &tenant, task.id).unwrap().unwrap();
    assert!(task.active, "a run too big leaves the task on");
}
