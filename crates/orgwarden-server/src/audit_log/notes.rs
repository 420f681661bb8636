//! Small helpers for the entries handlers write.

use chrono::Utc;
use orgwarden_ids::TenantId;
use orgwarden_store::audit::{self, Actor, NewEntry};
use orgwarden_store::{DbConnection, StoreError};
use serde::Serialize;

use super::Note;

/// The fields of two serializable values that differ, `{field: {old, new}}`, with the fields
/// named in `secret` masked.
pub fn changes<T: Serialize>(old: &T, new: &T, secret: &[&str]) -> serde_json::Value {
    let as_json = |v: &T| serde_json::to_value(v).unwrap_or(serde_json::Value::Null);
    audit::changes(&as_json(old), &as_json(new), secret)
}

/// Records `note` by `actor` now, in the caller's transaction (if any).
pub fn record_now(
    conn: &mut DbConnection,
    tenant: &TenantId,
    actor: Actor,
    note: Note,
) -> Result<i64, StoreError> {
    let entry = NewEntry {
        kind: note.kind,
        actor,
        summary: note.summary,
        details: note.details,
    };
    audit::record(conn, tenant, &entry, Utc::now().naive_utc())
}

/// Records `note` by `who` on its own (for what changes nothing else: a download, a refused
/// key check).
pub async fn record_alone(
    db: &orgwarden_store::Database,
    who: super::Who,
    note: Note,
) -> Result<(), crate::error::ApiError> {
    crate::db::run(db, move |conn| {
        let actor = who.actor(conn)?;
        record_now(conn, &who.tenant, actor, note).map(drop)
    })
    .await
}

/// `export.downloaded`: `what` (`users`, `operationResults`, `audit`) of `selection` in
/// `format`: `rows` rows handed out whole, or (`None`) a download interrupted before its end,
/// recorded all the same (its caller has most of it).
pub fn downloaded(what: &str, selection: &impl Serialize, rows: Option<u64>, format: &str) -> Note {
    let selection = serde_json::to_value(selection).unwrap_or(serde_json::Value::Null);
    let label = match what {
        "users" => "users",
        "operationResults" => "operation results",
        _ => "audit entries",
    };
    let format_name = format.to_uppercase();
    let summary = match rows {
        Some(rows) => format!("Downloaded {rows} {label} as {format_name}"),
        None => format!("Began downloading {label} as {format_name}; the download was interrupted"),
    };
    Note::new(
        orgwarden_store::audit::Kind::ExportDownloaded,
        summary,
        serde_json::json!({"what": what, "selection": selection, "rows": rows, "format": format,
            "complete": rows.is_some()}),
    )
}
