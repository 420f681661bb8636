//! Prometheus metrics of the background work: syncs, operations and task runs, webhook attempts;
//! and the queues' state, which the server turns into gauges at scrape time. Every label comes from a small fixed set (kinds, states, outcomes, job
//! types), never a tenant, account or URL.
//!
//! The collectors live once per process; [`register`] adds them to a registry (call it once at
//! start). Until then nothing is recorded, so the crate works the same without a registry.

mod queue;

use std::sync::OnceLock;
use std::time::Duration;

use orgwarden_store::operations::{ItemState, Operation, RunState, Totals};
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};

pub use queue::{queue_stats, QueueStats, Waiting};

use crate::SyncKind;

struct JobMetrics {
    syncs: IntCounterVec,
    sync_seconds: HistogramVec,
    operations: IntCounterVec,
    items: IntCounterVec,
    task_runs: IntCounterVec,
    webhook_attempts: IntCounterVec,
}

static METRICS: OnceLock<JobMetrics> = OnceLock::new();

const ORIGINS: [&str; 2] = ["manual", "task"];
const OUTCOMES: [&str; 3] = [
    ItemState::Done.as_str(),
    ItemState::Skipped.as_str(),
    ItemState::Failed.as_str(),
];
/// A task run starts queued for the operation job, or already ended.
const TASK_RUN_STATES: [RunState; 4] = [
    RunState::Queued,
    RunState::Completed,
    RunState::Failed,
    RunState::Cancelled,
];
const WEBHOOK_RESULTS: [&str; 3] = ["succeeded", "retrying", "failed"];

fn counter(name: &str, help: &str, labels: &[&str]) -> Result<IntCounterVec, prometheus::Error> {
    IntCounterVec::new(Opts::new(name, help), labels)
}

impl JobMetrics {
    fn new() -> Result<Self, prometheus::Error> {
        Ok(Self {
            syncs: counter(
                "orgwarden_syncs_total",
                "Syncs run to their end, by kind and result (ok or failed)",
                &["kind", "result"],
            )?,
            sync_seconds: HistogramVec::new(
                HistogramOpts::new(
                    "orgwarden_sync_duration_seconds",
                    "Wall time of a sync from its claim to its recorded end, by kind and result",
                )
                .buckets(vec![0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0]),
                &["kind", "result"],
            )?,
            operations: counter(
                "orgwarden_operations_finished_total",
                "Operations that reached an end state (completed, failed, cancelled), by origin \
                 (manual or task) and state",
                &["origin", "state"],
            )?,
            items: counter(
                "orgwarden_operation_items_total",
                "Items of finished operations by origin and outcome (done, skipped, failed)",
                &["origin", "outcome"],
            )?,
            task_runs: counter(
                "orgwarden_task_runs_started_total",
                "Task runs recorded, by trigger (schedule or manual) and the state they started \
                 in: queued for the operation job, completed (nobody matched) or failed (could \
                 not start)",
                &["trigger", "state"],
            )?,
            webhook_attempts: counter(
                "orgwarden_webhook_attempts_total",
                "Webhook delivery attempts by result: succeeded, retrying (a retry is scheduled) \
                 or failed (given up)",
                &["result"],
            )?,
        })
    }

    /// Creates every series of the fixed label sets at 0, so each family shows from the start.
    fn touch(&self) {
        for kind in SyncKind::ALL.iter().map(|k| k.as_str()) {
            for result in ["ok", "failed"] {
                self.syncs.with_label_values(&[kind, result]);
                self.sync_seconds.with_label_values(&[kind, result]);
            }
        }
        for origin in ORIGINS {
            for state in RunState::FINISHED {
                self.operations.with_label_values(&[origin, state.as_str()]);
            }
            for outcome in OUTCOMES {
                self.items.with_label_values(&[origin, outcome]);
            }
        }
        for trigger in ["schedule", "manual"] {
            for state in TASK_RUN_STATES {
                self.task_runs.with_label_values(&[trigger, state.as_str()]);
            }
        }
        for result in WEBHOOK_RESULTS {
            self.webhook_attempts.with_label_values(&[result]);
        }
    }

