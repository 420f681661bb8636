//! A test job that records its runs, the scenarios both queue backends must pass, and the
//! macro that makes one test per database backend.
#![allow(dead_code)]

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::bail;
use orgwarden_jobs::{Job, Queue, QueueBackend, Workers};
use serde::{Deserialize, Serialize};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Records every run of every job id: attempts and successes.
#[derive(Clone, Default)]
pub struct Ledger(Arc<Mutex<Book>>);

#[derive(Default)]
pub struct Book {
    pub attempts: HashMap<u32, u32>,
    pub done: Vec<u32>,
}

impl Ledger {
    pub fn attempts(&self, id: u32) -> u32 {
        self.0
            .lock()
            .unwrap()
            .attempts
            .get(&id)
            .copied()
            .unwrap_or(0)
    }

    pub fn done(&self) -> Vec<u32> {
        let mut done = self.0.lock().unwrap().done.clone();
        done.sort_unstable();
        done
    }

    /// Waits (at most 60 s, a hang guard) until `n` runs succeeded.
    pub async fn wait_for_done(&self, n: usize) {
        let start = Instant::now();
        while self.0.lock().unwrap().done.len() < n {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "only {:?} of {n} jobs done",
                self.done()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Fails (or panics) on its first `failures` runs, then succeeds.
#[derive(Clone, Serialize, Deserialize)]
pub struct Record {
    pub id: u32,
    pub failures: u32,
    pub panics: bool,
}

impl Record {
    pub fn ok(id: u32) -> Self {
        Self {
            id,
            failures: 0,
            panics: false,
        }
    }
}

#[async_trait::async_trait]
impl Job for Record {
    const NAME: &'static str = "test-record";
    type Context = Ledger;

    async fn run(self, ledger: Ledger) -> anyhow::Result<()> {
        let attempt = {
            let mut book = ledger.0.lock().unwrap();
            let attempt = book.attempts.entry(self.id).or_default();
            *attempt += 1;
            *attempt
        };
        if attempt <= self.failures {
            if self.panics {
                panic!("planned panic on attempt {attempt}");
            }
            bail!("planned failure on attempt {attempt}");
        }
        ledger.0.lock().unwrap().done.push(self.id);
        Ok(())
    }
}

/// Workers running in the background until `stop` is called.
pub struct Running {
    stop: oneshot::Sender<()>,
    handle: JoinHandle<anyhow::Result<()>>,
}

impl Running {
    pub fn start(queue: &Queue, ledger: &Ledger, concurrency: usize) -> Self {
        let workers = Workers::new(queue.clone()).register::<Record>(ledger.clone(), concurrency);
        Self::spawn(workers)
    }

    pub fn spawn(workers: Workers) -> Self {
        let (stop, stopped) = oneshot::channel::<()>();
        let handle = tokio::spawn(workers.run(async move {
            let _ = stopped.await;
        }));
        Self { stop, handle }
    }

    /// Signals shutdown and waits for a clean exit.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.handle.await.unwrap().unwrap();
    }
}

async fn enqueue_range(queue: &Queue, ids: std::ops::Range<u32>) {
    for id in ids {
        queue.enqueue(Record::ok(id)).await.unwrap();
    }
}

/// N jobs, some queued before the workers start and some after, all run exactly once.
pub async fn every_job_runs_exactly_once(backend: QueueBackend) {
    const N: u32 = 40;
    let queue = Queue::connect(backend).await.unwrap();
    let ledger = Ledger::default();
    enqueue_range(&queue, 0..N / 2).await;
    let running = Running::start(&queue, &ledger, 4);
    enqueue_range(&queue, N / 2..N).await;
    ledger.wait_for_done(N as usize).await;
    running.stop().await;
    assert_eq!(ledger.done(), (0..N).collect::<Vec<_>>());
}

/// A job failing (or panicking) on its first run is retried and then succeeds, once.
pub async fn a_failed_job_is_retried(backend: QueueBackend) {
    let queue = Queue::connect(backend).await.unwrap();
    let ledger = Ledger::default();
    let running = Running::start(&queue, &ledger, 2);
    queue
        .enqueue(Record {
            id: 1,
            failures: 1,
            panics: false,
        })
        .await
        .unwrap();
    queue
        .enqueue(Record {
            id: 2,
            failures: 2,
            panics: true,
        })
        .await
        .unwrap();
    queue.enqueue(Record::ok(3)).await.unwrap();
    ledger.wait_for_done(3).await;
    running.stop().await;
    assert_eq!(ledger.done(), vec![1, 2, 3]);
    assert_eq!(
        (ledger.attempts(1), ledger.attempts(2), ledger.attempts(3)),
        (2, 3, 1)
    );
}

/// A job that always fails runs four times (three retries with backoff), then stays failed.
pub async fn a_job_failing_every_time_gives_up(backend: QueueBackend) {
    let queue = Queue::connect(backend.clone()).await.unwrap();
    let ledger = Ledger::default();
    let running = Running::start(&queue, &ledger, 1);
    queue
        .enqueue(Record {
            id: 7,
            failures: u32::MAX,
            panics: false,
        })
        .await
        .unwrap();
    queue.enqueue(Record::ok(8)).await.unwrap();
    // Job 7's runs and retries hold the only slot; job 8 runs once they are over and job 7's
    // task is recorded as failed with no attempt left.
    let start = Instant::now();
    loop {
        let rows = record_rows(&backend).await;
        if ledger.done() == vec![8] && rows == (1, 0) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{} runs of job 7, done {:?}, rows (exhausted, fetchable) {rows:?}",
            ledger.attempts(7),
            ledger.done()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(ledger.attempts(7), 4);
    // Several poll intervals: the backend must not fetch the exhausted task again.
    tokio::time::sleep(Duration::from_secs(2)).await;
    running.stop().await;
    assert_eq!(ledger.attempts(7), 4);
    assert_eq!(ledger.done(), vec![8]);
    assert_eq!(record_rows(&backend).await, (1, 0));
}

/// The queue rows of `Record` jobs: how many failed with no attempt left (the backend never
/// fetches those again), and how many are not over (waiting, running, or failed with attempts
/// left).
async fn record_rows(backend: &QueueBackend) -> (i64, i64) {
    const COUNTS: &str = "COUNT(*) FILTER (WHERE status = 'Failed' AND attempts >= max_attempts), \
                          COUNT(*) FILTER (WHERE status NOT IN ('Done', 'Killed') \
                          AND NOT (status = 'Failed' AND attempts >= max_attempts))";
    match backend {
        QueueBackend::Sqlite { path } => {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(path)
                .busy_timeout(Duration::from_secs(10));
            let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
            let sql = format!("SELECT {COUNTS} FROM Jobs WHERE job_type = ?1");
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(<Record as Job>::NAME)
                .fetch_one(&pool)
                .await
                .unwrap();
            pool.close().await;
            rows
        }
        QueueBackend::Postgres { url } => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            let sql = format!("SELECT {COUNTS} FROM apalis.jobs WHERE job_type = $1");
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(<Record as Job>::NAME)
                .fetch_one(&pool)
                .await
                .unwrap();
            pool.close().await;
            rows
        }
    }
}

/// Queued jobs outlive workers that never ran or stopped at once, and run on the next ones.
pub async fn jobs_survive_a_worker_restart(backend: QueueBackend) {
    const N: u32 = 12;
    let ledger = Ledger::default();
    {
        let queue = Queue::connect(backend.clone()).await.unwrap();
        enqueue_range(&queue, 0..N).await;
        drop(Workers::new(queue.clone()).register::<Record>(ledger.clone(), 2));
        let workers = Workers::new(queue).register::<Record>(ledger.clone(), 2);
        workers.run(std::future::ready(())).await.unwrap();
    }
    let queue = Queue::connect(backend).await.unwrap();
    let running = Running::start(&queue, &ledger, 2);
    ledger.wait_for_done(N as usize).await;
    running.stop().await;
    assert_eq!(ledger.done(), (0..N).collect::<Vec<_>>());
}

/// Rows of ended jobs are pruned once old enough; queued ones stay and still run.
pub async fn finished_jobs_are_pruned(backend: QueueBackend) {
    let queue = Queue::connect(backend).await.unwrap();
    let ledger = Ledger::default();
    enqueue_range(&queue, 0..3).await;
    let running = Running::start(&queue, &ledger, 2);
    ledger.wait_for_done(3).await;
    running.stop().await;
    queue.enqueue(Record::ok(3)).await.unwrap();
    assert_eq!(
        queue
            .prune_finished(Duration::from_secs(3600))
            .await
            .unwrap(),
        0
    );
    // SQLite records the end to the second: let one pass.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(queue.prune_finished(Duration::ZERO).await.unwrap(), 3);
    let running = Running::start(&queue, &ledger, 1);
    ledger.wait_for_done(4).await;
    running.stop().await;
    assert_eq!(ledger.done(), vec![0, 1, 2, 3]);
}

/// Runs `scenario` under a timeout so a hang fails instead of blocking the suite.
pub async fn guarded(scenario: impl Future<Output = ()>) {
    tokio::time::timeout(Duration::from_secs(120), scenario)
        .await
        .expect("scenario finished in time");
}
