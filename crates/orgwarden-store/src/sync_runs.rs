//! Sync runs: at most one queued or running per tenant (a unique partial index enforces it),
//! with progress written as the sync goes and a heartbeat the reconciler uses to find runs whose
//! worker died.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

mod states;

pub use states::{SyncKind, SyncMode, SyncRunState};

use crate::connection::with_backend;
use crate::schema::sync_runs;
use crate::{DbConnection, StoreError};

/// A recorded sync.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sync_runs)]
pub struct SyncRun {
    /// Run id.
    pub id: i64,
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Why it runs.
    pub kind: SyncKind,
    /// Where it is.
    pub state: SyncRunState,
    /// What it is doing now.
    pub phase: String,
    /// Users written so far.
    pub users: i64,
    /// Groups written so far.
    pub groups: i64,
    /// Sites written so far.
    pub sites: i64,
    /// Admin API requests sent.
    pub requests: i64,
    /// For partial syncs: the account ids, JSON array.
    pub account_ids: Option<String>,
    /// The mirror generation it writes.
    pub generation: i64,
    /// Why it failed, for the admin.
    pub error: Option<String>,
    /// Who asked for it.
    pub requested_by: Option<String>,
    /// When it was requested.
    pub created_at: NaiveDateTime,
    /// When a worker started it.
    pub started_at: Option<NaiveDateTime>,
    /// When it ended.
    pub finished_at: Option<NaiveDateTime>,
    /// Last sign of life of its worker.
    pub heartbeat_at: Option<NaiveDateTime>,
    /// What it read and wrote: `full` (every user, into a new generation), `incremental` (what
    /// the organization's events named, in place) or `partial` (given users, in place).
    pub mode: SyncMode,
    /// Mirror rows it inserted or deleted.
    pub rows_written: i64,
}

/// A sync to record.
pub struct NewSyncRun<'a> {
    /// Tenant id.
    pub tenant_id: &'a TenantId,
    /// Kind of sync.
    pub kind: SyncKind,
    /// Account ids for a partial sync.
    pub account_ids: Option<String>,
    /// Who asked.
    pub requested_by: Option<&'a str>,
}

/// Records a queued sync, or returns the tenant's queued or running one (and `false`).
pub fn create_or_active(
    conn: &mut DbConnection,
    new: &NewSyncRun<'_>,
    now: NaiveDateTime,
) -> Result<(SyncRun, bool), StoreError> {
    crate::transaction(conn, |conn| {
        if let Some(active) = active(conn, new.tenant_id)? {
            return Ok((active, false));
        }
        let generation = next_generation(conn, new.tenant_id)?;
        let row = (
            sync_runs::tenant_id.eq(new.tenant_id),
            sync_runs::kind.eq(new.kind),
            sync_runs::state.eq(SyncRunState::Queued),
            sync_runs::phase.eq(SyncRunState::Queued.as_str()),
            sync_runs::account_ids.eq(new.account_ids.as_deref()),
            sync_runs::generation.eq(generation),
            sync_runs::requested_by.eq(new.requested_by),
            sync_runs::created_at.eq(now),
        );
        // A request racing ours may have recorded the tenant's active run since we looked: the
        // unique index `sync_runs_one_active` keeps ours out, and theirs is the answer.
        let inserted = with_backend!(&mut *conn, |c| diesel::insert_into(sync_runs::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c))?;
        let run = active(conn, new.tenant_id)?
            .ok_or(StoreError::Query(diesel::result::Error::NotFound))?;
        Ok((run, inserted > 0))
    })
}

