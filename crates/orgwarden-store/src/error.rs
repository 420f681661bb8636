use thiserror::Error;

/// Everything that can go wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database URL is neither `sqlite://…` nor `postgres://…`.
    #[error("unsupported database URL (expected sqlite://PATH or postgres://…): {0}")]
    UnsupportedUrl(String),
    /// The database could not be opened (e.g. an SQLite file in a folder without permission).
    #[error("cannot open the database: {0}")]
    Open(String),
    /// No connection could be taken from the pool.
    #[error("database unavailable: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    /// A query failed.
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    /// Migrations could not be applied or reverted.
    #[error("migration failed: {0}")]
    Migration(String),
    /// A secret could not be encrypted or decrypted.
    #[error(transparent)]
    Cipher(#[from] crate::CipherError),
    /// A row holds a value the code does not know (e.g. an unknown state).
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// True when the database server could not be reached: no connection could be made, or the
    /// server closed it (a restart, a failover). Such work may succeed once the server is back.
    pub fn is_unreachable(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            StoreError::Pool(_) => true,
            StoreError::Query(Error::DatabaseError(kind, info)) => {
                matches!(
                    kind,
                    DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand
                ) || info.message().contains("terminating connection")
            }
            _ => false,
        }
    }

    /// True when SQLite's lock stayed taken past the connection's busy timeout ("database is
    /// locked"): another writer held it all along, and the same work may succeed a moment later.
    pub fn is_busy(&self) -> bool {
        use diesel::result::Error;
        match self {
            StoreError::Query(Error::DatabaseError(_, info)) => {
                let message = info.message();
                message.starts_with("database is locked")
                    || message.starts_with("database table is locked")
            }
            _ => false,
        }
    }
}
