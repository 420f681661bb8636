//! `/api/v1/operations`: preview, start, list, detail, cancel and revert bulk operations.
//! Starting is refused by the license gate after the grace period; every plan is made by the
//! same guarded planner the job uses.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use orgwarden_jobs::operations::{plan, plan_revert, DoneStep};
use orgwarden_jobs::OperationJob;
use orgwarden_license::LicenseRefusal;
use orgwarden_store::mirror::MirrorState;
use orgwarden_store::operations::{self, exemptions, item_state, op_state, Facts, NewOperation, Selection};
use orgwarden_store::{users, DbConnection};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::mirror::with_mirror;
use super::operation_types::{OperationRequest, OperationView, Preview};
use crate::auth::ApiCaller;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// The license gate: `Err` (402 `license_exceeded`) once the app's license is past its grace
/// period. The one check every operation start goes through.
pub fn check_license(conn: &mut DbConnection, tenant_id: &str) -> Result<(), ApiError> {
    orgwarden_jobs::license_gate(conn, tenant_id, Utc::now())?.map_err(|refusal| {
        ApiError::new(StatusCode::PAYMENT_REQUIRED, LicenseRefusal::CODE, refusal.message.clone()).with_details(serde_json::json!({
            "limit": refusal.limit, "managedUsers": refusal.managed_users, "graceEndedAt": refusal.grace_ended_at,
        }))
    })
}

