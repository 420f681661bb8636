//! Background work runs on its own multi-threaded tokio runtime, apart from the HTTP workers:
//! the job queue (apalis), its workers, the sync reconciler, the task scheduler, the webhook
//! delivery worker and the purge of uninstalled tenants.
//! Handlers reach it through [`Jobs`], which enqueues on that runtime.

use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context;
use chrono::NaiveDateTime;
use orgwarden_jobs::{
    every, reconcile_syncs, Job, Queue, QueueBackend, SyncContext, SyncJob, TenantJobContext,
    Workers, SYNC_CONCURRENCY,
};
use orgwarden_store::{Cipher, Database};
use tokio::sync::oneshot;

/// How often orphaned work is looked for.
const RECONCILE_EVERY: Duration = Duration::from_secs(60);
/// Bulk operations run at once by one process (each paces its own Admin API calls).
const OPERATION_CONCURRENCY: usize = 2;
/// How often operations whose worker died are looked for (their lease goes stale after 30 s).
const OPERATIONS_RECONCILE_EVERY: Duration = Duration::from_secs(15);

/// A handle to the background runtime: enqueue jobs; dropping the last clone stops it.
#[derive(Clone)]
pub struct Jobs {
    handle: tokio::runtime::Handle,
    queue: Queue,
    stop: std::sync::Arc<StopOnDrop>,
    /// Told when the background runtime has ended.
    ended: std::sync::Arc<parking_lot::Mutex<Option<mpsc::Receiver<()>>>>,
}

struct StopOnDrop(parking_lot::Mutex<Option<oneshot::Sender<()>>>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        if let Some(stop) = self.0.lock().take() {
            let _ = stop.send(());
        }
    }
}

impl Jobs {
    /// Stops the background jobs and waits up to `patience` for the runtime to end: running
    /// jobs drain (their leases handed back) before the process exits.
    pub fn shutdown(&self, patience: Duration) {
        if let Some(stop) = self.stop.0.lock().take() {
            let _ = stop.send(());
        }
        if let Some(ended) = self.ended.lock().take() {
            if ended.recv_timeout(patience).is_err() {
                tracing::warn!("background jobs still running at exit; their leases will expire");
            }
        }
    }

    /// Enqueues a job (call after the transaction that recorded its work has committed).
    pub async fn enqueue<J: Job>(&self, job: J) -> anyhow::Result<()> {
        let queue = self.queue.clone();
        self.handle
            .spawn(async move { queue.enqueue(job).await })
            .await?
    }

    /// The queues' depth, oldest waiting job and pool (ages at `now`).
    pub async fn queue_stats(
        &self,
        db: &Database,
        now: NaiveDateTime,
    ) -> anyhow::Result<orgwarden_jobs::metrics::QueueStats> {
        let (queue, db) = (self.queue.clone(), db.clone());
        self.handle
            .spawn(async move { orgwarden_jobs::metrics::queue_stats(&queue, &db, now).await })
            .await?
    }
}

/// What the background runtime needs.
pub struct BackgroundConfig {
    /// Main database URL (the queue lives beside it).
    pub database_url: String,
    /// The database pool.
    pub db: Database,
    /// Decrypts API keys.
    pub cipher: Cipher,
    /// Admin API base URL.
    pub admin_api_url: String,
    /// Admin API requests per second per tenant.
    pub admin_api_rate: f64,
    /// Days between two full reconciliations of a tenant's mirror.
    pub full_sync_every_days: u32,
    /// How the app's license is evaluated.
    pub license: orgwarden_jobs::LicenseSettings,
    /// How long history is kept.
    pub retention: crate::retention::Retention,
    /// Run job workers, the reconciler and the purge here (false: enqueue only).
    pub run_workers: bool,
    /// Let webhooks reach private addresses and plain http.
    pub webhooks_allow_private: bool,
    /// The time webhook deliveries are scheduled by.
    pub clock: orgwarden_jobs::Clock,
    /// How often due automated tasks are claimed (a run starts at most this late).
    pub tasks_tick: Duration,
    /// How often tenants whose daily sync hour has come are looked for.
    pub daily_sync_tick: Duration,
}

/// Starts the background runtime on its own thread and returns once the queue is connected.
pub fn start(config: BackgroundConfig) -> anyhow::Result<Jobs> {
    let (ready_tx, ready_rx) = mpsc::channel();
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let (ended_tx, ended_rx) = mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("orgwarden-jobs".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = ready_tx.send(Err(anyhow::Error::from(e)));
                    return;
                }
            };
            runtime.block_on(async move {
                let queue = match connect(&config.database_url).await {
                    Ok(queue) => queue,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok((tokio::runtime::Handle::current(), queue.clone())));
                if config.run_workers {
                    run(config, queue, stop_rx).await;
                } else {
                    let _ = stop_rx.await;
                }
            });
            drop(runtime);
            let _ = ended_tx.send(());
        })?;
    let (handle, queue) = ready_rx
        .recv()
        .context("the background runtime did not start")??;
    Ok(Jobs {
        handle,
        queue,
        stop: std::sync::Arc::new(StopOnDrop(parking_lot::Mutex::new(Some(stop_tx)))),
        ended: std::sync::Arc::new(parking_lot::Mutex::new(Some(ended_rx))),
    })
}

