//! Checking a task body against the tenant's data: the saved filter is theirs (and unchanged since
//! the admin reviewed it, when they say when), the groups and products exist (once synced), the
//! schedule is valid and has a next run when active (a one-time run that has had its time may be
//! saved again as it was).

use actix_web::http::StatusCode;
use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use orgwarden_ids::TenantId;
use orgwarden_jobs::tasks::{sync_slot, Schedule};
use orgwarden_store::operations;
use orgwarden_store::tasks::{Task, TaskFields};
use orgwarden_store::{mirror, saved_filters, settings, DbConnection};

use super::task_types::TaskInput;
use crate::error::ApiError;
use crate::error_code::ErrorCode;

/// A task body checked and ready to store.
pub struct CheckedTask {
    actions: String,
    schedule: String,
    time_zone: String,
    next_run_at: Option<NaiveDateTime>,
}

impl CheckedTask {
    /// The fields to store for `input`.
    pub fn fields<'a>(&'a self, input: &'a TaskInput) -> TaskFields<'a> {
        TaskFields {
            name: input.name.trim(),
            saved_filter_id: input.saved_filter_id,
            actions: &self.actions,
            reason: input.reason.as_deref(),
            schedule: &self.schedule,
            time_zone: &self.time_zone,
            active: input.active,
            dry_run_only: input.dry_run_only,
            next_run_at: self.next_run_at,
        }
    }
}

/// Checks `input` (already validated for shape) against the tenant's data at `now`; `saved` is
/// the task as stored when `input` replaces it.
pub fn check(
    conn: &mut DbConnection,
    tenant: &TenantId,
    input: &TaskInput,
    saved: Option<&Task>,
    now: DateTime<Utc>,
) -> Result<CheckedTask, ApiError> {
    // Locked like a change of the filter locks it: an admin who may not change a filter that
    // tasks use cannot change it between this read and the task's commit.
    let Some(filter) = saved_filters::find_for_update(conn, tenant, input.saved_filter_id)? else {
        return Err(ApiError::invalid("savedFilterId", "no such saved filter"));
    };
    if let Some(reviewed) = input.filter_updated_at {
        if filter.updated_at.and_utc().timestamp_micros() != reviewed.timestamp_micros() {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::FilterChanged,
                format!(
                    "The saved filter \u{201c}{}\u{201d} was changed since you reviewed it (at {} UTC): look at the users it selects again, then save.",
                    filter.name,
                    filter.updated_at.format("%Y-%m-%d %H:%M:%S")
                ),
            )
            .with_details(serde_json::json!({"field": "savedFilterId"})));
        }
    }
    if let Some(published) = mirror::current(conn, tenant)? {
        let facts = operations::load_facts(conn, tenant, published.generation, &[])?;
        let products = operations::site_products(conn, tenant, published.generation)?;
        input.as_operation().validate_against(&facts, &products)?;
    }
    let settings = settings::get(conn, tenant)?;
    let time_zone = input
        .time_zone
        .clone()
        .unwrap_or_else(|| settings.time_zone.clone());
    let zone: Tz = time_zone.parse().map_err(|_| {
        ApiError::invalid(
            "timeZone",
            "must be an IANA time zone such as Europe/Berlin",
        )
    })?;
    let today = now.with_timezone(&zone).date_naive();
    let schedule = input.schedule.clone().with_start_date(today);
    let plan = schedule
        .plan(today)
        .map_err(|e| ApiError::invalid(&e.field, &e.message))?;
    let mut next = plan.next_after(zone, Some(sync_slot(&settings)), now);
    // An active one-time task whose time came (it ran, or its late run is still to be claimed)
    // saved again with the same schedule: its runs stay as they are.
    let had_its_time = saved.filter(|task| {
        next.is_none()
            && matches!(schedule, Schedule::Once { .. })
            && task.active
            && task.time_zone == time_zone
            && serde_json::from_str::<Schedule>(&task.schedule).is_ok_and(|s| s == schedule)
    });
    if let Some(task) = had_its_time {
        next = task.next_run_at.map(|at| at.and_utc());
    }
    if input.active && next.is_none() && !plan.is_manual() && had_its_time.is_none() {
        return Err(match schedule {
            Schedule::Once { .. } => ApiError::invalid(
                "schedule.at",
                "is in the past: choose a later time, or save the task inactive",
            ),
            _ => ApiError::invalid(
                "schedule.window",
                "no time in the window lies outside the daily sync slot (Settings): widen the window",
            ),
        });
    }
    Ok(CheckedTask {
        actions: serde_json::to_string(&input.actions).map_err(ApiError::internal)?,
        schedule: serde_json::to_string(&schedule).map_err(ApiError::internal)?,
        time_zone,
        next_run_at: next.filter(|_| input.active).map(|at| at.naive_utc()),
    })
}
