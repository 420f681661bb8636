//! The shared token bucket paces many concurrent calls at the configured rate.

use orgwarden_ids::OrgId;
use std::time::Duration;

use crate::admin_support::{Fake, Reply};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_are_paced_at_the_configured_rate() {
    const RATE: usize = 20;
    const BURST: usize = 2;
    const CALLS: usize = 40;
    let fake = Fake::start(|_| Reply::ok(json!({"data": {"id": "o"}}))).await;
    let client = fake.client_with(|c| {
        c.requests_per_second = RATE as f64;
        c.burst = BURST as u32;
    });
    let calls: Vec<_> = (0..CALLS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_org(&OrgId::from("o")).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let mut at: Vec<_> = fake.seen().iter().map(|s| s.at).collect();
    at.sort();
    assert_eq!(at.len(), CALLS);
    // Never more than burst + rate requests in any one-second window (slack for arrival jitter).
    for (i, start) in at.iter().enumerate() {
        let in_window = at[i..]
            .iter()
            .take_while(|t| **t - *start < Duration::from_secs(1))
            .count();
        assert!(
            in_window <= BURST + RATE + 3,
            "{in_window} requests within one second"
        );
    }
    // And the whole batch took at least as long as the rate implies (only load can slow it).
    let span = at[CALLS - 1] - at[0];
    assert!(
        span >= Duration::from_millis(((CALLS - BURST) * 1000 / RATE) as u64 - 150),
        "{span:?}"
    );
    // Loosely: the rate is reached, not undershot by much.
    let in_first_second = at
        .iter()
        .take_while(|t| **t - at[0] < Duration::from_secs(1))
        .count();
    assert!(
        in_first_second >= RATE / 3,
        "only {in_first_second} requests in the first second"
    );
}
