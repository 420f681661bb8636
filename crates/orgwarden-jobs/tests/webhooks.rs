//! The webhook delivery worker against cloudsim's Automation receiver: a restart in the middle
//! of retries loses nothing and repeats only the attempt that was in flight; the SSRF guard
//! holds at delivery time too; retention deletes ended deliveries.

use orgwarden_ids::TenantId;
use std::time::{Duration, Instant};

use chrono::Utc;
use orgwarden_cloudsim::{spawn, RunningSim, SimConfig};
use orgwarden_jobs::webhooks::{run_deliveries, DeliveryContext, Limits};
use orgwarden_jobs::Clock;
use orgwarden_store::tenants::{self, Installation};
use orgwarden_store::testing::{fresh_database, TestDatabase};
use orgwarden_store::webhooks::outbox::DeliveryState;
use orgwarden_store::webhooks::{self, outbox, EventKind, WebhookFields};
use orgwarden_store::Backend;
use orgwarden_store::Cipher;
use serde_json::{json, Value};
use tokio::sync::oneshot;

use orgwarden_store::on_both_backends;

on_both_backends!(
    a_restart_mid_retry_neither_loses_nor_duplicates,
    private_targets_are_refused_at_delivery_too,
    retention_deletes_ended_deliveries_with_their_attempts_and_keeps_pending_ones
);

const TENANT: &str = "tenant-hooks";

struct Fixture {
    sim: RunningSim,
    db: TestDatabase,
    cipher: Cipher,
    clock: Clock,
}

impl Fixture {
    async fn new(backend: orgwarden_store::Backend) -> Self {
        let sim = spawn(SimConfig {
            users: 5,
            ..SimConfig::default()
        })
        .await
        .unwrap();
        let db = fresh_database(backend);
        let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
        let install = Installation {
            client_key: TENANT.into(),
            app_key: "io.orgwarden.app".into(),
            base_url: format!("{}/jira/acme", sim.url),
            shared_secret: "s".into(),
            ..Default::default()
        };
        let mut conn = db.db.get().unwrap();
        tenants::install(&mut conn, &cipher, &install, Utc::now().naive_utc()).unwrap();
        Self {
            sim,
            db,
            cipher,
            clock: Clock::manual(Utc::now()),
        }
    }

    /// A webhook to `url` with a test delivery queued; returns the delivery id.
    fn queue_test(&self, url: &str) -> (i64, String) {
        let mut conn = self.db.db.get().unwrap();
        let fields = WebhookFields {
            name: "hook".into(),
            url: url.into(),
            events: vec![EventKind::Test],
            notes: String::new(),
            active: true,
        };
        let now = self.clock.now().naive_utc();
        let secret = webhooks::generate_secret();
        let hook = webhooks::create(
            &mut conn,
            &self.cipher,
            &TenantId::from(TENANT),
            &fields,
            &secret,
            "a",
            now,
        )
        .unwrap();
        (
            hook.id,
            webhooks::enqueue_test(&mut conn, &hook, now).unwrap(),
        )
    }

    /// Starts a worker; dropping (or sending on) the sender stops it at once.
    fn worker(&self, allow_private: bool) -> oneshot::Sender<()> {
        let (stop, stopped) = oneshot::channel::<()>();
        let ctx = DeliveryContext {
            db: self.db.db.clone(),
            cipher: self.cipher.clone(),
            clock: self.clock.clone(),
            allow_private,
            limits: Limits {
                poll: Duration::from_millis(20),
                ..Limits::default()
            },
        };
        tokio::spawn(run_deliveries(ctx, async {
            let _ = stopped.await;
        }));
        stop
    }

