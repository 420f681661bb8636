//! `/metrics` after real work: the first sync (against a rate-limited cloudsim, so 429s and
//! retries happen), a small bulk operation and a webhook delivery; the exposition is parsed with
//! an independent parser and every family is checked, with no tenant, account or URL in a label.
//! Counters are per process: the checks compare scrapes before and after, and nextest runs each
//! test in its own process.

use std::time::{Duration, Instant};

use orgwarden_cloudsim::SimConfig;
use orgwarden_jobs::Clock;
use orgwarden_store::Backend;
use prometheus_parse::{Sample, Scrape, Value as Metric};
use serde_json::{json, Value};

use crate::operations_support::model::{ordinary, pick};
use crate::operations_support::{finished, plain_group, start_with};
use crate::webhooks_support::Hooks;
use orgwarden_store::on_both_backends;

on_both_backends!(metrics_show_syncs_operations_webhooks_queue_and_process);

async fn scrape(h: &Hooks) -> Scrape {
    let text =
        h.s.http
            .get(format!("{}/metrics", h.s.url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
    Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).unwrap()
}

fn labelled(sample: &Sample, labels: &[(&str, &str)]) -> bool {
    labels
        .iter()
        .all(|(name, value)| sample.labels.get(name) == Some(*value))
}

/// The sum of the samples of `name` carrying `labels` (counters, gauges, histogram counts).
fn sum(scrape: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == name && labelled(s, labels))
        .map(|s| match &s.value {
            Metric::Counter(v) | Metric::Gauge(v) | Metric::Untyped(v) => *v,
            Metric::Histogram(buckets) => buckets.iter().map(|b| b.count).fold(0.0, f64::max),
            Metric::Summary(_) => 0.0,
        })
        .sum()
}

fn has(scrape: &Scrape, name: &str, labels: &[(&str, &str)]) -> bool {
    scrape
        .samples
        .iter()
        .any(|s| s.metric == name && labelled(s, labels))
}

