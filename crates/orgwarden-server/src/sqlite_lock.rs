//! SQLite serves one process: `serve` and `worker` hold an exclusive lock on `<file>.lock` for
//! as long as their state lives, so a second process opening the same file refuses to start
//! (PostgreSQL is the database for several processes).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use anyhow::Context;
use fs4::{FileExt, TryLockError};

/// The held lock; released when the last clone of the state is dropped (or the process ends).
#[derive(Debug)]
pub struct SqliteLock {
    _file: File,
}

/// Takes the lock of the SQLite database at `database_url`; `None` for PostgreSQL and
/// in-memory databases, an error naming the file when another process holds it.
pub fn lock(database_url: &str) -> anyhow::Result<Option<SqliteLock>> {
    match take(database_url)? {
        Taken::Held(lock) => Ok(Some(lock)),
        Taken::NotNeeded => Ok(None),
        Taken::Elsewhere(path) => anyhow::bail!(
            "another orgwarden process already uses this SQLite database (it holds {}). SQLite \
             serves one process: stop the other `orgwarden serve` or `orgwarden worker`, or use \
             PostgreSQL (ORGWARDEN_DATABASE_URL=postgres://…) to run several processes.",
            path.display()
        ),
    }
}

/// What [`take`] found.
#[derive(Debug)]
pub enum Taken {
    /// This process holds the lock now.
    Held(SqliteLock),
    /// The database needs none (PostgreSQL, an in-memory SQLite database).
    NotNeeded,
    /// Another process (a `serve` or `worker`) holds the lock file at this path.
    Elsewhere(PathBuf),
}

/// Tries to take the lock of the SQLite database at `database_url` without waiting.
pub fn take(database_url: &str) -> anyhow::Result<Taken> {
    let Some(path) = lock_path(database_url) else {
        return Ok(Taken::NotNeeded);
    };
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the folder of {}", path.display()))?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("opening the lock file {}", path.display()))?;
    // Through fs4 (not `File::try_lock`, which is newer than the crate's minimum Rust).
    match FileExt::try_lock(&file) {
        Ok(()) => Ok(Taken::Held(SqliteLock { _file: file })),
        Err(TryLockError::WouldBlock) => Ok(Taken::Elsewhere(path)),
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
        let first = lock(&url).unwrap().expect("a file database is locked");
        let refused = lock(&url).unwrap_err().to_string();
        assert!(refused.contains("ow.sqlite.lock"), "{refused}");
        assert!(refused.contains("PostgreSQL"), "{refused}");
        drop(first);
        assert!(lock(&url).unwrap().is_some());
        let held = lock(&url).unwrap();
        assert!(
            matches!(take(&url).unwrap(), Taken::Elsewhere(p) if p.ends_with("ow.sqlite.lock"))
        );
        drop(held);
        assert!(matches!(take(&url).unwrap(), Taken::Held(_)));
    }

    #[test]
    fn postgres_and_memory_need_no_lock() {
        assert!(lock("postgres://u@db/ow").unwrap().is_none());
        assert!(lock("sqlite://:memory:").unwrap().is_none());
        assert!(matches!(
            take("postgres://u@db/ow").unwrap(),
            Taken::NotNeeded
        ));
    }
}