/// The account ids a selection names, in order and without repeats.
fn resolve(conn: &mut DbConnection, m: &MirrorState, selection: &Selection) -> Result<Vec<String>, ApiError> {
    let ids = match (&selection.filter, &selection.account_ids) {
        (Some(filter), _) => users::matching_account_ids(conn, &m.tenant_id, m.generation, filter, Utc::now().naive_utc())?,
        (None, Some(ids)) => ids.clone(),
        (None, None) => Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    Ok(ids.into_iter().filter(|id| seen.insert(id.clone())).collect())
}

/// Resolves the selection and checks the request against the mirror: `(account ids, facts)`.
fn resolve_checked(conn: &mut DbConnection, m: &MirrorState, request: &OperationRequest) -> Result<(Vec<String>, Facts), ApiError> {
    let ids = resolve(conn, m, &request.selection)?;
    if ids.is_empty() {
        return Err(ApiError::validation("selection: no user matches").with_details(serde_json::json!({"field": "selection"})));
    }
    let facts = operations::load_facts(conn, &m.tenant_id, m.generation, &ids)?;
    request.validate_against(&facts, &operations::site_products(conn, &m.tenant_id, m.generation)?)?;
    Ok((ids, facts))
}

/// What an operation would do, per user and action; nothing changes.
#[utoipa::path(post, path = "/api/v1/operations/preview", tag = "operations", security(("connect_jwt" = [])), request_body = OperationRequest,
    responses((status = 200, body = Preview), (status = 400, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn preview(caller: ApiCaller, state: web::Data<AppState>, body: web::Json<OperationRequest>) -> Result<web::Json<Preview>, ApiError> {
    caller.require_admin()?;
    let request = body.into_inner();
    request.validate()?;
    let preview = with_mirror(&state, &caller.tenant.client_key, move |conn, m| {
        let (ids, facts) = resolve_checked(conn, m, &request)?;
        let planned = plan(&ids, &request.actions, &facts, &exemptions::set(conn, &m.tenant_id)?);
        Ok(Preview::new(planned, ids.len(), &facts))
    })
    .await?;
    Ok(web::Json(preview))
}

/// Records an operation and queues its job (after the commit).
async fn start(state: &AppState, new: impl FnOnce(&mut DbConnection) -> Result<operations::Operation, ApiError> + Send + 'static) -> Result<HttpResponse, ApiError> {
    let db = state.db.clone();
    let op = web::block(move || -> Result<_, ApiError> { new(&mut *db.get()?) }).await??;
    let id = op.id;
    state.jobs.enqueue(OperationJob { operation_id: id }).await.map_err(ApiError::internal)?;
    Ok(HttpResponse::Accepted().json(OperationView::new(op, operations::Counts::default())))
}

/// Starts an operation: `202` with its id and state; follow it with `GET /api/v1/operations/{id}`.
#[utoipa::path(post, path = "/api/v1/operations", tag = "operations", security(("connect_jwt" = [])), request_body = OperationRequest,
    responses((status = 202, body = OperationView), (status = 400, body = ErrorEnvelope), (status = 402, description = "License past its grace period (code license_exceeded)", body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create(caller: ApiCaller, state: web::Data<AppState>, body: web::Json<OperationRequest>) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let request = body.into_inner();
    request.validate()?;
    let (tenant, by) = (caller.tenant.client_key.clone(), caller.account_id.clone());
    let probe = request.clone();
    let ids = with_mirror(&state, &tenant, move |conn, m| Ok(resolve_checked(conn, m, &probe)?.0)).await?;
    start(&state, move |conn| {
        check_license(conn, &tenant)?;
        let selection = Selection { filter: request.selection.filter, account_ids: Some(ids) };
        let (actions, selection) = (serde_json::to_string(&request.actions).map_err(ApiError::internal)?, serde_json::to_string(&selection).map_err(ApiError::internal)?);
        let new = NewOperation { tenant_id: &tenant, actions: &actions, reason: request.reason.as_deref(), selection: &selection, requested_by: &by, revert_of: None };
        Ok(operations::create(conn, &new, Utc::now().naive_utc())?)
    })
    .await
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
    /// How many operations the tenant has.
    pub total: i64,
    /// This page.
    pub page: i64,
    /// Its size.
    pub page_size: i64,
    /// The operations.
    pub items: Vec<OperationView>,
}

/// The tenant's operations, newest first, with their progress.
#[utoipa::path(get, path = "/api/v1/operations", tag = "operations", security(("connect_jwt" = [])), params(ListQuery),
    responses((status = 200, body = OperationPage), (status = 400, body = ErrorEnvelope)))]
pub async fn list(caller: ApiCaller, state: web::Data<AppState>, query: web::Query<ListQuery>) -> Result<web::Json<OperationPage>, ApiError> {
    caller.require_admin()?;
    let (page, page_size) = (query.page.unwrap_or(1), query.page_size.unwrap_or(25));
    if !(1..=1_000_000).contains(&page) {
        return Err(super::operation_types::invalid("page", "must be 1 or more"));
    }
    if !(1..=100).contains(&page_size) {
        return Err(super::operation_types::invalid("pageSize", "must be between 1 and 100"));
    }
    let (db, tenant) = (state.db.clone(), caller.tenant.client_key.clone());
    let result = web::block(move || -> Result<_, ApiError> {
        let mut conn = db.get()?;
        let (ops, total) = operations::list(&mut conn, &tenant, (page - 1) * page_size, page_size)?;
        let mut counts = operations::counts(&mut conn, &tenant, &ops.iter().map(|o| o.id).collect::<Vec<_>>())?;
        let items = ops.into_iter().map(|o| {
            let c = counts.remove(&o.id).unwrap_or_default();
            OperationView::new(o, c)
        });
        Ok(OperationPage { total, page, page_size, items: items.collect() })
    })
    .await??;
    Ok(web::Json(result))
}

/// The tenant's operation `id` with its counts, or 404.
pub(crate) async fn load(state: &AppState, tenant: &str, id: i64) -> Result<OperationView, ApiError> {
    let (db, tenant) = (state.db.clone(), tenant.to_owned());
    web::block(move || -> Result<_, ApiError> {
        let mut conn = db.get()?;
        let op = operations::find(&mut conn, &tenant, id)?.ok_or_else(|| ApiError::not_found("No such operation."))?;
        let counts = operations::counts(&mut conn, &tenant, &[id])?.remove(&id).unwrap_or_default();
        Ok(OperationView::new(op, counts))
    })
    .await?
}

/// One operation with live progress.
#[utoipa::path(get, path = "/api/v1/operations/{id}", tag = "operations", security(("connect_jwt" = [])),
    params(("id" = i64, Path, description = "Operation id")), responses((status = 200, body = OperationView), (status = 404, body = ErrorEnvelope)))]
pub async fn detail(caller: ApiCaller, state: web::Data<AppState>, path: web::Path<i64>) -> Result<web::Json<OperationView>, ApiError> {
    caller.require_admin()?;
    Ok(web::Json(load(&state, &caller.tenant.client_key, path.into_inner()).await?))
}

