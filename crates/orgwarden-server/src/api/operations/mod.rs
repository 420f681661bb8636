//! `/api/v1/operations`: preview, start and cancel bulk operations here; list and detail in
//! `views`, results and a user's history in `results` (the answer written a page of the ledger
//! at a time by `results_file`), a page of steps for the detail page in `steps`, revert in
//! `revert`; the request shapes and their checks in
//! `types` and `limits`, the preview's counting in `preview`, the audit entries in `audit`.
//! Starting is refused by the license gate after the grace period; every plan is made by the
//! same guarded planner the job uses.

mod audit;
mod limits;
pub mod preview;
pub mod results;
pub(crate) mod results_file;
pub mod revert;
pub mod steps;
mod steps_mirror;
pub mod types;
pub mod views;

use std::collections::HashSet;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use orgwarden_ids::TenantId;
use orgwarden_jobs::operations::plan_each;
use orgwarden_jobs::OperationJob;
use orgwarden_store::access::Administered;
use orgwarden_store::mirror::MirrorState;
use orgwarden_store::operations::{self, exemptions, Action, Facts, NewOperation, Selection};
use orgwarden_store::{users, DbConnection};

use self::types::{OperationRequest, Preview};
use self::views::{load, load_for, OperationView};
use super::mirror::with_mirror;
use crate::access::{Reader, Writer};
use crate::audit_log::{in_transaction, Who};
use crate::error::{ApiError, ErrorEnvelope};
use crate::error_code::ErrorCode;
use crate::state::AppState;

/// The license gate: `Err` (402 `license_exceeded`) once the app's license is past its grace
/// period. The one check every operation start goes through.
pub fn check_license(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<(), ApiError> {
    orgwarden_jobs::license_gate(conn, tenant_id, Utc::now())?.map_err(|refusal| {
        ApiError::new(StatusCode::PAYMENT_REQUIRED, ErrorCode::of_license(&refusal), refusal.message.clone()).with_details(serde_json::json!({
            "limit": refusal.limit, "managedUsers": refusal.managed_users, "graceEndedAt": refusal.grace_ended_at,
        }))
    })
}

/// The account ids a selection names, in order and without repeats. A caller limited to what
/// they administer (`within`; their filters are limited already) may name only users they may
/// see, as the user browser shows them, and people with no product access yet (whom they may
/// give theirs).
fn resolve(
    conn: &mut DbConnection,
    m: &MirrorState,
    selection: &Selection,
    within: Option<&[Administered]>,
) -> Result<Vec<String>, ApiError> {
    let ids = match (&selection.filter, &selection.account_ids) {
        (Some(filter), _) => users::matching_account_ids(
            conn,
            &m.tenant_id,
            m.generation,
            filter,
            Utc::now().naive_utc(),
        )?,
        (None, Some(ids)) => {
            if let Some(within) = within {
                let mut visible =
                    users::visible_among(conn, &m.tenant_id, m.generation, within, ids)?;
                visible.extend(users::without_access(
                    conn,
                    &m.tenant_id,
                    m.generation,
                    ids,
                )?);
                refuse_unseen(ids, &visible)?;
            }
            ids.clone()
        }
        (None, None) => Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    Ok(ids
        .into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect())
}

/// 400 naming (up to five of) the `ids` a limited caller may not see.
fn refuse_unseen(ids: &[String], visible: &HashSet<String>) -> Result<(), ApiError> {
    let unseen: Vec<&String> = ids.iter().filter(|id| !visible.contains(*id)).collect();
    if unseen.is_empty() {
        return Ok(());
    }
    let named: Vec<&str> = unseen.iter().take(5).map(|id| id.as_str()).collect();
    Err(ApiError::field(
        "selection.accountIds",
        format!(
            "selection.accountIds: {} of the selected users are not among the users you \
             administer (those with access to a site or product you administer, or with no \
             product access yet, as of the last sync): {}. Select users from the user browser, \
             or ask an organization admin.",
            unseen.len(),
            named.join(", ")
        ),
    ))
}

/// Resolves the selection (as a caller limited to `within` may) and checks the request against
/// the mirror: `(account ids, facts)`.
fn resolve_checked(
    conn: &mut DbConnection,
    m: &MirrorState,
    request: &OperationRequest,
    within: Option<&[Administered]>,
) -> Result<(Vec<String>, Facts), ApiError> {
    let ids = resolve(conn, m, &request.selection, within)?;
    if ids.is_empty() {
        return Err(ApiError::field("selection", "selection: no user matches"));
    }
    let products = operations::site_products(conn, &m.tenant_id, m.generation)?;
    request.check_plan_size(ids.len(), products.len())?;
    let facts = operations::load_facts(conn, &m.tenant_id, m.generation, &ids)?;
    request.validate_against(&facts, &products)?;
    Ok((ids, facts))
}

/// What an operation would do, per user and action; nothing changes.
#[utoipa::path(operation_id = "operations_preview", post, path = "/api/v1/operations/preview", tag = "operations", security(("connect_jwt" = [])), request_body = OperationRequest,
    responses((status = 200, body = Preview), (status = 400, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn preview(
    caller: Reader,
    state: web::Data<AppState>,
    body: web::Json<OperationRequest>,
) -> Result<web::Json<Preview>, ApiError> {
    let mut request = body.into_inner();
    request.validate()?;
    request.dedup();
    request.selection.filter = request.selection.filter.map(|f| caller.limit(f));
    let (actor, within) = (caller.actor(), caller.access.scope.clone());
    let preview = with_mirror(&state, &caller.tenant.client_key, move |conn, m| {
        let (ids, facts) = resolve_checked(conn, m, &request, within.as_deref())?;
        let kinds: Vec<&str> = request.actions.iter().map(Action::kind).collect();
        // Counted step by step: the plan itself is never held whole.
        let mut preview = Preview::empty(&kinds, ids.len());
        let exempt = exemptions::set(conn, &m.tenant_id)?;
        plan_each(&ids, &request.actions, &facts, &exempt, &actor, |item| {
            preview.add(item, &facts);
        });
        Ok(preview)
    })
    .await?;
    Ok(web::Json(preview))
}

/// Records an operation and queues its job (after the commit).
pub(crate) async fn start(
    state: &AppState,
    who: Who,
    new: impl FnOnce(&mut DbConnection) -> Result<operations::Operation, ApiError> + Send + 'static,
) -> Result<HttpResponse, ApiError> {
    let op = crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let op = new(conn)?;
            let note = self::audit::created(&op);
            Ok((op, Some(note)))
        })
    })
    .await?;
    let id = op.id;
    state
        .jobs
        .enqueue(OperationJob { operation_id: id })
        .await
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Accepted().json(OperationView::new(op, operations::Counts::default())))
}

