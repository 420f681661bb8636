//! What operations did: `GET /api/v1/operations/{id}/results` (JSON or CSV) and a user's
//! history, `GET /api/v1/users/{accountId}/history`.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use orgwarden_ids::AccountId;
use orgwarden_ids::TenantId;
use orgwarden_store::access::Administered;
use orgwarden_store::operations::{self, Item, Step};
use orgwarden_store::users::{self, Filter, Named};
use orgwarden_store::{DbConnection, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use utoipa::{IntoParams, ToSchema};

use super::results_file::{self, file_chunks, Form};
use super::views::OperationView;
use crate::access::Reader;
use crate::api::result_outcome::ResultOutcome;
use crate::audit_log::{downloaded, record_alone, Who};
use crate::db;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// One step of an operation and how it ended.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResultItem {
    /// Account id.
    pub account_id: String,
    /// The user's display name in the published mirror (absent once the user is gone from it).
    pub name: Option<String>,
    /// The user's email in the published mirror, when visible.
    pub email: Option<String>,
    /// The requested action's `type` (`revert` for reverts).
    pub action: String,
    /// Index of the requested action.
    pub action_index: i32,
    /// The concrete change.
    #[serde(flatten)]
    pub step: Step,
    /// Where the step is in the ledger (a task's dry run: `wouldAct` or `skip`).
    pub outcome: ResultOutcome,
    /// What it did, or why it was skipped.
    pub reason: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// API attempts started.
    pub attempts: i32,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl ResultItem {
    /// The item, with its user's name and email from `names` when the mirror holds them.
    pub(super) fn new(item: Item, names: &HashMap<String, Named>) -> Self {
        let named = names.get(item.account_id.as_str());
        Self {
            step: item.step(),
            name: named.map(|n| n.name.clone()),
            email: named.and_then(|n| n.email.clone()),
            account_id: String::from(item.account_id),
            action: item.action,
            action_index: item.action_index,
            outcome: ResultOutcome::State(item.state),
            reason: item.reason,
            error: item.error,
            attempts: item.attempts,
            updated_at: item.updated_at.and_utc(),
        }
    }
}

/// An operation and every step's outcome.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OperationResults {
    /// The operation: id, who, when, reason, actions, progress.
    pub operation: OperationView,
    /// Per user and action, the outcome.
    pub items: Vec<ResultItem>,
}

/// `format=json` (default) or `format=csv`.
#[derive(Deserialize, IntoParams)]
pub struct ResultsQuery {
    /// `json` or `csv`.
    pub format: Option<String>,
}

/// Every step of an operation with its outcome, as JSON or as a CSV download.
#[utoipa::path(operation_id = "operation_results_results", get, path = "/api/v1/operations/{id}/results", tag = "operations", security(("connect_jwt" = [])),
    params(("id" = i64, Path, description = "Operation id"), ResultsQuery),
    responses((status = 200, body = OperationResults, description = "JSON, or text/csv with format=csv"), (status = 404, body = ErrorEnvelope)))]
pub async fn results(
    caller: Reader,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    query: web::Query<ResultsQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::invalid("format", "must be json or csv")),
    };
    let id = path.into_inner();
    let operation = super::views::load_for(&state, &caller, id).await?;
    let (db, tenant, within) = (
        state.db.clone(),
        caller.tenant.client_key.clone(),
        caller.access.scope.clone(),
    );
    // Written to a temporary file off the async workers a page of the ledger at a time, then
    // streamed from it: up to 300,000 steps, and the CSV repeats the operation's columns on
    // every row (hundreds of megabytes).
    let (file, rows) = db::try_run(&db, move |conn| {
        let form = if csv {
            Form::Csv(&operation)
        } else {
            let head = serde_json::to_vec(&serde_json::json!({ "operation": operation }))
                .map_err(ApiError::internal)?;
            Form::Json {
                head,
                key: "items",
                dry_run: false,
            }
        };
        results_file::write(conn, &tenant, id, within.as_deref(), form)
    })
    .await?;
    let answer = if csv {
        let selection = serde_json::json!({"operationId": id});
        let note = downloaded("operationResults", &selection, Some(rows), "csv");
        record_alone(&state.db, Who::from(&*caller), note).await?;
        HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"operation-{id}.csv\""),
            ))
            .streaming(file_chunks(tokio::fs::File::from_std(file)))
    } else {
        HttpResponse::Ok()
            .content_type("application/json")
            .streaming(file_chunks(tokio::fs::File::from_std(file)))
    };
    Ok(answer)
}

/// True when a caller limited to what they administer (`within`; `None`: the organization) may
/// see a step on `site` and `product`: a step on a product of a site they administer, or one
/// with no product (a status or a group membership, which their users' rows show too).
pub(crate) fn place_shown(
    within: Option<&[Administered]>,
    site: Option<&str>,
    product: Option<&str>,
) -> bool {
    match (within, site, product) {
        (Some(within), Some(site), Some(product)) => {
            Administered::any_covers(within, site, product)
        }
        _ => true,
    }
}

