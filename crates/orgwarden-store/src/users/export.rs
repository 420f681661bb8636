//! Streaming a filter's users a chunk at a time, so exports of 100,000 users keep memory flat,
//! in account-id order or in the user browser's (how: `chunks`), as CSV here and as each format
//! in the server.

use std::io::Write;

use chrono::NaiveDateTime;

use super::chunks::ChunkReader;
use super::filter::Filter;
use super::hydrate::Catalog;
use super::rows::UserRow;
use super::search::Sort;
use crate::mirror::MirrorState;
use crate::{DbConnection, StoreError};

/// The order an export lists users in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportOrder {
    /// By account id: the fastest (a chunk of an unfiltered export is read as one id range).
    AccountId,
    /// The user browser's sort.
    Browser(Sort),
}

/// Calls `each` with successive chunks of the users matching `filter` (or only `only`, when
/// given) in `order`; returns how many users were visited.
pub fn scan(
    conn: &mut DbConnection,
    mirror: (&str, i64),
    filter: &Filter,
    only: Option<&[String]>,
    order: ExportOrder,
    now: NaiveDateTime,
    each: impl FnMut(Vec<UserRow>) -> Result<(), StoreError>,
) -> Result<usize, StoreError> {
    if only.is_some_and(<[String]>::is_empty) {
        return Ok(0);
    }
    let (tenant_id, generation) = mirror;
    let catalog = Catalog::load(conn, tenant_id, generation)?;
    let reader = ChunkReader {
        mirror,
        filter,
        catalog: &catalog,
        now,
    };
    match order {
        ExportOrder::AccountId => reader.by_account_id(conn, only, each),
        ExportOrder::Browser(sort) => reader.sorted(conn, only, sort, each),
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

/// Writes the users matching `filter` as CSV in `order`; returns how many.
pub fn export_csv(
    conn: &mut DbConnection,
    mirror: (&str, i64),
    filter: &Filter,
    order: ExportOrder,
    now: NaiveDateTime,
    out: &mut impl Write,
) -> Result<usize, StoreError> {
    let mut writer = crate::csv_safe::SafeCsvWriter::new(out);
    let io = |e: csv::Error| StoreError::Corrupt(format!("export write failed: {e}"));
    writer.write_row(CSV_HEADER).map_err(io)?;
    let count = scan(conn, mirror, filter, None, order, now, |rows| {
        for row in &rows {
            writer.write_row(csv_record(row)).map_err(io)?;
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

/// Runs `f` on the tenant's published mirror in one snapshot ([`in_snapshot`]): the published
/// generation and everything `f` reads of it are seen together, so a sync publishing meanwhile
/// (and deleting the generation it replaces) cannot empty a read. `None` before the first sync.
pub fn in_published<T, E>(
    conn: &mut DbConnection,
    tenant_id: &str,
    f: impl FnOnce(&mut DbConnection, &MirrorState) -> Result<T, E>,
) -> Result<Option<T>, E>
where
    E: From<diesel::result::Error> + From<StoreError>,
{
    in_snapshot(conn, |conn| {
        match crate::mirror::current(conn, tenant_id)? {
            Some(published) => f(conn, &published).map(Some),
            None => Ok(None),
        }
    })
}
