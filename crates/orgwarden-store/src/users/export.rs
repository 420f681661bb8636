//! Streaming a filter's users in account-id order, a chunk at a time, so exports of 100,000
//! users keep memory flat.

use std::io::Write;

use chrono::NaiveDateTime;

use super::filter::Filter;
use super::search::{load_rows, UserRow, ROW_COLUMNS};
use super::where_clause::{from_where, Drive};
use crate::sql::{Bind, Sql};
use crate::{DbConnection, StoreError};

/// Users per chunk: each chunk is one query for the users and one each for their access,
/// groups and granted roles.
pub const CHUNK: i64 = 2000;

/// Calls `each` with successive chunks of the users matching `filter` (or only `only`, when
/// given); returns how many users were visited.
pub fn scan(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    filter: &Filter,
    only: Option<&[String]>,
    now: NaiveDateTime,
    mut each: impl FnMut(Vec<UserRow>) -> Result<(), StoreError>,
) -> Result<usize, StoreError> {
    if only.is_some_and(<[String]>::is_empty) {
        return Ok(0);
    }
    // With no filter, a chunk is every user of its id range: hydrate it by range.
    let dense = only.is_none() && *filter == Filter::default();
    let mut after: Option<String> = None;
    let mut visited = 0;
    loop {
        let mut sql = Sql::for_conn(conn);
        sql.push(ROW_COLUMNS);
        from_where(&mut sql, tenant_id, generation, filter, Drive::Users, now);
        if let Some(ids) = only {
            sql.push(" AND u.account_id IN ")
                .bind_list(ids.iter().map(String::as_str));
        }
        if let Some(after) = &after {
            sql.push(" AND u.account_id > ")
                .bind(Bind::Text(after.clone()));
        }
        sql.push(" ORDER BY u.account_id LIMIT ")
            .bind(Bind::Int(CHUNK));
        let rows = load_rows(conn, tenant_id, generation, filter, sql, dense)?;
        let Some(last) = rows.last().map(|r| r.account_id.clone()) else {
            return Ok(visited);
        };
        let full = i64::try_from(rows.len()).unwrap_or(0) >= CHUNK;
        visited += rows.len();
        each(rows)?;
        if !full {
            return Ok(visited);
        }
        after = Some(last);
    }
}

/// The CSV header of exports.
pub const CSV_HEADER: [&str; 12] = [
    "accountId",
    "name",
    "email",
    "status",
    "accountType",
    "billable",
    "sites",
    "products",
    "groups",
    "roles",
    "lastActive",
    "addedToOrg",
];

/// One CSV record of a user.
pub fn csv_record(u: &UserRow) -> [String; 12] {
    let join = |items: Vec<String>| items.join("; ");
    [
        u.account_id.clone(),
        u.name.clone(),
        u.email.clone().unwrap_or_default(),
        u.status.clone(),
        u.account_type.clone(),
        u.billable.to_string(),
        join(u.sites.clone()),
        join(
            u.products
                .iter()
                .map(|p| format!("{}:{}", p.site_id, p.product_key))
                .collect(),
        ),
        join(u.groups.iter().map(|g| g.name.clone()).collect()),
        join(u.roles.clone()),
        u.last_active.map(|t| t.to_rfc3339()).unwrap_or_default(),
        u.added_to_org.map(|t| t.to_rfc3339()).unwrap_or_default(),
    ]
}

/// Writes the users matching `filter` as CSV; returns how many.
pub fn export_csv(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    filter: &Filter,
    now: NaiveDateTime,
    out: &mut impl Write,
) -> Result<usize, StoreError> {
    let mut writer = csv::Writer::from_writer(out);
    let io = |e: csv::Error| StoreError::Corrupt(format!("export write failed: {e}"));
    writer.write_record(CSV_HEADER).map_err(io)?;
    let count = scan(conn, tenant_id, generation, filter, None, now, |rows| {
        for row in &rows {
            writer.write_record(csv_record(row)).map_err(io)?;
        }
        Ok(())
    })?;
    writer
        .flush()
        .map_err(|e| StoreError::Corrupt(format!("export write failed: {e}")))?;
    Ok(count)
}

/// Runs `f` in one read transaction that sees a single snapshot of the database (repeatable read
/// on PostgreSQL; SQLite's WAL readers already do), so a sync publishing a new mirror and
/// deleting the old one mid-export cannot tear an export.
pub fn in_snapshot<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    conn.transaction(|conn| {
        if matches!(conn, DbConnection::Pg(_)) {
            conn.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
        }
        f(conn)
    })
}
