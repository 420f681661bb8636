//! One pool, two backends: the URL scheme picks SQLite (bundled) or PostgreSQL.

use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection, Pool};
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::StoreError;

pub(crate) const SQLITE_MIGRATIONS: EmbeddedMigrations =
    embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
/// The advisory lock key PostgreSQL migrations run under (`orgwarden` in ASCII).
const MIGRATIONS_LOCK: i64 = 0x6f72_6777_6172_6465;

// WAL lets readers run beside the single writer. It is a property of the file, switched on once
// by one connection before the pool opens its own: pooled connections opening at the same time
// and each switching would deadlock on the upgrade to an exclusive lock ("database is locked",
// which no busy timeout waits out). busy_timeout makes writers queue instead of failing. A 16 MiB
// page cache per connection (the default is 2 MiB; the pool holds 8) keeps a large mirror's hot
// index pages in memory.
const SQLITE_WAL: &str = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;";
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY; \
     PRAGMA wal_autocheckpoint = 8192;";

// The mirror's hot pages are cached and its disks are SSDs, so an index page costs about what a
// sequential one does (the default 4.0 assumes spinning disks and avoids index-only scans). Each
// request is one short query on a small server: parallel workers cost more to start than they
// save and take cores from concurrent requests. Together they let the planner merge two
// index-only scans in account-id order (an email domain with a group: 32 ms instead of 55 ms
// hash-joined in parallel). Commits are durable whatever the server's default: the operations
// ledger marks a step in flight before its API call, and a sync's rows must be flushed for the
// VACUUM at publish to mark them all-visible (with asynchronous commit it left 40 % of a fresh
// mirror's pages to heap fetches, and that filter took 57–69 ms). Transactions are READ COMMITTED
// whatever the server's default: an audit append advances the newest committed chain head (see
// `audit::chain`), where REPEATABLE READ would fail concurrent audited changes of one tenant.
const POSTGRES_SETTINGS: &str = "SET random_page_cost = 1.1; \
     SET max_parallel_workers_per_gather = 0; SET synchronous_commit = on; \
     SET default_transaction_isolation = 'read committed';";

/// A connection to either backend; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// Embedded SQLite.
    Sqlite(SqliteConnection),
    /// PostgreSQL.
    Pg(PgConnection),
}

/// Runs the same code on whichever inner connection a [`DbConnection`] holds, for what the
/// multi-backend cannot express (`ON CONFLICT` upserts, migrations).
macro_rules! with_backend {
    ($conn:expr, |$inner:ident| $body:expr) => {
        match $conn {
            $crate::DbConnection::Sqlite($inner) => $body,
            $crate::DbConnection::Pg($inner) => $body,
        }
    };
}
pub(crate) use with_backend;

/// `query.first(conn).optional()` inside the caller's write transaction, holding the row until it
/// ends: `FOR NO KEY UPDATE` on PostgreSQL (a concurrent change or delete of the row waits, and
/// what is read is what the transaction changes; rows that only reference it, which take a key
/// share lock, do not wait); SQLite's write transaction holds the whole database already.
/// `$query` is written out in each arm (a selection's type depends on the backend), so pass the
/// query itself, not a variable holding it.
macro_rules! first_for_update {
    ($conn:expr, $query:expr) => {
        match $conn {
            $crate::DbConnection::Sqlite(c) => $query.first(c).optional(),
            $crate::DbConnection::Pg(c) => $query.for_no_key_update().first(c).optional(),
        }
    };
}
pub(crate) use first_for_update;

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite://PATH`
    Sqlite,
    /// `postgres://…` or `postgresql://…`
    Postgres,
}

/// A pooled connection.
pub type PooledConnection = r2d2::PooledConnection<Manager>;

