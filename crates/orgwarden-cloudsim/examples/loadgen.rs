//! A small closed-loop load generator for a running cloudsim:
//! `cargo run --release --example loadgen -- URL KEY [SECONDS] [CONCURRENCY]`.
//! Mixes user searches (paging), single-user reads, group searches and last-active reads.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "http://127.0.0.1:8090".into());
    let key = args.get(2).cloned().unwrap_or_default();
    let secs: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10);
    let conc: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(32);
    // MODE: 0..=3 runs only that request kind; anything else mixes them.
    let mode: Option<usize> = std::env::var("MODE")
        .ok()
        .and_then(|m| m.parse().ok())
        .filter(|m| *m < 4);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(conc)
        .build()?;
    let orgs: Value = http
        .get(format!("{url}/admin/v1/orgs"))
        .bearer_auth(&key)
        .send()
        .await?
        .json()
        .await?;
    let org = orgs["data"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let base = format!("{url}/admin/v2/orgs/{org}/directories/-");
    let first: Value = http
        .post(format!("{base}/users/search"))
        .bearer_auth(&key)
        .json(&json!({"limit": 100}))
        .send()
        .await?
        .json()
        .await?;
    let ids: Vec<String> = first["data"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|u| u["accountId"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let ok = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for t in 0..conc {
        let (http, key, base, url, org, ids, ok, errors) = (
            http.clone(),
            key.clone(),
            base.clone(),
            url.clone(),
            org.clone(),
            ids.clone(),
            ok.clone(),
            errors.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut cursor: Option<String> = None;
            let mut i = t;
            while Instant::now() < deadline {
                i += 1;
                let id = ids.get(i % ids.len().max(1)).cloned().unwrap_or_default();
                let kind = mode.unwrap_or(i % 4);
                let req = match kind {
                    0 => {
                        let body = match &cursor {
                            Some(c) => json!({"cursor": c}),
                            None => json!({"limit": 100, "expand": ["productAccess", "groups"]}),
                        };
                        http.post(format!("{base}/users/search")).json(&body)
                    }
                    1 => http.get(format!("{base}/users/{id}")),
                    2 => http
                        .post(format!("{base}/groups/search"))
                        .json(&json!({"limit": 50})),
                    _ => http.get(format!(
                        "{url}/admin/v1/orgs/{org}/directory/users/{id}/last-active-dates"
                    )),
                };
                match req.bearer_auth(&key).send().await {
                    Ok(res) if res.status().is_success() => {
                        let v: Value = res.json().await.unwrap_or_default();
                        if kind == 0 {
                            cursor = v["links"]["next"].as_str().map(String::from);
                        }
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let start = Instant::now();
    for t in tasks {
        t.await?;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let n = ok.load(Ordering::Relaxed);
    println!(
        "{n} ok, {} errors in {elapsed:.1}s: {:.0} req/s",
        errors.load(Ordering::Relaxed),
        n as f64 / elapsed
    );
    Ok(())
}
