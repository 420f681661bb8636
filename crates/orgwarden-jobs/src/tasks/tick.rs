//! The scheduler tick: claims each due task with a compare-and-set on `next_run_at` and records
//! its run in the same transaction, so with several processes on one database a due run starts
//! exactly once; the claimed runs are then queued for the operation job. A run found due long
//! after its time (every process was down) runs once, marked late, and the schedule continues
//! from now: missed slots are not repeated.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Tz;
use orgwarden_store::audit::{self, Actor, Kind, NewEntry};
use orgwarden_store::operations::{Operation, RunState};
use orgwarden_store::settings::Settings;
use orgwarden_store::tasks::{self, DueTask, Task};
use orgwarden_store::{DbConnection, StoreError};

use super::{start_run, Plan, RunKind, Schedule, SyncSlot};
use crate::sync::{blocking, SyncContext};
use crate::{OperationJob, Queue};

/// A run that starts more than this after its due time is late.
pub const LATE_AFTER_SECS: i64 = 120;
/// Due tasks claimed per tick (the rest wait for the next tick).
const CLAIMS_PER_TICK: i64 = 100;

/// The tenant's daily sync slot.
pub fn sync_slot(settings: &Settings) -> SyncSlot {
    SyncSlot {
        hour: u32::try_from(settings.sync_hour).unwrap_or(0),
        zone: settings.time_zone.parse().unwrap_or(chrono_tz::UTC),
    }
}

/// The checked schedule and time zone of a stored task (`None` when unreadable).
pub fn plan_of(task: &Task) -> Option<(Plan, Tz)> {
    let schedule: Schedule = serde_json::from_str(&task.schedule).ok()?;
    let zone: Tz = task.time_zone.parse().ok()?;
    let today = task.created_at.and_utc().with_timezone(&zone).date_naive();
    Some((schedule.plan(today).ok()?, zone))
}

/// When `task` runs next after `now` (`None`: manual, inactive, or nothing left).
pub fn next_run(task: &Task, settings: &Settings, now: DateTime<Utc>) -> Option<NaiveDateTime> {
    let (plan, zone) = plan_of(task)?;
    plan.next_after(zone, Some(sync_slot(settings)), now)
        .map(|at| at.naive_utc())
}

/// Claims the due tasks at `now` and records their runs; returns the runs to queue.
pub fn claim_due_runs(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
) -> Result<Vec<Operation>, StoreError> {
    let mut started = Vec::new();
    for due in tasks::due(conn, now.naive_utc(), CLAIMS_PER_TICK)? {
        if let Some(op) = claim(conn, &due, now)? {
            started.push(op);
        }
    }
    Ok(started)
}

fn claim(
    conn: &mut DbConnection,
    due: &DueTask,
    now: DateTime<Utc>,
) -> Result<Option<Operation>, StoreError> {
    let task = &due.task;
    let Some(expected) = task.next_run_at else {
        return Ok(None);
    };
    let Some((plan, zone)) = plan_of(task) else {
        tasks::deactivate(
            conn,
            &task.tenant_id,
            task.id,
            "The task's schedule cannot be read; save the task again.",
        )?;
        return Ok(None);
    };
    let slot = Some(sync_slot(&due.settings));
    let late = now.naive_utc() - expected > Duration::seconds(LATE_AFTER_SECS);
    // Never inside the sync slot or outside the window, also when late or after the settings
    // changed: wait for the next allowed instant.
    if let Some(allowed) = plan.start_at(zone, slot, now).filter(|at| *at > now) {
        tasks::advance(conn, task.id, expected, Some(allowed.naive_utc()))?;
        return Ok(None);
    }
    let next = plan.next_after(zone, slot, now).map(|at| at.naive_utc());
    orgwarden_store::transaction(conn, |conn| {
        if !tasks::advance(conn, task.id, expected, next)? {
            return Ok(None);
        }
        let kind = RunKind {
            dry_run: false,
            late,
        };
        let op = start_run(conn, task, kind, now.naive_utc())?;
        let (summary, details) = super::run_note(task, &op);
        let entry = NewEntry {
            kind: Kind::TaskRun,
            actor: Actor::system("orgwarden scheduler"),
            summary,
            details,
        };
        audit::record(conn, &task.tenant_id, &entry, now.naive_utc())?;
        Ok(Some(op))
    })
}

/// One scheduler tick at `now`: claims due tasks and queues their runs; returns how many
/// started.
pub async fn schedule_due_tasks(
    ctx: &SyncContext,
    queue: &Queue,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let started = blocking(&ctx.db, move |conn| claim_due_runs(conn, now)).await?;
    for op in &started {
        crate::metrics::task_run_started(op, true);
    }
    for op in started.iter().filter(|op| op.state == RunState::Queued) {
        queue
            .enqueue(OperationJob {
                operation_id: op.id,
            })
            .await?;
    }
    Ok(started.len())
}
