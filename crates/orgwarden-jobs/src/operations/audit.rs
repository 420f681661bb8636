//! `operation.finished`: written in the transaction that ends the operation, with its counts,
//! beside its webhook event: `operationFinished`, or for an automated task's run `taskSuccess`
//! (every step done or skipped) or `taskFailure`.

use chrono::Utc;
use orgwarden_store::audit::{self, Actor, Kind, NewEntry};
use orgwarden_store::operations::{Operation, RunState, Totals};
use orgwarden_store::tasks;
use orgwarden_store::webhooks::{self, Event};
use orgwarden_store::{DbConnection, StoreError};

/// Records that `op` ended in `state` with `totals`.
pub(super) fn finished(
    conn: &mut DbConnection,
    op: &Operation,
    state: RunState,
    totals: Totals,
    error: Option<&str>,
) -> Result<(), StoreError> {
    let why = error.map(|e| format!(" ({e})")).unwrap_or_default();
    let entry = NewEntry {
        kind: Kind::OperationFinished,
        actor: Actor::system("orgwarden operations"),
        summary: format!(
            "Operation {} {state}: {} done, {} skipped, {} failed of {}{why}",
            op.id, totals.done, totals.skipped, totals.failed, totals.total
        ),
        details: serde_json::json!({
            "operationId": op.id,
            "state": state,
            "requestedBy": op.requested_by,
            "revertOf": op.revert_of,
            "counts": {"total": totals.total, "done": totals.done,
                "skipped": totals.skipped, "failed": totals.failed},
            "error": error,
        }),
    };
    let now = Utc::now().naive_utc();
    let action_types = action_types(op);
    let event = match (op.task_id, &op.process_id) {
        (Some(task_id), Some(process_id)) => task_event(
            conn,
            op,
            task_id,
            process_id,
            state,
            totals,
            error,
            action_types,
        )?,
        _ => Event::OperationFinished {
            operation_id: op.id,
            state,
            action_types,
            reason: op.reason.clone(),
            counts: [totals.total, totals.done, totals.skipped, totals.failed],
        },
    };
    webhooks::enqueue_event(conn, &op.tenant_id, &event, now)?;
    audit::record(conn, &op.tenant_id, &entry, now).map(drop)
}

/// The `type`s of the operation's actions, and `revert` for a revert.
fn action_types(op: &Operation) -> Vec<String> {
    let mut types: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&op.actions)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a["type"].as_str().map(str::to_owned))
        .collect();
    if op.revert_of.is_some() {
        types.push("revert".to_owned());
    }
    types
}

/// Queues the webhook event of a task's run recorded as ended when it started (it could not
/// start, or nobody matched): `taskSuccess` or `taskFailure`, as for a run that ran. Call in
/// the transaction that recorded it.
pub(crate) fn run_ended_at_start(
    conn: &mut DbConnection,
    op: &Operation,
) -> Result<(), StoreError> {
    let (Some(task_id), Some(process_id)) = (op.task_id, op.process_id.as_deref()) else {
        return Ok(());
    };
    let types = action_types(op);
    let error = op.error.as_deref();
    let event = task_event(
        conn,
        op,
        task_id,
        process_id,
        op.state,
        Totals::default(),
        error,
        types,
    )?;
    webhooks::enqueue_event(conn, &op.tenant_id, &event, Utc::now().naive_utc()).map(drop)
}

/// `taskSuccess` when the run completed without a failed step, else `taskFailure` with why.
#[allow(clippy::too_many_arguments)]
fn task_event(
    conn: &mut DbConnection,
    op: &Operation,
    task_id: i64,
    process_id: &str,
    state: RunState,
    totals: Totals,
    error: Option<&str>,
    action_types: Vec<String>,
) -> Result<Event, StoreError> {
    let name = tasks::find(conn, &op.tenant_id, task_id)?
        .map_or_else(|| format!("Task {task_id}"), |t| t.name);
    let process_id = process_id.to_owned();
    Ok(if state == RunState::Completed && totals.failed == 0 {
        Event::TaskSuccess {
            task_id,
            process_id,
            name,
            action_types,
        }
    } else {
        let why = match (error, totals.failed) {
            (Some(e), _) => e.to_owned(),
            (None, 0) => format!("the run ended {state}"),
            (None, n) => format!("{n} of {} steps failed", totals.total),
        };
        Event::TaskFailure {
            task_id,
            process_id,
            name,
            action_types,
            error: Some(why),
        }
    })
}
