//! A webhook's delivery log through the real server on each backend: cursor pages, newest first,
//! read the whole log once in the order of one long page (deliveries made in the same instant
//! too), and a cursor that is not one is refused with a clear 400.

use chrono::Duration;
use orgwarden_store::Backend;
use serde_json::Value;

use crate::common::envelope;
use crate::webhooks_support::Hooks;
use orgwarden_store::on_both_backends;

on_both_backends!(the_delivery_log_pages_newest_first_with_a_cursor);

/// One page of webhook `id`'s log.
async fn page(h: &Hooks, id: i64, query: &str) -> Value {
    let answer =
        h.s.get(&format!("/api/v1/webhooks/{id}/deliveries?{query}"))
            .await;
    assert_eq!(answer.status(), 200);
    answer.json().await.unwrap()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_delivery_log_pages_newest_first_with_a_cursor(backend: Backend) {
    let h = Hooks::start(backend).await;
    let (id, _) = h.create("jira/a/log", &["test"]).await;
    // Two at one instant (the id decides), the others apart, one by less than a microsecond
    // (PostgreSQL keeps microseconds).
    let mut sent = Vec::new();
    for step_ns in [0, 0, 1_000_000, 400, 2_000_000] {
        h.clock.advance(Duration::nanoseconds(step_ns));
        sent.push(h.send_test(id).await);
    }
    let whole = page(&h, id, "limit=50").await;
    assert!(whole["nextCursor"].is_null(), "{whole}");
    let newest_first = ids(&whole);
    let mut expected = sent.clone();
    expected.sort();
    let mut listed = newest_first.clone();
    listed.sort();
    assert_eq!(listed, expected, "every delivery once");

    let mut paged = Vec::new();
    let mut cursor = String::new();
    let mut sizes = Vec::new();
    loop {
        let p = page(&h, id, &format!("limit=2&cursor={cursor}")).await;
        sizes.push(p["items"].as_array().unwrap().len());
        paged.extend(ids(&p));
        match p["nextCursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(sizes, [2, 2, 1], "{backend:?}");
    assert_eq!(paged, newest_first, "{backend:?}");

    for bad in ["nonsense", "12.", "x.msg_1"] {
        let answer =
            h.s.get(&format!("/api/v1/webhooks/{id}/deliveries?cursor={bad}"))
                .await;
        assert_eq!(envelope(answer, 400).await, "validation_failed", "{bad}");
    }
}
