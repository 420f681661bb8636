//! Queue metrics on both backends with no worker running: jobs put on the apalis queue and a
//! webhook delivery in the outbox show as waiting, by job type, with the oldest one's age.

use chrono::{Duration, Utc};
use orgwarden_jobs::{metrics, OperationJob, Queue, QueueBackend, SyncJob};
use orgwarden_store::tenants::{self, Installation};
use orgwarden_store::testing::{fresh_database, BACKENDS};
use orgwarden_store::webhooks::{self, EventKind, WebhookFields};
use orgwarden_store::Cipher;
use prometheus::proto::MetricFamily;
use prometheus::Registry;

const TENANT: &str = "tenant-metrics";

/// The value of gauge `name` for `job_type`.
fn gauge(families: &[MetricFamily], name: &str, job_type: &str) -> f64 {
    let family = families
        .iter()
        .find(|f| f.name() == name)
        .unwrap_or_else(|| panic!("no {name}"));
    let metric = family
        .get_metric()
        .iter()
        .find(|m| m.get_label().iter().any(|l| l.value() == job_type))
        .unwrap_or_else(|| panic!("no {name} for {job_type}"));
    metric.get_gauge().get_value()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_jobs_and_deliveries_show_by_job_type() {
    let registry = Registry::new();
    metrics::register(&registry).unwrap();
    for backend in BACKENDS {
        let db = fresh_database(backend);
        let queue = Queue::connect(QueueBackend::for_database_url(&db.url).unwrap())
            .await
            .unwrap();
        for run_id in [1, 2] {
            queue.enqueue(SyncJob { run_id }).await.unwrap();
        }
        queue
            .enqueue(OperationJob { operation_id: 7 })
            .await
            .unwrap();
        let queued_at = Utc::now().naive_utc();
        {
            let mut conn = db.db.get().unwrap();
            let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
            let install = Installation {
                client_key: TENANT.into(),
                app_key: "io.orgwarden.app".into(),
                base_url: "https://acme.example/jira".into(),
                shared_secret: "s".into(),
                ..Default::default()
            };
            tenants::install(&mut conn, &cipher, &install, queued_at).unwrap();
            let fields = WebhookFields {
                name: "hook".into(),
                url: "https://hooks.example/in".into(),
                events: vec![EventKind::Test],
                notes: String::new(),
                active: true,
            };
            let secret = webhooks::generate_secret();
            let hook =
                webhooks::create(&mut conn, &cipher, TENANT, &fields, &secret, "a", queued_at)
                    .unwrap();
            webhooks::enqueue_test(&mut conn, &hook, queued_at).unwrap();
        }

        let later = queued_at + Duration::seconds(90);
        metrics::observe_queue(&queue, &db.db, later).await.unwrap();
        let families = registry.gather();
        let depth = |job_type| gauge(&families, "orgwarden_queue_depth", job_type);
        let age = |job_type| gauge(&families, "orgwarden_queue_oldest_age_seconds", job_type);
        assert_eq!(depth("orgwarden::sync"), 2.0, "{backend:?}");
        assert_eq!(depth("orgwarden::operation"), 1.0, "{backend:?}");
        assert_eq!(depth("orgwarden::webhook"), 1.0, "{backend:?}");
        assert_eq!(age("orgwarden::webhook"), 90.0, "{backend:?}");
        // Measured by the database's own clock: just queued.
        assert!(
            (0.0..600.0).contains(&age("orgwarden::sync")),
            "{backend:?}"
        );

        metrics::observe_queue(&queue, &db.db, queued_at - Duration::seconds(5))
            .await
            .unwrap();
        let families = registry.gather();
        let not_due = gauge(
            &families,
            "orgwarden_queue_oldest_age_seconds",
            "orgwarden::webhook",
        );
        assert_eq!(not_due, 0.0, "{backend:?}: not due yet");
    }
}
