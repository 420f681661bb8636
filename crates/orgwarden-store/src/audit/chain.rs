//! Appending to a tenant's hash chain, in canonical form 2 (the crate README documents it).

use chrono::{NaiveDateTime, SubsecRound};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, SmallInt, Text, Timestamp};
use diesel::sqlite::SqliteConnection;
use orgwarden_ids::TenantId;
use sha2::{Digest, Sha256};

use super::canonical::{content_digest, link, FORM, GENESIS};
use super::{Entry, NewEntry};
use crate::schema::{audit_checkpoints, audit_entries};
use crate::{DbConnection, StoreError};

/// Appends `entry` to the tenant's chain; returns its id. Call it inside the transaction of the
/// change it records, so that both commit or neither does (on SQLite one begun by
/// [`crate::transaction`], which holds the write lock); outside one it opens its own.
///
/// The content digest is computed here; the link to the previous entry is made by the
/// database on PostgreSQL, in the one statement that advances the tenant's chain head and
/// inserts the entry (the head's row queues the tenant's concurrent appends until the previous
/// one commits), and by reading the newest entry under SQLite's single write lock. On PostgreSQL
/// the caller's transaction must be READ COMMITTED (the default), so that the head's upsert
/// advances the newest committed head rather than failing on it.
pub fn record(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    entry: &NewEntry,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    let alone = !crate::transaction::in_transaction(conn)?;
    if alone && matches!(conn, DbConnection::Sqlite(_)) {
        // SQLite's two statements need the write lock between them.
        return crate::transaction(conn, |conn| record(conn, tenant_id, entry, now));
    }
    let (mut stored, digest) = to_store(tenant_id, entry, now);
    match conn {
        // One statement: atomic on its own, or part of the caller's transaction.
        DbConnection::Pg(_) => append_pg(conn, &stored, &digest),
        DbConnection::Sqlite(c) => append_sqlite(c, &mut stored, &digest),
    }
}

/// `s` with any NUL replaced by U+FFFD: PostgreSQL text cannot hold one, and both backends store
/// (and hash) the same text.
fn without_nul(s: &str) -> String {
    s.replace('\0', "\u{FFFD}")
}

/// The entry as stored, before it is linked, and its content digest.
pub(super) fn to_store(
    tenant_id: &TenantId,
    entry: &NewEntry,
    now: NaiveDateTime,
) -> (Entry, String) {
    let stored = Entry {
        id: 0,
        tenant_id: tenant_id.clone(),
        at: now.trunc_subsecs(6),
        kind: entry.kind.as_str().to_owned(),
        actor_id: without_nul(&entry.actor.account_id),
        actor_name: without_nul(&entry.actor.name),
        via: entry.actor.via.as_str().to_owned(),
        token_id: entry.actor.via.token_id(),
        summary: without_nul(&entry.summary),
        details: entry.details.to_string(),
        prev_hash: String::new(),
        hash: String::new(),
        form: FORM,
    };
    let digest = content_digest(&stored);
    (stored, digest)
}

/// One fixed text, so diesel does not build the query per append (building the DSL insert was
/// half the append's time); diesel does not cache an `sql_query`, so SQLite prepares it each time.
const INSERT_SQLITE: &str = "INSERT INTO audit_entries (tenant_id, id, at, kind, actor_id, \
     actor_name, via, token_id, summary, details, prev_hash, hash, form) \
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/// Two statements under the caller's write lock: the tenant's newest entry, then the next one,
/// which lands on the same page.
fn append_sqlite(c: &mut SqliteConnection, e: &mut Entry, digest: &str) -> Result<i64, StoreError> {
    // Built with the DSL on the SQLite connection itself: prepared once, never rebuilt.
    let newest = audit_entries::table
        .filter(audit_entries::tenant_id.eq(&e.tenant_id))
        .order(audit_entries::id.desc())
        .select((audit_entries::id, audit_entries::hash))
        .first::<(i64, String)>(c)
        .optional()?;
    let newest = match newest {
        Some(newest) => Some(newest),
        None => audit_checkpoints::table
            .find(&e.tenant_id)
            .select((audit_checkpoints::entry_id, audit_checkpoints::hash))
            .first::<(i64, String)>(c)
            .optional()?,
    };
    let (last_id, prev_hash) = newest.unwrap_or_else(|| (0, GENESIS.to_owned()));
    e.id = last_id + 1;
    e.hash = link(&prev_hash, digest);
    e.prev_hash = prev_hash;
    diesel::sql_query(INSERT_SQLITE)
        .bind::<Text, _>(&e.tenant_id)
        .bind::<BigInt, _>(e.id)
        .bind::<Timestamp, _>(e.at)
        .bind::<Text, _>(&e.kind)
        .bind::<Text, _>(&e.actor_id)
        .bind::<Text, _>(&e.actor_name)
        .bind::<Text, _>(&e.via)
        .bind::<Nullable<BigInt>, _>(e.token_id)
        .bind::<Text, _>(&e.summary)
        .bind::<Text, _>(&e.details)
        .bind::<Text, _>(&e.prev_hash)
        .bind::<Text, _>(&e.hash)
        .bind::<SmallInt, _>(e.form)
        .execute(c)?;
    Ok(e.id)
}

