//! Appending to a tenant's hash chain, in canonical form 2 (the crate README documents it).

use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, SmallInt, Text, Timestamp};
use orgwarden_ids::TenantId;

use super::canonical::{checkpoint, content_digest, link, FORM, GENESIS};
use super::{Entry, NewEntry};
use crate::schema::audit_entries;
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
    let mut stored = Entry {
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
    if let DbConnection::Pg(_) = conn {
        // One statement: atomic on its own, or part of the caller's transaction.
        append_pg(conn, &stored, &digest)
    } else if crate::connection::in_transaction(conn)? {
        append_sqlite(conn, &mut stored, &digest)
    } else {
        crate::write_transaction(conn, |conn| append_sqlite(conn, &mut stored, &digest))
    }
}

/// `treat_none_as_null`: one SQL text whatever the token, so the statement stays cached.
#[derive(Insertable)]
#[diesel(table_name = audit_entries, treat_none_as_null = true)]
struct Row<'a> {
    tenant_id: &'a str,
    at: NaiveDateTime,
    kind: &'a str,
    actor_id: &'a str,
    actor_name: &'a str,
    via: &'a str,
    token_id: Option<i64>,
    summary: &'a str,
    details: &'a str,
    prev_hash: &'a str,
    hash: &'a str,
    form: i16,
}

/// Two statements under the caller's write lock: the newest entry's hash, the insert.
fn append_sqlite(conn: &mut DbConnection, e: &mut Entry, digest: &str) -> Result<i64, StoreError> {
    let newest: Option<String> = audit_entries::table
        .filter(audit_entries::tenant_id.eq(&e.tenant_id))
        .order(audit_entries::id.desc())
        .select(audit_entries::hash)
        .first(conn)
        .optional()?;
    e.prev_hash = match newest {
        Some(hash) => hash,
        None => checkpoint(conn, &e.tenant_id)?.unwrap_or_else(|| GENESIS.to_owned()),
    };
    e.hash = link(&e.prev_hash, digest);
    Ok(diesel::insert_into(audit_entries::table)
        .values(Row {
            tenant_id: &e.tenant_id,
            at: e.at,
            kind: &e.kind,
            actor_id: &e.actor_id,
            actor_name: &e.actor_name,
            via: &e.via,
            token_id: e.token_id,
            summary: &e.summary,
            details: &e.details,
            prev_hash: &e.prev_hash,
            hash: &e.hash,
            form: e.form,
        })
        .returning(audit_entries::id)
        .get_result(conn)?)
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
