//! The stack for webhook tests: cloudsim (whose Automation receiver records deliveries) and the
//! server under a manual clock; helpers to create webhooks, wait for deliveries, and verify a
//! request with the independent npm `standardwebhooks` package (`tests/interop/webhooks.js`).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use orgwarden_cloudsim::{RunningSim, SimConfig};
use orgwarden_jobs::Clock;
use orgwarden_store::Backend;
use serde_json::{json, Value};

use crate::common::TestApp;
use crate::operations_support::{start_with, Stack};

/// A stack whose server acts on `clock`.
pub struct Hooks {
    pub sim: RunningSim,
    pub app: TestApp,
    pub s: Stack,
    pub clock: Clock,
}

/// How long a wait for deliveries lasts before the test fails. A sync that fails through its
/// retries (every Admin API call answering 500) took over 60 s on a loaded 2-core CI machine.
const WAIT: Duration = Duration::from_secs(180);

impl Hooks {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, true).await
    }

    pub async fn start_with(backend: Backend, allow_private: bool) -> Self {
        let clock = Clock::manual(chrono::Utc::now());
        let config = SimConfig {
            users: 40,
            sites: 1,
            groups: 6,
            ..SimConfig::default()
        };
        let shared = clock.clone();
        let (sim, app, s) = start_with(backend, config, move |c| {
            c.clock = shared;
            c.webhooks_allow_private = allow_private;
        })
        .await;
        Self { sim, app, s, clock }
    }

    /// The URL of cloudsim's Automation incoming webhook `path`.
    pub fn hook_url(&self, path: &str) -> String {
        format!("{}/automation/webhooks/{path}", self.s.sim_url)
    }

    /// Sets how the receiver at `path` answers (`{token?, status?, delayMs?}`).
    pub async fn receiver(&self, path: &str, mut how: Value) {
        how["path"] = json!(path);
        let answer = self
            .s
            .http
            .post(format!("{}/__sim/automation/webhooks", self.s.sim_url))
            .json(&how)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 201);
    }

    /// Creates a webhook to the receiver at `path`; returns its id and secret. The receiver
    /// then expects that secret as its token.
    pub async fn create(&self, path: &str, events: &[&str]) -> (i64, String) {
        let answer = self
            .s
            .post(
                "/api/v1/webhooks",
                json!({"name": format!("hook {path}"), "url": self.hook_url(path),
                    "events": events, "active": true, "notes": "from a test"}),
            )
            .await;
        assert_eq!(answer.status(), 201);
        let created: Value = answer.json().await.unwrap();
        let secret = created["secret"].as_str().unwrap().to_owned();
        self.receiver(path, json!({"token": secret})).await;
        (created["id"].as_i64().unwrap(), secret)
    }

    /// Sends a test to webhook `id` (202); returns the delivery id.
    pub async fn send_test(&self, id: i64) -> String {
        let sent = self
            .s
            .post(&format!("/api/v1/webhooks/{id}/test"), json!({}))
            .await;
        assert_eq!(sent.status(), 202);
        let sent: Value = sent.json().await.unwrap();
        sent["deliveryId"].as_str().unwrap().to_owned()
    }

    /// What the receiver at `path` got, oldest first.
    pub async fn received(&self, path: &str) -> Vec<Value> {
        let got = self
            .s
            .sim(&format!("/__sim/automation/deliveries?path={path}"))
            .await;
        got["items"].as_array().unwrap().clone()
    }

    /// Waits until the receiver at `path` got `n` requests.
    pub async fn wait_received(&self, path: &str, n: usize) -> Vec<Value> {
        let deadline = Instant::now() + WAIT;
        loop {
            let got = self.received(path).await;
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{path} got {} of {n}: {got:?}",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The webhook's deliveries, newest first.
    pub async fn deliveries(&self, id: i64) -> Vec<Value> {
        let list: Value = self
            .s
            .get(&format!("/api/v1/webhooks/{id}/deliveries"))
            .await
            .json()
            .await
            .unwrap();
        list["items"].as_array().unwrap().clone()
    }

    /// Waits until delivery `delivery` of webhook `id` satisfies `done`; returns it.
    pub async fn wait_delivery(
        &self,
        id: i64,
        delivery: &str,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let found = self
                .deliveries(id)
                .await
                .into_iter()
                .find(|d| d["id"] == delivery);
            if let Some(d) = found.filter(|d| done(d)) {
                return d;
            }
            assert!(
                Instant::now() < deadline,
                "delivery {delivery} did not get there"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The webhook's deliveries of `event`, waiting until there are `n`.
    pub async fn wait_event(&self, id: i64, event: &str, n: usize) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let found: Vec<Value> = self
                .deliveries(id)
                .await
                .into_iter()
                .filter(|d| d["event"] == event)
                .collect();
            if found.len() >= n {
                return found;
            }
            assert!(Instant::now() < deadline, "no {n} {event} deliveries");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A delivery with its payload and attempts.
    pub async fn detail(&self, id: i64, delivery: &str) -> Value {
        let answer = self
            .s
            .get(&format!("/api/v1/webhooks/{id}/deliveries/{delivery}"))
            .await;
        assert_eq!(answer.status(), 200);
        answer.json().await.unwrap()
    }
}

/// Verifies a received request with the npm `standardwebhooks` package: the payload, or the
/// library's error.
pub fn verify(secret: &str, received: &Value, body: &str) -> Result<Value, String> {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop");
    assert!(
        dir.join("node_modules/standardwebhooks").exists(),
        "run `npm ci --prefix tests/interop` (make test does)"
    );
    let headers = &received["headers"];
    let input = json!({"secret": secret, "body": body, "headers": {
        "webhook-id": headers["webhook-id"], "webhook-timestamp": headers["webhook-timestamp"],
        "webhook-signature": headers["webhook-signature"]}});
    let mut child = Command::new("node")
        .arg(dir.join("webhooks.js"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        let line: Value = serde_json::from_slice(&out.stdout).unwrap();
        Ok(line["payload"].clone())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}
