//! `operation.finished`: written in the transaction that ends the operation, with its counts,
//! beside the `operationFinished` webhook event.

use chrono::Utc;
use orgwarden_store::audit::{self, Actor, Kind, NewEntry};
use orgwarden_store::operations::{Operation, Totals};
use orgwarden_store::webhooks::{self, Event};
use orgwarden_store::{DbConnection, StoreError};

/// Records that `op` ended in `state` with `totals`.
pub(super) fn finished(
    conn: &mut DbConnection,
    op: &Operation,
    state: &str,
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
    let mut action_types: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&op.actions)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| a["type"].as_str().map(str::to_owned))
        .collect();
    if op.revert_of.is_some() {
        action_types.push("revert".to_owned());
    }
    let event = Event::OperationFinished {
        operation_id: op.id,
        state: state.to_owned(),
        action_types,
        reason: op.reason.clone(),
        counts: [totals.total, totals.done, totals.skipped, totals.failed],
    };
    webhooks::enqueue_event(conn, &op.tenant_id, &event, now)?;
    audit::record(conn, &op.tenant_id, &entry, now).map(drop)
}