/// Starts an operation: `202` with its id and state; follow it with `GET /api/v1/operations/{id}`.
#[utoipa::path(operation_id = "operations_create", post, path = "/api/v1/operations", tag = "operations", security(("connect_jwt" = [])), request_body = OperationRequest,
    responses((status = 202, body = OperationView), (status = 400, body = ErrorEnvelope), (status = 402, description = "License past its grace period (code license_exceeded)", body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create(
    caller: Writer,
    state: web::Data<AppState>,
    body: web::Json<OperationRequest>,
) -> Result<HttpResponse, ApiError> {
    let mut request = body.into_inner();
    request.validate()?;
    request.dedup();
    request.selection.filter = request.selection.filter.map(|f| caller.limit(f));
    let (tenant, by) = (caller.tenant.client_key.clone(), caller.account_id.clone());
    let (acting_as, scope) = (caller.actor().standing, caller.scope_json()?);
    let (probe, within) = (request.clone(), caller.access.scope.clone());
    let ids = with_mirror(&state, &tenant, move |conn, m| {
        Ok(resolve_checked(conn, m, &probe, within.as_deref())?.0)
    })
    .await?;
    start(&state, Who::from(&*caller), move |conn| {
        check_license(conn, &tenant)?;
        let selection = Selection {
            filter: request.selection.filter,
            account_ids: Some(ids),
        };
        let (actions, selection) = (
            serde_json::to_string(&request.actions).map_err(ApiError::internal)?,
            serde_json::to_string(&selection).map_err(ApiError::internal)?,
        );
        let new = NewOperation {
            tenant_id: &tenant,
            actions: &actions,
            reason: request.reason.as_deref(),
            selection: &selection,
            requested_by: &by,
            revert_of: None,
            acting_as,
            actor_scope: scope.as_deref(),
        };
        Ok(operations::create(conn, &new, Utc::now().naive_utc())?)
    })
    .await
}

/// Only the admin who started operation `id` (`requested_by`), or an organization admin, may
/// `verb` it (cancel, revert): 403 `access_denied` for anyone else.
pub(crate) fn check_starter(
    caller: &crate::access::Caller,
    requested_by: &str,
    id: i64,
    verb: &str,
) -> Result<(), ApiError> {
    if caller.is_org_admin() || caller.account_id.as_str() == requested_by {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::FORBIDDEN,
        ErrorCode::AccessDenied,
        format!(
            "Only the admin who started operation {id}, or an organization admin, can {verb} it."
        ),
    ))
}

/// Stops an operation: no new step starts; steps not started are skipped.
#[utoipa::path(operation_id = "operations_cancel", post, path = "/api/v1/operations/{id}/cancel", tag = "operations", security(("connect_jwt" = [])),
    params(("id" = i64, Path, description = "Operation id")),
    responses((status = 200, body = OperationView), (status = 403, description = "Started by another admin, and the caller is no organization admin (code access_denied)", body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, description = "Already finished (code operation_finished)", body = ErrorEnvelope)))]
pub async fn cancel(
    caller: Writer,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<web::Json<OperationView>, ApiError> {
    let (id, tenant) = (path.into_inner(), caller.tenant.client_key.clone());
    let current = load_for(&state, &caller, id).await?;
    check_starter(&caller, &current.requested_by, id, "cancel")?;
    if current.state.is_finished() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            ErrorCode::OperationFinished,
            "The operation has already finished.",
        ));
    }
    let (t, who) = (tenant.clone(), Who::from(&*caller));
    crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let asked = operations::request_cancel(conn, &t, id, Utc::now().naive_utc())?;
            Ok(((), asked.map(|_| self::audit::cancelled(id))))
        })
    })
    .await?;
    Ok(web::Json(load(&state, &tenant, id).await?))
}
