//! A task's runs: start one now (`{dryRun}`), list them, read one with its per-user results,
//! and preview who a task would touch now.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use orgwarden_jobs::operations::plan_each;
use orgwarden_jobs::tasks::{run_note, start_run, RunKind};
use orgwarden_jobs::OperationJob;
use orgwarden_store::audit::Kind;
use orgwarden_store::operations::{self, exemptions, Outcome, RunState};
use orgwarden_store::saved_filters;
use orgwarden_store::tasks;
use orgwarden_store::users::{self, Filter};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use super::mirror::with_mirror;
use super::operations::results_file::{self, file_chunks, Form};
use super::operations::types::validate_actions;
use super::task_types::{
    PreviewUser, RunRequest, RunStarted, TaskPreview, TaskPreviewRequest, TaskRunDetail,
    TaskRunPage, TaskRunView,
};
use crate::access::{OrgAdmin, WholeReader};
use crate::audit_log::{in_transaction, Note, Who};
use crate::error::{ApiError, ErrorEnvelope};
use crate::error_code::ErrorCode;
use crate::state::AppState;

/// How many of a task's newest runs are looked at for one still under way.
const ACTIVE_RUNS_CHECKED: i64 = 10;

/// Users named in a preview's sample.
const SAMPLE: usize = 10;
/// Runs listed per task.
const RUNS_LISTED: i64 = 100;

/// Starts a run now, acting with the rights of the admin who last saved the task (organization
/// admins only); `dryRun` plans and records without changing anything. Follow it with
/// `GET /api/v1/tasks/{id}/runs/{processId}`.
#[utoipa::path(operation_id = "task_runs_run", post, path = "/api/v1/tasks/{id}/run", tag = "tasks", security(("connect_jwt" = [])), request_body = RunRequest,
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 202, body = RunStarted), (status = 400, description = "The body is not a run request (code invalid_json); send none for a real run", body = ErrorEnvelope), (status = 415, description = "A body not sent as application/json (code unsupported_media_type)", body = ErrorEnvelope), (status = 402, description = "License past its grace period (code license_exceeded)", body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, description = "A run of the task is still queued or running (code task_running)", body = ErrorEnvelope)))]
pub async fn run(
    caller: OrgAdmin,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let dry_run = super::optional_body::json_or_default::<RunRequest>(&req, &body)?.dry_run;
    let (tenant, who, id) = (
        caller.tenant.client_key.clone(),
        Who::from(&*caller),
        path.into_inner(),
    );
    let op = crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            // Locked, so that a second request (a double click) waits and then sees this run.
            let task = tasks::find_for_update(conn, &tenant, id)?
                .ok_or_else(|| ApiError::not_found("No such task."))?;
            if let Some(active) = tasks::runs_of(conn, &tenant, id, ACTIVE_RUNS_CHECKED)?
                .into_iter()
                .find(|op| !op.state.is_finished())
            {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    ErrorCode::TaskRunning,
                    format!(
                        "A run of \u{201c}{}\u{201d} is still {} (operation #{}): wait for it to end, or cancel it.",
                        task.name,
                        active.state.as_str(),
                        active.id
                    ),
                )
                .with_details(serde_json::json!({"operationId": active.id})));
            }
            if !dry_run && !task.dry_run_only {
                super::operations::check_license(conn, &tenant)?;
            }
            let kind = RunKind {
                dry_run,
                late: false,
            };
            let op = start_run(conn, &task, kind, Utc::now().naive_utc())?;
            let (summary, details) = run_note(&task, &op);
            Ok((op, Some(Note::new(Kind::TaskRun, summary, details))))
        })
    })
    .await?;
    orgwarden_jobs::metrics::task_run_started(&op, false);
    if op.state == RunState::Queued {
        state
            .jobs
            .enqueue(OperationJob {
                operation_id: op.id,
            })
            .await
            .map_err(ApiError::internal)?;
    }
    Ok(HttpResponse::Accepted().json(RunStarted {
        process_id: op.process_id.unwrap_or_default(),
    }))
}

/// A task's runs, newest first (the latest 100).
#[utoipa::path(operation_id = "task_runs_list", get, path = "/api/v1/tasks/{id}/runs", tag = "tasks", security(("connect_jwt" = [])),
    params(("id" = i64, Path, description = "Task id")), responses((status = 200, body = TaskRunPage), (status = 403, description = "An admin confined to what they administer (code access_denied)", body = ErrorEnvelope)))]
