//! Due tasks and the compare-and-set that claims one: of several schedulers sharing a database,
//! exactly one moves a task's `next_run_at` from the instant it read, and only that one runs it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use super::Task;
use crate::schema::{tasks, tenants};
use crate::settings::Settings;
use crate::{DbConnection, StoreError};

/// A task whose run is due, with its tenant's settings (the daily sync slot).
#[derive(Debug, Clone)]
pub struct DueTask {
    /// The task as read; its `next_run_at` is the value to compare against.
    pub task: Task,
    /// Its tenant's settings.
    pub settings: Settings,
}

/// Active tasks of tenants using the app whose `next_run_at` is at or before `now`, oldest
/// first, at most `limit`. Nothing is claimed yet (see [`advance`]).
pub fn due(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<DueTask>, StoreError> {
    let found: Vec<Task> = tasks::table
        .inner_join(tenants::table.on(tenants::client_key.eq(tasks::tenant_id)))
        .filter(tasks::active.eq(true))
        .filter(tasks::next_run_at.le(now))
        .filter(tenants::state.eq_any(crate::tenants::ACTIVE_STATES))
        .order(tasks::next_run_at.asc())
        .limit(limit)
        .select(Task::as_select())
        .load(conn)?;
    found
        .into_iter()
        .map(|task| {
            let settings = crate::settings::get(conn, &task.tenant_id)?;
            Ok(DueTask { task, settings })
        })
        .collect()
}

/// Moves task `id` from `expected` (the `next_run_at` read) to `next`, if it is still active
/// and nobody moved it first. True for the one caller that did: it owns the run.
pub fn advance(
    conn: &mut DbConnection,
    id: i64,
    expected: NaiveDateTime,
    next: Option<NaiveDateTime>,
) -> Result<bool, StoreError> {
    Ok(diesel::update(
        tasks::table
            .filter(tasks::id.eq(id))
            .filter(tasks::active.eq(true))
            .filter(tasks::next_run_at.eq(expected)),
    )
    .set(tasks::next_run_at.eq(next))
    .execute(conn)?
        == 1)
}

/// Switches the tenant's task `id` off, saying why (e.g. its acting admin lost their rights).
pub fn deactivate(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
    reason: &str,
) -> Result<(), StoreError> {
    diesel::update(
        tasks::table
            .filter(tasks::tenant_id.eq(tenant_id))
            .filter(tasks::id.eq(id)),
    )
    .set((
        tasks::active.eq(false),
        tasks::next_run_at.eq(None::<NaiveDateTime>),
        tasks::inactive_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(())
}