/// Opens connections of one backend and prepares them (SQLite pragmas, PostgreSQL planner
/// settings and, once the schema has it, the audit append).
#[derive(Debug)]
pub struct Manager {
    backend: Backend,
    target: String,
    /// PostgreSQL: the schema is migrated, so each connection prepares the audit append.
    migrated: bool,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(&self.target)
                    .map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS)
                    .map_err(r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
            Backend::Postgres => {
                let mut conn =
                    PgConnection::establish(&self.target).map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(POSTGRES_SETTINGS)
                    .map_err(r2d2::Error::QueryError)?;
                if self.migrated {
                    conn.batch_execute(crate::audit::PREPARE_APPEND_PG)
                        .map_err(r2d2::Error::QueryError)?;
                }
                Ok(DbConnection::Pg(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// The connection pool of one database. Clones share it, also when
/// [`Database::run_migrations`] opens it again.
#[derive(Clone)]
pub struct Database {
    pool: Arc<RwLock<Opened>>,
    backend: Backend,
    target: String,
}

/// The pool and whether its PostgreSQL connections prepare the audit append.
struct Opened {
    pool: Pool<Manager>,
    migrated: bool,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Database {
    /// Opens a pool on `sqlite://PATH` (creating the parent folder) or `postgres://…`.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let (backend, target) = if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() || path.contains(":memory:") {
                return Err(StoreError::UnsupportedUrl(url.to_owned()));
            }
            if let Some(parent) = Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent).map_err(|e| {
                    StoreError::UnsupportedUrl(format!("{url}: cannot create folder: {e}"))
                })?;
            }
            (Backend::Sqlite, path.to_owned())
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(StoreError::UnsupportedUrl(redact_url(url)));
        };
        if backend == Backend::Sqlite {
            SqliteConnection::establish(&target)
                .map_err(|e| StoreError::Open(format!("{url}: {e}")))?
                .batch_execute(SQLITE_WAL)?;
        }
        // PostgreSQL connections prepare the audit append only where its tables are as this
        // build knows them; before migrations (or when the server does not answer yet, which
        // the pool waits for as before), `run_migrations` opens the pool again.
        let migrated = backend == Backend::Postgres && postgres_migrated(&target);
        let pool = open_pool(backend, &target, migrated)?;
        Ok(Self {
            pool: Arc::new(RwLock::new(Opened { pool, migrated })),
            backend,
            target,
        })
    }

    fn pool(&self) -> Pool<Manager> {
        self.pool
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .pool
            .clone()
    }

    /// The backend this pool talks to.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The most connections the pool opens.
    pub fn max_connections(&self) -> u32 {
        self.pool().max_size()
    }

    /// Connections the pool holds now: `(in use, idle)`.
    pub fn connections(&self) -> (u32, u32) {
        let state = self.pool().state();
        (
            state.connections.saturating_sub(state.idle_connections),
            state.idle_connections,
        )
    }

    /// Takes a connection from the pool.
    pub fn get(&self) -> Result<PooledConnection, StoreError> {
        Ok(self.pool().get()?)
    }

    /// Applies every pending migration of this backend (on PostgreSQL under an advisory lock),
    /// then builds any SQLite index a sync left unbuilt when it stopped
    /// ([`crate::mirror::restore_deferred_indexes`]). On PostgreSQL, when it applied any (or the
    /// pool opened before they were), it opens the pool again, so that every connection
    /// prepares the audit append against the migrated tables. A database a newer build has
    /// migrated (versions this build does not know) is refused: this build's code would write
    /// what the newer schema no longer expects (audit entries past the chain heads, say).
    pub fn run_migrations(&self) -> Result<(), StoreError> {
        let applied = {
            let mut conn = self.get()?;
            // Processes starting together on PostgreSQL take turns (the one that comes second
            // finds nothing left to apply); the lock is the session's, released right after.
            if let DbConnection::Pg(c) = &mut *conn {
                c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATIONS_LOCK})"))?;
            }
            let applied = with_backend!(&mut *conn, |c| match self.backend {
                Backend::Sqlite => migrate(c, SQLITE_MIGRATIONS),
                Backend::Postgres => migrate(c, POSTGRES_MIGRATIONS),
            });
            if let DbConnection::Pg(c) = &mut *conn {
                c.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATIONS_LOCK})"))?;
            }
            let applied = applied?;
            crate::mirror::restore_deferred_indexes(&mut conn)?;
            applied
        };
        let mut opened = self.pool.write().unwrap_or_else(PoisonError::into_inner);
        if self.backend == Backend::Postgres && (applied > 0 || !opened.migrated) {
            *opened = Opened {
                pool: open_pool(self.backend, &self.target, true)?,
                migrated: true,
            };
        }
        Ok(())
    }

    /// Reverts every applied migration (tests and `migrate --down-all` only).
    pub fn revert_all_migrations(&self) -> Result<(), StoreError> {
        let mut conn = self.get()?;
        with_backend!(&mut *conn, |c| match self.backend {
            Backend::Sqlite => c.revert_all_migrations(SQLITE_MIGRATIONS).map(drop),
            Backend::Postgres => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(drop),
        })
        .map_err(|e| StoreError::Migration(e.to_string()))
    }

    /// True when the database answers and no migration is pending (for `/readyz`).
    pub fn is_ready(&self) -> Result<bool, StoreError> {
        let mut conn = self.get()?;
        with_backend!(&mut *conn, |c| match self.backend {
            Backend::Sqlite => c.has_pending_migration(SQLITE_MIGRATIONS),
            Backend::Postgres => c.has_pending_migration(POSTGRES_MIGRATIONS),
        })
        .map(|pending| !pending)
        .map_err(|e| StoreError::Migration(e.to_string()))
    }
}

/// Applies `source`'s pending migrations on `conn`, then checks that every version the database
/// has applied is one of `source`'s; returns how many were applied.
fn migrate<DB: diesel::backend::Backend>(
    conn: &mut impl MigrationHarness<DB>,
    source: EmbeddedMigrations,
) -> Result<usize, StoreError> {
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Migration(e.to_string());
    let known: std::collections::HashSet<String> =
        diesel::migration::MigrationSource::<DB>::migrations(&source)
            .map_err(failed)?
            .iter()
            .map(|m| m.name().version().to_string())
            .collect();
    let applied = conn.run_pending_migrations(source).map_err(failed)?.len();
    let unknown: Vec<String> = conn
        .applied_migrations()
        .map_err(failed)?
        .into_iter()
        .map(|v| v.to_string())
        .filter(|v| !known.contains(v))
        .collect();
    if !unknown.is_empty() {
        return Err(StoreError::Migration(format!(
            "the database was migrated by a newer orgwarden (migrations {} are unknown to this \
             build): run that version or a later one",
            unknown.join(", ")
        )));
    }
    Ok(applied)
}

fn open_pool(backend: Backend, target: &str, migrated: bool) -> Result<Pool<Manager>, StoreError> {
    let size = match backend {
        Backend::Sqlite => 8,
        Backend::Postgres => 16,
    };
    Ok(Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(10))
        .build(Manager {
            backend,
            target: target.to_owned(),
            migrated,
        })?)
}

/// Whether the PostgreSQL database at `target` answers and has every migration of this build.
fn postgres_migrated(target: &str) -> bool {
    PgConnection::establish(target)
        .ok()
        .and_then(|mut conn| conn.has_pending_migration(POSTGRES_MIGRATIONS).ok())
        .is_some_and(|pending| !pending)
}

/// A database URL fit for messages: any password is replaced.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://[redacted]{}", &url[..scheme], &url[at..])
        }
        _ => url.to_owned(),
    }
}
