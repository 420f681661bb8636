//! The `operations` table: one row per bulk operation, claimed by one worker at a time through a
//! lease (`lease_owner` + `heartbeat_at`) that the running job refreshes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::op_state;
use crate::connection::with_backend;
use crate::schema::operations;
use crate::{DbConnection, StoreError};

/// A recorded operation.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = operations)]
pub struct Operation {
    /// Operation id.
    pub id: i64,
    /// Tenant id.
    pub tenant_id: String,
    /// `queued`, `syncing`, `running`, `cancelling`, `cancelled`, `completed`, `failed`.
    pub state: String,
    /// What it is doing now (`queued`, `pre-operation sync`, `planning`, `executing`, …).
    pub phase: String,
    /// The actions, JSON array (empty for reverts).
    pub actions: String,
    /// Why, as the admin wrote it.
    pub reason: Option<String>,
    /// The selection with the resolved account ids, JSON.
    pub selection: String,
    /// Account id of the admin who started it.
    pub requested_by: String,
    /// For a revert: the operation it undoes.
    pub revert_of: Option<i64>,
    /// Items in the ledger (once planned).
    pub total: i64,
    /// Items done (written when it ends).
    pub done: i64,
    /// Items skipped (written when it ends).
    pub skipped: i64,
    /// Items failed (written when it ends).
    pub failed: i64,
    /// Why the operation itself failed.
    pub error: Option<String>,
    /// When it was requested.
    pub created_at: NaiveDateTime,
    /// When a worker first took it.
    pub started_at: Option<NaiveDateTime>,
    /// When it ended.
    pub finished_at: Option<NaiveDateTime>,
    /// Last sign of life of its worker.
    pub heartbeat_at: Option<NaiveDateTime>,
    /// Which job run holds it.
    pub lease_owner: Option<String>,
}

/// An operation to record.
pub struct NewOperation<'a> {
    /// Tenant id.
    pub tenant_id: &'a str,
    /// Actions, JSON.
    pub actions: &'a str,
    /// Reason.
    pub reason: Option<&'a str>,
    /// Selection with resolved account ids, JSON.
    pub selection: &'a str,
    /// Who asked.
    pub requested_by: &'a str,
    /// The operation a revert undoes.
    pub revert_of: Option<i64>,
}

/// Records a queued operation.
pub fn create(conn: &mut DbConnection, new: &NewOperation<'_>, now: NaiveDateTime) -> Result<Operation, StoreError> {
    let row = (
        operations::tenant_id.eq(new.tenant_id),
        operations::state.eq(op_state::QUEUED),
        operations::phase.eq(op_state::QUEUED),
        operations::actions.eq(new.actions),
        operations::reason.eq(new.reason),
        operations::selection.eq(new.selection),
        operations::requested_by.eq(new.requested_by),
        operations::revert_of.eq(new.revert_of),
        operations::created_at.eq(now),
    );
    let id: i64 = with_backend!(&mut *conn, |c| diesel::insert_into(operations::table)
        .values(row)
        .returning(operations::id)
        .get_result(c))?;
    find(conn, new.tenant_id, id)?.ok_or(StoreError::Query(diesel::result::Error::NotFound))
}

/// The tenant's operation `id`.
pub fn find(conn: &mut DbConnection, tenant_id: &str, id: i64) -> Result<Option<Operation>, StoreError> {
    Ok(operations::table
        .filter(operations::tenant_id.eq(tenant_id))
        .filter(operations::id.eq(id))
        .select(Operation::as_select())
        .first(conn)
        .optional()?)
}

/// An operation by id alone (jobs carry ids only; the row names its tenant).
pub fn find_for_job(conn: &mut DbConnection, id: i64) -> Result<Option<Operation>, StoreError> {
    Ok(operations::table.find(id).select(Operation::as_select()).first(conn).optional()?)
}

/// One page of the tenant's operations, newest first, and how many there are.
pub fn list(conn: &mut DbConnection, tenant_id: &str, offset: i64, limit: i64) -> Result<(Vec<Operation>, i64), StoreError> {
    let total = operations::table.filter(operations::tenant_id.eq(tenant_id)).count().get_result(conn)?;
    let page = operations::table
        .filter(operations::tenant_id.eq(tenant_id))
        .order(operations::id.desc())
        .offset(offset)
        .limit(limit)
        .select(Operation::as_select())
        .load(conn)?;
    Ok((page, total))
}

