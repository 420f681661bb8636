//! The `operations` table: one row per bulk operation (its lease is in `lease.rs`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use super::states::RunState;
use crate::connection::{first_for_update, with_backend};
use crate::schema::operations;
use crate::{DbConnection, StoreError};

/// A recorded operation.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = operations)]
pub struct Operation {
    /// Operation id.
    pub id: i64,
    /// Tenant id.
    pub tenant_id: TenantId,
    /// `queued`, `syncing`, `running`, `cancelling`, `cancelled`, `completed`, `failed`.
    pub state: RunState,
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
    /// The requester's standing when it was created (`orgAdmin`, `productAdmin`, …).
    pub acting_as: String,
    /// For a requester limited to what they administer: those sites and products, JSON.
    pub actor_scope: Option<String>,
    /// For a task run: the task.
    pub task_id: Option<i64>,
    /// For a task run: its process id (UUID).
    pub process_id: Option<String>,
    /// A dry run: planned and recorded, nothing executed.
    pub dry_run: bool,
    /// A task run that started after its due time (every process was down).
    pub late: bool,
}

/// An operation to record.
pub struct NewOperation<'a> {
    /// Tenant id.
    pub tenant_id: &'a TenantId,
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
    /// The requester's standing.
    pub acting_as: crate::access::Standing,
    /// The requester's limited scope, JSON (`None`: the whole organization).
    pub actor_scope: Option<&'a str>,
}

/// Records a queued operation.
pub fn create(
    conn: &mut DbConnection,
    new: &NewOperation<'_>,
    now: NaiveDateTime,
) -> Result<Operation, StoreError> {
    let row = (
        operations::tenant_id.eq(new.tenant_id),
        operations::state.eq(RunState::Queued),
        operations::phase.eq(RunState::Queued.as_str()),
        operations::actions.eq(new.actions),
        operations::reason.eq(new.reason),
        operations::selection.eq(new.selection),
        operations::requested_by.eq(new.requested_by),
        operations::revert_of.eq(new.revert_of),
        operations::created_at.eq(now),
        operations::acting_as.eq(new.acting_as.as_str()),
        operations::actor_scope.eq(new.actor_scope),
    );
    let id: i64 = with_backend!(&mut *conn, |c| diesel::insert_into(operations::table)
        .values(row)
        .returning(operations::id)
        .get_result(c))?;
    find(conn, new.tenant_id, id)?.ok_or(StoreError::Query(diesel::result::Error::NotFound))
}

/// The tenant's operation `id`.
pub fn find(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
) -> Result<Option<Operation>, StoreError> {
    Ok(operations::table
        .filter(operations::tenant_id.eq(tenant_id))
        .filter(operations::id.eq(id))
        .select(Operation::as_select())
        .first(conn)
        .optional()?)
}

/// The id of an unfinished revert of the tenant's operation `id`, if any. `id`'s row stays locked
/// until the caller's transaction ends, so two reverts asked at once (a double click) see each
/// other.
pub fn revert_under_way(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
) -> Result<Option<i64>, StoreError> {
    let _locked: Option<i64> = first_for_update!(
        conn,
        operations::table
            .filter(operations::tenant_id.eq(tenant_id))
            .filter(operations::id.eq(id))
            .select(operations::id)
    )?;
    Ok(operations::table
        .filter(operations::tenant_id.eq(tenant_id))
        .filter(operations::revert_of.eq(id))
        .filter(operations::state.eq_any(RunState::ACTIVE))
        .select(operations::id)
        .first(conn)
        .optional()?)
}

/// An operation by id alone (jobs carry ids only; the row names its tenant).
pub fn find_for_job(conn: &mut DbConnection, id: i64) -> Result<Option<Operation>, StoreError> {
    Ok(operations::table
        .find(id)
        .select(Operation::as_select())
        .first(conn)
        .optional()?)
}

/// One page of the tenant's operations, newest first, and how many there are; only those
/// `requested_by` asked for, when given.
pub fn list(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    requested_by: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Operation>, i64), StoreError> {
    let listed = || {
        let mut query = operations::table
            .filter(operations::tenant_id.eq(tenant_id))
            .into_boxed();
        if let Some(by) = requested_by {
            query = query.filter(operations::requested_by.eq(by));
        }
        query
    };
    let total = listed().count().get_result(conn)?;
    let page = listed()
        .order(operations::id.desc())
        .offset(offset)
        .limit(limit)
        .select(Operation::as_select())
        .load(conn)?;
    Ok((page, total))
}

/// Asks the tenant's operation to stop. An operation no worker has taken yet is cancelled at
/// once; a running one becomes `cancelling` (no new items start). Returns the row afterwards.
pub fn request_cancel(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
    now: NaiveDateTime,
) -> Result<Option<Operation>, StoreError> {
    crate::transaction(conn, |conn| {
        let Some(op) = find(conn, tenant_id, id)? else {
            return Ok(None);
        };
        let row = operations::table
            .filter(operations::tenant_id.eq(tenant_id))
            .filter(operations::id.eq(id));
        if op.state == RunState::Queued && op.lease_owner.is_none() {
            diesel::update(row)
                .filter(operations::state.eq(RunState::Queued))
                .set((
                    operations::state.eq(RunState::Cancelled),
                    operations::phase.eq("done"),
                    operations::finished_at.eq(now),
                ))
                .execute(conn)?;
        } else {
            diesel::update(row)
                .filter(operations::state.eq_any([
                    RunState::Queued,
                    RunState::Syncing,
                    RunState::Running,
                ]))
                .set(operations::state.eq(RunState::Cancelling))
                .execute(conn)?;
        }
        find(conn, tenant_id, id)
    })
}

/// Deletes the tenant's operations and their ledgers (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &str) -> Result<(), StoreError> {
    use crate::schema::operation_items;
    diesel::delete(operation_items::table.filter(operation_items::tenant_id.eq(tenant_id)))
        .execute(conn)?;
    diesel::delete(operations::table.filter(operations::tenant_id.eq(tenant_id))).execute(conn)?;
    Ok(())
}
