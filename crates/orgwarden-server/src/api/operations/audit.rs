//! The audit entries of operations requested through the API: what was asked, of whom (the
//! full selection), and why.

use orgwarden_store::audit::Kind;
use orgwarden_store::operations::Operation;

use crate::audit_log::Note;

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

/// `operation.created`, or `operation.reverted` for a revert.
pub fn created(op: &Operation) -> Note {
    let selection = json(&op.selection);
    let users = selection["accountIds"].as_array().map_or(0, Vec::len);
    let actions = json(&op.actions);
    let details = serde_json::json!({
        "operationId": op.id,
        "actions": actions,
        "reason": op.reason,
        "selection": selection,
        "users": users,
        "revertOf": op.revert_of,
    });
    match op.revert_of {
        Some(of) => Note::new(
            Kind::OperationReverted,
            format!(
                "Started operation {} reverting operation {of} for {users} users",
                op.id
            ),
            details,
        ),
        None => {
            let kinds: Vec<&str> = actions
                .as_array()
                .map(|a| a.iter().filter_map(|x| x["type"].as_str()).collect())
                .unwrap_or_default();
            let why = op
                .reason
                .as_deref()
                .map(|r| format!(" — {r}"))
                .unwrap_or_default();
            Note::new(
                Kind::OperationCreated,
                format!(
                    "Started operation {} ({}) on {users} users{why}",
                    op.id,
                    kinds.join(", ")
                ),
                details,
            )
        }
    }
}

/// `operation.cancelled`: a cancel was asked.
pub fn cancelled(id: i64) -> Note {
    Note::new(
        Kind::OperationCancelled,
        format!("Cancelled operation {id}"),
        serde_json::json!({"operationId": id}),
    )
}
