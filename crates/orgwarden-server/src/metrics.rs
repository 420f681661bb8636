//! The Prometheus registry behind `/metrics`: the HTTP surface, the Admin API client, the
//! background work, the process (CPU, memory, open file descriptors) and the database pools.
//! Gauges that live in a database (queue depth, oldest job) are read at scrape time.

use chrono::NaiveDateTime;
use orgwarden_store::Database;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
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
}

impl Metrics {
    /// Registers every metric (an error here stops the start).
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "orgwarden_http_requests_total",
                "HTTP requests by route and status",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "orgwarden_http_request_duration_seconds",
                "HTTP latency by route",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0,
            ]),
            &["route"],
        )?;
        let db_pool = IntGaugeVec::new(
            Opts::new(
                "orgwarden_db_pool_connections",
                "Connections of the main database pool by state (in_use or idle)",
            ),
            &["state"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(db_pool.clone()))?;
        orgwarden_atlassian::metrics::register(&registry)?;
        orgwarden_jobs::metrics::register(&registry)?;
        #[cfg(target_os = "linux")]
        registry.register(Box::new(
            prometheus::process_collector::ProcessCollector::for_self(),
        ))?;
        Ok(Self {
            registry,
            requests,
            latency,
            db_pool,
        })
    }

    /// Reads the gauges kept in databases, then renders the Prometheus text exposition. A
    /// queue that cannot be read leaves its gauges as they were (and says so in the log).
    pub async fn scrape(&self, db: &Database, jobs: &Jobs, now: NaiveDateTime) -> String {
        let (in_use, idle) = db.connections();
        self.db_pool
            .with_label_values(&["in_use"])
            .set(i64::from(in_use));
        self.db_pool
            .with_label_values(&["idle"])
            .set(i64::from(idle));
        if let Err(e) = jobs.observe_queue(db, now).await {
            tracing::warn!(error = format!("{e:#}"), "queue metrics not read");
        }
        self.render()
    }

    /// The Prometheus text exposition of what is recorded now.
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
