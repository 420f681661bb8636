//! `POST /api/v1/operations/{id}/revert`: preview or start the inverse of a finished operation
//! (restore the suspended, re-add removed groups, re-grant revoked roles), under the same guards.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use orgwarden_jobs::operations::{done_steps, plan_revert};
use orgwarden_store::operations::{self, exemptions, NewOperation, Selection};
use serde::Deserialize;
use utoipa::ToSchema;

use super::types::Preview;
use super::views::OperationView;
use super::{check_license, start};
use crate::access::Writer;
use crate::api::mirror::with_mirror;
use crate::error::{ApiError, ErrorEnvelope};
use crate::error_code::ErrorCode;
use crate::state::AppState;

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
#[utoipa::path(operation_id = "operation_revert_revert", post, path = "/api/v1/operations/{id}/revert", tag = "operations", security(("connect_jwt" = [])), request_body = RevertRequest,
    params(("id" = i64, Path, description = "Operation id")),
    responses((status = 200, body = Preview), (status = 202, body = OperationView), (status = 402, body = ErrorEnvelope), (status = 403, description = "Started by another admin, and the caller is no organization admin (code access_denied)", body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, description = "Not finished yet, or nothing to revert", body = ErrorEnvelope)))]
pub async fn revert(
    caller: Writer,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: web::Json<RevertRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, body) = (path.into_inner(), body.into_inner());
    if body
        .reason
        .as_deref()
        .is_some_and(|r| r.chars().count() > 1000)
    {
        return Err(ApiError::invalid(
            "reason",
            "must be at most 1000 characters",
        ));
    }
    // An operation a limited admin may not read is no operation of theirs to revert (404).
    super::views::load_for(&state, &caller, id).await?;
    let (tenant, by) = (caller.tenant.client_key.clone(), caller.account_id.clone());
    let actor = caller.actor();
    let (acting_as, scope) = (actor.standing, caller.scope_json()?);
    let starter = caller.clone();
    let (touched, preview) = with_mirror(&state, &tenant, move |conn, m| {
        let op = operations::find(conn, &m.tenant_id, id)?
            .ok_or_else(|| ApiError::not_found("No such operation."))?;
        super::check_starter(&starter, &op.requested_by, id, "revert")?;
        if !op.state.is_finished() {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::OperationNotFinished,
                "Wait until the operation has finished (or cancel it) before reverting it.",
            ));
        }
        let done = done_steps(conn, &m.tenant_id, id)?;
        let mut touched: Vec<String> = done.iter().map(|d| d.account_id.clone()).collect();
        touched.dedup();
        let facts = operations::load_facts(conn, &m.tenant_id, m.generation, &touched)?;
        let planned = plan_revert(&done, &facts, &exemptions::set(conn, &m.tenant_id)?, &actor);
        Ok((touched, Preview::new(planned, &["revert"], 0, &facts)))
    })
    .await?;
    let preview = Preview {
        users: touched.len(),
        ..preview
    };
    if body.preview {
        return Ok(HttpResponse::Ok().json(preview));
    }
    if preview.totals.act == 0 {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            ErrorCode::NothingToRevert,
            "The operation changed nothing that can be reverted now.",
        ));
    }
    start(&state, crate::audit_log::Who::from(&*caller), move |conn| {
        if let Some(under_way) = operations::revert_under_way(conn, &tenant, id)? {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::RevertUnderWay,
                format!(
                    "Operation #{under_way} is already reverting operation #{id}: follow it there."
                ),
            )
            .with_details(serde_json::json!({"operationId": under_way})));
        }
        check_license(conn, &tenant)?;
        let selection = serde_json::to_string(&Selection {
            filter: None,
            account_ids: Some(touched),
        })
        .map_err(ApiError::internal)?;
        let reason = body
            .reason
            .unwrap_or_else(|| format!("Revert of operation {id}"));
        let new = NewOperation {
            tenant_id: &tenant,
            actions: "[]",
            reason: Some(&reason),
            selection: &selection,
            requested_by: &by,
            revert_of: Some(id),
            acting_as,
            actor_scope: scope.as_deref(),
        };
        Ok(operations::create(conn, &new, Utc::now().naive_utc())?)
    })
    .await
}
