//! Automated tasks: the schedule engine, the scheduler tick that claims due tasks exactly once,
//! and the creation of a task's run as an operation.

mod next_run;
mod run;
mod schedule;
#[cfg(test)]
mod schedule_tests;
mod tick;

pub use next_run::{resolve, SyncSlot};
pub use run::{acting_admin_lost, run_note, start_run, RunKind};
pub use schedule::{Day, Plan, Schedule, ScheduleError, Unit, Window};
pub use tick::{claim_due_runs, next_run, plan_of, schedule_due_tasks, sync_slot, LATE_AFTER_SECS};
