//! Shared helpers: an in-process simulator and a small Admin API client.
#![allow(dead_code)]

use orgwarden_cloudsim::{spawn, ApiKey, RunningSim, SimConfig};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A fixed "now" so generated data is identical across runs.
pub fn anchor() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
}

/// A small organization, one worker.
pub fn small_config() -> SimConfig {
    SimConfig {
        // CLOUDSIM_TEST_SEED runs the suite against another organization.
        seed: std::env::var("CLOUDSIM_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(7),
        users: 150,
        sites: 2,
        groups: 8,
        products_per_site: 3,
        workers: 1,
        anchor: Some(anchor()),
        api_keys: vec![
            ApiKey {
                key: "good-key".into(),
                expires_at: chrono::Utc::now().date_naive() + chrono::Duration::days(30),
                foreign_org: None,
            },
            ApiKey {
                key: "expired-key".into(),
                expires_at: chrono::Utc::now().date_naive() - chrono::Duration::days(1),
                foreign_org: None,
            },
        ],
        ..SimConfig::default()
    }
}

pub struct Sim {
    pub running: RunningSim,
    pub http: reqwest::Client,
}

impl Sim {
    pub async fn start() -> Sim {
        Self::with(small_config()).await
    }

    pub async fn with(config: SimConfig) -> Sim {
        let running = spawn(config).await.expect("cloudsim starts");
        Sim {
            running,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.running.url, path)
    }

    pub fn org(&self) -> &str {
        &self.running.org_id
    }

    /// `/admin/v2/orgs/{org}/directories/-{rest}`
    pub fn v2(&self, rest: &str) -> String {
        format!("/admin/v2/orgs/{}/directories/-{rest}", self.running.org_id)
    }

    /// `/admin/v1/orgs/{org}{rest}`
    pub fn v1(&self, rest: &str) -> String {
        format!("/admin/v1/orgs/{}{rest}", self.running.org_id)
    }

    /// An Admin API call with the good key; returns status, headers and JSON (Null if none).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        self.call_with_key("good-key", method, path, body).await
    }

    pub async fn call_with_key(
        &self,
        key: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut req = self.http.request(method, self.url(path)).bearer_auth(key);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request sent");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap_or_default();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, headers, json)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let (s, _, v) = self.call(Method::GET, path, None).await;
        (s, v)
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let (s, _, v) = self.call(Method::POST, path, Some(body)).await;
        (s, v)
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        let (s, _, v) = self.call(Method::DELETE, path, None).await;
        (s, v)
    }

    /// Control surface call (no auth).
    pub async fn sim(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request sent");
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        (
            status,
            if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap_or(Value::String(text))
            },
        )
    }

    pub async fn state(&self) -> Value {
        self.sim(Method::GET, "/__sim/org", None).await.1
    }

    /// Pages through a v2 cursor POST search to the end; returns all items and the page count.
    pub async fn search_all(&self, path: &str, mut body: Value) -> (Vec<Value>, usize) {
        let mut all = Vec::new();
        let mut pages = 0;
        loop {
            let (status, page) = self.post(path, body.clone()).await;
            assert_eq!(status, 200, "{page}");
            pages += 1;
            all.extend(page["data"].as_array().unwrap().iter().cloned());
            match page["links"]["next"].as_str() {
                Some(next) => body = json!({"cursor": next}),
                None => break,
            }
            assert!(pages < 10_000, "paging does not end");
        }
        (all, pages)
    }

    /// Pages through a v2 cursor GET list to the end.
    pub async fn list_all(&self, path: &str, query: &str) -> (Vec<Value>, usize) {
        let mut all = Vec::new();
        let mut pages = 0;
        let mut url = format!("{path}?{query}");
        loop {
            let (status, page) = self.get(&url).await;
            assert_eq!(status, 200, "{page}");
            pages += 1;
            all.extend(page["data"].as_array().unwrap().iter().cloned());
            match page["links"]["next"].as_str() {
                Some(next) => url = format!("{path}?cursor={next}"),
                None => break,
            }
            assert!(pages < 10_000, "paging does not end");
        }
        (all, pages)
    }

    /// The first user of `/__sim/org` matching a predicate.
    pub async fn find_user(&self, pred: impl Fn(&Value) -> bool) -> Value {
        let state = self.state().await;
        state["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| pred(u))
            .cloned()
            .expect("a matching user")
    }
}

/// Asserts an `{"errors":[{code}]}` body.
pub fn assert_code(body: &Value, code: &str) {
    assert_eq!(body["errors"][0]["code"], code, "{body}");
    assert!(body["errors"][0]["id"].is_string(), "{body}");
    assert!(body["errors"][0]["status"].is_string(), "{body}");
}