pub async fn runs(
    caller: WholeReader,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<web::Json<TaskRunPage>, ApiError> {
    let (tenant, id) = (caller.tenant.client_key.clone(), path.into_inner());
    let items = crate::db::try_run(&state.db, move |conn| {
        let ops = tasks::runs_of(conn, &tenant, id, RUNS_LISTED)?;
        let mut counts =
            operations::counts(conn, &tenant, &ops.iter().map(|o| o.id).collect::<Vec<_>>())?;
        Ok(ops
            .iter()
            .map(|op| TaskRunView::new(op, &counts.remove(&op.id).unwrap_or_default()))
            .collect())
    })
    .await?;
    Ok(web::Json(TaskRunPage { items }))
}

/// Whether a run's detail lists its steps.
#[derive(Deserialize, IntoParams)]
pub struct RunDetailQuery {
    /// `false`: the run and its counts without the steps (default `true`).
    pub results: Option<bool>,
}

/// One run with every step's outcome (as operation results; a dry run's are `wouldAct` or
/// `skip`), or without them (`results=false`; pages of them are
/// `GET /api/v1/operations/{operationId}/steps`). The CSV is
/// `GET /api/v1/operations/{operationId}/results?format=csv`.
#[utoipa::path(operation_id = "task_runs_detail", get, path = "/api/v1/tasks/{id}/runs/{processId}", tag = "tasks", security(("connect_jwt" = [])),
    params(("id" = i64, Path, description = "Task id"), ("processId" = String, Path, description = "Run id (UUID)"), RunDetailQuery),
    responses((status = 200, body = TaskRunDetail), (status = 403, description = "An admin confined to what they administer (code access_denied)", body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn detail(
    caller: WholeReader,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
    query: web::Query<RunDetailQuery>,
) -> Result<HttpResponse, ApiError> {
    let (tenant, (task_id, process_id)) = (caller.tenant.client_key.clone(), path.into_inner());
    let with_results = query.results.unwrap_or(true);
    // The steps written a page of the ledger at a time, as an operation's results are.
    let (head, steps) = crate::db::try_run(&state.db, move |conn| {
        let op = tasks::find_run(conn, &tenant, task_id, &process_id)?
            .ok_or_else(|| ApiError::not_found("No such run of this task."))?;
        let counts = operations::counts(conn, &tenant, &[op.id])?
            .remove(&op.id)
            .unwrap_or_default();
        let head = RunHead {
            task_id,
            run: TaskRunView::new(&op, &counts),
        };
        if !with_results {
            return Ok((head, None));
        }
        let form = Form::Json {
            head: serde_json::to_vec(&head).map_err(ApiError::internal)?,
            key: "results",
            dry_run: op.dry_run,
        };
        let (file, _) = results_file::write(conn, &tenant, op.id, None, form)?;
        Ok((head, Some(file)))
    })
    .await?;
    Ok(match steps {
        Some(file) => HttpResponse::Ok()
            .content_type("application/json")
            .streaming(file_chunks(tokio::fs::File::from_std(file))),
        None => HttpResponse::Ok().json(head),
    })
}

/// What a run's detail ([`TaskRunDetail`]) says before its results.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunHead {
    task_id: i64,
    #[serde(flatten)]
    run: TaskRunView,
}

/// Who a task would touch if it ran now: its saved filter evaluated and its actions planned
/// with the guards, as the caller may see them; nothing changes.
#[utoipa::path(operation_id = "task_runs_preview", post, path = "/api/v1/tasks/preview", tag = "tasks", security(("connect_jwt" = [])), request_body = TaskPreviewRequest,
    responses((status = 200, body = TaskPreview), (status = 400, body = ErrorEnvelope), (status = 403, description = "An admin confined to what they administer (code access_denied)", body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn preview(
    caller: WholeReader,
    state: web::Data<AppState>,
    body: web::Json<TaskPreviewRequest>,
) -> Result<web::Json<TaskPreview>, ApiError> {
    let request = body.into_inner();
    validate_actions(&request.actions, None)?;
    let probe = request.as_operation();
    let actor = caller.actor();
    let preview = with_mirror(&state, &caller.tenant.client_key, move |conn, m| {
        let saved = saved_filters::find(conn, &m.tenant_id, request.saved_filter_id)?
            .ok_or_else(|| ApiError::invalid("savedFilterId", "no such saved filter"))?;
        let filter: Filter = serde_json::from_str(&saved.filter).map_err(ApiError::internal)?;
        let ids = users::matching_account_ids(
            conn,
            &m.tenant_id,
            m.generation,
            &filter,
            Utc::now().naive_utc(),
        )?;
        let products = operations::site_products(conn, &m.tenant_id, m.generation)?;
        probe.check_plan_size(ids.len(), products.len())?;
        let facts = operations::load_facts(conn, &m.tenant_id, m.generation, &ids)?;
        probe.validate_against(&facts, &products)?;
        // Counted step by step: the plan itself is never held whole.
        let (mut act, mut skip, mut touched) = (0, 0, std::collections::BTreeSet::new());
        let exempt = exemptions::set(conn, &m.tenant_id)?;
        plan_each(&ids, &request.actions, &facts, &exempt, &actor, |p| {
            if p.outcome == Outcome::Act {
                act += 1;
                touched.insert(p.account_id);
            } else {
                skip += 1;
            }
        });
        let mut sample: Vec<PreviewUser> = touched
            .iter()
            .filter_map(|id| facts.users.get(id))
            .map(|u| PreviewUser {
                account_id: u.account_id.clone(),
                name: u.name.clone(),
            })
            .collect();
        sample.sort_by(|a, b| {
            a.name
                .cmp(&b.name)
                .then_with(|| a.account_id.cmp(&b.account_id))
        });
        sample.truncate(SAMPLE);
        Ok(TaskPreview {
            total: touched.len(),
            matched: ids.len(),
            act,
            skip,
            sample,
        })
    })
    .await?;
    Ok(web::Json(preview))
}
