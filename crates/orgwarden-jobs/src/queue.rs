//! The connection to the queue and the one way to put work on it.

use std::time::Duration;

use anyhow::Context as _;
use apalis::prelude::{TaskBuilder, TaskSink};
use apalis_postgres::{PgPool, PostgresStorage};
use apalis_sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions, SqliteStorage};

use crate::{Job, QueueBackend};

/// In-process retries after a failed run (see `Workers`).
pub(crate) const RETRIES: usize = 3;
/// Runs a task may take in all; the backend never re-fetches a task that used them up.
const MAX_ATTEMPTS: usize = RETRIES + 1;
/// A worker proves it is alive this often…
const HEARTBEAT: Duration = Duration::from_secs(10);
/// …and its tasks go back to the queue after this many missed heartbeats.
const MISSED_HEARTBEATS: usize = 3;

/// A handle on the job queue; cheap to clone (it holds a connection pool).
#[derive(Debug, Clone)]
pub struct Queue {
    pub(crate) pool: Pool,
}

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Queue {
    /// Connects and runs apalis' own migrations (idempotent, safe from several processes).
    pub async fn connect(backend: QueueBackend) -> anyhow::Result<Self> {
        let pool = match backend {
            QueueBackend::Sqlite { path } => {
                if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating the folder of {}", path.display()))?;
                }
                let options = SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true)
                    .busy_timeout(Duration::from_secs(10));
                let pool = SqlitePoolOptions::new()
                    .connect_with(options)
                    .await
                    .with_context(|| format!("opening the job queue {}", path.display()))?;
                SqliteStorage::setup(&pool)
                    .await
                    .context("setting up the SQLite job queue")?;
                Pool::Sqlite(pool)
            }
            QueueBackend::Postgres { url } => {
                // The URL may hold a password: never put it in an error.
                let pool = PgPool::connect(&url)
                    .await
                    .context("connecting to PostgreSQL for the job queue")?;
                PostgresStorage::setup(&pool)
                    .await
                    .context("setting up the PostgreSQL job queue (schema `apalis`)")?;
                Pool::Postgres(pool)
            }
        };
        Ok(Self { pool })
    }

    /// Puts `job` on its queue. Call it after the diesel transaction that recorded the work
    /// commits: the queue cannot join that transaction, and the reconciler covers a crash
    /// between the two.
    pub async fn enqueue<J: Job>(&self, job: J) -> anyhow::Result<()> {
        self.push(TaskBuilder::new(job)).await
    }

    /// Puts `job` on its queue, to be picked no sooner than `delay` from now (behind the jobs
    /// already due).
    pub async fn enqueue_after<J: Job>(&self, job: J, delay: Duration) -> anyhow::Result<()> {
        self.push(TaskBuilder::new(job).run_after(delay)).await
    }

    async fn push<J: Job>(&self, task: TaskBuilder<J>) -> anyhow::Result<()> {
        let task = task.max_attempts(MAX_ATTEMPTS).build();
        let pushed = match &self.pool {
            Pool::Sqlite(pool) => {
                let mut storage = SqliteStorage::<J>::new(pool).with_config(sqlite_config::<J>(1));
                storage.push_task(task).await.map_err(anyhow::Error::new)
            }
            Pool::Postgres(pool) => {
                let mut storage =
                    PostgresStorage::<J>::new(pool).with_config(postgres_config::<J>(1));
                storage.push_task(task).await.map_err(anyhow::Error::new)
            }
        };
        pushed.with_context(|| format!("enqueueing a {} job", J::NAME))
    }
}

impl Queue {
    /// Deletes the rows of tasks that ended (done, killed, or failed with no attempt left) more
    /// than `older_than` ago, in every queue; returns how many. Waiting jobs add a row each time
    /// they go back on the queue, so this runs daily.
    pub async fn prune_finished(&self, older_than: Duration) -> anyhow::Result<u64> {
        let secs = i64::try_from(older_than.as_secs()).unwrap_or(i64::MAX);
        let deleted = match &self.pool {
            Pool::Sqlite(pool) => sqlx::query(
                "DELETE FROM Jobs WHERE (status IN ('Done', 'Killed') OR (status = 'Failed' \
                 AND attempts >= max_attempts)) AND done_at < CAST(strftime('%s', 'now') AS \
                 INTEGER) - ?1",
            )
            .bind(secs)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
            Pool::Postgres(pool) => sqlx::query(
                "DELETE FROM apalis.jobs WHERE (status IN ('Done', 'Killed') OR (status = \
                 'Failed' AND attempts >= max_attempts)) AND done_at < now() - make_interval(secs \
                 => $1)",
            )
            .bind(older_than.as_secs_f64())
            .execute(pool)
            .await
            .map(|r| r.rows_affected()),
        };
        deleted.context("pruning finished jobs")
    }
}

/// The apalis SQLite settings for `J`'s queue; a worker fetches `batch` tasks at a time.
pub(crate) fn sqlite_config<J: Job>(batch: usize) -> apalis_sqlite::Config {
    apalis_sqlite::Config::default()
        .queue(J::NAME)
        .batch_size(batch.max(1))
        .heartbeat_interval(HEARTBEAT)
        .missed_heartbeats(MISSED_HEARTBEATS)
}

/// The apalis PostgreSQL settings for `J`'s queue; a worker fetches `batch` tasks at a time.
pub(crate) fn postgres_config<J: Job>(batch: usize) -> apalis_postgres::Config {
    apalis_postgres::Config::default()
        .queue(J::NAME)
        .batch_size(batch.max(1))
        .heartbeat_interval(HEARTBEAT)
        .missed_heartbeats(MISSED_HEARTBEATS)
}