/// Takes the lease for `owner` if the operation still needs work and no live worker holds it.
pub fn claim(conn: &mut DbConnection, id: i64, owner: &str, now: NaiveDateTime, stale_before: NaiveDateTime) -> Result<bool, StoreError> {
    let claimed = diesel::update(operations::table.find(id))
        .filter(operations::state.eq_any(op_state::ACTIVE))
        .filter(
            operations::lease_owner
                .is_null()
                .or(operations::heartbeat_at.is_null())
                .or(operations::heartbeat_at.lt(stale_before)),
        )
        .set((operations::lease_owner.eq(owner), operations::heartbeat_at.eq(now)))
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
pub fn heartbeat(conn: &mut DbConnection, id: i64, owner: &str, now: NaiveDateTime) -> Result<Option<String>, StoreError> {
    let kept = diesel::update(operations::table.find(id))
        .filter(operations::lease_owner.eq(owner))
        .set(operations::heartbeat_at.eq(now))
        .execute(conn)?;
    if kept == 0 {
        return Ok(None);
    }
    Ok(operations::table.find(id).select(operations::state).first(conn).optional()?)
}

/// Moves the operation of `owner` from one of `from` to `to` with a phase; false if it was not
/// in one of those states (e.g. cancelled meanwhile) or the lease is gone.
pub fn transition(conn: &mut DbConnection, id: i64, owner: &str, from: &[&str], to: &str, phase: &str) -> Result<bool, StoreError> {
    let changed = diesel::update(operations::table.find(id))
        .filter(operations::lease_owner.eq(owner))
        .filter(operations::state.eq_any(from))
        .set((operations::state.eq(to), operations::phase.eq(phase)))
        .execute(conn)?;
    Ok(changed > 0)
}

/// Sets the phase shown to the admin.
pub fn set_phase(conn: &mut DbConnection, id: i64, owner: &str, phase: &str) -> Result<(), StoreError> {
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
pub fn finish(conn: &mut DbConnection, id: i64, owner: &str, state: &str, totals: Totals, error: Option<&str>, now: NaiveDateTime) -> Result<bool, StoreError> {
    let changed = diesel::update(operations::table.find(id))
        .filter(operations::lease_owner.eq(owner))
        .filter(operations::state.eq_any(op_state::ACTIVE))
        .set((
            operations::state.eq(state),
            operations::phase.eq(if state == op_state::FAILED { "failed" } else { "done" }),
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

/// Asks the tenant's operation to stop. An operation no worker has taken yet is cancelled at
/// once; a running one becomes `cancelling` (no new items start). Returns the row afterwards.
pub fn request_cancel(conn: &mut DbConnection, tenant_id: &str, id: i64, now: NaiveDateTime) -> Result<Option<Operation>, StoreError> {
    conn.transaction(|conn| {
        let Some(op) = find(conn, tenant_id, id)? else { return Ok(None) };
        let row = operations::table.filter(operations::tenant_id.eq(tenant_id)).filter(operations::id.eq(id));
        if op.state == op_state::QUEUED && op.lease_owner.is_none() {
            diesel::update(row)
                .filter(operations::state.eq(op_state::QUEUED))
                .set((
                    operations::state.eq(op_state::CANCELLED),
                    operations::phase.eq("done"),
                    operations::finished_at.eq(now),
                ))
                .execute(conn)?;
        } else {
            diesel::update(row)
                .filter(operations::state.eq_any([op_state::QUEUED, op_state::SYNCING, op_state::RUNNING]))
                .set(operations::state.eq(op_state::CANCELLING))
                .execute(conn)?;
        }
        find(conn, tenant_id, id)
    })
}

/// Operations that need a worker and show no life since `stale_before` (queued ones count
/// from their creation): the reconciler enqueues them again.
pub fn orphans(conn: &mut DbConnection, stale_before: NaiveDateTime) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(operations::table
        .filter(operations::state.eq_any(op_state::ACTIVE))
        .filter(
            (operations::heartbeat_at.is_null().and(operations::created_at.lt(stale_before)))
                .or(operations::heartbeat_at.lt(stale_before)),
        )
        .select((operations::id, operations::tenant_id))
        .load(conn)?)
}

/// Deletes the tenant's operations and their ledgers (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &str) -> Result<(), StoreError> {
    use crate::schema::operation_items;
    diesel::delete(operation_items::table.filter(operation_items::tenant_id.eq(tenant_id))).execute(conn)?;
    diesel::delete(operations::table.filter(operations::tenant_id.eq(tenant_id))).execute(conn)?;
    Ok(())
}
