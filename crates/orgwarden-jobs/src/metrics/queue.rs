//! Queue depth and the age of the oldest waiting job, read at scrape time with one grouped
//! query on apalis' job table and one aggregate on the webhook outbox. For apalis jobs,
//! "waiting" is what apalis itself counts as queue length: status `Pending`, or `Failed` with
//! attempts left; `Queued` (fetched by a worker, not yet started) counts too. Webhook deliveries
//! (`orgwarden::webhook`, not an apalis job: the outbox is the queue) wait while `pending`.

use apalis_postgres::PgPool;
use apalis_sqlite::SqlitePool;
use chrono::NaiveDateTime;
use orgwarden_store::webhooks::outbox;
use orgwarden_store::Database;

use super::METRICS;
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

/// Reads the depth and oldest waiting job per job type (ages measured at `now`, the clock
/// deliveries are scheduled by), and the queue pool's connections, into the gauges (nothing
/// when the metrics are not registered).
pub async fn observe_queue(queue: &Queue, db: &Database, now: NaiveDateTime) -> anyhow::Result<()> {
    let Some(metrics) = METRICS.get() else {
        return Ok(());
    };
    let (rows, size, idle) = match &queue.pool {
        Pool::Sqlite(pool) => (sqlite(pool).await?, pool.size(), pool.num_idle()),
        Pool::Postgres(pool) => (postgres(pool).await?, pool.size(), pool.num_idle()),
    };
    for job_type in JOB_TYPES {
        let (depth, oldest) = rows
            .iter()
            .find(|(name, _, _)| name == job_type)
            .map_or((0, 0), |(_, depth, oldest)| (*depth, *oldest));
        metrics
            .queue_depth
            .with_label_values(&[job_type])
            .set(depth);
        metrics
            .queue_oldest
            .with_label_values(&[job_type])
            .set(oldest as f64);
    }
    let (pending, earliest) = blocking(db, outbox::backlog).await?;
    let waited = earliest.map_or(0, |at| (now - at).num_seconds().max(0));
    metrics
        .queue_depth
        .with_label_values(&[WEBHOOK])
        .set(pending);
    metrics
        .queue_oldest
        .with_label_values(&[WEBHOOK])
        .set(waited as f64);
    let idle = i64::try_from(idle).unwrap_or(i64::MAX);
    let in_use = i64::from(size).saturating_sub(idle);
    metrics
        .queue_pool
        .with_label_values(&["in_use"])
        .set(in_use);
    metrics.queue_pool.with_label_values(&["idle"]).set(idle);
    Ok(())
}

type Row = (String, i64, i64);

async fn sqlite(pool: &SqlitePool) -> anyhow::Result<Vec<Row>> {
    Ok(sqlx::query_as::<_, Row>(SQLITE).fetch_all(pool).await?)
}

async fn postgres(pool: &PgPool) -> anyhow::Result<Vec<Row>> {
    Ok(sqlx::query_as::<_, Row>(POSTGRES).fetch_all(pool).await?)
}