async fn connect(database_url: &str) -> anyhow::Result<Queue> {
    Queue::connect(QueueBackend::for_database_url(database_url)?)
        .await
        .context("the job queue could not be opened")
}

async fn run(config: BackgroundConfig, queue: Queue, stop: oneshot::Receiver<()>) {
    let http = match reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .build()
    {
        Ok(http) => http,
        Err(e) => {
            tracing::error!(error = %e, "HTTP client for jobs could not be built");
            return;
        }
    };
    let sync = SyncContext {
        db: config.db.clone(),
        cipher: config.cipher.clone(),
        http,
        admin_api_url: config.admin_api_url.clone(),
        requests_per_second: config.admin_api_rate,
        full_sync_every_days: config.full_sync_every_days,
        license: config.license.clone(),
        clients: Default::default(),
    };
    let heavy = TenantJobContext {
        sync: sync.clone(),
        queue: queue.clone(),
    };
    let workers = Workers::new(queue.clone()).register::<SyncJob>(heavy.clone(), SYNC_CONCURRENCY);
    let workers = workers.register::<orgwarden_jobs::OperationJob>(heavy, OPERATION_CONCURRENCY);
    let (ops_sync, ops_queue) = (sync.clone(), queue.clone());
    let operations_reconciler = every(OPERATIONS_RECONCILE_EVERY, move || {
        let (sync, queue) = (ops_sync.clone(), ops_queue.clone());
        async move { orgwarden_jobs::reconcile_operations(&sync, &queue).await }
    });
    let (tasks_sync, tasks_queue) = (sync.clone(), queue.clone());
    let scheduler = every(config.tasks_tick, move || {
        let (sync, queue) = (tasks_sync.clone(), tasks_queue.clone());
        async move { orgwarden_jobs::tasks::schedule_due_tasks(&sync, &queue, chrono::Utc::now()).await }
    });
    let (daily_sync, daily_queue) = (sync.clone(), queue.clone());
    // Every five minutes (the default) is enough to start each tenant's daily sync within its
    // chosen hour.
    let daily = every(config.daily_sync_tick, move || {
        let (sync, queue) = (daily_sync.clone(), daily_queue.clone());
        async move { orgwarden_jobs::schedule_daily_syncs(&sync, &queue).await }
    });
    let (db, jobs) = (config.db.clone(), queue.clone());
    let housekeeper = every(Duration::from_secs(24 * 3600), move || {
        let (db, jobs) = (db.clone(), jobs.clone());
        async move { orgwarden_jobs::housekeeping(&db, &jobs).await }
    });
    let reconciler = every(RECONCILE_EVERY, move || {
        let (sync, queue) = (sync.clone(), queue.clone());
        async move { reconcile_syncs(&sync, &queue).await }
    });
    let db = config.db.clone();
    let purger = every(Duration::from_secs(3600), move || {
        let db = db.clone();
        async move {
            let purged =
                tokio::task::spawn_blocking(move || crate::purge::purge_due(&db)).await??;
            if purged > 0 {
                tracing::info!(purged, "purged uninstalled tenants");
            }
            Ok(())
        }
    });
    let (db, retention, key) = (
        config.db.clone(),
        config.retention,
        config.cipher.audit_seal_key().clone(),
    );
    let retainer = every(Duration::from_secs(24 * 3600), move || {
        let (db, key) = (db.clone(), key.clone());
        async move {
            let now = chrono::Utc::now();
            tokio::task::spawn_blocking(move || {
                retention.apply(&db, &key, now)?;
                crate::retention::verify_trails(&db, &key, now)
            })
            .await??;
            Ok(())
        }
    });
    let (db, key) = (config.db.clone(), config.cipher.audit_seal_key().clone());
    let sealer = every(Duration::from_secs(3600), move || {
        let (db, key) = (db.clone(), key.clone());
        async move {
            let now = chrono::Utc::now();
            tokio::task::spawn_blocking(move || crate::retention::seal_trails(&db, &key, now))
                .await??;
            Ok(())
        }
    });
    let deliveries = orgwarden_jobs::webhooks::run_deliveries(
        orgwarden_jobs::webhooks::DeliveryContext {
            db: config.db.clone(),
            cipher: config.cipher.clone(),
            clock: config.clock.clone(),
            allow_private: config.webhooks_allow_private,
            limits: orgwarden_jobs::webhooks::Limits::default(),
        },
        std::future::pending(),
    );
    let shutdown = async move {
        let _ = stop.await;
    };
    tokio::select! {
        result = workers.run(shutdown) => {
            if let Err(e) = result {
                tracing::error!(error = %e, "job workers stopped");
            }
        }
        () = reconciler => {}
        () = operations_reconciler => {}
        () = purger => {}
        () = retainer => {}
        () = sealer => {}
        () = housekeeper => {}
        () = daily => {}
        result = deliveries => {
            if let Err(e) = result {
                tracing::error!(error = %e, "webhook deliveries stopped");
            }
        }
        () = scheduler => {}
    }
}
