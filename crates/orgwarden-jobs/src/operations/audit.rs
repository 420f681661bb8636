//! `operation.finished`: written in the transaction that ends the operation, with its counts.

use chrono::Utc;
use orgwarden_store::audit::{self, Actor, Kind, NewEntry};
use orgwarden_store::operations::{Operation, Totals};
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
    audit::record(conn, &op.tenant_id, &entry, Utc::now().naive_utc()).map(drop)
}
