//! Starting a task's run: the saved filter re-evaluated against the published mirror, acting
//! as the org admin who last saved the task. A task whose acting admin is no longer an org
//! admin records a failed run saying why and is switched off.

use chrono::NaiveDateTime;
use orgwarden_ids::AccountId;
use orgwarden_store::operations::{self, Action, Operation, RunState, Selection};

use crate::operations::{most_steps, MAX_PLAN_STEPS};
use orgwarden_store::tasks::{self, NewRun, Task};
use orgwarden_store::users::{self, Filter};
use orgwarden_store::{mirror, saved_filters, DbConnection, StoreError};

/// How a run starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunKind {
    /// Plan and record only (also forced by the task's "dry run only").
    pub dry_run: bool,
    /// Started after its due time because no scheduler was running.
    pub late: bool,
}

/// Why a run cannot start.
enum Blocked {
    /// The acting admin lost their rights: the task is switched off too.
    ActingAdmin(String),
    /// Something else, said in the run.
    Other(String),
}

impl Blocked {
    fn message(&self) -> &str {
        match self {
            Self::ActingAdmin(why) | Self::Other(why) => why,
        }
    }
}

/// Why a task whose acting admin is no longer an organization admin stopped and was switched off.
pub fn acting_admin_lost(acting_admin: &str) -> String {
    format!(
        "The task acts with the rights of {acting_admin}, who last saved it and is no longer an \
         organization admin, so it was switched off. An organization admin can check it and \
         save it again to switch it back on."
    )
}

/// The filter and the account ids a run acts on, or why it cannot start.
fn selection(
    conn: &mut DbConnection,
    task: &Task,
    now: NaiveDateTime,
) -> Result<Result<(Filter, Vec<String>), Blocked>, StoreError> {
    let roles = users::admin_roles(conn, &task.tenant_id, &AccountId::from(&task.acting_admin))?;
    if !roles.org_admin {
        return Ok(Err(Blocked::ActingAdmin(acting_admin_lost(
            &task.acting_admin,
        ))));
    }
    let Some(saved) = saved_filters::find(conn, &task.tenant_id, task.saved_filter_id)? else {
        return Ok(Err(Blocked::Other(
            "The task's saved filter no longer exists.".into(),
        )));
    };
    let Ok(filter) = serde_json::from_str::<Filter>(&saved.filter) else {
        return Ok(Err(Blocked::Other(format!(
            "The saved filter \u{201c}{}\u{201d} cannot be read.",
            saved.name
        ))));
    };
    let Some(published) = mirror::current(conn, &task.tenant_id)? else {
        return Ok(Err(Blocked::Other(
            "The organization has not been synced yet.".into(),
        )));
    };
    let ids =
        users::matching_account_ids(conn, &task.tenant_id, published.generation, &filter, now)?;
    let Ok(actions) = serde_json::from_str::<Vec<Action>>(&task.actions) else {
        return Ok(Err(Blocked::Other(
            "The task's actions cannot be read.".into(),
        )));
    };
    let products = operations::site_products(conn, &task.tenant_id, published.generation)?;
    let steps = most_steps(&actions, ids.len(), products.len());
    if steps > MAX_PLAN_STEPS {
        return Ok(Err(Blocked::Other(format!(
            "The saved filter \u{201c}{}\u{201d} selects {} users: with the task's actions up to \
             {steps} steps, and one run plans at most {MAX_PLAN_STEPS}. Narrow the filter or split \
             the task's actions into several tasks.",
            saved.name,
            ids.len()
        ))));
    }
    Ok(Ok((filter, ids)))
}

/// Records a run of `task` with a new process id (call inside the transaction that claimed
/// it). A run that can start is `queued` for the operation job; one that selects nobody is
/// recorded completed, and one that cannot start failed (its acting admin lost their rights:
/// the task is switched off too).
pub fn start_run(
    conn: &mut DbConnection,
    task: &Task,
    kind: RunKind,
    now: NaiveDateTime,
) -> Result<Operation, StoreError> {
    let process_id = uuid::Uuid::new_v4().to_string();
    let dry_run = kind.dry_run || task.dry_run_only;
    let chosen = selection(conn, task, now)?;
    let (filter, ids, finished) = match &chosen {
        Err(why) => (
            None,
            Vec::new(),
            Some((RunState::Failed, Some(why.message()))),
        ),
        Ok((filter, ids)) if ids.is_empty() => (
            Some(filter.clone()),
            Vec::new(),
            Some((RunState::Completed, None)),
        ),
        Ok((filter, ids)) => (Some(filter.clone()), ids.clone(), None),
    };
    let selection = serde_json::to_string(&Selection {
        filter,
        account_ids: Some(ids),
    })
    .unwrap_or_default();
    let run = NewRun {
        tenant_id: &task.tenant_id,
        task_id: task.id,
        process_id: &process_id,
        actions: &task.actions,
        reason: task.reason.as_deref(),
        selection: &selection,
        requested_by: &task.acting_admin,
        dry_run,
        late: kind.late,
        finished,
    };
    let op = tasks::create_run(conn, &run, now)?;
    if op.state != RunState::Queued {
        crate::operations::run_ended_at_start(conn, &op)?;
    }
    if let Err(Blocked::ActingAdmin(why)) = &chosen {
        tasks::deactivate(conn, &task.tenant_id, task.id, why)?;
    }
    Ok(op)
}

/// The `task.run` entry's summary and details.
pub fn run_note(task: &Task, op: &Operation) -> (String, serde_json::Value) {
    let what = if op.dry_run { "Dry run" } else { "Run" };
    let late = if op.late { " (late)" } else { "" };
    let ended = match (op.state, op.error.as_deref()) {
        (RunState::Failed, Some(why)) => format!(": failed — {why}"),
        (RunState::Completed, _) => ": nobody matched the filter".to_owned(),
        _ => String::new(),
    };
    let users = serde_json::from_str::<Selection>(&op.selection)
        .ok()
        .and_then(|s| s.account_ids)
        .map_or(0, |ids| ids.len());
    (
        format!(
            "{what} of task \u{201c}{}\u{201d}{late} on {users} users{ended}",
            task.name
        ),
        serde_json::json!({
            "taskId": task.id, "name": task.name, "processId": op.process_id,
            "operationId": op.id, "dryRun": op.dry_run, "late": op.late, "users": users,
            "actingAdmin": task.acting_admin, "state": op.state, "error": op.error,
        }),
    )
}
