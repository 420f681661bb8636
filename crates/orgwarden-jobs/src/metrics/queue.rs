//! Queue depth and the age of the oldest waiting job (for the server's scrape-time gauges), read
//! with one grouped query on apalis' job table and one aggregate on the webhook outbox. For apalis jobs,
//! "waiting" is what apalis itself counts as queue length: status `Pending`, or `Failed` with
//! attempts left; `Queued` (fetched by a worker, not yet started) counts too. Webhook deliveries
//! (`orgwarden::webhook`, not an apalis job: the outbox is the queue) wait while `pending`.

use apalis_postgres::PgPool;
use apalis_sqlite::SqlitePool;
use chrono::NaiveDateTime;
use orgwarden_store::webhooks::outbox;
use orgwarden_store::Database;

use crate::queue::{Pool, Queue};
use crate::sync::blocking;
use crate::{Job, OperationJob, SyncJob};

/// The apalis job types shown (others, e.g. of tests, are left out to keep labels fixed).
const JOB_TYPES: [&str; 2] = [SyncJob::NAME, OperationJob::NAME];
/// The job type of webhook deliveries.
const WEBHOOK: &str = "orgwarden::webhook";

const SQLITE: &str = "SELECT job_type, COUNT(*), \
     MAX(0, CAST(strftime('%s', 'now') AS INTEGER) - MIN(run_at)) \
     FROM Jobs WHERE status IN ('Pending', 'Queued') \
     OR (status = 'Failed' AND attempts < max_attempts) GROUP BY job_type";

const POSTGRES: &str = "SELECT job_type, COUNT(*)::BIGINT, \
     GREATEST(0, EXTRACT(EPOCH FROM now() - MIN(run_at)))::BIGINT \
     FROM apalis.jobs WHERE status IN ('Pending', 'Queued') \
     OR (status = 'Failed' AND attempts < max_attempts) GROUP BY job_type";

/// How many jobs of one type wait, and for how long the oldest due one has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    /// `orgwarden::sync`, `orgwarden::operation` or `orgwarden::webhook`.
    pub job_type: &'static str,
    /// Jobs waiting.
    pub depth: i64,
    /// Seconds since the oldest waiting job became due (0: none is due).
    pub oldest_age_secs: i64,
}

/// The queues at one instant, and the job queue pool's connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueStats {
    /// Every job type, also those with nothing waiting.
    pub waiting: Vec<Waiting>,
    /// Queue pool connections in use.
    pub pool_in_use: i64,
    /// Queue pool connections idle.
    pub pool_idle: i64,
}

/// Reads the depth and oldest waiting job per job type (webhook ages measured at `now`, the
/// clock deliveries are scheduled by; apalis ages by the database's clock), and the queue
/// pool's connections: one query on each queue.
pub async fn queue_stats(
    queue: &Queue,
    db: &Database,
    now: NaiveDateTime,
) -> anyhow::Result<QueueStats> {
    let (rows, size, idle) = match &queue.pool {
        Pool::Sqlite(pool) => (sqlite(pool).await?, pool.size(), pool.num_idle()),
        Pool::Postgres(pool) => (postgres(pool).await?, pool.size(), pool.num_idle()),
    };
    let mut waiting: Vec<Waiting> = JOB_TYPES
        .into_iter()
        .map(|job_type| {
            let (depth, oldest_age_secs) = rows
                .iter()
                .find(|(name, _, _)| name == job_type)
                .map_or((0, 0), |(_, depth, oldest)| (*depth, *oldest));
            Waiting {
                job_type,
                depth,
                oldest_age_secs,
            }
        })
        .collect();
    let (depth, earliest) = blocking(db, outbox::backlog).await?;
    waiting.push(Waiting {
        job_type: WEBHOOK,
        depth,
        oldest_age_secs: earliest.map_or(0, |at| (now - at).num_seconds().max(0)),
    });
    let pool_idle = i64::try_from(idle).unwrap_or(i64::MAX);
    Ok(QueueStats {
        waiting,
        pool_in_use: i64::from(size).saturating_sub(pool_idle),
        pool_idle,
    })
}

type Row = (String, i64, i64);

async fn sqlite(pool: &SqlitePool) -> anyhow::Result<Vec<Row>> {
    Ok(sqlx::query_as::<_, Row>(SQLITE).fetch_all(pool).await?)
}

async fn postgres(pool: &PgPool) -> anyhow::Result<Vec<Row>> {
    Ok(sqlx::query_as::<_, Row>(POSTGRES).fetch_all(pool).await?)
}
