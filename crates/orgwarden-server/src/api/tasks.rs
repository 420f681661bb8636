//! `/api/v1/tasks`: automated tasks (list, create, read, replace, delete, duplicate). Changing a
//! task needs an organization admin: the task acts with the rights of whoever saved it last.
//! Runs are in `task_runs`.

use orgwarden_ids::TenantId;
use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use chrono::Utc;
use orgwarden_store::audit::Kind;
use orgwarden_store::operations::{self, Operation};
use orgwarden_store::tasks::{self, Task};
use orgwarden_store::DbConnection;

use super::task_checks::check;
use super::task_types::{TaskInput, TaskList, TaskRunView, TaskView};
use crate::access::{OrgAdmin, WholeReader};
use crate::audit_log::{in_transaction, Note, Who};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

fn not_found() -> ApiError {
    ApiError::not_found("No such task.")
}

/// The views of `tasks` with their newest runs.
fn views(
    conn: &mut DbConnection,
    tenant: &TenantId,
    list: Vec<Task>,
    mut last: HashMap<i64, Operation>,
) -> Result<Vec<TaskView>, ApiError> {
    let ids: Vec<i64> = last.values().map(|op| op.id).collect();
    let mut counts = operations::counts(conn, tenant, &ids)?;
    Ok(list
        .into_iter()
        .map(|task| {
            let run = last.remove(&task.id).map(|op| {
                let c = counts.remove(&op.id).unwrap_or_default();
                TaskRunView::new(&op, &c)
            });
            TaskView::new(task, run)
        })
        .collect())
}

/// The tenant's task `id` as viewed, or 404.
fn view(conn: &mut DbConnection, tenant: &TenantId, id: i64) -> Result<TaskView, ApiError> {
    let task = tasks::find(conn, tenant, id)?.ok_or_else(not_found)?;
    let last = tasks::runs_of(conn, tenant, id, 1)?
        .into_iter()
        .map(|op| (id, op))
        .collect();
    views(conn, tenant, vec![task], last)?
        .pop()
        .ok_or_else(not_found)
}

/// The audit note of a task's change (`before`: its state before an update).
fn note(kind: Kind, what: &str, task: &Task, before: Option<&Task>) -> Note {
    let json = |t: &Task| {
        let text = |s: &str| serde_json::from_str(s).unwrap_or(serde_json::Value::Null);
        serde_json::json!({"name": t.name, "savedFilterId": t.saved_filter_id,
            "actions": text(&t.actions), "reason": t.reason, "schedule": text(&t.schedule),
            "timeZone": t.time_zone, "active": t.active, "dryRunOnly": t.dry_run_only})
    };
    let mut details = json(task);
    details["taskId"] = task.id.into();
    if let Some(old) = before {
        details["changes"] = orgwarden_store::audit::changes(&json(old), &json(task), &[]);
    }
    Note::new(
        kind,
        format!("{what} \u{201c}{}\u{201d}", task.name),
        details,
    )
}

/// The tenant's automated tasks, by name, each with its newest run and next run.
#[utoipa::path(operation_id = "tasks_list", get, path = "/api/v1/tasks", tag = "tasks", security(("connect_jwt" = [])),
    responses((status = 200, body = TaskList), (status = 403, description = "An admin confined to what they administer (code access_denied)", body = ErrorEnvelope)))]
pub async fn list(
    caller: WholeReader,
    state: web::Data<AppState>,
) -> Result<web::Json<TaskList>, ApiError> {
    let tenant = caller.tenant.client_key.clone();
    let items = crate::db::try_run(&state.db, move |conn| {
        let list = tasks::list(conn, &tenant)?;
        let last = tasks::last_runs(conn, &tenant)?;
        views(conn, &tenant, list, last)
    })
    .await?;
    Ok(web::Json(TaskList { items }))
}

/// Creates a task acting with the caller's rights (organization admins only).
#[utoipa::path(operation_id = "tasks_create", post, path = "/api/v1/tasks", tag = "tasks", security(("connect_jwt" = [])), request_body = TaskInput,
    responses((status = 201, body = TaskView), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)))]
