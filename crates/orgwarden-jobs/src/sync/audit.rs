//! The audit entries of syncs: `sync.started`, then `sync.succeeded` or `sync.failed`, each
//! written in the transaction that moves the run (a failure also queues `syncFailed` webhooks).

use chrono::Utc;
use orgwarden_store::audit::{self, Actor, Kind, NewEntry};
use orgwarden_store::sync_runs::{Progress, SyncRun};
use orgwarden_store::webhooks::{self, Event};
use orgwarden_store::{DbConnection, StoreError};

fn record(
    conn: &mut DbConnection,
    run: &SyncRun,
    kind: Kind,
    summary: String,
    details: serde_json::Value,
) -> Result<(), StoreError> {
    let entry = NewEntry {
        kind,
        actor: Actor::system("orgwarden sync"),
        summary,
        details,
    };
    audit::record(conn, &run.tenant_id, &entry, Utc::now().naive_utc()).map(drop)
}

/// `sync.started`.
pub(super) fn started(conn: &mut DbConnection, run: &SyncRun) -> Result<(), StoreError> {
    record(
        conn,
        run,
        Kind::SyncStarted,
        format!("Started sync {} ({})", run.id, run.kind),
        serde_json::json!({"runId": run.id, "kind": run.kind, "requestedBy": run.requested_by}),
    )
}

/// `sync.succeeded` or `sync.failed` (with the admin-facing error).
pub(super) fn finished(
    conn: &mut DbConnection,
    run: &SyncRun,
    p: &Progress,
    error: Option<&str>,
) -> Result<(), StoreError> {
    let details = serde_json::json!({
        "runId": run.id, "kind": run.kind, "requestedBy": run.requested_by,
        "users": p.users, "groups": p.groups, "sites": p.sites, "requests": p.requests,
        "error": error,
    });
    match error {
        None => record(
            conn,
            run,
            Kind::SyncSucceeded,
            format!(
                "Sync {} ({}) succeeded: {} users, {} groups",
                run.id, run.kind, p.users, p.groups
            ),
            details,
        ),
        Some(e) => {
            let event = Event::SyncFailed {
                run_id: run.id,
                kind: run.kind,
                error: e.to_owned(),
            };
            webhooks::enqueue_event(conn, &run.tenant_id, &event, Utc::now().naive_utc())?;
            record(
                conn,
                run,
                Kind::SyncFailed,
                format!("Sync {} ({}) failed: {e}", run.id, run.kind),
                details,
            )
        }
    }
}
