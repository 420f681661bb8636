//! The registry of job kinds and the workers that run them.
//!
//! Policy: a failed run is retried in-process up to three times with exponential backoff
//! (about 1 s, 2 s, 4 s); a panic counts as a failure, so it never takes a worker down. Each job
//! runs on a task of its own, so a worker apalis stops on a database error does not take its
//! running jobs with it. Each
//! task row allows four runs in all, so the backend does not start the cycle again; a job that
//! still fails is left for the reconciler, which decides from our own tables.

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use apalis::layers::retry::backoff::{ExponentialBackoff, ExponentialBackoffMaker, MakeBackoff};
use apalis::layers::retry::{BackoffRetryPolicy, HasherRng, RetryPolicy};
use apalis::prelude::{BackendExt, BoxDynError, Monitor, WorkerBuilder, WorkerBuilderExt};
use apalis_postgres::PostgresStorage;
use apalis_sqlite::SqliteStorage;

use crate::queue::{postgres_config, sqlite_config, Pool, RETRIES};
use crate::{Job, Queue};

/// How often an idle worker looks for new tasks.
const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// How long `run` lets in-flight jobs finish after the shutdown signal before dropping them.
const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// The job kinds this process runs, each with its context and concurrency.
pub struct Workers {
    queue: Queue,
    monitor: Monitor,
    instance: String,
    registered: usize,
    shutdown_grace: Duration,
}

impl Workers {
    /// An empty registry on `queue`.
    pub fn new(queue: Queue) -> Self {
        let monitor = Monitor::new().should_restart(|worker, error| {
            tracing::warn!(worker = worker.name(), %error, "job worker stopped; restarting it");
            true
        });
        Self {
            queue,
            monitor,
            instance: instance_id(),
            registered: 0,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }

    /// How long `run` waits for in-flight jobs after the shutdown signal (default 30 s). Jobs
    /// still running then are dropped; they are idempotent and go back to the queue once their
    /// worker's heartbeat is missed.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// Runs `J` jobs with `ctx`, at most `concurrency` at a time in this process.
    pub fn register<J: Job>(mut self, ctx: J::Context, concurrency: usize) -> Self {
        let concurrency = concurrency.max(1);
        // Worker names must be unique across processes and restarts: apalis refuses to register
        // a name that was seen alive within the last heartbeat.
        let base = format!("{}-{}", J::NAME, self.instance);
        self.monitor = match self.queue.pool.clone() {
            Pool::Sqlite(pool) => self.monitor.register(move |restarts| {
                let ctx = ctx.clone();
                let storage = SqliteStorage::<J>::new(&pool)
                    .with_config(sqlite_config::<J>(concurrency))
                    .poll_with_interval(POLL_INTERVAL);
                WorkerBuilder::new(format!("{base}-{restarts}"))
                    .backend(storage)
                    .concurrency(concurrency)
                    .retry(retry_policy())
                    .build(move |job: J| run_job(job, ctx.clone()))
            }),
            Pool::Postgres(pool) => self.monitor.register(move |restarts| {
                let ctx = ctx.clone();
                let storage = PostgresStorage::<J>::new(&pool)
                    .with_config(postgres_config::<J>(concurrency))
                    .poll_with_interval(POLL_INTERVAL);
                WorkerBuilder::new(format!("{base}-{restarts}"))
                    .backend(storage)
                    .concurrency(concurrency)
                    .retry(retry_policy())
                    .build(move |job: J| run_job(job, ctx.clone()))
            }),
        };
        self.registered += 1;
        self
    }

    /// Runs every registered worker until `shutdown` resolves, then lets in-flight jobs finish
    /// (within the shutdown grace) and returns tasks fetched but not started to the queue.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        if self.registered == 0 {
            shutdown.await;
            return Ok(());
        }
        let grace = self.shutdown_grace;
        self.monitor
            // An async block, so the grace period starts when the signal has fired.
            .with_terminator(async move { tokio::time::sleep(grace).await })
            .run_with_signal(async move {
                shutdown.await;
                Ok(())
            })
            .await
            .map_err(|e| anyhow::anyhow!("job workers failed: {e}"))
    }
}

/// Runs one job on a task of its own and waits for it; turns its error or panic into a failure
/// apalis records and retries. The job runs detached from apalis' worker: a worker that stops
/// (its queue poll or heartbeat failed through a database restart) drops this future but not the
/// job, which rides the outage out and ends; its queue row, left running, is taken up again once
/// the worker's heartbeats are missed, and then finds its work done.
async fn run_job<J: Job>(job: J, ctx: J::Context) -> Result<(), BoxDynError> {
    match tokio::spawn(job.run(ctx)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => {
            tracing::warn!(queue = J::NAME, error = format!("{error:#}"), "job failed");
            Err(error.into())
        }
        Err(join) => {
            let message = match join.try_into_panic() {
                Ok(panic) => panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "non-string panic payload".to_owned()),
                Err(join) => join.to_string(),
            };
            tracing::error!(queue = J::NAME, %message, "job panicked");
            Err(anyhow::anyhow!("job panicked: {message}").into())
        }
    }
}

fn retry_policy() -> BackoffRetryPolicy<ExponentialBackoff<HasherRng>> {
    let mut backoff = ExponentialBackoffMaker::new(
        Duration::from_secs(1),
        Duration::from_secs(60),
        0.25,
        HasherRng::default(),
    )
    .unwrap_or_default();
    RetryPolicy::retries(RETRIES).with_backoff(backoff.make_backoff())
}

/// A name for this process's workers: process id plus start time.
fn instance_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:x}{:x}", std::process::id(), nanos)
}