    fn collectors(&self) -> [Box<dyn prometheus::core::Collector>; 6] {
        [
            Box::new(self.syncs.clone()),
            Box::new(self.sync_seconds.clone()),
            Box::new(self.operations.clone()),
            Box::new(self.items.clone()),
            Box::new(self.task_runs.clone()),
            Box::new(self.webhook_attempts.clone()),
        ]
    }
}

/// Adds the background work's metrics to `registry` (they are created on the first call).
pub fn register(registry: &Registry) -> Result<(), prometheus::Error> {
    let metrics = match METRICS.get() {
        Some(metrics) => metrics,
        None => {
            let created = JobMetrics::new()?;
            created.touch();
            METRICS.get_or_init(|| created)
        }
    };
    metrics
        .collectors()
        .into_iter()
        .try_for_each(|collector| registry.register(collector))
}

/// Records a sync of kind `kind` that ended after `took`.
pub(crate) fn sync_finished(kind: SyncKind, failed: bool, took: Duration) {
    if let Some(metrics) = METRICS.get() {
        let labels = [kind.as_str(), if failed { "failed" } else { "ok" }];
        metrics.syncs.with_label_values(&labels).inc();
        metrics
            .sync_seconds
            .with_label_values(&labels)
            .observe(took.as_secs_f64());
    }
}

fn origin(op: &Operation) -> &'static str {
    if op.task_id.is_some() {
        "task"
    } else {
        "manual"
    }
}

/// Records operation `op` ended in `state` with `totals`.
pub(crate) fn operation_finished(op: &Operation, state: RunState, totals: &Totals) {
    if let Some(metrics) = METRICS.get() {
        let origin = origin(op);
        metrics
            .operations
            .with_label_values(&[origin, state.as_str()])
            .inc();
        for (outcome, count) in
            OUTCOMES
                .into_iter()
                .zip([totals.done, totals.skipped, totals.failed])
        {
            metrics
                .items
                .with_label_values(&[origin, outcome])
                .inc_by(u64::try_from(count).unwrap_or_default());
        }
    }
}

/// Records a task run `run` just committed; `scheduled` when the scheduler started it.
pub fn task_run_started(run: &Operation, scheduled: bool) {
    if let Some(metrics) = METRICS.get() {
        let trigger = if scheduled { "schedule" } else { "manual" };
        let state = if TASK_RUN_STATES.contains(&run.state) {
            run.state.as_str()
        } else {
            "other"
        };
        metrics.task_runs.with_label_values(&[trigger, state]).inc();
    }
}

/// Records one webhook attempt by its result (`succeeded`, `retrying` or `failed`).
pub(crate) fn webhook_attempt(result: &'static str) {
    if let Some(metrics) = METRICS.get() {
        metrics.webhook_attempts.with_label_values(&[result]).inc();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(registry: &Registry, name: &str, labels: &[&str]) -> Option<u64> {
        let families = registry.gather();
        let family = families.iter().find(|f| f.name() == name)?;
        family
            .get_metric()
            .iter()
            .find(|m| {
                let values: Vec<&str> = m.get_label().iter().map(|l| l.value()).collect();
                values == labels
            })
            .map(|m| m.get_counter().get_value() as u64)
    }

    #[test]
    fn families_show_from_the_start_in_every_registry_with_fixed_labels() {
        let (first, second) = (Registry::new(), Registry::new());
        register(&first).unwrap();
        register(&second).unwrap();
        let failed_daily = ["daily", "failed"];
        let before = count(&second, "orgwarden_syncs_total", &failed_daily).unwrap();
        sync_finished(SyncKind::Daily, true, Duration::from_secs(3));
        assert_eq!(
            count(&first, "orgwarden_syncs_total", &failed_daily),
            Some(before + 1)
        );
        for (name, labels) in [
            ("orgwarden_operations_finished_total", ["task", "cancelled"]),
            ("orgwarden_operation_items_total", ["manual", "skipped"]),
            // Label values in the order of the label names (state, trigger).
            ("orgwarden_task_runs_started_total", ["queued", "schedule"]),
        ] {
            assert!(count(&second, name, &labels).is_some(), "{name}");
        }
        assert!(count(&second, "orgwarden_webhook_attempts_total", &["retrying"]).is_some());
    }
}
