//! `HttpInstallKeys` against a small key server on the loopback interface.
// Helpers outside #[test] functions unwrap too; a panic is a test failure here.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;
use orgwarden_connect::{verify_install, FetchPolicy, HttpInstallKeys, InstallKeys, JwtError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

type Hits = Arc<Mutex<HashMap<String, usize>>>;

/// Serves `/good*` and `/r1` keys, `/big`, `/notpem`, `/private`, `/slow`, `/flaky` (503 the
/// first time), `/down` (502); 404 otherwise.
async fn key_server() -> (String, Hits) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits: Hits = Arc::default();
    let counter = hits.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.ends_with(b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let text = String::from_utf8_lossy(&request);
                let path = text.split(' ').nth(1).unwrap_or("").to_owned();
                *counter.lock().unwrap().entry(path.clone()).or_default() += 1;
                let (status, body) = match path.as_str() {
                    p if p.starts_with("/good") => ("200 OK", TEST_PUBLIC.to_owned()),
                    "/test-kid-0001" => ("200 OK", R1_PUBLIC_PEM.to_owned()),
                    "/big" => ("200 OK", format!("{TEST_PUBLIC}{}", " ".repeat(20_000))),
                    "/notpem" => ("200 OK", "hello".to_owned()),
                    "/flaky" if counter.lock().unwrap()["/flaky"] == 1 => {
                        ("503 Service Unavailable", "try again".to_owned())
                    }
                    "/flaky" => ("200 OK", TEST_PUBLIC.to_owned()),
                    "/down" => ("502 Bad Gateway", "down".to_owned()),
                    "/private" => ("200 OK", TEST_PRIVATE_PKCS8.to_owned()),
                    "/slow" => {
                        tokio::time::sleep(Duration::from_secs(8)).await;
                        ("200 OK", TEST_PUBLIC.to_owned())
                    }
                    _ => ("404 Not Found", "not found".to_owned()),
                };
                let response = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            });
        }
    });
    (base, hits)
}

fn hits_of(hits: &Hits, path: &str) -> usize {
    hits.lock().unwrap().get(path).copied().unwrap_or(0)
}

#[tokio::test]
async fn successful_fetches_are_cached_by_kid() {
    let (base, hits) = key_server().await;
    let keys = HttpInstallKeys::new(&format!("{base}/"));
    assert_eq!(keys.public_key_pem("good").await.unwrap(), TEST_PUBLIC);
    assert_eq!(keys.public_key_pem("good").await.unwrap(), TEST_PUBLIC);
    assert_eq!(hits_of(&hits, "/good"), 1);
}

/// No rate limit to speak of, and failures remembered for `failure_ttl`.
fn unlimited(base: &str, failure_ttl: Duration) -> HttpInstallKeys {
    HttpInstallKeys::with_policy(
        base,
        FetchPolicy {
            failure_ttl,
            max_fetches_per_second: 10_000,
        },
    )
}

fn total_hits(hits: &Hits) -> usize {
    hits.lock().unwrap().values().sum()
}

#[tokio::test]
async fn failures_are_reported_and_remembered_briefly() {
    let (base, hits) = key_server().await;
    // Remembered for far longer than these checks can take, however slow the machine.
    let keys = unlimited(&base, Duration::from_secs(30));
    for _ in 0..3 {
        assert_eq!(
            keys.public_key_pem("missing").await,
            Err(JwtError::KeyUnavailable("key server answered 404".into()))
        );
    }
    assert_eq!(hits_of(&hits, "/missing"), 1, "the failure is remembered");
    assert_eq!(
        keys.public_key_pem("big").await,
        Err(JwtError::KeyUnavailable("key too large".into()))
    );
    assert!(matches!(
        keys.public_key_pem("notpem").await,
        Err(JwtError::InvalidKey(_))
    ));
    assert!(matches!(
        keys.public_key_pem("private").await,
        Err(JwtError::InvalidKey(_))
    ));
    assert!(matches!(
        keys.public_key_pem("notpem").await,
        Err(JwtError::InvalidKey(_))
    ));
    assert_eq!(hits_of(&hits, "/notpem"), 1);

    // Once the failure has expired, a retried install asks again.
    let brief = unlimited(&base, Duration::from_millis(300));
    assert!(brief.public_key_pem("missing").await.is_err());
    assert_eq!(hits_of(&hits, "/missing"), 2);
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(brief.public_key_pem("missing").await.is_err());
    assert_eq!(hits_of(&hits, "/missing"), 3);
}