/// Scrapes until `ready` holds (a metric is recorded just after the state the API shows).
async fn scrape_until(h: &Hooks, ready: impl Fn(&Scrape) -> bool) -> Scrape {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let scrape = scrape(h).await;
        if ready(&scrape) || Instant::now() > deadline {
            return scrape;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn stack(backend: Backend) -> Hooks {
    let clock = Clock::manual(chrono::Utc::now());
    let config = SimConfig {
        users: 40,
        sites: 1,
        groups: 6,
        rate_limit: Some(20.0),
        burst: Some(2),
        ..SimConfig::default()
    };
    let shared = clock.clone();
    let (sim, app, s) = start_with(backend, config, move |c| {
        c.clock = shared;
        c.webhooks_allow_private = true;
    })
    .await;
    Hooks { sim, app, s, clock }
}

async fn metrics_show_syncs_operations_webhooks_queue_and_process(backend: Backend) {
    let h = stack(backend).await;
    let (hook, _) = h.create("jira/metrics", &["test"]).await;
    let delivery = h.send_test(hook).await;
    let received = h.wait_received("jira/metrics", 1).await;
    h.wait_delivery(hook, &delivery, |d| d["state"] == "succeeded")
        .await;
    let payload: Value = serde_json::from_str(received[0]["body"].as_str().unwrap()).unwrap();
    let client_key = payload["tenant"]["clientKey"].as_str().unwrap().to_owned();

    let before = scrape(&h).await;
    let org = h.s.sim("/__sim/org").await;
    let mut selected = pick(&org, 4, ordinary);
    selected.push(h.s.admin.clone());
    let body = json!({"selection": {"accountIds": selected},
        "actions": [{"type": "addToGroups", "groupIds": [plain_group(&org)]}]});
    let created: Value =
        h.s.post("/api/v1/operations", body)
            .await
            .json()
            .await
            .unwrap();
    let op =
        h.s.wait_operation(
            created["id"].as_i64().unwrap(),
            Duration::from_secs(60),
            finished,
        )
        .await;
    assert_eq!(op["state"], "completed", "{op}");
    let completed = [("origin", "manual"), ("state", "completed")];
    let after = scrape_until(&h, |s| {
        sum(s, "orgwarden_operations_finished_total", &completed)
            > sum(&before, "orgwarden_operations_finished_total", &completed)
    })
    .await;

    // Operations and their items: exactly what this operation did.
    let delta = |name: &str, labels: &[(&str, &str)]| {
        sum(&after, name, labels) - sum(&before, name, labels)
    };
    assert_eq!(
        delta("orgwarden_operations_finished_total", &completed),
        1.0
    );
    for outcome in ["done", "skipped", "failed"] {
        let items = delta(
            "orgwarden_operation_items_total",
            &[("origin", "manual"), ("outcome", outcome)],
        );
        assert_eq!(
            items,
            op["progress"][outcome].as_f64().unwrap(),
            "{outcome}: {op}"
        );
    }
    assert!(op["progress"]["skipped"].as_f64().unwrap() >= 1.0, "{op}");

    // Syncs by kind and result, with durations.
    let initial = [("kind", "initial"), ("result", "ok")];
    assert!(sum(&after, "orgwarden_syncs_total", &initial) >= 1.0);
    assert!(sum(&after, "orgwarden_sync_duration_seconds_count", &initial) >= 1.0);
    assert!(sum(&after, "orgwarden_sync_duration_seconds", &initial) >= 1.0);
    assert!(sum(&after, "orgwarden_sync_duration_seconds_sum", &initial) > 0.0);
    for kind in ["pre_operation", "post_operation"] {
        let ok = [("kind", kind), ("result", "ok")];
        assert_eq!(delta("orgwarden_syncs_total", &ok), 1.0, "{kind}");
    }

    // Admin API requests by class and status; the rate-limited simulator answered 429s.
    for class in ["orgs", "directories", "users", "groups"] {
        let ok = sum(
            &after,
            "orgwarden_admin_api_requests_total",
            &[("class", class), ("status", "200")],
        );
        assert!(ok > 0.0, "{class}");
    }
    let rate_limited = sum(
        &after,
        "orgwarden_admin_api_requests_total",
        &[("status", "429")],
    );
    let retried = sum(
        &after,
        "orgwarden_admin_api_retries_total",
        &[("reason", "rate_limited")],
    );
    assert!(
        rate_limited > 0.0 && retried > 0.0,
        "429s {rate_limited}, retries {retried}"
    );

    // Webhook deliveries by result.
    let succeeded = [("result", "succeeded")];
    assert!(sum(&after, "orgwarden_webhook_attempts_total", &succeeded) >= 1.0);

    // The queue at scrape time: every job type, nothing left waiting.
    for job_type in [
        "orgwarden::sync",
        "orgwarden::operation",
        "orgwarden::webhook",
    ] {
        let of = [("job_type", job_type)];
        assert!(has(&after, "orgwarden_queue_depth", &of), "{job_type}");
        assert!(has(&after, "orgwarden_queue_oldest_age_seconds", &of));
        assert_eq!(sum(&after, "orgwarden_queue_depth", &of), 0.0, "{job_type}");
        assert_eq!(sum(&after, "orgwarden_queue_oldest_age_seconds", &of), 0.0);
    }
    assert!(sum(&after, "orgwarden_queue_pool_connections", &[]) >= 1.0);
    assert!(sum(&after, "orgwarden_db_pool_connections", &[]) >= 1.0);

    // The process.
    assert!(sum(&after, "process_resident_memory_bytes", &[]) > 1e6);
    assert!(sum(&after, "process_cpu_seconds_total", &[]) > 0.0);
    assert!(sum(&after, "process_open_fds", &[]) >= 3.0);
    // At least the listener, this scrape's connection and the database or queue pool.
    assert!(sum(&after, "orgwarden_process_open_sockets", &[]) >= 3.0);

    // A receiver answering 503: the attempt is retrying and the delivery waits in the outbox
    // (its retry not yet due on the server's clock).
    let (failing, secret) = h.create("jira/failing", &["test"]).await;
    h.receiver("jira/failing", json!({"token": secret, "status": 503}))
        .await;
    let waiting = h.send_test(failing).await;
    h.wait_delivery(failing, &waiting, |d| d["statusCode"] == 503)
        .await;
    let webhook = [("job_type", "orgwarden::webhook")];
    let retrying = scrape(&h).await;
    let retries = |s: &Scrape| {
        sum(
            s,
            "orgwarden_webhook_attempts_total",
            &[("result", "retrying")],
        )
    };
    assert_eq!(retries(&retrying) - retries(&after), 1.0);
    assert_eq!(sum(&retrying, "orgwarden_queue_depth", &webhook), 1.0);
    assert_eq!(
        sum(&retrying, "orgwarden_queue_oldest_age_seconds", &webhook),
        0.0
    );

    // A task's dry run started by hand: a task run queued, then an operation of origin task.
    let filter = json!({"name": "People", "filter": {"statuses": ["active"]}});
    let filter: Value =
        h.s.post("/api/v1/filters", filter)
            .await
            .json()
            .await
            .unwrap();
    let task = json!({"name": "Rehearse", "savedFilterId": filter["id"], "reason": "metrics",
        "actions": [{"type": "suspend"}], "schedule": {"kind": "manual"}, "active": true,
        "timeZone": "UTC"});
    let task: Value = h.s.post("/api/v1/tasks", task).await.json().await.unwrap();
    let run = format!("/api/v1/tasks/{}/run", task["id"]);
    assert_eq!(h.s.post(&run, json!({"dryRun": true})).await.status(), 202);
    let by_task = [("origin", "task"), ("state", "completed")];
    let ops = |s: &Scrape| sum(s, "orgwarden_operations_finished_total", &by_task);
    let tasked = scrape_until(&h, |s| ops(s) > ops(&retrying)).await;
    assert_eq!(ops(&tasked) - ops(&retrying), 1.0);
    let queued = [("trigger", "manual"), ("state", "queued")];
    let runs = |s: &Scrape| sum(s, "orgwarden_task_runs_started_total", &queued);
    assert_eq!(runs(&tasked) - runs(&retrying), 1.0);

    // No label carries a tenant, an account, a group, the key or a URL.
    let mut secrets = vec![client_key, h.s.api_key.clone(), h.s.sim_url.clone()];
    for list in ["users", "groups"] {
        for item in org[list].as_array().unwrap() {
            let id = item["accountId"].as_str().or(item["id"].as_str());
            secrets.extend(id.map(str::to_owned));
        }
    }
    for sample in &tasked.samples {
        for (name, value) in sample.labels.iter() {
            assert!(
                !secrets.iter().any(|s| value.contains(s.as_str())) && !value.contains("http"),
                "{} has {name}={value}",
                sample.metric
            );
        }
    }
}
