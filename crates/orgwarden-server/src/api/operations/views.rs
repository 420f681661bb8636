//! Operations as the API shows them: the view with live progress, the list and the detail.

use actix_web::web;
use chrono::{DateTime, Utc};
use orgwarden_ids::TenantId;
use orgwarden_store::operations::{self, Action, Counts, Operation, RunState};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::steps_mirror::StepsMirror;
use crate::access::{Caller, Reader};
use crate::db;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// Progress of an operation's ledger.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Steps in the ledger (0 until planned).
    pub total: i64,
    /// Done.
    pub done: i64,
    /// Skipped (by plan or cancel).
    pub skipped: i64,
    /// Failed.
    pub failed: i64,
    /// Not finished yet (pending or in flight).
    pub pending: i64,
    /// Of which in flight now.
    pub in_flight: i64,
    /// A dry run's steps that would have changed something (nothing was executed).
    pub would_act: i64,
}

/// An operation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OperationView {
    /// Operation id.
    pub id: i64,
    /// Where it is, or how it ended.
    pub state: RunState,
    /// What it is doing now.
    pub phase: String,
    /// Ledger counts.
    pub progress: Progress,
    /// The actions (empty for a revert).
    pub actions: Vec<Action>,
    /// Why.
    pub reason: Option<String>,
    /// Account id of the admin who started it.
    pub requested_by: String,
    /// When it was requested.
    pub created_at: DateTime<Utc>,
    /// When a worker took it.
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
    /// For a revert: the operation it undoes.
    pub revert_of: Option<i64>,
    /// Why the operation itself failed.
    pub error: Option<String>,
    /// A dry run: planned and recorded, nothing executed.
    pub dry_run: bool,
    /// For a task's run: the task.
    pub task_id: Option<i64>,
    /// For a task's run: its process id (`GET /api/v1/tasks/{taskId}/runs/{processId}`).
    pub process_id: Option<String>,
}

impl OperationView {
    /// The view of a row with its ledger counts.
    pub fn new(op: Operation, counts: Counts) -> Self {
        Self {
            id: op.id,
            state: op.state,
            phase: op.phase,
            progress: Progress {
                total: counts.total(),
                done: counts.done,
                skipped: counts.skipped,
                failed: counts.failed,
                pending: counts.pending + counts.in_flight,
                in_flight: counts.in_flight,
                would_act: counts.would_act,
            },
            actions: serde_json::from_str(&op.actions).unwrap_or_default(),
            reason: op.reason,
            requested_by: op.requested_by,
            created_at: op.created_at.and_utc(),
            started_at: op.started_at.map(|t| t.and_utc()),
            finished_at: op.finished_at.map(|t| t.and_utc()),
            revert_of: op.revert_of,
            error: op.error,
            dry_run: op.dry_run,
            task_id: op.task_id,
            process_id: op.process_id,
        }
    }
}

/// A page of operations.
#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    /// Page from 1 (default 1).
    pub page: Option<i64>,
    /// 1–100 (default 25).
    pub page_size: Option<i64>,
}

/// Operations, newest first.
#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OperationPage {
    /// How many operations the list holds (a limited admin's: those they started).
    pub total: i64,
    /// This page.
    pub page: i64,
    /// Its size.
    pub page_size: i64,
    /// The operations.
    pub items: Vec<OperationView>,
}

/// The tenant's operations, newest first, with their progress; an admin limited to what they
/// administer lists only the operations they started.
#[utoipa::path(operation_id = "operation_views_list", get, path = "/api/v1/operations", tag = "operations", security(("connect_jwt" = [])), params(ListQuery),
    responses((status = 200, body = OperationPage), (status = 400, body = ErrorEnvelope)))]
pub async fn list(
    caller: Reader,
    state: web::Data<AppState>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<OperationPage>, ApiError> {
    let (page, page_size) = (query.page.unwrap_or(1), query.page_size.unwrap_or(25));
    if !(1..=1_000_000).contains(&page) {
        return Err(ApiError::invalid("page", "must be 1 or more"));
    }
    if !(1..=100).contains(&page_size) {
        return Err(ApiError::invalid("pageSize", "must be between 1 and 100"));
    }
    let (db, tenant) = (state.db.clone(), caller.tenant.client_key.clone());
    let mine = caller
        .access
        .scope
        .is_some()
        .then(|| caller.account_id.to_string());
    let result = db::try_run(&db, move |conn| -> Result<_, ApiError> {
        let offset = (page - 1) * page_size;
        let (ops, total) = operations::list(conn, &tenant, mine.as_deref(), offset, page_size)?;
        let mut counts =
            operations::counts(conn, &tenant, &ops.iter().map(|o| o.id).collect::<Vec<_>>())?;
        let items = ops.into_iter().map(|o| {
            let c = counts.remove(&o.id).unwrap_or_default();
            OperationView::new(o, c)
        });
        Ok(OperationPage {
            total,
            page,
            page_size,
            items: items.collect(),
        })
    })
    .await?;
    Ok(web::Json(result))
}

/// The tenant's operation `id` with its counts, or 404.
pub(crate) async fn load(
    state: &AppState,
    tenant: &TenantId,
    id: i64,
) -> Result<OperationView, ApiError> {
    let tenant = tenant.to_owned();
    db::try_run(&state.db, move |conn| -> Result<_, ApiError> {
        let op = operations::find(conn, &tenant, id)?.ok_or_else(no_such_operation)?;
        let counts = operations::counts(conn, &tenant, &[id])?
            .remove(&id)
            .unwrap_or_default();
        Ok(OperationView::new(op, counts))
    })
    .await
}

/// The operation `id` as `caller` may read it, or 404. An admin limited to what they administer
/// reads an operation another admin started only when it has steps they may see (of users they
/// see, on places they administer), and its progress then counts those steps only.
pub(crate) async fn load_for(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<OperationView, ApiError> {
    let Some(within) = caller.access.scope.clone() else {
        return load(state, &caller.tenant.client_key, id).await;
    };
    let (tenant, me) = (caller.tenant.client_key.clone(), caller.account_id.clone());
    db::try_run(&state.db, move |conn| -> Result<_, ApiError> {
        let op = operations::find(conn, &tenant, id)?.ok_or_else(no_such_operation)?;
        let counts = if op.requested_by == me.as_str() {
            operations::counts(conn, &tenant, &[id])?
                .remove(&id)
                .unwrap_or_default()
        } else {
            let seen =
                StepsMirror::read(conn, &tenant, Some(&within))?.shown_counts(conn, &tenant, id)?;
            if seen.total() == 0 {
                return Err(no_such_operation());
            }
            seen
        };
        Ok(OperationView::new(op, counts))
    })
    .await
}

pub(crate) fn no_such_operation() -> ApiError {
    ApiError::not_found("No such operation.")
}

/// One operation with live progress; an admin limited to what they administer reads another
/// admin's operation only when it has steps for users they see, its progress counting those.
#[utoipa::path(operation_id = "operation_views_detail", get, path = "/api/v1/operations/{id}", tag = "operations", security(("connect_jwt" = [])),
    params(("id" = i64, Path, description = "Operation id")), responses((status = 200, body = OperationView), (status = 404, body = ErrorEnvelope)))]
pub async fn detail(
    caller: Reader,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<web::Json<OperationView>, ApiError> {
    Ok(web::Json(
        load_for(&state, &caller, path.into_inner()).await?,
    ))
}
