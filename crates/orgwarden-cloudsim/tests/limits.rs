//! Rate limiting (429 + headers), injected faults (500/502/503/reset), latency, reset.

use std::time::Instant;

use crate::common::{assert_code, small_config, Sim};
use orgwarden_cloudsim::SimConfig;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn token_bucket_answers_429_with_headers() {
    // One token per 1000 s: none comes back during the test, however slow its round trips.
    let sim = Sim::with(SimConfig {
        rate_limit: Some(0.001),
        burst: Some(3),
        ..small_config()
    })
    .await;
    let mut statuses = Vec::new();
    let mut limited = None;
    for _ in 0..6 {
        let (status, headers, body) = sim.call(Method::GET, "/admin/v1/orgs", None).await;
        statuses.push(status.as_u16());
        if status == 200 {
            assert_eq!(headers["x-ratelimit-limit"], "3");
            assert!(headers.contains_key("x-ratelimit-remaining"));
            assert!(headers.contains_key("x-ratelimit-reset"));
        } else if limited.is_none() {
            limited = Some((headers, body));
        }
    }
    assert_eq!(&statuses[..3], &[200, 200, 200]);
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    let (headers, body) = limited.unwrap();
    assert_code(&body, "ADMIN-429-1");
    assert_eq!(headers["x-ratelimit-remaining"], "0");
    let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry >= 1);
    let reset = headers["x-ratelimit-reset"].to_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(reset).is_ok(),
        "{reset}"
    );

    // the v1 role endpoints answer with the gateway's ProxyError body
    let (status, _, body) = sim
        .call(
            Method::POST,
            &sim.v1("/users/x/roles/assign"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 429);
    assert_eq!(body, json!({"code": 429, "message": "Too Many Requests"}));

    // buckets are per key
    sim.sim(
        Method::POST,
        "/__sim/api-keys",
        Some(json!({"key": "second"})),
    )
    .await;
    let (status, _, _) = sim
        .call_with_key("second", Method::GET, "/admin/v1/orgs", None)
        .await;
    assert_eq!(status, 200);

    // turning the limit off at run time
    let (_, settings) = sim
        .sim(Method::POST, "/__sim/faults", Some(json!({"rateLimit": 0})))
        .await;
    assert!(settings["rateLimit"].is_null());
    let (status, headers, _) = sim.call(Method::GET, "/admin/v1/orgs", None).await;
    assert_eq!(status, 200);
    assert!(!headers.contains_key("x-ratelimit-limit"));
    let stats = sim.sim(Method::GET, "/__sim/stats", None).await.1;
    assert!(stats["rateLimited"].as_u64().unwrap() >= 4);
}

#[tokio::test]
async fn injected_faults_and_resets() {
    let sim = Sim::start().await;
    let (status, _) = sim
        .sim(
            Method::POST,
            "/__sim/faults",
            Some(json!({"failNext": ["500", "502", "503", "reset"]})),
        )
        .await;
    assert_eq!(status, 200);
    let (s1, b1) = sim.get("/admin/v1/orgs").await;
    assert_eq!(s1, 500);
    assert_code(&b1, "ADMIN-500-1");
    assert_eq!(sim.get("/admin/v1/orgs").await.0, 502);
    assert_eq!(sim.get("/admin/v1/orgs").await.0, 503);
    let reset = sim
        .http
        .get(sim.url("/admin/v1/orgs"))
        .bearer_auth("good-key")
        .send()
        .await;
    match reset {
        Err(e) => assert!(!e.is_status(), "{e}"),
        Ok(res) => assert!(
            res.bytes().await.is_err(),
            "a reset must not deliver a body"
        ),
    }
    assert_eq!(sim.get("/admin/v1/orgs").await.0, 200);

    sim.sim(
        Method::POST,
        "/__sim/faults",
        Some(json!({"faultRate": 1.0})),
    )
    .await;
    for _ in 0..4 {
        let sent = sim
            .http
            .get(sim.url("/admin/v1/orgs"))
            .bearer_auth("good-key")
            .send()
            .await;
        if let Ok(res) = sent {
            assert!(res.status().is_server_error() || res.bytes().await.is_err());
        }
    }
    // control endpoints are never faulted
    let stats = sim.sim(Method::GET, "/__sim/stats", None).await.1;
    let faults: u64 = stats["faults"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert!(faults >= 8, "{stats}");
    assert!(stats["faults"]["reset"].as_u64().unwrap() >= 1);

    // reset restores the start configuration and zeroes the counters
    let (status, _) = sim.sim(Method::POST, "/__sim/reset", None).await;
    assert_eq!(status, 204);
    assert_eq!(sim.get("/admin/v1/orgs").await.0, 200);
    let stats = sim.sim(Method::GET, "/__sim/stats", None).await.1;
    assert_eq!(stats["faults"], json!({}));
}

#[tokio::test]
async fn latency_is_added_to_api_calls() {
    let sim = Sim::with(SimConfig {
        latency_ms: 150,
        ..small_config()
    })
    .await;
    let start = Instant::now();
    assert_eq!(sim.get("/admin/v1/orgs").await.0, 200);
    assert!(start.elapsed().as_millis() >= 150);
    let (_, settings) = sim
        .sim(Method::POST, "/__sim/faults", Some(json!({"latencyMs": 0})))
        .await;
    assert_eq!(settings["latencyMs"], 0);
}