/// Stops an operation: no new step starts; steps not started are skipped.
#[utoipa::path(post, path = "/api/v1/operations/{id}/cancel", tag = "operations", security(("connect_jwt" = [])),
    params(("id" = i64, Path, description = "Operation id")),
    responses((status = 200, body = OperationView), (status = 404, body = ErrorEnvelope), (status = 409, description = "Already finished (code operation_finished)", body = ErrorEnvelope)))]
pub async fn cancel(caller: ApiCaller, state: web::Data<AppState>, path: web::Path<i64>) -> Result<web::Json<OperationView>, ApiError> {
    caller.require_admin()?;
    let (id, tenant) = (path.into_inner(), caller.tenant.client_key.clone());
    let current = load(&state, &tenant, id).await?;
    if op_state::FINISHED.contains(&current.state.as_str()) {
        return Err(ApiError::new(StatusCode::CONFLICT, "operation_finished", "The operation has already finished."));
    }
    let db = state.db.clone();
    let t = tenant.clone();
    web::block(move || -> Result<_, ApiError> { Ok(operations::request_cancel(&mut *db.get()?, &t, id, Utc::now().naive_utc())?) }).await??;
    Ok(web::Json(load(&state, &tenant, id).await?))
}

/// Preview or start the revert of an operation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevertRequest {
    /// `true`: only show what the revert would do.
    pub preview: bool,
    /// Why (default: "Revert of operation N").
    #[serde(default)]
    pub reason: Option<String>,
}

/// Previews (`preview: true`, 200) or starts (`preview: false`, 202) the inverse of an operation:
/// restore the suspended, re-add removed groups, re-grant revoked roles, under the same guards.
#[utoipa::path(post, path = "/api/v1/operations/{id}/revert", tag = "operations", security(("connect_jwt" = [])), request_body = RevertRequest,
    params(("id" = i64, Path, description = "Operation id")),
    responses((status = 200, body = Preview), (status = 202, body = OperationView), (status = 402, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, description = "Not finished yet, or nothing to revert", body = ErrorEnvelope)))]
pub async fn revert(caller: ApiCaller, state: web::Data<AppState>, path: web::Path<i64>, body: web::Json<RevertRequest>) -> Result<HttpResponse, ApiError> {
    caller.require_admin()?;
    let (id, body) = (path.into_inner(), body.into_inner());
    if body.reason.as_deref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(super::operation_types::invalid("reason", "must be at most 1000 characters"));
    }
    let (tenant, by) = (caller.tenant.client_key.clone(), caller.account_id.clone());
    let (touched, preview) = with_mirror(&state, &tenant, move |conn, m| {
        let op = operations::find(conn, &m.tenant_id, id)?.ok_or_else(|| ApiError::not_found("No such operation."))?;
        if !op_state::FINISHED.contains(&op.state.as_str()) {
            return Err(ApiError::new(StatusCode::CONFLICT, "operation_not_finished", "Wait until the operation has finished (or cancel it) before reverting it."));
        }
        let done: Vec<DoneStep> = operations::all_items(conn, &m.tenant_id, id)?
            .into_iter()
            .filter(|i| i.state == item_state::DONE)
            .map(|i| DoneStep { item_id: i.id, account_id: i.account_id.clone(), seq: i.seq, step: i.step() })
            .collect();
        let mut touched: Vec<String> = done.iter().map(|d| d.account_id.clone()).collect();
        touched.dedup();
        let facts = operations::load_facts(conn, &m.tenant_id, m.generation, &touched)?;
        let planned = plan_revert(&done, &facts, &exemptions::set(conn, &m.tenant_id)?);
        Ok((touched, Preview::new(planned, 0, &facts)))
    })
    .await?;
    let preview = Preview { users: touched.len(), ..preview };
    if body.preview {
        return Ok(HttpResponse::Ok().json(preview));
    }
    if preview.totals.act == 0 {
        return Err(ApiError::new(StatusCode::CONFLICT, "nothing_to_revert", "The operation changed nothing that can be reverted now."));
    }
    start(&state, move |conn| {
        check_license(conn, &tenant)?;
        let selection = serde_json::to_string(&Selection { filter: None, account_ids: Some(touched) }).map_err(ApiError::internal)?;
        let reason = body.reason.unwrap_or_else(|| format!("Revert of operation {id}"));
        let new = NewOperation { tenant_id: &tenant, actions: "[]", reason: Some(&reason), selection: &selection, requested_by: &by, revert_of: Some(id) };
        Ok(operations::create(conn, &new, Utc::now().naive_utc())?)
    })
    .await
}
