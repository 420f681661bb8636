//! Entries a change's own statement carries (PostgreSQL): written unlinked into `audit_pending`
//! by the statement that makes the change, so they commit or roll back with it at the cost of
//! one heap row, and linked into the chain after the commit by [`link_pending`], which every
//! read of the trail runs first. On SQLite the entry is appended at once, as [`record`] does.

use chrono::NaiveDateTime;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::query_dsl::methods::ExecuteDsl;
use diesel::sql_types::{BigInt, Nullable, SmallInt, Text, Timestamp};
use diesel::sqlite::SqliteConnection;
use orgwarden_ids::TenantId;

use super::canonical::content_digest;
use super::chain::{append_pg, record, to_store};
use super::{Entry, NewEntry};
use crate::{DbConnection, StoreError};

/// Executes `query`, the change, with `entry` its audit entry, in the caller's transaction: on
/// PostgreSQL `query` carries the entry in a data-modifying `WITH` (one statement, which diesel
/// keeps prepared when `query` has fixed text, as the settings save has); on SQLite the entry is
/// appended after it. Returns the
/// rows `query` affected. Call [`link_pending`] once the transaction has committed.
pub fn execute_carrying<Q>(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    entry: &NewEntry,
    now: NaiveDateTime,
    query: Q,
) -> Result<usize, StoreError>
where
    Q: QueryFragment<Pg> + QueryId + RunQueryDsl<SqliteConnection>,
    Q: ExecuteDsl<SqliteConnection>,
{
    match conn {
        DbConnection::Pg(c) => {
            let (carried, _) = to_store(tenant_id, entry, now);
            Ok(Carrying {
                entry: &carried,
                query,
            }
            .execute(c)?)
        }
        DbConnection::Sqlite(c) => {
            let changed = query.execute(c)?;
            record(conn, tenant_id, entry, now)?;
            Ok(changed)
        }
    }
}

/// `WITH pending AS (INSERT INTO audit_pending …) <query>`.
struct Carrying<'a, Q> {
    entry: &'a Entry,
    query: Q,
}

impl<Q: QueryId> QueryId for Carrying<'_, Q> {
    type QueryId = Carrying<'static, Q::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = Q::HAS_STATIC_QUERY_ID;
}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Carrying<'_, Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let e = self.entry;
        out.push_sql(
            "WITH pending AS (INSERT INTO audit_pending (tenant_id, at, kind, actor_id, \
             actor_name, via, token_id, summary, details, form) VALUES (",
        );
        out.push_bind_param::<Text, _>(&e.tenant_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&e.at)?;
        for text in [&e.kind, &e.actor_id, &e.actor_name, &e.via] {
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(text)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<Nullable<BigInt>, _>(&e.token_id)?;
        for text in [&e.summary, &e.details] {
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(text)?;
        }
        out.push_sql(", ");
        out.push_bind_param::<SmallInt, _>(&e.form)?;
        out.push_sql(")) ");
        self.query.walk_ast(out.reborrow())
    }
}

impl<Q> RunQueryDsl<PgConnection> for Carrying<'_, Q> {}

/// A carried entry as `audit_pending` holds it.
#[derive(QueryableByName)]
struct PendingRow {
    #[diesel(sql_type = BigInt)]
    seq: i64,
    #[diesel(sql_type = Timestamp)]
    at: NaiveDateTime,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    actor_id: String,
    #[diesel(sql_type = Text)]
    actor_name: String,
    #[diesel(sql_type = Text)]
    via: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    token_id: Option<i64>,
    #[diesel(sql_type = Text)]
    summary: String,
    #[diesel(sql_type = Text)]
    details: String,
    #[diesel(sql_type = SmallInt)]
    form: i16,
}

/// Links the tenant's carried entries into its chain, in the order they were written, each
/// through the chain head as any append; returns how many. Moving them is one transaction: an
/// entry leaves `audit_pending` only as it enters `audit_entries`, and a link running beside it
/// waits for the rows it took and then finds them gone. A no-op on SQLite.
pub fn link_pending(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<usize, StoreError> {
    if !matches!(conn, DbConnection::Pg(_)) || !any_pending(conn, tenant_id)? {
        return Ok(0);
    }
    crate::transaction(conn, |conn| {
        let mut rows = diesel::sql_query(
            "DELETE FROM audit_pending WHERE tenant_id = $1 RETURNING seq, at, kind, actor_id, \
             actor_name, via, token_id, summary, details, form",
        )
        .bind::<Text, _>(tenant_id)
        .load::<PendingRow>(conn)?;
        rows.sort_by_key(|r| r.seq);
        let linked = rows.len();
        for row in rows {
            let entry = Entry {
                id: 0,
                tenant_id: tenant_id.clone(),
                at: row.at,
                kind: row.kind,
                actor_id: row.actor_id,
                actor_name: row.actor_name,
                via: row.via,
                token_id: row.token_id,
                summary: row.summary,
                details: row.details,
                prev_hash: String::new(),
                hash: String::new(),
                form: row.form,
            };
            append_pg(conn, &entry, &content_digest(&entry))?;
        }
        Ok(linked)
    })
}

/// One look at the (near empty) table, so that a read of a trail with nothing to link pays
/// no transaction.
fn any_pending(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<bool, StoreError> {
    #[derive(QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        found: bool,
    }
    let found = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM audit_pending WHERE tenant_id = $1) AS found",
    )
    .bind::<Text, _>(tenant_id)
    .get_result::<Found>(conn)?;
    Ok(found.found)
}

/// Deletes the tenant's carried entries (purge). A no-op on SQLite.
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &str) -> Result<(), StoreError> {
    if let DbConnection::Pg(_) = conn {
        diesel::sql_query("DELETE FROM audit_pending WHERE tenant_id = $1")
            .bind::<Text, _>(tenant_id)
            .execute(conn)?;
    }
    Ok(())
}