/// Prepared by every PostgreSQL connection of a migrated database when it opens (see
/// [`crate::Database::run_migrations`]), so that an append is planned once per connection and
/// runs with `EXECUTE`. Parameters: tenant, genesis, digest, at, kind, actor id, actor name, via,
/// token id, summary, details, form. One statement advances the tenant's head in `audit_heads`
/// (its first entry links to the genesis: a tenant has a head from its first entry on, kept by
/// retention, deleted only with its whole trail) and inserts the entry linked to it.
/// `encode(sha256(…))` is [`link`] in SQL. Under READ COMMITTED the upsert of a head another
/// transaction holds waits for it to end and then advances the head it committed, so each entry
/// links to the one committed before it, and its id is drawn after that one's.
pub(crate) const PREPARE_APPEND_PG: &str = "PREPARE orgwarden_audit_append (text, text, text, \
     timestamp, text, text, text, text, bigint, text, text, smallint) AS \
     WITH head AS (INSERT INTO audit_heads AS h (tenant_id, prev_hash, hash) \
     VALUES ($1, $2, encode(sha256(convert_to($2 || $3, 'UTF8')), 'hex')) \
     ON CONFLICT (tenant_id) DO UPDATE \
     SET prev_hash = h.hash, hash = encode(sha256(convert_to(h.hash || $3, 'UTF8')), 'hex') \
     RETURNING h.prev_hash, h.hash) \
     INSERT INTO audit_entries (tenant_id, at, kind, actor_id, actor_name, via, token_id, \
     summary, details, form, prev_hash, hash) \
     SELECT $1, $4, $5, $6, $7, $8, $9, $10, $11, $12, head.prev_hash, head.hash FROM head \
     RETURNING id";

/// The entry's id, as the prepared append returns it.
#[derive(QueryableByName)]
struct Appended {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The prepared append, in the caller's transaction or as a statement of its own
/// ([`super::write_recorded`] sends it with its `COMMIT` instead).
pub(super) fn append_pg(
    conn: &mut DbConnection,
    e: &Entry,
    digest: &str,
) -> Result<i64, StoreError> {
    let appended = diesel::sql_query(append_pg_sql(e, digest)).get_result::<Appended>(conn)?;
    Ok(appended.id)
}

/// Inside the caller's write transaction: holds the tenant's trail lock until it ends, so that
/// transactions that read the trail before they write to it (an append that must not repeat a
/// recent one, a seal, retention) take turns (SQLite's write lock, which the caller's write
/// transaction holds, does the same there). Appends do not take it: the chain head orders them.
pub fn lock_trail(conn: &mut DbConnection, tenant_id: &str) -> Result<(), StoreError> {
    if let DbConnection::Pg(c) = conn {
        c.batch_execute(&lock_pg_sql(tenant_id))?;
    }
    Ok(())
}

/// The tenant's trail lock, held until the transaction ends; a statement of its own, so the
/// reads that follow it take their snapshot after it is granted and see every entry committed
/// before. The key is the first 8 bytes of
/// SHA-256(`orgwarden.audit:` ‖ tenant); two tenants sharing one would only queue together.
fn lock_pg_sql(tenant_id: &str) -> String {
    let digest = Sha256::digest(format!("orgwarden.audit:{tenant_id}"));
    let mut key = [0u8; 8];
    key.copy_from_slice(&digest[..8]);
    format!("SELECT pg_advisory_xact_lock({})", i64::from_be_bytes(key))
}

/// `EXECUTE orgwarden_audit_append(…)` with the entry's values as literals: a text
/// [`super::write_recorded`] can send in one message with its `COMMIT`.
pub(super) fn append_pg_sql(e: &Entry, digest: &str) -> String {
    let token = e
        .token_id
        .map_or_else(|| "NULL".to_owned(), |id| id.to_string());
    format!(
        "EXECUTE orgwarden_audit_append({}, {}, {}, '{}', {}, {}, {}, {}, {token}, {}, {}, {})",
        literal(&e.tenant_id),
        literal(GENESIS),
        literal(digest),
        e.at.format("%Y-%m-%d %H:%M:%S%.6f"),
        literal(&e.kind),
        literal(&e.actor_id),
        literal(&e.actor_name),
        literal(&e.via),
        literal(&e.summary),
        literal(&e.details),
        e.form,
    )
}

/// `s` as an escape-string literal (`E'…'`, backslashes and quotes doubled), which PostgreSQL
/// reads back exactly whatever `standard_conforming_strings` says; a string literal costs the
/// parser nothing next to a decoding function per value. `s` holds no NUL ([`to_store`]).
fn literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    out.push_str("E'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_double_quotes_and_backslashes() {
        assert_eq!(literal(r"O'Brien \x00 ✓"), r"E'O''Brien \\x00 ✓'");
        assert_eq!(literal(""), "E''");
    }

    #[test]
    fn each_tenant_has_its_own_lock_key() {
        assert_eq!(lock_pg_sql("t1"), lock_pg_sql("t1"));
        assert_ne!(lock_pg_sql("t1"), lock_pg_sql("t2"));
        assert!(lock_pg_sql("t1").starts_with("SELECT pg_advisory_xact_lock("));
    }
}
