//! A change and its entry in one transaction; on PostgreSQL the entry travels with the `COMMIT`.

use chrono::NaiveDateTime;
use diesel::connection::{SimpleConnection, TransactionManager};
use diesel::Connection;
use orgwarden_ids::TenantId;

use super::chain::{append_pg_sql, record, to_store};
use super::NewEntry;
use crate::transaction::{in_transaction, roll_back};
use crate::{DbConnection, StoreError};

type Manager = <DbConnection as Connection>::TransactionManager;

/// Runs `change` in a write transaction and appends the entry it returns (if any) to the
/// tenant's chain in the same transaction: both commit or neither does.
///
/// On PostgreSQL, outside an outer transaction, the append and the `COMMIT` go in one message:
/// one round trip fewer per audited change. Elsewhere the entry is appended as [`record`] does.
pub fn write_recorded<T, E>(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    now: NaiveDateTime,
    change: impl FnOnce(&mut DbConnection) -> Result<(T, Option<NewEntry>), E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    if in_transaction(conn)? || !matches!(conn, DbConnection::Pg(_)) {
        return crate::transaction(conn, |conn| {
            let (value, entry) = change(conn)?;
            if let Some(entry) = entry {
                record(conn, tenant_id, &entry, now)?;
            }
            Ok(value)
        });
    }
    Manager::begin_transaction(conn).map_err(StoreError::from)?;
    let (value, entry) = match change(conn) {
        Ok(done) => done,
        Err(failed) => return Err(roll_back(conn, failed)),
    };
    let Some(entry) = entry else {
        Manager::commit_transaction(conn).map_err(StoreError::from)?;
        return Ok(value);
    };
    let (stored, digest) = to_store(tenant_id, &entry, now);
    match conn.batch_execute(&format!("{}; COMMIT", append_pg_sql(&stored, &digest))) {
        // The connection saw the transaction end (diesel follows libpq's status).
        Ok(()) => Ok(value),
        Err(failed) => Err(roll_back(conn, StoreError::from(failed).into())),
    }
}
