//! `POST /api/v1/sync`, `GET /api/v1/sync`, `GET /api/v1/sync/runs`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use orgwarden_ids::TenantId;
use orgwarden_jobs::{request_sync, SyncJob, SyncKind};
use orgwarden_store::sync_runs::{self, SyncMode, SyncRun, SyncRunState};
use orgwarden_store::{mirror, org_connections};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::access::{Reader, Writer};
use crate::db;
use crate::error::{ApiError, ErrorEnvelope};
use crate::error_code::ErrorCode;
use crate::state::AppState;

/// Counts of a sync.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncCounts {
    /// Users written.
    pub users: i64,
    /// Groups written.
    pub groups: i64,
    /// Sites written.
    pub sites: i64,
}

/// A sync run.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// Run id.
    pub id: i64,
    /// Why it runs.
    pub kind: SyncKind,
    /// Where it is, or how it ended.
    pub state: SyncRunState,
    /// What it is doing (`sites`, `users and groups`, `publishing`, `done`, …).
    pub phase: String,
    /// Progress counts.
    pub counts: SyncCounts,
    /// Admin API requests sent.
    pub requests: i64,
    /// What it read and wrote: `full` (every user, into a new mirror), `incremental` (what the
    /// organization's events named since the last sync) or `partial` (given users).
    pub mode: SyncMode,
    /// Mirror rows it inserted or deleted.
    pub rows_written: i64,
    /// When it was requested.
    pub created_at: DateTime<Utc>,
    /// When it started.
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
    /// Why it failed, and what to do.
    pub error: Option<String>,
    /// When the mirror the app shows was last completed.
    pub synced_at: Option<DateTime<Utc>>,
}

impl SyncStatus {
    fn new(run: SyncRun, synced_at: Option<DateTime<Utc>>) -> Self {
        Self {
            id: run.id,
            kind: run.kind,
            state: run.state,
            phase: run.phase,
            counts: SyncCounts {
                users: run.users,
                groups: run.groups,
                sites: run.sites,
            },
            requests: run.requests,
            mode: run.mode,
            rows_written: run.rows_written,
            created_at: run.created_at.and_utc(),
            started_at: run.started_at.map(|t| t.and_utc()),
            finished_at: run.finished_at.map(|t| t.and_utc()),
            error: run.error,
            synced_at,
        }
    }
}

/// Starts a manual sync, or returns the one already queued or running.
#[utoipa::path(operation_id = "sync_start", post, path = "/api/v1/sync", tag = "sync", security(("connect_jwt" = [])),
    responses((status = 202, body = SyncStatus), (status = 409, description = "No API key saved", body = ErrorEnvelope)))]
pub async fn start(caller: Writer, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let run = start_sync(
        &state,
        &caller.tenant.client_key,
        SyncKind::Manual,
        Some(&caller.account_id),
    )
    .await?;
    Ok(HttpResponse::Accepted().json(run))
}

/// Records a sync and enqueues its job when it is new (after the commit).
pub async fn start_sync(
    state: &AppState,
    tenant_id: &TenantId,
    kind: SyncKind,
    requested_by: Option<&str>,
) -> Result<SyncStatus, ApiError> {
    let db = state.db.clone();
    let (tenant, by) = (tenant_id.to_owned(), requested_by.map(str::to_owned));
    let (run, created, synced_at) = db::try_run(&db, move |conn| -> Result<_, ApiError> {
        if org_connections::find(conn, &tenant)?.is_none() {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::ApiKeyNotSet,
                "Save an Organization API key in Settings before syncing.",
            ));
        }
        let (run, created) = request_sync(conn, &tenant, kind, None, by.as_deref())?;
        let synced_at = mirror::current(conn, &tenant)?.map(|m| m.synced_at.and_utc());
        Ok((run, created, synced_at))
    })
    .await?;
    if created {
        state
            .jobs
            .enqueue(SyncJob { run_id: run.id })
            .await
            .map_err(ApiError::internal)?;
    }
    Ok(SyncStatus::new(run, synced_at))
}

/// The tenant's latest sync.
#[utoipa::path(operation_id = "sync_latest", get, path = "/api/v1/sync", tag = "sync", security(("connect_jwt" = [])),
    responses((status = 200, body = SyncStatus), (status = 404, description = "Never synced (code no_sync_yet)", body = ErrorEnvelope)))]
pub async fn latest(
    caller: Reader,
    state: web::Data<AppState>,
) -> Result<web::Json<SyncStatus>, ApiError> {
    let mut runs = recent(&state, &caller.tenant.client_key, 1).await?;
    runs.pop().map(web::Json).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            ErrorCode::NoSyncYet,
            "No sync has run yet.",
        )
    })
}

/// How many runs to list.
#[derive(Deserialize, IntoParams)]
pub struct RunsQuery {
    /// At most this many (1–100, default 20).
    pub limit: Option<i64>,
}

/// The tenant's recent syncs, newest first.
#[utoipa::path(operation_id = "sync_runs", get, path = "/api/v1/sync/runs", tag = "sync", security(("connect_jwt" = [])), params(RunsQuery),
    responses((status = 200, body = Vec<SyncStatus>)))]
pub async fn runs(
    caller: Reader,
    state: web::Data<AppState>,
    query: web::Query<RunsQuery>,
) -> Result<web::Json<Vec<SyncStatus>>, ApiError> {
    let limit = query.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::field("limit", "limit: must be between 1 and 100"));
    }
    Ok(web::Json(
        recent(&state, &caller.tenant.client_key, limit).await?,
    ))
}

async fn recent(
    state: &AppState,
    tenant_id: &TenantId,
    limit: i64,
) -> Result<Vec<SyncStatus>, ApiError> {
    let tenant = tenant_id.to_owned();
    db::try_run(&state.db, move |conn| -> Result<_, ApiError> {
        let synced_at = mirror::current(conn, &tenant)?.map(|m| m.synced_at.and_utc());
        Ok(sync_runs::recent(conn, &tenant, limit)?
            .into_iter()
            .map(|r| SyncStatus::new(r, synced_at))
            .collect())
    })
    .await
}
