//! Queue metrics on both backends with no worker running: jobs put on the apalis queue and a
//! webhook delivery in the outbox show as waiting, by job type, with the oldest one's age.

use chrono::{Duration, Utc};
use orgwarden_ids::TenantId;
use orgwarden_jobs::metrics::{self, QueueStats};
use orgwarden_jobs::{OperationJob, Queue, QueueBackend, SyncJob};
use orgwarden_store::tenants::{self, Installation};
use orgwarden_store::testing::fresh_database;
use orgwarden_store::webhooks::{self, EventKind, WebhookFields};
use orgwarden_store::Backend;
use orgwarden_store::Cipher;

use orgwarden_store::on_both_backends;

on_both_backends!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    waiting_jobs_and_deliveries_show_by_job_type
);

const TENANT: &str = "tenant-metrics";

/// What waits of `job_type`: (depth, oldest age in seconds).
fn of(stats: &QueueStats, job_type: &str) -> (i64, i64) {
    let waiting = stats
        .waiting
        .iter()
        .find(|w| w.job_type == job_type)
        .unwrap_or_else(|| panic!("no {job_type}"));
    (waiting.depth, waiting.oldest_age_secs)
}

async fn waiting_jobs_and_deliveries_show_by_job_type(backend: Backend) {
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
        let hook = webhooks::create(
            &mut conn,
            &cipher,
            &TenantId::from(TENANT),
            &fields,
            &secret,
            "a",
            queued_at,
        )
        .unwrap();
        webhooks::enqueue_test(&mut conn, &hook, queued_at).unwrap();
    }

    let later = queued_at + Duration::seconds(90);
    let stats = metrics::queue_stats(&queue, &db.db, later).await.unwrap();
    assert_eq!(
        stats.waiting.len(),
        3,
        "{backend:?}: every job type, nothing else"
    );
    assert_eq!(of(&stats, "orgwarden::sync").0, 2, "{backend:?}");
    assert_eq!(of(&stats, "orgwarden::operation").0, 1, "{backend:?}");
    assert_eq!(of(&stats, "orgwarden::webhook"), (1, 90), "{backend:?}");
    // Measured by the database's own clock: just queued.
    let age = of(&stats, "orgwarden::sync").1;
    assert!((0..600).contains(&age), "{backend:?}: {age}");
    assert!(stats.pool_in_use + stats.pool_idle >= 1, "{backend:?}");

    let early = queued_at - Duration::seconds(5);
    let stats = metrics::queue_stats(&queue, &db.db, early).await.unwrap();
    assert_eq!(
        of(&stats, "orgwarden::webhook"),
        (1, 0),
        "{backend:?}: not due yet"
    );
}
