//! One connection for one long writer (a full sync), with a page cache sized for the indexes it
//! fills; every other pooled connection keeps the pool's small cache.

use std::ops::{Deref, DerefMut};

use diesel::connection::SimpleConnection;
use diesel::RunQueryDsl;

use crate::{Database, DbConnection, PooledConnection, StoreError};

/// SQLite page cache of a writer: the hot index pages of a 100,000-user generation being
/// written (the pool's connections have 16 MiB each).
const WRITER_CACHE: &str = "PRAGMA cache_size = -65536";
const POOL_CACHE: &str = "PRAGMA cache_size = -16384; PRAGMA shrink_memory";

/// A pooled connection whose SQLite page cache is large until it is dropped (then it goes
/// back to the pool's size, its memory released).
pub struct WriterConnection(PooledConnection);

impl Database {
    /// Takes a connection for one long writer (blocks like [`Database::get`]).
    pub fn writer(&self) -> Result<WriterConnection, StoreError> {
        let mut conn = self.get()?;
        if let DbConnection::Sqlite(_) = *conn {
            conn.batch_execute(WRITER_CACHE)?;
        }
        Ok(WriterConnection(conn))
    }
}

/// What `PRAGMA wal_checkpoint` answers.
#[derive(diesel::QueryableByName)]
struct Checkpoint {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    busy: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    log: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    checkpointed: i32,
}

impl WriterConnection {
    /// On SQLite, widens the page cache to `mib` MiB until the connection goes back to the pool.
    pub fn widen_cache(&mut self, mib: u32) -> Result<(), StoreError> {
        if let DbConnection::Sqlite(c) = &mut *self.0 {
            c.batch_execute(&format!("PRAGMA cache_size = -{}", mib * 1024))?;
        }
        Ok(())
    }

    /// On SQLite, copies the write-ahead log into the database and has the next transaction
    /// write it from its start again (waiting up to 250 ms for readers still on it); nothing on
    /// PostgreSQL.
    pub fn checkpoint(&mut self) -> Result<(), StoreError> {
        restart_log(&mut self.0)
    }
}

/// How long a checkpoint waits for readers: it holds the write lock meanwhile, so other writers
/// wait too. A reader still on the log after it (a long export) only leaves this restart undone.
const CHECKPOINT_WAIT: &str = "PRAGMA busy_timeout = 250";

/// What `PRAGMA busy_timeout` answers: the connection's wait, in milliseconds.
#[derive(diesel::QueryableByName)]
struct BusyTimeout {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    timeout: i32,
}

/// [`WriterConnection::checkpoint`] on any connection.
pub(crate) fn restart_log(conn: &mut DbConnection) -> Result<(), StoreError> {
    if let DbConnection::Sqlite(c) = conn {
        let wait = diesel::sql_query("PRAGMA busy_timeout").get_result::<BusyTimeout>(c)?;
        c.batch_execute(CHECKPOINT_WAIT)?;
        let done = diesel::sql_query("PRAGMA wal_checkpoint(RESTART)").get_result::<Checkpoint>(c);
        c.batch_execute(&format!("PRAGMA busy_timeout = {}", wait.timeout))?;
        let done = done?;
        tracing::debug!(
            busy = done.busy,
            log = done.log,
            checkpointed = done.checkpointed,
            "sync writer checkpoint"
        );
    }
    Ok(())
}

impl Deref for WriterConnection {
    type Target = DbConnection;

    fn deref(&self) -> &DbConnection {
        &self.0
    }
}

impl DerefMut for WriterConnection {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.0
    }
}

impl Drop for WriterConnection {
    fn drop(&mut self) {
        if let DbConnection::Sqlite(_) = *self.0 {
            if let Err(e) = self.0.batch_execute(POOL_CACHE) {
                tracing::warn!(error = %e, "writer connection's page cache not reset");
            }
        }
    }
}
