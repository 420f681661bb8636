//! Retries of the Jira client: a 429, 5xx and resets are tried again, other answers are final,
//! and a call gives up after its few tries.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::admin_support::{Fake, Reply};
use orgwarden_atlassian::{JiraClient, JiraError, JiraTenant};
use serde_json::json;

fn licence() -> Reply {
    Reply::ok(
        json!({"key": "app", "license": {"active": false, "type": "COMMERCIAL", "evaluation": false}}),
    )
}

/// Answers the first `failures.len()` requests with those replies, then `then`.
async fn failing_first(failures: Vec<fn() -> Reply>, then: fn() -> Reply) -> Fake {
    let count = Arc::new(AtomicUsize::new(0));
    Fake::start(move |_| {
        let n = count.fetch_add(1, Ordering::SeqCst);
        failures.get(n).map_or_else(then, |f| f())
    })
    .await
}

async fn read_licence(fake: &Fake) -> Result<Option<bool>, JiraError> {
    let tenant = JiraTenant {
        client_key: "tenant",
        base_url: &fake.url,
        shared_secret: "a-shared-secret-of-enough-length-for-hs256",
    };
    let client = JiraClient::new(reqwest::Client::new(), "app");
    Ok(client.addon_license(&tenant).await?.map(|l| l.active))
}

#[tokio::test]
async fn a_429_server_errors_and_a_reset_are_tried_again() {
    let fake = failing_first(
        vec![
            || Reply::Json(429, json!({}), vec![("retry-after", "1".into())]),
            || Reply::Empty(503),
            || Reply::Reset,
        ],
        licence,
    )
    .await;
    assert_eq!(read_licence(&fake).await.unwrap(), Some(false));
    let seen = fake.seen();
    assert_eq!(seen.len(), 4);
    assert!(
        seen[1].at - seen[0].at >= Duration::from_millis(950),
        "Retry-After honoured"
    );
}

#[tokio::test]
async fn other_answers_are_final_and_a_call_gives_up() {
    let refused = failing_first(vec![|| Reply::Empty(403)], licence).await;
    assert!(matches!(
        read_licence(&refused).await,
        Err(JiraError::Unauthorized(403))
    ));
    assert_eq!(refused.seen().len(), 1);

    let down = failing_first(vec![], || Reply::Empty(502)).await;
    assert!(matches!(
        read_licence(&down).await,
        Err(JiraError::Status(502))
    ));
    assert_eq!(down.seen().len(), 4, "the first try and three more");
}
