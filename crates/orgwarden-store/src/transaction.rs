//! Transactions on either backend. A transaction that writes takes SQLite's write lock at its
//! `BEGIN`: one that reads first takes it at its first write instead, and then fails at once with
//! "database is locked" when another writer committed since its read (no busy timeout waits
//! that out; it made a manual sync fail beside a running operation).

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::Connection;

use crate::{DbConnection, StoreError};

type Manager = <DbConnection as Connection>::TransactionManager;

/// Runs `f` in one transaction (a savepoint inside another), committed when `f` returns `Ok`
/// and rolled back otherwise; an error of `f` comes back as it was. On SQLite it begins with
/// `BEGIN IMMEDIATE`, so it waits out other writers like any write and can read before it
/// writes. Reads that must see one snapshot use [`crate::snapshot::in_snapshot`] instead.
pub fn transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    if in_transaction(conn)? {
        // The outer transaction holds whatever lock it needs.
        return deferred_transaction(conn, f);
    }
    begin_writing(conn).map_err(StoreError::from)?;
    match f(conn) {
        Ok(value) => {
            // On failure diesel rolls the transaction back itself.
            Manager::commit_transaction(conn).map_err(StoreError::from)?;
            Ok(value)
        }
        Err(failed) => Err(roll_back(conn, failed)),
    }
}

/// `BEGIN`, with SQLite's write lock.
fn begin_writing(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
        }
        DbConnection::Pg(_) => Manager::begin_transaction(conn),
    }
}

/// Runs `f` in one transaction (a savepoint inside another) whose locks its statements take:
/// SQLite's plain `BEGIN`, for reads that must see one snapshot without holding up writers.
#[allow(clippy::disallowed_methods)]
pub(crate) fn deferred_transaction<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<StoreError>,
{
    conn.transaction(|conn| f(conn).map_err(Ended::Work))
        .map_err(Ended::into_error)
}

/// Ends the transaction after `failed` (a failed `COMMIT` has ended it already); returns the
/// error to report, like diesel's own transactions.
pub(crate) fn roll_back<E: From<StoreError>>(conn: &mut DbConnection, failed: E) -> E {
    if !in_transaction(conn).unwrap_or(true) {
        return failed;
    }
    match Manager::rollback_transaction(conn) {
        Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => failed,
        Err(e) => StoreError::from(e).into(),
    }
}

/// What ended a transaction early: the database (a statement, `BEGIN`, `COMMIT` or the
/// rollback) or the caller's work, whose error comes back as it was.
enum Ended<E> {
    Database(diesel::result::Error),
    Work(E),
}

impl<E> From<diesel::result::Error> for Ended<E> {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e)
    }
}

impl<E: From<StoreError>> Ended<E> {
    fn into_error(self) -> E {
        match self {
            Self::Database(e) => StoreError::from(e).into(),
            Self::Work(e) => e,
        }
    }
}

/// Whether `conn` is inside a transaction (begun by [`transaction`] or diesel's own).
pub(crate) fn in_transaction(conn: &mut DbConnection) -> Result<bool, StoreError> {
    let status = Manager::transaction_manager_status_mut(conn);
    Ok(status.transaction_depth()?.is_some())
}
