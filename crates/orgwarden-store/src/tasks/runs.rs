//! A task's runs: operations carrying the task's id and a process id. A run that cannot start
//! (its acting admin lost their rights, or the filter selects nobody) is recorded finished at
//! once, so every run has a row and a state.

use orgwarden_ids::TenantId;
use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::with_backend;
use crate::operations::{Operation, RunState};
use crate::schema::operations;
use crate::{DbConnection, StoreError};

/// A run to record.
pub struct NewRun<'a> {
    /// Tenant id.
    pub tenant_id: &'a TenantId,
    /// The task.
    pub task_id: i64,
    /// The run's process id (a UUID).
    pub process_id: &'a str,
    /// Actions, JSON.
    pub actions: &'a str,
    /// Reason.
    pub reason: Option<&'a str>,
    /// Selection with the resolved account ids, JSON.
    pub selection: &'a str,
    /// The acting admin.
    pub requested_by: &'a str,
    /// Plan and record only.
    pub dry_run: bool,
    /// Started after its due time.
    pub late: bool,
    /// `Some(state, error)`: recorded finished in that state (nothing to execute).
    pub finished: Option<(RunState, Option<&'a str>)>,
}

/// Records a run: queued for the operation job, or finished at once.
pub fn create_run(
    conn: &mut DbConnection,
    run: &NewRun<'_>,
    now: NaiveDateTime,
) -> Result<Operation, StoreError> {
    let (state, error, finished_at) = match run.finished {
        Some((state, error)) => (state, error, Some(now)),
        None => (RunState::Queued, None, None),
    };
    let phase = if finished_at.is_some() {
        "done"
    } else {
        RunState::Queued.as_str()
    };
    let row = (
        (
            operations::tenant_id.eq(run.tenant_id),
            operations::state.eq(state),
            operations::phase.eq(phase),
            operations::actions.eq(run.actions),
            operations::reason.eq(run.reason),
            operations::selection.eq(run.selection),
        ),
        (
            operations::requested_by.eq(run.requested_by),
            operations::created_at.eq(now),
            operations::started_at.eq(finished_at),
            operations::finished_at.eq(finished_at),
            operations::error.eq(error),
            operations::acting_as.eq(crate::access::Standing::OrgAdmin.as_str()),
        ),
        (
            operations::task_id.eq(run.task_id),
            operations::process_id.eq(run.process_id),
            operations::dry_run.eq(run.dry_run),
            operations::late.eq(run.late),
        ),
    );
    let id: i64 = with_backend!(&mut *conn, |c| diesel::insert_into(operations::table)
        .values(row)
        .returning(operations::id)
        .get_result(c))?;
    crate::operations::find(conn, run.tenant_id, id)?
        .ok_or(StoreError::Query(diesel::result::Error::NotFound))
}

/// The run `process_id` of the tenant's task `task_id`.
pub fn find_run(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    task_id: i64,
    process_id: &str,
) -> Result<Option<Operation>, StoreError> {
    Ok(operations::table
        .filter(operations::tenant_id.eq(tenant_id))
        .filter(operations::task_id.eq(task_id))
        .filter(operations::process_id.eq(process_id))
        .select(Operation::as_select())
        .first(conn)
        .optional()?)
}

/// The newest `limit` runs of the tenant's task, newest first.
pub fn runs_of(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    task_id: i64,
    limit: i64,
) -> Result<Vec<Operation>, StoreError> {
    Ok(operations::table
        .filter(operations::tenant_id.eq(tenant_id))
        .filter(operations::task_id.eq(task_id))
        .order(operations::id.desc())
        .limit(limit)
        .select(Operation::as_select())
        .load(conn)?)
}

/// The newest run of each of the tenant's tasks that has one, by task id.
pub fn last_runs(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> Result<HashMap<i64, Operation>, StoreError> {
    let newest: Vec<Option<i64>> = operations::table
        .filter(operations::tenant_id.eq(tenant_id))
        .filter(operations::task_id.is_not_null())
        .group_by(operations::task_id)
        .select(diesel::dsl::max(operations::id))
        .load(conn)?;
    let ids: Vec<i64> = newest.into_iter().flatten().collect();
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<Operation> = operations::table
            .filter(operations::tenant_id.eq(tenant_id))
            .filter(operations::id.eq_any(chunk))
            .select(Operation::as_select())
            .load(conn)?;
        for op in rows {
            if let Some(task) = op.task_id {
                out.insert(task, op);
            }
        }
    }
    Ok(out)
}