pub async fn create(
    caller: OrgAdmin,
    state: web::Data<AppState>,
    body: web::Json<TaskInput>,
) -> Result<HttpResponse, ApiError> {
    let input = body.into_inner();
    input.validate()?;
    let (tenant, by, who) = (
        caller.tenant.client_key.clone(),
        caller.account_id.clone(),
        Who::from(&*caller),
    );
    let created = crate::db::try_run(&state.db, move |conn| {
        let id = in_transaction(conn, &who, |conn| {
            let now = Utc::now();
            let checked = check(conn, &tenant, &input, None, now)?;
            let task = tasks::create(conn, &tenant, &checked.fields(&input), &by, now.naive_utc())?;
            let note = note(Kind::TaskCreated, "Created the task", &task, None);
            Ok((task.id, Some(note)))
        })?;
        view(conn, &tenant, id)
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// One task.
#[utoipa::path(operation_id = "tasks_get", get, path = "/api/v1/tasks/{id}", tag = "tasks", security(("connect_jwt" = [])),
    params(("id" = i64, Path, description = "Task id")), responses((status = 200, body = TaskView), (status = 403, description = "An admin confined to what they administer (code access_denied)", body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get(
    caller: WholeReader,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<web::Json<TaskView>, ApiError> {
    let (tenant, id) = (caller.tenant.client_key.clone(), path.into_inner());
    Ok(web::Json(
        crate::db::try_run(&state.db, move |conn| view(conn, &tenant, id)).await?,
    ))
}

/// Replaces a task; the caller becomes the admin it acts as (organization admins only). Saving
/// switches a task that was switched off for its admin's lost rights back on when `active`. An
/// active one-time task whose time came may be saved with its schedule and zone unchanged (it
/// keeps its runs as they are); a changed one-time schedule must lie ahead.
#[utoipa::path(operation_id = "tasks_update", put, path = "/api/v1/tasks/{id}", tag = "tasks", security(("connect_jwt" = [])), request_body = TaskInput,
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, body = TaskView), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn update(
    caller: OrgAdmin,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: web::Json<TaskInput>,
) -> Result<web::Json<TaskView>, ApiError> {
    let input = body.into_inner();
    input.validate()?;
    let (tenant, by, who, id) = (
        caller.tenant.client_key.clone(),
        caller.account_id.clone(),
        Who::from(&*caller),
        path.into_inner(),
    );
    let updated = crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let before = tasks::find_for_update(conn, &tenant, id)?.ok_or_else(not_found)?;
            let now = Utc::now();
            let checked = check(conn, &tenant, &input, Some(&before), now)?;
            let task = tasks::update(
                conn,
                &tenant,
                id,
                &checked.fields(&input),
                &by,
                now.naive_utc(),
            )?
            .ok_or_else(not_found)?;
            let note = note(Kind::TaskUpdated, "Changed the task", &task, Some(&before));
            Ok(((), Some(note)))
        })?;
        view(conn, &tenant, id)
    })
    .await?;
    Ok(web::Json(updated))
}

/// Deletes a task (its runs stay in the history until retention).
#[utoipa::path(operation_id = "tasks_delete", delete, path = "/api/v1/tasks/{id}", tag = "tasks", security(("connect_jwt" = [])),
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 204, description = "Deleted"), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn delete(
    caller: OrgAdmin,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (tenant, who, id) = (
        caller.tenant.client_key.clone(),
        Who::from(&*caller),
        path.into_inner(),
    );
    crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let task = tasks::find_for_update(conn, &tenant, id)?.ok_or_else(not_found)?;
            tasks::delete(conn, &tenant, id)?;
            Ok((
                (),
                Some(note(Kind::TaskDeleted, "Deleted the task", &task, None)),
            ))
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Copies a task as "… (copy)", inactive, acting with the caller's rights (organization admins
/// only); switch it on after checking it.
#[utoipa::path(operation_id = "tasks_duplicate", post, path = "/api/v1/tasks/{id}/duplicate", tag = "tasks", security(("connect_jwt" = [])),
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 201, body = TaskView), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn duplicate(
    caller: OrgAdmin,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (tenant, by, who, id) = (
        caller.tenant.client_key.clone(),
        caller.account_id.clone(),
        Who::from(&*caller),
        path.into_inner(),
    );
    let copy = crate::db::try_run(&state.db, move |conn| {
        let copy_id = in_transaction(conn, &who, |conn| {
            let original = tasks::find(conn, &tenant, id)?.ok_or_else(not_found)?;
            let name: String = format!("{} (copy)", original.name)
                .chars()
                .take(200)
                .collect();
            let fields = tasks::TaskFields {
                name: &name,
                saved_filter_id: original.saved_filter_id,
                actions: &original.actions,
                reason: original.reason.as_deref(),
                schedule: &original.schedule,
                time_zone: &original.time_zone,
                active: false,
                dry_run_only: original.dry_run_only,
                next_run_at: None,
            };
            let task = tasks::create(conn, &tenant, &fields, &by, Utc::now().naive_utc())?;
            let mut note = note(Kind::TaskCreated, "Duplicated a task as", &task, None);
            note.details["duplicateOf"] = id.into();
            Ok((task.id, Some(note)))
        })?;
        view(conn, &tenant, copy_id)
    })
    .await?;
    Ok(HttpResponse::Created().json(copy))
}