#[tokio::test]
async fn a_flood_of_random_kids_is_rate_limited() {
    let (base, hits) = key_server().await;
    // The limiter's first window opens when it is built: count from before that.
    let started = Instant::now();
    let keys = HttpInstallKeys::with_policy(
        &base,
        FetchPolicy {
            failure_ttl: Duration::from_secs(30),
            max_fetches_per_second: 3,
        },
    );
    keys.public_key_pem("good-known").await.unwrap();
    let mut refused_at_once = 0;
    for n in 0..200 {
        let answer = keys.public_key_pem(&format!("forged-{n}")).await;
        if answer
            == Err(JwtError::KeyUnavailable(
                "too many install-key fetches; try the install again in a moment".into(),
            ))
        {
            refused_at_once += 1;
        }
    }
    // Cached keys are answered whatever the rate.
    assert_eq!(
        keys.public_key_pem("good-known").await.unwrap(),
        TEST_PUBLIC
    );
    // Windows last a second each and the first opened after `started`.
    let windows = usize::try_from(started.elapsed().as_secs()).unwrap() + 1;
    let all_fetches = total_hits(&hits);
    assert!(
        all_fetches <= 3 * windows,
        "{all_fetches} fetches in {windows} windows"
    );
    let fetched = all_fetches - 1;
    assert_eq!(fetched + refused_at_once, 200);
    assert_eq!(hits_of(&hits, "/good-known"), 1);

    // The limit is per second: a genuine install a second later gets its key.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(keys.public_key_pem("good-new").await.unwrap(), TEST_PUBLIC);
}

#[tokio::test]
async fn invalid_kids_never_reach_the_network() {
    let (base, hits) = key_server().await;
    let keys = HttpInstallKeys::new(&base);
    for kid in [
        "", "../good", "good/..", "a/b", "good?x=1", "good#x", "%2e%2e",
    ] {
        assert_eq!(
            keys.public_key_pem(kid).await,
            Err(JwtError::InvalidKeyId),
            "{kid:?}"
        );
    }
    assert!(hits.lock().unwrap().is_empty());
}

#[tokio::test]
async fn cache_is_bounded() {
    let (base, hits) = key_server().await;
    let keys = unlimited(&base, Duration::from_secs(30));
    for n in 0..70 {
        keys.public_key_pem(&format!("good-{n}")).await.unwrap();
    }
    keys.public_key_pem("good-0").await.unwrap();
    keys.public_key_pem("good-69").await.unwrap();
    assert_eq!(hits_of(&hits, "/good-0"), 2, "the oldest entry was evicted");
    assert_eq!(hits_of(&hits, "/good-69"), 1, "recent entries stay cached");
}

#[tokio::test]
async fn slow_key_servers_time_out() {
    let (base, _) = key_server().await;
    let keys = HttpInstallKeys::new(&base);
    assert_eq!(
        keys.public_key_pem("slow").await,
        Err(JwtError::KeyUnavailable("key server unreachable".into()))
    );
}

#[tokio::test]
async fn r1_verifies_with_keys_fetched_over_http() {
    let (base, hits) = key_server().await;
    let keys = HttpInstallKeys::new(&base);
    for _ in 0..2 {
        let claims = verify_install(R1, &keys, R1_APP_BASE_URL, H_CLIENT_KEY, R1_QSH, H_IAT + 60)
            .await
            .unwrap();
        assert_eq!(claims.iss, H_CLIENT_KEY);
    }
    assert_eq!(hits_of(&hits, "/test-kid-0001"), 1);
    let unreachable = HttpInstallKeys::new("http://127.0.0.1:9");
    assert!(matches!(
        verify_install(
            R1,
            &unreachable,
            R1_APP_BASE_URL,
            H_CLIENT_KEY,
            R1_QSH,
            H_IAT + 60
        )
        .await,
        Err(JwtError::KeyUnavailable(_))
    ));
}

#[tokio::test]
async fn a_key_server_failing_for_a_moment_is_tried_again_and_not_remembered() {
    let (base, hits) = key_server().await;
    let keys = unlimited(&base, Duration::from_secs(30));
    assert_eq!(keys.public_key_pem("flaky").await.unwrap(), TEST_PUBLIC);
    assert_eq!(hits_of(&hits, "/flaky"), 2);
    for tries in [3, 6] {
        assert_eq!(
            keys.public_key_pem("down").await,
            Err(JwtError::KeyUnavailable("key server answered 502".into()))
        );
        assert_eq!(
            hits_of(&hits, "/down"),
            tries,
            "asked again, not remembered"
        );
    }
}