    async fn receiver(&self, path: &str, how: Value) {
        let mut how = how;
        how["path"] = json!(path);
        let answer = reqwest::Client::new()
            .post(format!("{}/__sim/automation/webhooks", self.sim.url))
            .json(&how)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 201);
    }

    async fn received(&self, path: &str) -> Vec<Value> {
        let got: Value = reqwest::get(format!(
            "{}/__sim/automation/deliveries?path={path}",
            self.sim.url
        ))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        got["items"].as_array().unwrap().clone()
    }

    async fn wait_received(&self, path: &str, n: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let got = self.received(path).await;
            if got.len() >= n {
                return got;
            }
            assert!(Instant::now() < deadline, "{path}: {} of {n}", got.len());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn delivery(&self, webhook: i64, id: &str) -> outbox::Delivery {
        let mut conn = self.db.db.get().unwrap();
        outbox::find(&mut conn, &TenantId::from(TENANT), webhook, id)
            .unwrap()
            .unwrap()
    }

    async fn wait_delivery(
        &self,
        webhook: i64,
        id: &str,
        done: impl Fn(&outbox::Delivery) -> bool,
    ) -> outbox::Delivery {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let d = self.delivery(webhook, id);
            if done(&d) {
                return d;
            }
            assert!(Instant::now() < deadline, "delivery {id}: {d:?}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn a_restart_mid_retry_neither_loses_nor_duplicates(backend: Backend) {
    let f = Fixture::new(backend).await;
    f.receiver("restart", json!({"status": 503})).await;
    let (hook, id) = f.queue_test(&format!("{}/automation/webhooks/restart", f.sim.url));
    let first = f.worker(true);
    f.wait_delivery(hook, &id, |d| d.attempts == 1).await;
    // The next attempt is in flight when the worker dies: the receiver does not answer it
    // before the worker gives up on it (after 10 s), long after the worker is gone.
    f.receiver("restart", json!({"status": 200, "delayMs": 120_000}))
        .await;
    f.clock.advance(chrono::Duration::seconds(40));
    f.wait_received("restart", 2).await;
    drop(first);
    let d = f.delivery(hook, &id);
    assert_eq!(
        (d.state, d.attempts),
        (DeliveryState::Pending, 1),
        "{backend:?}"
    );
    // The repeat is answered at once.
    f.receiver("restart", json!({"status": 200})).await;
    // A new worker sends it again once the dead worker's lease has run out, and only then.
    let second = f.worker(true);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        f.received("restart").await.len(),
        2,
        "{backend:?}: sent again under a live lease"
    );
    f.clock.advance(chrono::Duration::seconds(61));
    let done = f
        .wait_delivery(hook, &id, |d| d.state == DeliveryState::Succeeded)
        .await;
    assert_eq!(done.attempts, 2);
    f.clock.advance(chrono::Duration::days(2));
    tokio::time::sleep(Duration::from_millis(2000)).await;
    let got = f.received("restart").await;
    assert_eq!(
        got.len(),
        3,
        "{backend:?}: the first, the one in flight, and its repeat"
    );
    assert!(got
        .iter()
        .all(|r| r["headers"]["webhook-id"] == id.as_str()));
    drop(second);
}

async fn private_targets_are_refused_at_delivery_too(backend: Backend) {
    let f = Fixture::new(backend).await;
    // cloudsim listens on a loopback address.
    let url = format!("{}/automation/webhooks/private", f.sim.url).replace("http://", "https://");
    let (hook, id) = f.queue_test(&url);
    let worker = f.worker(false);
    let d = f
        .wait_delivery(hook, &id, |d| d.state == DeliveryState::Failed)
        .await;
    let mut conn = f.db.db.get().unwrap();
    let attempts = outbox::attempts(&mut conn, &TenantId::from(TENANT), &d.id).unwrap();
    let error = attempts[0].error.clone().unwrap_or_default();
    assert!(error.contains("loopback"), "{error}");
    assert!(f.received("private").await.is_empty());
    drop(worker);
}

async fn retention_deletes_ended_deliveries_with_their_attempts_and_keeps_pending_ones(
    backend: Backend,
) {
    let f = Fixture::new(backend).await;
    f.receiver("kept", json!({"status": 200})).await;
    let url = format!("{}/automation/webhooks/kept", f.sim.url);
    let (hook, delivered) = f.queue_test(&url);
    let worker = f.worker(true);
    f.wait_delivery(hook, &delivered, |d| d.state == DeliveryState::Succeeded)
        .await;
    drop(worker);
    let (other, pending) = f.queue_test(&url);
    let mut conn = f.db.db.get().unwrap();
    let later = f.clock.now().naive_utc() + chrono::Duration::days(1);
    let deleted = orgwarden_store::retention::apply(
        &mut conn,
        &TenantId::from(TENANT),
        later,
        later,
        &orgwarden_store::testing::seal_key(),
    )
    .unwrap();
    assert_eq!(deleted.webhook_deliveries, 1, "{backend:?}");
    assert!(
        outbox::find(&mut conn, &TenantId::from(TENANT), hook, &delivered)
            .unwrap()
            .is_none()
    );
    assert!(
        outbox::attempts(&mut conn, &TenantId::from(TENANT), &delivered)
            .unwrap()
            .is_empty()
    );
    assert!(
        outbox::find(&mut conn, &TenantId::from(TENANT), other, &pending)
            .unwrap()
            .is_some()
    );
}