// Each run gets a generation above every earlier one of the tenant (published or not).
fn next_generation(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<i64, StoreError> {
    let last: Option<i64> = sync_runs::table
        .filter(sync_runs::tenant_id.eq(tenant_id))
        .select(diesel::dsl::max(sync_runs::generation))
        .first(conn)?;
    let published = crate::mirror::current(conn, tenant_id)?.map(|m| m.generation);
    Ok(last.max(published).unwrap_or(0) + 1)
}

/// The tenant's queued or running sync.
pub fn active(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> Result<Option<SyncRun>, StoreError> {
    Ok(sync_runs::table
        .filter(sync_runs::tenant_id.eq(tenant_id))
        .filter(sync_runs::state.eq_any(SyncRunState::ACTIVE))
        .select(SyncRun::as_select())
        .first(conn)
        .optional()?)
}

/// A run by id (of any tenant: jobs carry ids only).
pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<SyncRun>, StoreError> {
    Ok(sync_runs::table
        .find(id)
        .select(SyncRun::as_select())
        .first(conn)
        .optional()?)
}

/// The tenant's newest runs, newest first.
pub fn recent(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    limit: i64,
) -> Result<Vec<SyncRun>, StoreError> {
    Ok(sync_runs::table
        .filter(sync_runs::tenant_id.eq(tenant_id))
        .order(sync_runs::id.desc())
        .limit(limit)
        .select(SyncRun::as_select())
        .load(conn)?)
}

/// The tenant's newest ended run over the whole organization (not a partial one) before `id`.
pub fn previous_whole(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
) -> Result<Option<SyncRun>, StoreError> {
    Ok(sync_runs::table
        .filter(sync_runs::tenant_id.eq(tenant_id))
        .filter(sync_runs::id.lt(id))
        .filter(sync_runs::account_ids.is_null())
        .filter(sync_runs::state.eq_any(SyncRunState::ENDED))
        .order(sync_runs::id.desc())
        .select(SyncRun::as_select())
        .first(conn)
        .optional()?)
}

/// Claims a queued (or stale running) run for a worker. Returns false if another worker has it
/// or it already ended.
pub fn start(
    conn: &mut DbConnection,
    id: i64,
    now: NaiveDateTime,
    stale_before: NaiveDateTime,
) -> Result<bool, StoreError> {
    let claimed = diesel::update(sync_runs::table.find(id))
        .filter(
            sync_runs::state
                .eq(SyncRunState::Queued)
                .or(sync_runs::state
                    .eq(SyncRunState::Running)
                    .and(sync_runs::heartbeat_at.lt(stale_before))),
        )
        .set((
            sync_runs::state.eq(SyncRunState::Running),
            sync_runs::started_at.eq(now),
            sync_runs::heartbeat_at.eq(now),
        ))
        .execute(conn)?;
    Ok(claimed > 0)
}

/// Progress of a running sync.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// Phase name.
    pub phase: String,
    /// Users written.
    pub users: i64,
    /// Groups written.
    pub groups: i64,
    /// Sites written.
    pub sites: i64,
    /// Requests sent.
    pub requests: i64,
    /// What it reads and writes (`Full` until decided).
    pub mode: SyncMode,
    /// Mirror rows inserted or deleted.
    pub rows_written: i64,
}

/// Records progress and a heartbeat.
pub fn progress(
    conn: &mut DbConnection,
    id: i64,
    p: &Progress,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(sync_runs::table.find(id))
        .filter(sync_runs::state.eq(SyncRunState::Running))
        .set((
            sync_runs::phase.eq(&p.phase),
            sync_runs::users.eq(p.users),
            sync_runs::groups.eq(p.groups),
            sync_runs::sites.eq(p.sites),
            sync_runs::requests.eq(p.requests),
            sync_runs::mode.eq(p.mode),
            sync_runs::rows_written.eq(p.rows_written),
            sync_runs::heartbeat_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Ends a run: `succeeded`, or `failed` with the admin-facing error; whether the run was still
/// there to end (a purge deletes it with its tenant).
pub fn finish(
    conn: &mut DbConnection,
    id: i64,
    p: &Progress,
    error: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let updated = diesel::update(sync_runs::table.find(id))
        .set((
            sync_runs::state.eq(if error.is_some() {
                SyncRunState::Failed
            } else {
                SyncRunState::Succeeded
            }),
            sync_runs::phase.eq(if error.is_some() { "failed" } else { "done" }),
            sync_runs::users.eq(p.users),
            sync_runs::groups.eq(p.groups),
            sync_runs::sites.eq(p.sites),
            sync_runs::requests.eq(p.requests),
            sync_runs::mode.eq(p.mode),
            sync_runs::rows_written.eq(p.rows_written),
            sync_runs::error.eq(error),
            sync_runs::finished_at.eq(now),
        ))
        .execute(conn)?;
    Ok(updated > 0)
}

/// Runs recorded as queued or running whose worker shows no life since `stale_before`
/// (queued runs count from their creation): the reconciler enqueues them again.
pub fn orphans(
    conn: &mut DbConnection,
    stale_before: NaiveDateTime,
) -> Result<Vec<SyncRun>, StoreError> {
    Ok(sync_runs::table
        .filter(
            (sync_runs::state
                .eq(SyncRunState::Queued)
                .and(sync_runs::created_at.lt(stale_before)))
            .or(sync_runs::state
                .eq(SyncRunState::Running)
                .and(sync_runs::heartbeat_at.lt(stale_before))),
        )
        .select(SyncRun::as_select())
        .load(conn)?)
}

/// Deletes the tenant's runs (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<(), StoreError> {
    diesel::delete(sync_runs::table.filter(sync_runs::tenant_id.eq(tenant_id))).execute(conn)?;
    Ok(())
}
