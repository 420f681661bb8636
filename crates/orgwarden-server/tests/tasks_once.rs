//! A one-time task whose time came, on SQLite and PostgreSQL: saved again with its schedule as it
//! was (to rename it, say) it is accepted and keeps its runs as they are; a new or changed
//! one-time schedule in the past, or switching such a task on, is refused on `schedule.at`.

use chrono::{Duration, Utc};
use orgwarden_cloudsim::SimConfig;
use orgwarden_ids::TenantId;
use orgwarden_store::tasks::{self, TaskFields};
use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::TestApp;
use crate::operations_support::{error, start, Stack};
use orgwarden_store::on_both_backends;

on_both_backends!(a_one_time_task_that_had_its_time_can_be_saved_again);

/// Stores `task`'s one-time instant as `at` with no next run, as after its run (cloudsim's
/// clock cannot move the server's).
fn had_its_time(app: &TestApp, s: &Stack, tenant: &TenantId, task: &Value, at: &str, active: bool) {
    let mut conn = app.db.db.get().unwrap();
    let id = task["id"].as_i64().unwrap();
    let stored = tasks::find(&mut conn, tenant, id).unwrap().unwrap();
    let schedule = json!({"kind": "once", "at": at}).to_string();
    let fields = TaskFields {
        name: &stored.name,
        saved_filter_id: stored.saved_filter_id,
        actions: &stored.actions,
        reason: stored.reason.as_deref(),
        schedule: &schedule,
        time_zone: &stored.time_zone,
        active,
        dry_run_only: stored.dry_run_only,
        next_run_at: None,
    };
    tasks::update(
        &mut conn,
        tenant,
        id,
        &fields,
        &s.admin,
        Utc::now().naive_utc(),
    )
    .unwrap()
    .unwrap();
}

async fn a_one_time_task_that_had_its_time_can_be_saved_again(backend: Backend) {
    let (_sim, app, s) = start(
        backend,
        SimConfig {
            users: 10,
            sites: 1,
            groups: 2,
            ..SimConfig::default()
        },
    )
    .await;
    let me: Value = s.get("/api/v1/me").await.json().await.unwrap();
    let tenant = TenantId::from(me["tenant"]["clientKey"].as_str().unwrap());
    let filter: Value = s
        .post(
            "/api/v1/filters",
            json!({"name": "Suspended", "filter": {"statuses": ["suspended"]}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let tomorrow = (Utc::now() + Duration::days(1))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let body = json!({"name": "Once", "savedFilterId": filter["id"], "actions": [{"type": "restore"}],
        "schedule": {"kind": "once", "at": tomorrow}, "active": true, "timeZone": "UTC"});
    let created = s.post("/api/v1/tasks", body.clone()).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let path = format!("/api/v1/tasks/{}", created["id"]);
    let past = "2020-01-01T00:00";
    had_its_time(&app, &s, &tenant, &created, past, true);

    let mut renamed = body.clone();
    renamed["name"] = json!("Once, renamed");
    renamed["schedule"]["at"] = json!(past);
    let saved = s.send(Method::PUT, &path, Some(renamed.clone())).await;
    assert_eq!(saved.status(), 200);
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(
        (&saved["name"], &saved["active"], &saved["nextRunAt"]),
        (&json!("Once, renamed"), &json!(true), &Value::Null)
    );

    // Another past instant is a new schedule: refused, as for a new task.
    let mut moved = renamed.clone();
    moved["schedule"]["at"] = json!("2021-06-01T00:00");
    let (code, details) = error(s.send(Method::PUT, &path, Some(moved)).await, 400).await;
    assert_eq!(
        (code.as_str(), &details["field"]),
        ("validation_failed", &json!("schedule.at"))
    );

    // Switched off it may be saved; switched on again it would never run: refused.
    had_its_time(&app, &s, &tenant, &created, past, false);
    let (code, details) = error(s.send(Method::PUT, &path, Some(renamed.clone())).await, 400).await;
    assert_eq!(
        (code.as_str(), &details["field"]),
        ("validation_failed", &json!("schedule.at"))
    );
    let mut off = renamed;
    off["active"] = json!(false);
    assert_eq!(s.send(Method::PUT, &path, Some(off)).await.status(), 200);
}
