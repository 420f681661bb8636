//! The audit scenario's comparisons: a settings change with its entry's row written by a bare
//! `INSERT` of its own, into `audit_entries` or into a table with no index at all.

use chrono::Utc;
use diesel::connection::{SimpleConnection, TransactionManager};
use diesel::sql_types::{BigInt, Text, Timestamp};
use diesel::{Connection, RunQueryDsl};
use orgwarden_store::audit;
use orgwarden_store::{settings, DbConnection};

use crate::audit::change;

/// The tenant whose rows the bare inserts write.
pub(crate) const BARE_TENANT: &str = "bench-bare";
/// A table shaped like `audit_entries` without any index or key, created by the scenario in its
/// throwaway database: what any row written as a statement of its own in the change's
/// transaction costs at the least.
pub(crate) const HEAP_TABLE: &str = "bench_heap";

/// The columns of a bare entry row.
const BARE_COLUMNS: &str =
    "tenant_id, id, at, kind, actor_id, actor_name, via, summary, details, prev_hash, hash, form";

/// The change, and its entry's row written into `table` by a bare `INSERT` (fixed
/// links, under another tenant, number `n`): on PostgreSQL in the message of the `COMMIT`, as
/// the append is.
pub(crate) fn bare_row_save(
    conn: &mut DbConnection,
    s: &settings::Settings,
    table: &str,
    n: usize,
) -> anyhow::Result<()> {
    if let DbConnection::Sqlite(_) = conn {
        return orgwarden_store::transaction(conn, |conn| {
            let e = change(conn, s)?;
            let insert = format!(
                "INSERT INTO {table} ({BARE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2)"
            );
            diesel::sql_query(insert)
                .bind::<Text, _>(BARE_TENANT)
                .bind::<BigInt, _>(n as i64 + 1)
                .bind::<Timestamp, _>(Utc::now().naive_utc())
                .bind::<Text, _>(e.kind.as_str())
                .bind::<Text, _>(&e.actor.account_id)
                .bind::<Text, _>(&e.actor.name)
                .bind::<Text, _>(e.actor.via.as_str())
                .bind::<Text, _>(&e.summary)
                .bind::<Text, _>(e.details.to_string())
                .bind::<Text, _>(audit::GENESIS)
                .bind::<Text, _>(audit::GENESIS)
                .execute(conn)?;
            Ok(())
        });
    }
    <DbConnection as Connection>::TransactionManager::begin_transaction(conn)?;
    let e = change(conn, s)?;
    let text = |v: &str| format!("E'{}'", v.replace('\\', "\\\\").replace('\'', "''"));
    let values = [
        text(BARE_TENANT),
        format!(
            "{}, '{}'",
            if table == HEAP_TABLE {
                (n + 1).to_string()
            } else {
                "nextval('audit_entries_id_seq')".to_owned()
            },
            Utc::now().naive_utc().format("%Y-%m-%d %H:%M:%S%.6f")
        ),
        text(e.kind.as_str()),
        text(&e.actor.account_id),
        text(&e.actor.name),
        text(e.actor.via.as_str()),
        text(&e.summary),
        text(&e.details.to_string()),
        text(audit::GENESIS),
        text(audit::GENESIS),
        "2".into(),
    ];
    conn.batch_execute(&format!(
        "INSERT INTO {table} ({BARE_COLUMNS}) VALUES ({}); COMMIT",
        values.join(", ")
    ))?;
    Ok(())
}

/// Creates [`HEAP_TABLE`]: the columns of `audit_entries`, no key, no index (on SQLite the
/// table's own rowid tree).
pub(crate) fn create_heap_table_sql() -> String {
    format!(
        "CREATE TABLE {HEAP_TABLE} (tenant_id TEXT NOT NULL, id BIGINT NOT NULL, \
         at TIMESTAMP NOT NULL, kind TEXT NOT NULL, actor_id TEXT NOT NULL, \
         actor_name TEXT NOT NULL, via TEXT NOT NULL, token_id BIGINT, summary TEXT NOT NULL, \
         details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, \
         form SMALLINT NOT NULL)"
    )
}
