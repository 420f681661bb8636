//! Appending to and verifying a tenant's hash chain (the canonical form is in the crate README).

use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;
use diesel::sql_types::Text;
use sha2::{Digest, Sha256};

use super::{Entry, NewEntry};
use crate::schema::{audit_checkpoints, audit_entries};
use crate::{DbConnection, StoreError};

/// The `prev_hash` of a tenant's first entry: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const VERIFY_BATCH: i64 = 2_000;

/// SHA-256 (hex) of an entry's canonical form: the compact JSON array
/// `["orgwarden.audit.v1", id, tenantId, at, kind, actorId, actorName, via, tokenId, summary,
/// details, prevHash]`, `at` as `YYYY-MM-DDTHH:MM:SS.ffffffZ`, `details` the stored JSON text.
pub(crate) fn hash_of(e: &Entry) -> String {
    let canonical = serde_json::json!([
        "orgwarden.audit.v1",
        e.id,
        e.tenant_id,
        e.at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        e.kind,
        e.actor_id,
        e.actor_name,
        e.via,
        e.token_id,
        e.summary,
        e.details,
        e.prev_hash,
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// Appends `entry` to the tenant's chain; returns its id. Call it inside the transaction of the
/// change it records, so that both commit or neither does.
pub fn record(
    conn: &mut DbConnection,
    tenant_id: &str,
    entry: &NewEntry,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    conn.transaction(|conn| {
        // Appends of one tenant queue here until the previous one commits, so each links to
        // the one committed before it. SQLite has one writer: inserting first takes its lock.
        if let DbConnection::Pg(_) = conn {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1)::bigint)")
                .bind::<Text, _>(format!("orgwarden.audit|{tenant_id}"))
                .execute(conn)?;
        }
        let at = now.trunc_subsecs(6);
        let details = entry.details.to_string();
        let values = (
            audit_entries::tenant_id.eq(tenant_id),
            audit_entries::at.eq(at),
            audit_entries::kind.eq(entry.kind.as_str()),
            audit_entries::actor_id.eq(&entry.actor.account_id),
            audit_entries::actor_name.eq(&entry.actor.name),
            audit_entries::via.eq(entry.actor.via.as_str()),
            audit_entries::token_id.eq(entry.actor.via.token_id()),
            audit_entries::summary.eq(&entry.summary),
            audit_entries::details.eq(&details),
            audit_entries::prev_hash.eq(""),
            audit_entries::hash.eq(""),
        );
        let id: i64 = crate::connection::with_backend!(&mut *conn, |c| diesel::insert_into(
            audit_entries::table
        )
        .values(values)
        .returning(audit_entries::id)
        .get_result(c))?;
        let prev_hash = previous_hash(conn, tenant_id, id)?;
        let mut stored = Entry {
            id,
            tenant_id: tenant_id.to_owned(),
            at,
            kind: entry.kind.as_str().to_owned(),
            actor_id: entry.actor.account_id.clone(),
            actor_name: entry.actor.name.clone(),
            via: entry.actor.via.as_str().to_owned(),
            token_id: entry.actor.via.token_id(),
            summary: entry.summary.clone(),
            details,
            prev_hash,
            hash: String::new(),
        };
        stored.hash = hash_of(&stored);
        diesel::update(audit_entries::table.find(id))
            .set((
                audit_entries::prev_hash.eq(&stored.prev_hash),
                audit_entries::hash.eq(&stored.hash),
            ))
            .execute(conn)?;
        Ok(id)
    })
}

fn previous_hash(conn: &mut DbConnection, tenant_id: &str, id: i64) -> Result<String, StoreError> {
    let previous: Option<String> = audit_entries::table
        .filter(audit_entries::tenant_id.eq(tenant_id))
        .filter(audit_entries::id.lt(id))
        .order(audit_entries::id.desc())
        .select(audit_entries::hash)
        .first(conn)
        .optional()?;
    match previous {
        Some(hash) => Ok(hash),
        None => Ok(checkpoint(conn, tenant_id)?.unwrap_or_else(|| GENESIS.to_owned())),
    }
}

pub(super) fn checkpoint(
    conn: &mut DbConnection,
    tenant_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(audit_checkpoints::table
        .find(tenant_id)
        .select(audit_checkpoints::hash)
        .first(conn)
        .optional()?)
}

/// The outcome of walking a tenant's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Entries checked.
    pub checked: i64,
    /// The first entry whose content does not match its hash, or whose link to the entry
    /// before it is broken (an entry before it was changed or removed).
    pub first_broken_id: Option<i64>,
    /// `content` or `link`, for the first broken entry.
    pub reason: Option<&'static str>,
}

/// Walks the tenant's chain from the oldest retained entry (linked to the retention
/// checkpoint) to the newest.
pub fn verify(conn: &mut DbConnection, tenant_id: &str) -> Result<Verification, StoreError> {
    let mut expected = checkpoint(conn, tenant_id)?.unwrap_or_else(|| GENESIS.to_owned());
    let mut after = i64::MIN;
    let mut checked = 0;
    loop {
        let batch: Vec<Entry> = audit_entries::table
            .filter(audit_entries::tenant_id.eq(tenant_id))
            .filter(audit_entries::id.gt(after))
            .order(audit_entries::id.asc())
            .limit(VERIFY_BATCH)
            .select(Entry::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.id;
        for entry in &batch {
            checked += 1;
            let reason = if entry.prev_hash != expected {
                Some("link")
            } else if hash_of(entry) != entry.hash {
                Some("content")
            } else {
                None
            };
            if reason.is_some() {
                return Ok(Verification {
                    checked,
                    first_broken_id: Some(entry.id),
                    reason,
                });
            }
            expected.clone_from(&entry.hash);
        }
    }
    Ok(Verification {
        checked,
        first_broken_id: None,
        reason: None,
    })
}
