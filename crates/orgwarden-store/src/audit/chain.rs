//! Appending to a tenant's hash chain, in canonical form 2 (the crate README documents it).

use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, SmallInt, Text, Timestamp};
use diesel::sqlite::SqliteConnection;
use orgwarden_ids::TenantId;

use super::canonical::{content_digest, link, FORM, GENESIS};
use super::{Entry, NewEntry};
use crate::schema::{audit_checkpoints, audit_entries};
use crate::{DbConnection, StoreError};

/// Appends `entry` to the tenant's chain; returns its id. Call it inside the transaction of the
/// change it records, so that both commit or neither does (on SQLite one begun by
/// [`crate::write_transaction`], which holds the write lock); outside one it opens its own.
///
/// The content digest is computed here; the link to the previous entry is made by the
/// database in the call that inserts on PostgreSQL (`orgwarden_audit_append` upserts the
/// tenant's `audit_heads` row, whose row lock queues the tenant's concurrent appends until the
/// previous one commits), and by reading the newest entry under SQLite's single write lock.
pub fn record(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    entry: &NewEntry,
    now: NaiveDateTime,
) -> Result<i64, StoreError> {
    let (mut stored, digest) = to_store(tenant_id, entry, now);
    let nested = crate::connection::in_transaction(conn)?;
    match conn {
        // One statement: atomic on its own, or part of the caller's transaction.
        DbConnection::Pg(_) => append_pg(conn, &stored, &digest),
        DbConnection::Sqlite(c) if nested => append_sqlite(c, &mut stored, &digest),
        DbConnection::Sqlite(c) => {
            c.immediate_transaction(|c| append_sqlite(c, &mut stored, &digest))
        }
    }
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
        actor_id: entry.actor.account_id.clone(),
        actor_name: entry.actor.name.clone(),
        via: entry.actor.via.as_str().to_owned(),
        token_id: entry.actor.via.token_id(),
        summary: entry.summary.clone(),
        details: entry.details.to_string(),
        prev_hash: String::new(),
        hash: String::new(),
        form: FORM,
    };
    let digest = content_digest(&stored);
    (stored, digest)
}

/// One fixed text, so SQLite's statement stays cached and diesel does not build the query
/// per append (building the DSL insert was half the append's time).
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

diesel::define_sql_function! {
    /// The PostgreSQL function (migration `audit_v2`) that advances the tenant's head and
    /// inserts the entry linked to it, in one call; returns the entry's id.
    #[allow(clippy::too_many_arguments)]
    fn orgwarden_audit_append(
        tenant: Text,
        genesis: Text,
        digest: Text,
        at: Timestamp,
        kind: Text,
        actor_id: Text,
        actor_name: Text,
        via: Text,
        token_id: Nullable<BigInt>,
        summary: Text,
        details: Text,
        form: SmallInt,
    ) -> BigInt;
}

/// One prepared statement: `SELECT orgwarden_audit_append(…)`.
fn append_pg(conn: &mut DbConnection, e: &Entry, digest: &str) -> Result<i64, StoreError> {
    Ok(diesel::select(orgwarden_audit_append(
        &e.tenant_id,
        GENESIS,
        digest,
        e.at,
        &e.kind,
        &e.actor_id,
        &e.actor_name,
        &e.via,
        e.token_id,
        &e.summary,
        &e.details,
        e.form,
    ))
    .get_result(conn)?)
}

/// `SELECT orgwarden_audit_append(…)` with the values in the text, for a message that also
/// carries the `COMMIT`. Each text travels as the hex of its UTF-8 bytes
/// (`convert_from(decode('…', 'hex'), 'UTF8')`), so nothing of the entry is parsed as SQL.
pub(super) fn append_pg_sql(e: &Entry, digest: &str) -> String {
    let text = |s: &str| format!("convert_from(decode('{}', 'hex'), 'UTF8')", hex::encode(s));
    let token = e
        .token_id
        .map_or_else(|| "NULL".to_owned(), |id| id.to_string());
    format!(
        "SELECT orgwarden_audit_append({}, {}, {}, '{}'::timestamp, {}, {}, {}, {}, {}::bigint, \
         {}, {}, {}::smallint)",
        text(&e.tenant_id),
        text(GENESIS),
        text(digest),
        e.at.format("%Y-%m-%d %H:%M:%S%.6f"),
        text(&e.kind),
        text(&e.actor_id),
        text(&e.actor_name),
        text(&e.via),
        token,
        text(&e.summary),
        text(&e.details),
        e.form,
    )
}
