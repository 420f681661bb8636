//! Reads that must see one state of the database: an export or a page that reads the published
//! generation and then its rows while a sync may publish a new one and delete the old.

use diesel::connection::SimpleConnection;
use orgwarden_ids::TenantId;

use crate::mirror::MirrorState;
use crate::{DbConnection, StoreError};

/// Runs `f` in one read transaction that sees a single snapshot of the database (repeatable read
/// on PostgreSQL; SQLite's WAL readers already do), so a sync publishing a new mirror and
/// deleting the old one mid-export cannot tear an export. An error of `f` comes back as it was.
pub fn in_snapshot<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    crate::transaction::deferred_transaction(conn, |conn| {
        if matches!(conn, DbConnection::Pg(_)) {
            conn.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .map_err(StoreError::from)?;
        }
        f(conn)
    })
}

/// Runs `f` on the tenant's published mirror in one snapshot ([`in_snapshot`]): the published
/// generation and everything `f` reads of it are seen together, so a sync publishing meanwhile
/// (and deleting the generation it replaces) cannot empty a read. `None` before the first sync.
pub fn in_published<T, E>(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    f: impl FnOnce(&mut DbConnection, &MirrorState) -> Result<T, E>,
) -> Result<Option<T>, E>
where
    E: From<StoreError>,
{
    in_snapshot(conn, |conn| {
        match crate::mirror::current(conn, tenant_id)? {
            Some(published) => f(conn, &published).map(Some),
            None => Ok(None),
        }
    })
}
