//! An orgwarden server (in-process or a child process) installed into cloudsim through the
//! signed lifecycle, with the API key saved and the first sync done; API calls carry a fresh
//! context token of an org admin, as `AP.context.getToken()` would give it.
#![allow(dead_code)]

#[path = "../../../orgwarden-jobs/tests/operations_support/model.rs"]
pub mod model;

use orgwarden_ids::TenantId;
use std::time::{Duration, Instant};

use orgwarden_cloudsim::{spawn, RunningSim, SimConfig};
use orgwarden_store::{Backend, Database};
use serde_json::{json, Value};

use crate::common::TestApp;

/// The app installed into a simulator.
pub struct Stack {
    pub sim_url: String,
    pub api_key: String,
    pub url: String,
    pub http: reqwest::Client,
    pub admin: String,
    /// The site the app is installed on (`None`: cloudsim's first).
    pub site: Option<String>,
}

impl Stack {
    /// Installs the app at `url` into the simulator, saves the API key and waits for the sync.
    pub async fn install(sim_url: &str, api_key: &str, url: &str) -> Stack {
        Self::install_on(sim_url, api_key, url, None).await
    }

    /// Like [`Stack::install`], on the site named `site` (each site is a tenant of its own).
    pub async fn install_on(sim_url: &str, api_key: &str, url: &str, site: Option<&str>) -> Stack {
        let http = crate::common::http_client();
        let installed = http
            .post(format!("{sim_url}/__sim/install"))
            .json(&json!({"descriptorUrl": format!("{url}/atlassian-connect.json"), "site": site}))
            .send()
            .await
            .unwrap();
        assert!(
            installed.status().is_success(),
            "install: {}",
            installed.text().await.unwrap()
        );
        let org: Value = http
            .get(format!("{sim_url}/__sim/org"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let admin = org["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| {
                u["status"] == "active"
                    && u["platformRoles"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|r| r == "atlassian/org-admin")
            })
            .unwrap()["accountId"]
            .as_str()
            .unwrap()
            .to_owned();
        let stack = Stack {
            sim_url: sim_url.to_owned(),
            api_key: api_key.to_owned(),
            url: url.to_owned(),
            http,
            admin,
            site: site.map(str::to_owned),
        };
        let expires = (chrono::Utc::now() + chrono::Duration::days(300))
            .format("%Y-%m-%d")
            .to_string();
        let saved = stack
            .send(
                reqwest::Method::PUT,
                "/api/v1/settings/api-key",
                Some(json!({"key": api_key, "expiresAt": expires})),
            )
            .await;
        assert_eq!(
            saved.status(),
            200,
            "save key: {}",
            saved.text().await.unwrap()
        );
        stack.wait_for_sync().await;
        stack
    }

    /// Waits until the latest sync succeeded.
    pub async fn wait_for_sync(&self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let sync: Value = self.get("/api/v1/sync").await.json().await.unwrap();
            match sync["state"].as_str() {
                Some("succeeded") => return,
                Some("failed") => panic!("sync failed: {sync}"),
                _ => assert!(Instant::now() < deadline, "sync did not finish: {sync}"),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A context token of `account_id` for the installed app.
    pub async fn token_of(&self, account_id: &str) -> String {
        let answer: Value = self
            .http
            .post(format!("{}/__sim/context-token", self.sim_url))
            .json(&json!({"accountId": account_id, "site": self.site}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        answer["token"].as_str().unwrap().to_owned()
    }

    /// A call as the org admin.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        self.send_as(&self.admin.clone(), method, path, body).await
    }

    /// A call as `account_id`.
    pub async fn send_as(
        &self,
        account_id: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let token = self.token_of(account_id).await;
        let name = method.as_str().to_owned();
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.url))
            .header("Authorization", format!("JWT {token}"));
        if let Some(body) = body {
            request = request.json(&body);
        }
        crate::conformance::checked(&name, path, request.send().await.unwrap()).await
    }

    /// Sets cloudsim's latency per API call (a partial update of its fault settings); calls
    /// already waiting keep the latency they started with.
    pub async fn set_latency(&self, ms: u64) {
        let answer = self
            .http
            .post(format!("{}/__sim/faults", self.sim_url))
            .json(&json!({ "latencyMs": ms }))
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().is_success(),
            "faults: {}",
            answer.text().await.unwrap()
        );
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn sim(&self, path: &str) -> Value {
        self.http
            .get(format!("{}{path}", self.sim_url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Polls an operation until `done` says so (or panics after `timeout`).
    pub async fn wait_operation(
        &self,
        id: i64,
        timeout: Duration,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let op: Value = self
                .get(&format!("/api/v1/operations/{id}"))
                .await
                .json()
                .await
                .unwrap();
            if done(&op) {
                return op;
            }
            assert!(
                Instant::now() < deadline,
                "operation {id} did not get there: {op}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// True once an operation has finished.
pub fn finished(op: &Value) -> bool {
    matches!(
        op["state"].as_str(),
        Some("completed" | "cancelled" | "failed")
    )
}

/// Asserts an error envelope with this status and returns its code and details.
pub async fn error(response: reqwest::Response, status: u16) -> (String, Value) {
    assert_eq!(response.status().as_u16(), status);
    let body: Value = response.json().await.unwrap();
    (
        body["error"]["code"].as_str().unwrap().to_owned(),
        body["error"]["details"].clone(),
    )
}

pub async fn start(backend: Backend, config: SimConfig) -> (RunningSim, TestApp, Stack) {
    start_with(backend, config, |_| {}).await
}

/// Like [`start`], with the server's configuration tweaked.
pub async fn start_with(
    backend: Backend,
    config: SimConfig,
    tweak: impl FnOnce(&mut orgwarden_server::Config),
) -> (RunningSim, TestApp, Stack) {
    let sim = spawn(config).await.unwrap();
    let app = TestApp::start_on(backend, &sim.url, |c| {
        c.admin_api_rate = 500.0;
        tweak(c);
    })
    .await;
    let stack = Stack::install(&sim.url, sim.api_key(), &app.url).await;
    (sim, app, stack)
}

pub fn plain_group(org: &Value) -> String {
    let group = org["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["managedBy"] != "external" && g["roles"].as_array().unwrap().is_empty());
    group.unwrap()["id"].as_str().unwrap().to_owned()
}

pub fn items_of(db: &Database, id: i64) -> Vec<orgwarden_store::operations::Item> {
    let mut conn = db.get().unwrap();
    let tenant: String = String::from(
        orgwarden_store::operations::find_for_job(&mut conn, id)
            .unwrap()
            .unwrap()
            .tenant_id,
    );
    orgwarden_store::operations::all_items(&mut conn, &TenantId::from(&tenant), id).unwrap()
}
