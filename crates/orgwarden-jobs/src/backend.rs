//! Where the queue lives, derived from the main database URL.

use std::path::{Path, PathBuf};

use anyhow::bail;

/// The storage behind the job queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueBackend {
    /// A SQLite file of its own (apalis creates tables named `Jobs` and `Workers`).
    Sqlite {
        /// The queue file.
        path: PathBuf,
    },
    /// A PostgreSQL database; apalis keeps its tables in its own `apalis` schema.
    Postgres {
        /// The connection URL.
        url: String,
    },
}

impl QueueBackend {
    /// Chooses the queue for the main database URL: `sqlite://data/orgwarden.sqlite` gives the
    /// file `data/orgwarden.jobs.sqlite` next to it (never the main file); `postgres://…` gives
    /// the same database.
    pub fn for_database_url(url: &str) -> anyhow::Result<Self> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() || path.contains(":memory:") {
                bail!("the job queue needs a SQLite file, not {url:?}");
            }
            return Ok(Self::Sqlite {
                path: queue_file_beside(Path::new(path))?,
            });
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres {
                url: url.to_owned(),
            });
        }
        let scheme = url.split(':').next().unwrap_or_default();
        bail!("unsupported database URL scheme {scheme:?} (expected sqlite://PATH or postgres://…)")
    }
}

/// `dir/name.ext` → `dir/name.jobs.ext`; `dir/name` → `dir/name.jobs.sqlite`.
fn queue_file_beside(main: &Path) -> anyhow::Result<PathBuf> {
    let Some(stem) = main.file_stem().and_then(|s| s.to_str()) else {
        bail!("cannot derive a queue file name from {}", main.display());
    };
    let ext = main
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("sqlite");
    Ok(main.with_file_name(format!("{stem}.jobs.{ext}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite_path(url: &str) -> PathBuf {
        let backend = QueueBackend::for_database_url(url).unwrap();
        let QueueBackend::Sqlite { path } = backend else {
            unreachable!("expected SQLite, got {backend:?}")
        };
        path
    }

    #[test]
    fn sqlite_queue_sits_next_to_the_main_file() {
        assert_eq!(
            sqlite_path("sqlite://data/orgwarden.sqlite"),
            PathBuf::from("data/orgwarden.jobs.sqlite")
        );
        assert_eq!(
            sqlite_path("sqlite:///var/lib/ow/main.db?mode=rwc"),
            PathBuf::from("/var/lib/ow/main.jobs.db")
        );
        assert_eq!(
            sqlite_path("sqlite://plain"),
            PathBuf::from("plain.jobs.sqlite")
        );
    }

    #[test]
    fn postgres_shares_the_main_database() {
        let url = "postgresql://u:p@db:5432/orgwarden";
        assert_eq!(
            QueueBackend::for_database_url(url).unwrap(),
            QueueBackend::Postgres { url: url.into() }
        );
    }

    #[test]
    fn unusable_urls_are_refused_without_echoing_secrets() {
        assert!(QueueBackend::for_database_url("sqlite://:memory:").is_err());
        assert!(QueueBackend::for_database_url("sqlite://").is_err());
        let err = QueueBackend::for_database_url("mysql://root:hunter2@x/db").unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}
