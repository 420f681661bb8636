//! `access.denied`: at most one entry per caller and hour, however often they are refused.
//! This instance remembers whom it recorded; the trail itself is asked too, so several
//! instances and restarts do not add more.

use orgwarden_ids::{AccountId, TenantId};
use std::sync::LazyLock;
use std::time::Duration;

use chrono::Utc;
use moka::sync::Cache;
use orgwarden_store::audit::{self, Filter, Kind};
use orgwarden_store::Database;

use super::{Note, Who};
use crate::access::Caller;

const WINDOW: Duration = Duration::from_secs(3600);

/// Tenant, account and token (if any) of a refused caller.
type CallerKey = (TenantId, AccountId, Option<i64>);

static RECORDED: LazyLock<Cache<CallerKey, ()>> = LazyLock::new(|| {
    Cache::builder()
        .max_capacity(100_000)
        .time_to_live(WINDOW)
        .build()
});

/// Records that `caller` was refused `method path` with `reason`, unless they were already
/// this hour: in the background, so a refusal is answered without waiting for the trail (whose
/// lock a retention run may hold). Failures are logged, never answered.
pub fn denied(db: &Database, caller: &Caller, method: &str, path: &str, reason: &str) {
    let who = Who::from(caller);
    let token = match who.via {
        audit::Via::Token(id) => Some(id),
        _ => None,
    };
    let key = (who.tenant.clone(), who.account_id.clone(), token);
    if RECORDED.contains_key(&key) {
        return;
    }
    let note = Note::new(
        Kind::AccessDenied,
        format!("Refused {method} {path}: {reason}"),
        serde_json::json!({"method": method, "path": path, "reason": reason}),
    );
    let db = db.clone();
    actix_web::rt::spawn(async move { record(&db, who, key, token, note).await });
}

async fn record(db: &Database, who: Who, key: CallerKey, token: Option<i64>, note: Note) {
    let result = crate::db::run(db, move |conn| {
        let actor = who.actor(conn)?;
        orgwarden_store::transaction(conn, |conn| {
            // Concurrent refusals of one caller (other requests, other instances) take turns,
            // so the later one finds the entry the earlier one wrote.
            audit::lock_trail(conn, &who.tenant)?;
            let since =
                Utc::now().naive_utc() - chrono::Duration::from_std(WINDOW).unwrap_or_default();
            let filter = Filter {
                kind: Some(Kind::AccessDenied.as_str().to_owned()),
                actor: Some(who.account_id.to_string()),
                from: Some(since),
                ..Filter::default()
            };
            let recent = audit::list(conn, &who.tenant, &filter, 20)?;
            if recent.iter().any(|e| e.token_id == token) {
                return Ok(());
            }
            super::record_now(conn, &who.tenant, actor, note).map(drop)
        })
    })
    .await;
    match result {
        // Remembered once it is in the trail: a failed write is tried again next refusal.
        Ok(()) => RECORDED.insert(key, ()),
        Err(e) => tracing::warn!(error = %e, "access refusal not recorded in the audit trail"),
    }
}
