//! Appending to and verifying a tenant's hash chain (the canonical form is in the crate README).

use chrono::{NaiveDateTime, SecondsFormat, SubsecRound};
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
    // A tuple serializes as the JSON array, straight into the hasher.
    let canonical = (
        "orgwarden.audit.v1",
        e.id,
        &e.tenant_id,
        e.at.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true),
        &e.kind,
        &e.actor_id,
        &e.actor_name,
        &e.via,
        e.token_id,
        &e.summary,
        &e.details,
        &e.prev_hash,
    );
    let mut hasher = Sha256::new();
    // Writing into a hasher cannot fail, and these values always serialize.
    let _ = serde_json::to_writer(&mut hasher, &canonical);
    hex::encode(hasher.finalize())
}

/// Appends `entry` to the tenant's chain; returns its id. Call it inside the transaction of the
/// change it records, so that both commit or neither does (on SQLite one begun by
/// [`crate::write_transaction`], which holds the write lock); outside one it opens its own.
///
/// An append is three prepared statements (four on PostgreSQL): the next id, the previous hash,
/// the insert; on PostgreSQL first a transaction-scoped advisory lock per tenant (appends queue
/// there until the previous one commits, so each links to the one committed before it).
pub fn record(
    conn: &mut DbConnection,
    tenant_id: &str,
    entry: &NewEntry,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    if crate::connection::in_transaction(conn)? {
        append(conn, tenant_id, entry, now)
    } else {
        crate::write_transaction(conn, |conn| append(conn, tenant_id, entry, now))
    }
}

diesel::table! {
    /// SQLite's record of the largest id each `AUTOINCREMENT` table has handed out.
    sqlite_sequence (name) {
        name -> Text,
        seq -> BigInt,
    }
}

diesel::define_sql_function! {
    /// PostgreSQL's next value of a sequence.
    fn nextval(sequence: Text) -> BigInt;
}

/// The id the next entry takes and the hash it links to. Each query is a prepared statement
/// from the connection's cache.
fn head(conn: &mut DbConnection, tenant_id: &str) -> Result<(i64, String), StoreError> {
    let id = match conn {
        DbConnection::Pg(_) => {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1)::bigint)")
                .bind::<Text, _>(format!("orgwarden.audit|{tenant_id}"))
                .execute(conn)?;
            diesel::select(nextval("audit_entries_id_seq")).get_result::<i64>(conn)?
        }
        // The caller's transaction holds SQLite's only write lock: nobody else takes an id.
        DbConnection::Sqlite(_) => {
            sqlite_sequence::table
                .filter(sqlite_sequence::name.eq("audit_entries"))
                .select(sqlite_sequence::seq)
                .first::<i64>(conn)
                .optional()?
                .unwrap_or(0)
                + 1
        }
    };
    let previous: Option<String> = audit_entries::table
        .filter(audit_entries::tenant_id.eq(tenant_id))
        .order(audit_entries::id.desc())
        .select(audit_entries::hash)
        .first(conn)
        .optional()?;
    let prev = match previous {
        Some(hash) => hash,
        None => checkpoint(conn, tenant_id)?.unwrap_or_else(|| GENESIS.to_owned()),
    };
    Ok((id, prev))
}

fn append(
    conn: &mut DbConnection,
    tenant_id: &str,
    entry: &NewEntry,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    let (id, prev) = head(conn, tenant_id)?;
    let mut stored = Entry {
        id,
        tenant_id: tenant_id.to_owned(),
        at: now.trunc_subsecs(6),
        kind: entry.kind.as_str().to_owned(),
        actor_id: entry.actor.account_id.clone(),
        actor_name: entry.actor.name.clone(),
        via: entry.actor.via.as_str().to_owned(),
        token_id: entry.actor.via.token_id(),
        summary: entry.summary.clone(),
        details: entry.details.to_string(),
        prev_hash: prev,
        hash: String::new(),
    };
    stored.hash = hash_of(&stored);
    diesel::insert_into(audit_entries::table)
        .values(&stored)
        .execute(conn)?;
    Ok(id)
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

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    /// The hash is SHA-256 of the documented canonical form, byte for byte.
    #[test]
    fn hash_is_of_the_documented_canonical_form() {
        let at = NaiveDate::from_ymd_opt(2026, 12, 2)
            .and_then(|d| d.and_hms_micro_opt(9, 5, 7, 42))
            .expect("a valid time");
        let entry = Entry {
            id: 7,
            tenant_id: "client-\"key\"".into(),
            at,
            kind: "settings.updated".into(),
            actor_id: "557058:x".into(),
            actor_name: "Élodie \u{1F600}".into(),
            via: "token".into(),
            token_id: Some(3),
            summary: "Changed settings\n".into(),
            details: r#"{"a":1}"#.into(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        };
        let documented = r#"["orgwarden.audit.v1",7,"client-\"key\"","2026-12-02T09:05:07.000042Z","settings.updated","557058:x","Élodie 😀","token",3,"Changed settings\n","{\"a\":1}","0000000000000000000000000000000000000000000000000000000000000000"]"#;
        assert_eq!(
            hash_of(&entry),
            hex::encode(Sha256::digest(documented.as_bytes()))
        );
    }
}
