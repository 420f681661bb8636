//! The Prometheus registry behind `/metrics`: the HTTP surface, the Admin API client, the
//! background work, the process (CPU, memory, open file descriptors) and the database pools.
//! Gauges that live in a database (queue depth, oldest job) are read at scrape time.

use chrono::NaiveDateTime;
use orgwarden_store::Database;
use prometheus::{
    Encoder, GaugeVec, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

use crate::background::Jobs;

/// Every metric `/metrics` shows.
pub struct Metrics {
    registry: Registry,
    /// HTTP requests by method, route template and status.
    pub(crate) requests: IntCounterVec,
    /// HTTP latency by route template.
    pub(crate) latency: HistogramVec,
    db_pool: IntGaugeVec,
    queue_pool: IntGaugeVec,
    queue_depth: IntGaugeVec,
    queue_oldest: GaugeVec,
    sockets: IntGauge,
}

fn pool_gauge(name: &str, which: &str) -> Result<IntGaugeVec, prometheus::Error> {
    let help = format!("Connections of the {which} pool by state (in_use or idle)");
    IntGaugeVec::new(Opts::new(name, help), &["state"])
}

impl Metrics {
    /// Registers every metric (an error here stops the start).
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let metrics = Self {
            requests: IntCounterVec::new(
                Opts::new(
                    "orgwarden_http_requests_total",
                    "HTTP requests by route and status",
                ),
                &["method", "route", "status"],
            )?,
            latency: HistogramVec::new(
                HistogramOpts::new(
                    "orgwarden_http_request_duration_seconds",
                    "HTTP latency by route",
                )
                .buckets(vec![
                    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0,
                ]),
                &["route"],
            )?,
            db_pool: pool_gauge("orgwarden_db_pool_connections", "main database")?,
            queue_pool: pool_gauge("orgwarden_queue_pool_connections", "job queue")?,
            queue_depth: IntGaugeVec::new(
                Opts::new(
                    "orgwarden_queue_depth",
                    "Jobs waiting by job type, read at scrape time: apalis rows in status \
                     Pending or Queued (fetched, not yet started) or Failed with attempts left; \
                     for orgwarden::webhook, outbox deliveries still pending (retries included)",
                ),
                &["job_type"],
            )?,
            queue_oldest: GaugeVec::new(
                Opts::new(
                    "orgwarden_queue_oldest_age_seconds",
                    "Seconds since the oldest waiting job (as in orgwarden_queue_depth) became \
                     due, by job type; 0 when none is due",
                ),
                &["job_type"],
            )?,
            sockets: IntGauge::new(
                "orgwarden_process_open_sockets",
                "Open sockets of this process (HTTP clients and servers, database connections), \
                 read from /proc/self/fd at scrape time",
            )?,
            registry,
        };
        let r = &metrics.registry;
        r.register(Box::new(metrics.requests.clone()))?;
        r.register(Box::new(metrics.latency.clone()))?;
        r.register(Box::new(metrics.db_pool.clone()))?;
        r.register(Box::new(metrics.queue_pool.clone()))?;
        r.register(Box::new(metrics.queue_depth.clone()))?;
        r.register(Box::new(metrics.queue_oldest.clone()))?;
        r.register(Box::new(metrics.sockets.clone()))?;
        orgwarden_atlassian::metrics::register(r)?;
        orgwarden_jobs::metrics::register(r)?;
        #[cfg(target_os = "linux")]
        r.register(Box::new(
            prometheus::process_collector::ProcessCollector::for_self(),
        ))?;
        Ok(metrics)
    }

    /// Reads the gauges kept in databases (queue ages at `now`), then renders the Prometheus
    /// text exposition. Queues that cannot be read leave their gauges as they were (and say so
    /// in the log).
    pub async fn scrape(&self, db: &Database, jobs: &Jobs, now: NaiveDateTime) -> String {
        let (in_use, idle) = db.connections();
        set_pool(&self.db_pool, i64::from(in_use), i64::from(idle));
        self.sockets.set(open_sockets());
        match jobs.queue_stats(db, now).await {
            Ok(stats) => {
                set_pool(&self.queue_pool, stats.pool_in_use, stats.pool_idle);
                for waiting in stats.waiting {
                    let job_type = [waiting.job_type];
                    self.queue_depth
                        .with_label_values(&job_type)
                        .set(waiting.depth);
                    self.queue_oldest
                        .with_label_values(&job_type)
                        .set(waiting.oldest_age_secs as f64);
                }
            }
            Err(e) => tracing::warn!(error = format!("{e:#}"), "queue metrics not read"),
        }
        self.render()
    }

    fn render(&self) -> String {
        let mut out = Vec::new();
        if TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .is_err()
        {
            return String::new();
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

/// Sockets among the process's open file descriptors (0 where `/proc` is not there).
fn open_sockets() -> i64 {
    let Ok(fds) = std::fs::read_dir("/proc/self/fd") else {
        return 0;
    };
    let sockets = fds
        .flatten()
        .filter_map(|fd| std::fs::read_link(fd.path()).ok())
        .filter(|target| target.to_string_lossy().starts_with("socket:"))
        .count();
    i64::try_from(sockets).unwrap_or(i64::MAX)
}

fn set_pool(gauge: &IntGaugeVec, in_use: i64, idle: i64) {
    gauge.with_label_values(&["in_use"]).set(in_use);
    gauge.with_label_values(&["idle"]).set(idle);
}
