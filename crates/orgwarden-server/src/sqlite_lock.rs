//! SQLite serves one process: `serve` and `worker` hold an exclusive lock on `<file>.lock` for
//! as long as their state lives, so a second process opening the same file refuses to start
//! (PostgreSQL is the database for several processes).

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use fs4::{FileExt, TryLockError};

/// The held lock; released when the last clone of the state is dropped (or the process ends).
#[derive(Debug)]
pub struct SqliteLock {
    _file: File,
}

/// Takes the lock of the SQLite database at `database_url` for a process doing `what` (`server`
/// for `serve` and `worker`, `sync`, `migrate`); `None` for PostgreSQL and in-memory databases, an error naming
/// the file and the process that holds it when another does.
pub fn lock(database_url: &str, what: &str) -> anyhow::Result<Option<SqliteLock>> {
    match take(database_url, what)? {
        Taken::Held(lock) => Ok(Some(lock)),
        Taken::NotNeeded => Ok(None),
        Taken::Elsewhere(holder) => anyhow::bail!(
            "another orgwarden process ({holder}) already uses this SQLite database. SQLite \
             serves one process: stop it, or wait until it has ended, or use PostgreSQL \
             (ORGWARDEN_DATABASE_URL=postgres://…) to run several processes."
        ),
    }
}

/// What `serve` and `worker` write into the lock file (both run jobs).
pub const SERVER: &str = "server";

/// What [`take`] found.
#[derive(Debug)]
pub enum Taken {
    /// This process holds the lock now.
    Held(SqliteLock),
    /// The database needs none (PostgreSQL, an in-memory SQLite database).
    NotNeeded,
    /// Another process holds it.
    Elsewhere(Holder),
}

/// The process holding a SQLite database's lock, as it wrote itself into the lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// The lock file.
    pub path: PathBuf,
    /// What it does (`server`: `serve` or `worker`; `sync`, `migrate`; empty if it did not say).
    pub what: String,
    /// Its process id, if it said.
    pub pid: Option<u32>,
}

impl Holder {
    /// True for a process that runs jobs (`serve`, `worker`): work put on the queue gets done.
    pub fn runs_jobs(&self) -> bool {
        self.what == SERVER
    }
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.what.as_str() {
            SERVER => "`orgwarden serve` or `worker`".to_owned(),
            what => format!("`orgwarden {what}`"),
        };
        match (self.what.as_str(), self.pid) {
            ("", _) => write!(f, "it holds {}", self.path.display()),
            (_, Some(pid)) => write!(f, "{what}, pid {pid}, holds {}", self.path.display()),
            (_, None) => write!(f, "{what} holds {}", self.path.display()),
        }
    }
}

/// Tries to take the lock of the SQLite database at `database_url` without waiting, for a
/// process doing `what`, which it writes into the lock file for others to name.
pub fn take(database_url: &str, what: &str) -> anyhow::Result<Taken> {
    let Some(path) = lock_path(database_url) else {
        return Ok(Taken::NotNeeded);
    };
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the folder of {}", path.display()))?;
    }
    let mut file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening the lock file {}", path.display()))?;
    // Through fs4 (not `File::try_lock`, which is newer than the crate's minimum Rust).
    match FileExt::try_lock(&file) {
        Ok(()) => {
            let written = file.set_len(0).and_then(|()| {
                file.write_all(format!("{what} {}\n", std::process::id()).as_bytes())
            });
            written.with_context(|| format!("writing {}", path.display()))?;
            Ok(Taken::Held(SqliteLock { _file: file }))
        }
        Err(TryLockError::WouldBlock) => {
            let mut said = String::new();
            // What the holder wrote; a holder that did not write reads as unnamed.
            let _ = file.read_to_string(&mut said);
            let mut words = said.split_whitespace();
            let what = words.next().unwrap_or_default().to_owned();
            let pid = words.next().and_then(|p| p.parse().ok());
            Ok(Taken::Elsewhere(Holder { path, what, pid }))
        }
        Err(TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("locking {}", path.display()))
        }
    }
}

/// `sqlite://data/orgwarden.sqlite?mode=rwc` → `data/orgwarden.sqlite.lock`.
fn lock_path(database_url: &str) -> Option<PathBuf> {
    let path = database_url.strip_prefix("sqlite://")?;
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        return None;
    }
    let mut name = Path::new(path).as_os_str().to_owned();
    name.push(".lock");
    Some(PathBuf::from(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/ow.sqlite?mode=rwc", dir.path().display());
        let first = lock(&url, SERVER)
            .unwrap()
            .expect("a file database is locked");
        let refused = lock(&url, "migrate").unwrap_err().to_string();
        assert!(refused.contains("ow.sqlite.lock"), "{refused}");
        assert!(
            refused.contains("`orgwarden serve` or `worker`, pid"),
            "{refused}"
        );
        assert!(refused.contains("PostgreSQL"), "{refused}");
        let holder = match take(&url, "sync").unwrap() {
            Taken::Elsewhere(holder) => holder,
            other => unreachable!("held by the first: {other:?}"),
        };
        assert!(holder.runs_jobs() && holder.pid == Some(std::process::id()));
        drop(first);
        let sync = lock(&url, "sync").unwrap();
        assert!(sync.is_some());
        let holder = match take(&url, "sync").unwrap() {
            Taken::Elsewhere(holder) => holder,
            other => unreachable!("held by the sync: {other:?}"),
        };
        assert_eq!(holder.what, "sync");
        assert!(!holder.runs_jobs());
        drop(sync);
        assert!(matches!(take(&url, SERVER).unwrap(), Taken::Held(_)));
    }

    #[test]
    fn postgres_and_memory_need_no_lock() {
        assert!(lock("postgres://u@db/ow", SERVER).unwrap().is_none());
        assert!(lock("sqlite://:memory:", SERVER).unwrap().is_none());
        assert!(matches!(
            take("postgres://u@db/ow", "sync").unwrap(),
            Taken::NotNeeded
        ));
    }
}
