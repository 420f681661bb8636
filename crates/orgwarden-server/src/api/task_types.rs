//! Shapes of the automated tasks API and the checks that name the offending field.

use chrono::{DateTime, Utc};
use orgwarden_jobs::tasks::Schedule;
use orgwarden_store::operations::{Action, Counts, Operation, Selection};
use orgwarden_store::tasks::Task;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::operations::results::ResultItem;
use super::operations::types::{validate_actions, OperationRequest};
use super::result_outcome::TaskRunState;
use crate::error::ApiError;

/// A task as an admin saves it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskInput {
    /// 1 to 200 characters.
    pub name: String,
    /// The saved filter, re-evaluated at every run.
    pub saved_filter_id: i64,
    /// What to do, in order, per user (as bulk operations, with their guards).
    pub actions: Vec<Action>,
    /// Why (recorded with every change).
    #[serde(default)]
    pub reason: Option<String>,
    /// When it runs.
    pub schedule: Schedule,
    /// Runs on its schedule.
    pub active: bool,
    /// IANA time zone of the schedule's times (default: the tenant's).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Every run is a dry run (plans and records, changes nothing).
    #[serde(default)]
    pub dry_run_only: bool,
    /// The saved filter's `updatedAt` as the admin reviewed it: when given and the filter changed
    /// since (another admin edited it), the save is refused with 409 `filter_changed`.
    #[serde(default)]
    pub filter_updated_at: Option<DateTime<Utc>>,
}

impl TaskInput {
    /// Checks sizes and shapes; the saved filter, groups and products are checked against the
    /// tenant's data by the handler.
    pub fn validate(&self) -> Result<(), ApiError> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(ApiError::invalid("name", "must be 1 to 200 characters"));
        }
        if let Some(zone) = &self.time_zone {
            if zone.parse::<chrono_tz::Tz>().is_err() {
                return Err(ApiError::invalid(
                    "timeZone",
                    "must be an IANA time zone such as Europe/Berlin",
                ));
            }
        }
        validate_actions(&self.actions, self.reason.as_deref())
    }

    /// The actions as an operation request, to check them against the mirror.
    pub fn as_operation(&self) -> OperationRequest {
        OperationRequest {
            selection: Selection::default(),
            actions: self.actions.clone(),
            reason: self.reason.clone(),
        }
    }
}

/// The newest run of a task, or one in a task's history.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskRunView {
    /// The run's id (a UUID).
    pub process_id: String,
    /// The operation that carries it (`/api/v1/operations/{id}`).
    pub operation_id: i64,
    /// Where the run is, or how it ended.
    pub state: TaskRunState,
    /// A dry run: planned and recorded, nothing changed.
    pub dry_run: bool,
    /// Started after its due time because no orgwarden process was running then.
    pub late: bool,
    /// When it was recorded.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
    /// Steps per outcome.
    pub counts: RunCounts,
    /// Why it failed as a whole.
    pub error: Option<String>,
}

/// Steps of a run per outcome.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunCounts {
    /// Every step.
    pub total: i64,
    /// Done.
    pub done: i64,
    /// Skipped (by a guard, a plan or a cancel).
    pub skipped: i64,
    /// Failed.
    pub failed: i64,
    /// A dry run's steps that would be done.
    pub would_act: i64,
}

impl TaskRunView {
    /// The view of a run with its ledger counts.
    pub fn new(op: &Operation, counts: &Counts) -> Self {
        Self {
            process_id: op.process_id.clone().unwrap_or_default(),
            operation_id: op.id,
            state: TaskRunState::of(op, counts),
            dry_run: op.dry_run,
            late: op.late,
            started_at: op.created_at.and_utc(),
            finished_at: op.finished_at.map(|t| t.and_utc()),
            counts: RunCounts {
                total: counts.total(),
                done: counts.done,
                skipped: counts.skipped,
                failed: counts.failed + counts.in_flight,
                would_act: counts.would_act,
            },
            error: op.error.clone(),
        }
    }
}