/// True when a caller limited to what they administer (`within`; `None`: the organization) may
/// see the user `account_id`: one with access to something they administer, as of the last
/// sync, as the user browser shows them.
fn sees_user(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    within: Option<&[Administered]>,
    account_id: &str,
) -> Result<bool, StoreError> {
    let Some(within) = within else {
        return Ok(true);
    };
    let seen = orgwarden_store::snapshot::in_published(conn, tenant_id, |conn, m| {
        users::visible_among(
            conn,
            tenant_id,
            m.generation,
            within,
            &[account_id.to_owned()],
        )
    })?;
    Ok(seen.is_some_and(|seen| !seen.is_empty()))
}

/// The users a caller limited to what they administer (`within`) may see in mirror generation
/// `generation` (inside a snapshot of it); `None` for a caller who sees the whole organization.
pub(crate) fn visible_in(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
    within: Option<&[Administered]>,
) -> Result<Option<HashSet<String>>, StoreError> {
    let Some(within) = within else {
        return Ok(None);
    };
    let filter = Filter {
        within: Some(within.to_vec()),
        ..Filter::default()
    };
    let now = Utc::now().naive_utc();
    let ids = users::matching_account_ids(conn, tenant_id, generation, &filter, now)?;
    Ok(Some(ids.into_iter().collect()))
}

/// The names of these users in the tenant's published mirror (none before the first sync).
fn names_in_mirror(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    ids: &[String],
) -> Result<HashMap<String, Named>, StoreError> {
    let names = orgwarden_store::snapshot::in_published(conn, tenant_id, |conn, m| {
        users::names_of(conn, &m.tenant_id, m.generation, ids)
    })?;
    Ok(names.unwrap_or_default())
}

/// One change (or skip) an operation made for a user.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// Operation id.
    pub operation_id: i64,
    /// Who started the operation.
    pub requested_by: String,
    /// The operation's reason.
    pub operation_reason: Option<String>,
    /// For a revert: the operation it undid.
    pub revert_of: Option<i64>,
    /// For a task run: the task (`/api/v1/tasks/{taskId}/runs/{processId}`).
    pub task_id: Option<i64>,
    /// For a task run: the run's id.
    pub process_id: Option<String>,
    /// A dry run: the step was only planned (`would_act` or `skipped`).
    pub dry_run: bool,
    /// The step and its outcome.
    #[serde(flatten)]
    pub item: ResultItem,
}

/// How many entries.
#[derive(Deserialize, IntoParams)]
pub struct HistoryQuery {
    /// 1–500 (default 100).
    pub limit: Option<i64>,
}

/// What operations and task runs did to one user, newest first.
#[utoipa::path(operation_id = "operation_results_history", get, path = "/api/v1/users/{accountId}/history", tag = "users", security(("connect_jwt" = [])),
    params(("accountId" = String, Path, description = "Atlassian account id"), HistoryQuery),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 400, body = ErrorEnvelope), (status = 404, description = "A user outside what a limited admin administers", body = ErrorEnvelope)))]
pub async fn history(
    caller: Reader,
    state: web::Data<AppState>,
    path: web::Path<AccountId>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<Vec<HistoryEntry>>, ApiError> {
    let limit = query.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be between 1 and 500"));
    }
    let (db, tenant, account_id, within) = (
        state.db.clone(),
        caller.tenant.client_key.clone(),
        path.into_inner(),
        caller.access.scope.clone(),
    );
    let entries = db::try_run(&db, move |conn| -> Result<_, ApiError> {
        if !sees_user(conn, &tenant, within.as_deref(), account_id.as_str())? {
            return Err(ApiError::not_found(
                "No such user in the organization (as of the last sync).",
            ));
        }
        let mut items = operations::items_of_user(conn, &tenant, &account_id, limit)?;
        items.retain(|i| {
            place_shown(
                within.as_deref(),
                i.site_id.as_deref(),
                i.product_key.as_deref(),
            )
        });
        let names = names_in_mirror(conn, &tenant, &[account_id.to_string()])?;
        let mut ops: HashMap<i64, Option<operations::Operation>> = HashMap::new();
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if let std::collections::hash_map::Entry::Vacant(slot) = ops.entry(item.operation_id) {
                slot.insert(operations::find(conn, &tenant, item.operation_id)?);
            }
            let Some(Some(op)) = ops.get(&item.operation_id) else {
                continue;
            };
            out.push(HistoryEntry {
                operation_id: op.id,
                requested_by: op.requested_by.clone(),
                operation_reason: op.reason.clone(),
                revert_of: op.revert_of,
                task_id: op.task_id,
                process_id: op.process_id.clone(),
                dry_run: op.dry_run,
                item: ResultItem::new(item, &names),
            });
        }
        Ok(out)
    })
    .await?;
    Ok(web::Json(entries))
}
