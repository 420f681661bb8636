//! Retries of the Admin client: 429 hints, 5xx, resets and timeouts, and giving up.

use orgwarden_ids::{AccountId, DirectoryId, OrgId};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::admin_support::{Fake, Reply, KEY};
use orgwarden_atlassian::AdminError;
use serde_json::json;

fn org() -> Reply {
    Reply::ok(json!({"data": {"id": "o", "attributes": {"name": "Acme"}}}))
}

/// Answers the first `failures.len()` requests with those replies, then succeeds.
async fn failing_first(failures: Vec<fn() -> Reply>) -> Fake {
    let count = Arc::new(AtomicUsize::new(0));
    Fake::start(move |_| {
        let n = count.fetch_add(1, Ordering::SeqCst);
        failures.get(n).map_or_else(org, |f| f())
    })
    .await
}

fn too_many() -> serde_json::Value {
    json!({"errors": [{"code": "ADMIN-429-1", "title": "Rate limit exceeded"}]})
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let fake = failing_first(vec![|| {
        Reply::Json(429, too_many(), vec![("retry-after", "1".into())])
    }])
    .await;
    let client = fake.client();
    assert_eq!(
        client
            .get_org(&OrgId::from("o"))
            .await
            .unwrap()
            .name
            .as_deref(),
        Some("Acme")
    );
    let seen = fake.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].at - seen[0].at >= Duration::from_millis(950));
    let stats = client.stats();
    assert_eq!(
        (stats.requests_sent, stats.retries, stats.rate_limited),
        (2, 1, 1)
    );
}

#[tokio::test]
async fn rate_limit_reset_is_honoured_in_both_formats() {
    fn reset_in_two_seconds() -> Reply {
        let at = chrono::Utc::now() + chrono::Duration::seconds(2);
        let header = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        Reply::Json(
            429,
            json!({"code": 429, "message": "Too Many Requests"}),
            vec![("x-ratelimit-reset", header)],
        )
    }
    fn reset_minute_precision_in_the_past() -> Reply {
        let at = chrono::Utc::now() - chrono::Duration::minutes(2);
        Reply::Json(
            429,
            too_many(),
            vec![(
                "x-ratelimit-reset",
                at.format("%Y-%m-%dT%H:%MZ").to_string(),
            )],
        )
    }
    let fake = failing_first(vec![
        reset_in_two_seconds,
        reset_minute_precision_in_the_past,
    ])
    .await;
    fake.client().get_org(&OrgId::from("o")).await.unwrap();
    let seen = fake.seen();
    assert_eq!(seen.len(), 3);
    assert!(
        seen[1].at - seen[0].at >= Duration::from_millis(950),
        "{:?}",
        seen[1].at - seen[0].at
    );
}

#[tokio::test]
async fn a_429_pauses_every_clone_of_the_client() {
    let count = Arc::new(AtomicUsize::new(0));
    let fake = Fake::start(move |seen| {
        if seen.path().ends_with("/first") && count.fetch_add(1, Ordering::SeqCst) == 0 {
            return Reply::Json(429, too_many(), vec![("retry-after", "1".into())]);
        }
        org()
    })
    .await;
    let client = fake.client();
    let other = client.clone();
    let first = tokio::spawn(async move { client.get_org(&OrgId::from("first")).await });
    // The clone asks only once the client has had the 429.
    let deadline = Instant::now() + Duration::from_secs(30);
    while other.stats().rate_limited == 0 {
        assert!(Instant::now() < deadline, "no 429 came back");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    other.get_org(&OrgId::from("second")).await.unwrap();
    first.await.unwrap().unwrap();
    let seen = fake.seen();
    let limited = seen
        .iter()
        .find(|s| s.path().ends_with("/first"))
        .unwrap()
        .at;
    let second = seen.iter().find(|s| s.path().ends_with("/second")).unwrap();
    assert!(
        second.at - limited >= Duration::from_millis(950),
        "the clone did not wait"
    );
    assert_eq!(other.stats().rate_limited, 1);
}

#[tokio::test]
async fn server_errors_and_resets_are_retried() {
    let fake = failing_first(vec![
        || Reply::status(500, json!({"errors": [{"code": "ADMIN-500-1"}]})),
        || Reply::status(502, json!({"code": 502, "message": "Bad Gateway"})),
        || Reply::Empty(503),
        || Reply::Reset,
    ])
    .await;
    let client = fake.client();
    client.get_org(&OrgId::from("o")).await.unwrap();
    let stats = client.stats();
    assert_eq!(
        (
            stats.requests_sent,
            stats.retries,
            stats.server_errors,
            stats.transport_errors
        ),
        (5, 4, 3, 1)
    );
}

#[tokio::test]
async fn writes_are_retried_too() {
    let fake = failing_first(vec![|| Reply::Empty(503), || Reply::Reset]).await;
    fake.client()
        .suspend_user(
            &OrgId::from("o"),
            &DirectoryId::from("d"),
            &AccountId::from("712020:u"),
        )
        .await
        .unwrap();
    let seen = fake.seen();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|s| s.method == "POST"
        && s.target == "/admin/v2/orgs/o/directories/d/users/712020%3Au/suspend"));
    assert_eq!(seen[2].header("content-length"), Some("0"));
}

#[tokio::test]
async fn timeouts_are_retried() {
    // The first answer comes far too late for the timeout, which leaves the retry all the time
    // it needs.
    let fake = failing_first(vec![|| {
        Reply::Late(Duration::from_secs(600), Box::new(org()))
    }])
    .await;
    let client = fake.client_with(|c| c.timeout = Duration::from_secs(5));
    client.get_org(&OrgId::from("o")).await.unwrap();
    let stats = client.stats();
    assert_eq!(
        (stats.requests_sent, stats.retries, stats.transport_errors),
        (2, 1, 1)
    );
}

#[tokio::test]
async fn exhausted_retries_give_typed_errors() {
    let fake = Fake::start(
        |seen| match seen.path().split('/').nth(4).unwrap_or_default() {
            "busy" => Reply::Json(429, too_many(), vec![("retry-after", "0".into())]),
            "down" => Reply::Empty(503),
            _ => Reply::Reset,
        },
    )
    .await;
    let client = fake.client_with(|c| c.max_retries = 2);
    let err = client.get_org(&OrgId::from("busy")).await.unwrap_err();
    assert!(matches!(err, AdminError::RateLimited { .. }), "{err:?}");
    let err = client.get_org(&OrgId::from("down")).await.unwrap_err();
    assert!(matches!(err, AdminError::Server { status: 503 }), "{err:?}");
    let err = client
        .grant_role(
            &OrgId::from("gone"),
            &AccountId::from("u"),
            "atlassian/user",
            "ari",
        )
        .await
        .unwrap_err();
    assert!(matches!(err, AdminError::Unreachable(_)), "{err:?}");
    assert!(!err.to_string().contains(KEY));
    assert_eq!(fake.seen().len(), 9);
    assert_eq!(client.stats().retries, 6);
}