/// An automated task.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskView {
    /// Task id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The saved filter.
    pub saved_filter_id: i64,
    /// The actions.
    pub actions: Vec<Action>,
    /// Why.
    pub reason: Option<String>,
    /// When it runs (an interval's `startDate` filled in).
    pub schedule: Schedule,
    /// Time zone of the schedule's times.
    pub time_zone: String,
    /// Runs on its schedule.
    pub active: bool,
    /// Every run is a dry run.
    pub dry_run_only: bool,
    /// When it runs next (null: manual, inactive, or nothing left to run).
    pub next_run_at: Option<DateTime<Utc>>,
    /// The org admin whose rights it acts with (who last saved it).
    pub acting_admin: String,
    /// Why orgwarden switched it off, when it did.
    pub inactive_reason: Option<String>,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Who saved it last.
    pub updated_by: String,
    /// When.
    pub updated_at: DateTime<Utc>,
    /// Its newest run.
    pub last_run: Option<TaskRunView>,
}

impl TaskView {
    /// The view of a stored task and its newest run.
    pub fn new(task: Task, last_run: Option<TaskRunView>) -> Self {
        Self {
            id: task.id,
            actions: serde_json::from_str(&task.actions).unwrap_or_default(),
            schedule: serde_json::from_str(&task.schedule)
                .unwrap_or(Schedule::Manual { window: None }),
            name: task.name,
            saved_filter_id: task.saved_filter_id,
            reason: task.reason,
            time_zone: task.time_zone,
            active: task.active,
            dry_run_only: task.dry_run_only,
            next_run_at: task.next_run_at.map(|t| t.and_utc()),
            acting_admin: task.acting_admin,
            inactive_reason: task.inactive_reason,
            created_by: task.created_by,
            created_at: task.created_at.and_utc(),
            updated_by: task.updated_by,
            updated_at: task.updated_at.and_utc(),
            last_run,
        }
    }
}

/// The tenant's tasks, by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskList {
    /// The tasks.
    pub items: Vec<TaskView>,
}

/// Starts a run now.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RunRequest {
    /// Plan and record only; nothing changes in the organization.
    #[serde(default)]
    pub dry_run: bool,
}

/// A started run.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunStarted {
    /// The run's id: follow it with `GET /api/v1/tasks/{id}/runs/{processId}`.
    pub process_id: String,
}

/// A task's runs, newest first (at most 100).
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskRunPage {
    /// The runs.
    pub items: Vec<TaskRunView>,
}

/// A run with every step's outcome (a dry run's are `wouldAct` or `skip`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskRunDetail {
    /// The task.
    pub task_id: i64,
    /// The run.
    #[serde(flatten)]
    pub run: TaskRunView,
    /// Per user and action, the outcome (absent with `results=false`; a page at a time:
    /// `GET /api/v1/operations/{operationId}/steps`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<Vec<ResultItem>>,
}

/// Who a task would touch now: its saved filter and actions (the rest of a task body is
/// accepted and ignored).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskPreviewRequest {
    /// The saved filter.
    pub saved_filter_id: i64,
    /// The actions.
    pub actions: Vec<Action>,
}

impl TaskPreviewRequest {
    /// The actions as an operation request, to check them against the mirror.
    pub fn as_operation(&self) -> OperationRequest {
        OperationRequest {
            selection: Selection::default(),
            actions: self.actions.clone(),
            reason: None,
        }
    }
}

/// A user a task would act on.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreviewUser {
    /// Account id.
    pub account_id: String,
    /// Display name.
    pub name: String,
}

/// Who a task would touch if it ran now.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskPreview {
    /// Users at least one step would act on.
    pub total: usize,
    /// Users the saved filter matches.
    pub matched: usize,
    /// Steps that would be done.
    pub act: usize,
    /// Steps a guard or the plan skips.
    pub skip: usize,
    /// The first 10 users it would act on, by name.
    pub sample: Vec<PreviewUser>,
}
