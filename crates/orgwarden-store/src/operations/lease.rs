//! The lease of an operation: one worker at a time holds it (`lease_owner`), proves it is alive
//! (`heartbeat_at`), moves the operation through its states, and gives it back at the end. A
//! lease whose heartbeat is stale may be taken by the next job the reconciler enqueues.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use super::states::RunState;
use crate::schema::operations;
use crate::{DbConnection, StoreError};

/// Takes the lease for `owner` if the operation still needs work and no live worker holds it.
pub fn claim(
    conn: &mut DbConnection,
    id: i64,
    owner: &str,
    now: NaiveDateTime,
    stale_before: NaiveDateTime,
) -> Result<bool, StoreError> {
    let claimed = diesel::update(operations::table.find(id))
        .filter(operations::state.eq_any(RunState::ACTIVE))
        .filter(
            operations::lease_owner
                .is_null()
                .or(operations::heartbeat_at.is_null())
                .or(operations::heartbeat_at.lt(stale_before)),
        )
        .set((
            operations::lease_owner.eq(owner),
            operations::heartbeat_at.eq(now),
        ))
        .execute(conn)?;
    if claimed > 0 {
        diesel::update(operations::table.find(id))
            .filter(operations::started_at.is_null())
            .set(operations::started_at.eq(now))
            .execute(conn)?;
    }
    Ok(claimed > 0)
}

/// Refreshes the lease; returns the current state, or `None` when `owner` lost the lease.
pub fn heartbeat(
    conn: &mut DbConnection,
    id: i64,
    owner: &str,
    now: NaiveDateTime,
) -> Result<Option<RunState>, StoreError> {
    let kept = diesel::update(operations::table.find(id))
        .filter(operations::lease_owner.eq(owner))
        .set(operations::heartbeat_at.eq(now))
        .execute(conn)?;
    if kept == 0 {
        return Ok(None);
    }
    Ok(operations::table
        .find(id)
        .select(operations::state)
        .first(conn)
        .optional()?)
}

/// Moves the operation of `owner` from one of `from` to `to` with a phase; false if it was not
/// in one of those states (e.g. cancelled meanwhile) or the lease is gone.
pub fn transition(
    conn: &mut DbConnection,
    id: i64,
    owner: &str,
    from: &[RunState],
    to: RunState,
    phase: &str,
) -> Result<bool, StoreError> {
    let changed = diesel::update(operations::table.find(id))
        .filter(operations::lease_owner.eq(owner))
        .filter(operations::state.eq_any(from))
        .set((operations::state.eq(to), operations::phase.eq(phase)))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Sets the phase shown to the admin.
pub fn set_phase(
    conn: &mut DbConnection,
    id: i64,
    owner: &str,
    phase: &str,
) -> Result<(), StoreError> {
    diesel::update(operations::table.find(id))
        .filter(operations::lease_owner.eq(owner))
        .set(operations::phase.eq(phase))
        .execute(conn)?;
    Ok(())
}

/// Final counts of an operation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Items.
    pub total: i64,
    /// Done.
    pub done: i64,
    /// Skipped.
    pub skipped: i64,
    /// Failed.
    pub failed: i64,
}

/// Ends the operation in `state` with its totals, releasing the lease.
pub fn finish(
    conn: &mut DbConnection,
    id: i64,
    owner: &str,
    state: RunState,
    totals: Totals,
    error: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let changed = diesel::update(operations::table.find(id))
        .filter(operations::lease_owner.eq(owner))
        .filter(operations::state.eq_any(RunState::ACTIVE))
        .set((
            operations::state.eq(state),
            operations::phase.eq(if state == RunState::Failed {
                "failed"
            } else {
                "done"
            }),
            operations::total.eq(totals.total),
            operations::done.eq(totals.done),
            operations::skipped.eq(totals.skipped),
            operations::failed.eq(totals.failed),
            operations::error.eq(error),
            operations::finished_at.eq(now),
            operations::lease_owner.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Gives the lease back (a run that stops early), so the next job claims it at once.
pub fn release(conn: &mut DbConnection, id: i64, owner: &str) -> Result<(), StoreError> {
    diesel::update(operations::table.find(id))
        .filter(operations::lease_owner.eq(owner))
        .set(operations::lease_owner.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}

/// Operations that need a worker and show no life since `stale_before` (queued ones count
/// from their creation): the reconciler enqueues them again.
pub fn orphans(
    conn: &mut DbConnection,
    stale_before: NaiveDateTime,
) -> Result<Vec<(i64, TenantId)>, StoreError> {
    Ok(operations::table
        .filter(operations::state.eq_any(RunState::ACTIVE))
        .filter(
            (operations::heartbeat_at
                .is_null()
                .and(operations::created_at.lt(stale_before)))
            .or(operations::heartbeat_at.lt(stale_before)),
        )
        .select((operations::id, operations::tenant_id))
        .load(conn)?)
}

/// The tenant's operations that still need a worker (to wake them after a lifecycle change).
pub fn active_of_tenant(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> Result<Vec<i64>, StoreError> {
    Ok(operations::table
        .filter(operations::tenant_id.eq(tenant_id))
        .filter(operations::state.eq_any(RunState::ACTIVE))
        .select(operations::id)
        .load(conn)?)
}
