//! Automated tasks: a saved filter, actions and a schedule (both JSON, interpreted by the jobs
//! crate), acting as the org admin who last saved it. A task's runs are operations carrying its
//! id ([`runs`]); the scheduler claims due tasks with a compare-and-set on `next_run_at`
//! ([`due`]).

mod due;
mod runs;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use crate::connection::{first_for_update, with_backend};
use crate::schema::tasks;
use crate::{DbConnection, StoreError};

pub use due::{advance, deactivate, due, DueTask};
pub use runs::{create_run, find_run, last_runs, runs_of, NewRun};

/// A stored task.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tasks)]
pub struct Task {
    /// Task id.
    pub id: i64,
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Name.
    pub name: String,
    /// The saved filter re-evaluated at every run.
    pub saved_filter_id: i64,
    /// The actions, JSON array.
    pub actions: String,
    /// Why (recorded with every change).
    pub reason: Option<String>,
    /// The schedule, JSON.
    pub schedule: String,
    /// IANA time zone of the schedule's times.
    pub time_zone: String,
    /// Runs on its schedule.
    pub active: bool,
    /// Every run is a dry run.
    pub dry_run_only: bool,
    /// When it runs next (`None`: manual, or nothing left to run).
    pub next_run_at: Option<NaiveDateTime>,
    /// The org admin whose rights it acts with (who last saved it).
    pub acting_admin: String,
    /// Why the app switched it off, when it did.
    pub inactive_reason: Option<String>,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// Who saved it last.
    pub updated_by: String,
    /// When.
    pub updated_at: NaiveDateTime,
}

/// The fields an admin saves (a `None` next run is stored as NULL).
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = tasks, treat_none_as_null = true)]
pub struct TaskFields<'a> {
    /// Name.
    pub name: &'a str,
    /// Saved filter id (checked to be the tenant's by the caller).
    pub saved_filter_id: i64,
    /// Actions, JSON.
    pub actions: &'a str,
    /// Reason.
    pub reason: Option<&'a str>,
    /// Schedule, JSON.
    pub schedule: &'a str,
    /// Time zone.
    pub time_zone: &'a str,
    /// Active.
    pub active: bool,
    /// Dry runs only.
    pub dry_run_only: bool,
    /// The next run, computed by the caller.
    pub next_run_at: Option<NaiveDateTime>,
}

/// Records a task saved by `by` (who becomes its acting admin).
pub fn create(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    fields: &TaskFields<'_>,
    by: &str,
    now: NaiveDateTime,
) -> Result<Task, StoreError> {
    let row = (
        fields,
        tasks::tenant_id.eq(tenant_id),
        (tasks::acting_admin.eq(by), tasks::created_by.eq(by)),
        (tasks::created_at.eq(now), tasks::updated_by.eq(by)),
        tasks::updated_at.eq(now),
    );
    let id: i64 = with_backend!(&mut *conn, |c| diesel::insert_into(tasks::table)
        .values(row)
        .returning(tasks::id)
        .get_result(c))?;
    find(conn, tenant_id, id)?.ok_or(StoreError::Query(diesel::result::Error::NotFound))
}

/// Replaces the task's fields; `by` becomes its acting admin. `None` when no such task.
pub fn update(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
    fields: &TaskFields<'_>,
    by: &str,
    now: NaiveDateTime,
) -> Result<Option<Task>, StoreError> {
    diesel::update(
        tasks::table
            .filter(tasks::tenant_id.eq(tenant_id))
            .filter(tasks::id.eq(id)),
    )
    .set((
        fields,
        (
            tasks::acting_admin.eq(by),
            tasks::inactive_reason.eq(None::<String>),
        ),
        (tasks::updated_by.eq(by), tasks::updated_at.eq(now)),
    ))
    .execute(conn)?;
    find(conn, tenant_id, id)
}

/// The tenant's task `id`.
pub fn find(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
) -> Result<Option<Task>, StoreError> {
    Ok(tasks::table
        .filter(tasks::tenant_id.eq(tenant_id))
        .filter(tasks::id.eq(id))
        .select(Task::as_select())
        .first(conn)
        .optional()?)
}

/// [`find`] inside a write transaction that changes or deletes the task: the row stays held
/// until the transaction ends, so its audit entry's old values are the ones replaced.
pub fn find_for_update(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
) -> Result<Option<Task>, StoreError> {
    Ok(first_for_update!(
        conn,
        tasks::table
            .filter(tasks::tenant_id.eq(tenant_id))
            .filter(tasks::id.eq(id))
            .select(Task::as_select())
    )?)
}

/// The tenant's tasks, by name.
pub fn list(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<Vec<Task>, StoreError> {
    Ok(tasks::table
        .filter(tasks::tenant_id.eq(tenant_id))
        .order((tasks::name.asc(), tasks::id.asc()))
        .select(Task::as_select())
        .load(conn)?)
}

/// Deletes the tenant's task `id` (its runs stay, as operations, until retention); whether it
/// existed.
pub fn delete(conn: &mut DbConnection, tenant_id: &TenantId, id: i64) -> Result<bool, StoreError> {
    Ok(diesel::delete(
        tasks::table
            .filter(tasks::tenant_id.eq(tenant_id))
            .filter(tasks::id.eq(id)),
    )
    .execute(conn)?
        > 0)
}

/// Names of the tenant's tasks that use saved filter `filter_id` (a filter in use may not be
/// deleted).
pub fn using_filter(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    filter_id: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(tasks::table
        .filter(tasks::tenant_id.eq(tenant_id))
        .filter(tasks::saved_filter_id.eq(filter_id))
        .order(tasks::name.asc())
        .select(tasks::name)
        .load(conn)?)
}

/// Deletes the tenant's tasks (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &str) -> Result<(), StoreError> {
    diesel::delete(tasks::table.filter(tasks::tenant_id.eq(tenant_id))).execute(conn)?;
    Ok(())
}
