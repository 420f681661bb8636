//! One delivery attempt: check the target, sign, POST (10 s, no redirects), keep the first KiB
//! of the answer, and decide what comes next: 2xx succeeded; 408, 429, 5xx, timeouts and
//! connection errors retry with jittered exponential backoff while the retry window lasts;
//! anything else fails at once.

use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use orgwarden_store::webhooks::outbox::{Attempt, Delivery, Next, RESPONSE_SNIPPET_BYTES};
use rand::Rng;
use reqwest::Url;

use super::{guard, sign};

/// The first retry's delay; each next one is four times longer, up to [`MAX_DELAY`].
pub const FIRST_DELAY: Duration = Duration::seconds(30);
/// The longest delay between two attempts.
pub const MAX_DELAY: Duration = Duration::hours(6);

/// Header an Atlassian Automation incoming webhook checks.
pub const AUTOMATION_TOKEN_HEADER: &str = "X-Automation-Webhook-Token";

/// What an attempt gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// HTTP status, when the receiver answered.
    pub status: Option<u16>,
    /// The first KiB of the answer.
    pub response: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// Worth trying again.
    pub retryable: bool,
}

impl Outcome {
    fn failed(error: String, retryable: bool) -> Self {
        Self {
            status: None,
            response: None,
            error: Some(error),
            retryable,
        }
    }

    /// True for a 2xx answer.
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// The nominal delay after attempt `attempt` (1-based): 30 s, 2 min, 8 min, 32 min, 2 h 8 min,
/// then 6 h.
pub fn nominal_delay(attempt: i32) -> Duration {
    let exponent = u32::try_from(attempt.saturating_sub(1))
        .unwrap_or(0)
        .min(10);
    let factor = 4_i32.pow(exponent);
    (FIRST_DELAY * factor).min(MAX_DELAY)
}

/// What follows attempt `attempt` with `outcome` at `now`: the retry time is the nominal delay
/// times a random factor in [0.8, 1.2], and none after `retry_until`. Counted in the metrics by
/// result (each attempt asks once).
pub fn next_step(
    outcome: &Outcome,
    attempt: i32,
    now: NaiveDateTime,
    retry_until: NaiveDateTime,
) -> Next {
    let next = if outcome.succeeded() {
        Next::Succeeded
    } else if !outcome.retryable {
        Next::Failed
    } else {
        let nominal = nominal_delay(attempt).num_milliseconds();
        let jittered = rand::thread_rng().gen_range(nominal * 4 / 5..=nominal * 6 / 5);
        let at = now + Duration::milliseconds(jittered);
        if at > retry_until {
            Next::Failed
        } else {
            Next::RetryAt(at)
        }
    };
    crate::metrics::webhook_attempt(match next {
        Next::Succeeded => "succeeded",
        Next::RetryAt(_) => "retrying",
        Next::Failed => "failed",
    });
    next
}

/// Whether `url` is an Atlassian Automation incoming webhook's, whose requests carry the secret
/// in clear as `X-Automation-Webhook-Token`: its path (not its query or fragment) says so.
pub fn is_automation(url: &Url) -> bool {
    url.path().contains("/automation/webhooks/")
}

/// Sends `delivery` to `url` signed with `secret`; `signed_at` is the `webhook-timestamp`.
pub async fn send(
    client: &reqwest::Client,
    allow_private: bool,
    url: &str,
    secret: &str,
    delivery: &Delivery,
    signed_at: DateTime<Utc>,
) -> Outcome {
    let target = match guard::check_url(url, allow_private) {
        Ok(target) => target,
        Err(e) => return Outcome::failed(e.to_string(), false),
    };
    let host = target.host_str().unwrap_or_default();
    let port = target.port_or_known_default().unwrap_or(443);
    if let Err(e) = guard::resolve(host, port, allow_private).await {
        let retryable = matches!(e, guard::GuardError::Unresolvable(_));
        return Outcome::failed(e.to_string(), retryable);
    }
    let timestamp = signed_at.timestamp();
    let signature = match sign::signature(secret, &delivery.id, timestamp, &delivery.payload) {
        Ok(signature) => signature,
        Err(e) => return Outcome::failed(format!("signing failed: {e}"), false),
    };
    let automation_token = is_automation(&target);
    let mut request = client
        .post(target)
        .header("content-type", "application/json")
        .header("webhook-id", &delivery.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(delivery.payload.clone());
    if automation_token {
        request = request.header(AUTOMATION_TOKEN_HEADER, secret);
    }
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(e) if e.is_timeout() => return Outcome::failed("timed out after 10 s".into(), true),
        Err(e) => return Outcome::failed(format!("could not connect: {e}"), true),
    };
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while body.len() < RESPONSE_SNIPPET_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(RESPONSE_SNIPPET_BYTES);
    // PostgreSQL's text holds no NUL: a receiver answering one must not make its attempts
    // unrecordable.
    let text = String::from_utf8_lossy(&body).replace('\0', "\u{fffd}");
    let retryable = status == 408 || status == 429 || status >= 500;
    let error = (!(200..300).contains(&status)).then(|| format!("HTTP {status}"));
    Outcome {
        status: Some(status),
        response: (!text.is_empty()).then_some(text),
        error,
        retryable,
    }
}

/// The log row of attempt `number` that started at `at` and took since `started`.
pub fn log_row(
    number: i32,
    at: NaiveDateTime,
    started: Instant,
    outcome: &Outcome,
    next: Next,
) -> Attempt {
    Attempt {
        attempt: number,
        at,
        status_code: outcome.status.map(i32::from),
        duration_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
        response: outcome.response.clone(),
        error: outcome.error.clone(),
        next_attempt_at: match next {
            Next::RetryAt(at) => Some(at),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(status: u16) -> Outcome {
        Outcome {
            status: Some(status),
            response: None,
            error: None,
            retryable: status == 408 || status == 429 || status >= 500,
        }
    }

    #[test]
    fn only_an_automation_path_makes_an_automation_url() {
        let url = |u: &str| Url::parse(u).expect("a URL");
        assert!(is_automation(&url(
            "https://api-private.atlassian.com/automation/webhooks/jira/a/1/2"
        )));
        assert!(!is_automation(&url(
            "https://receiver.example/hook?/automation/webhooks/"
        )));
        assert!(!is_automation(&url(
            "https://receiver.example/hook#/automation/webhooks/"
        )));
    }

    #[test]
    fn the_schedule_grows_fourfold_up_to_six_hours() {
        let minutes: Vec<i64> = (1..=7).map(|a| nominal_delay(a).num_seconds()).collect();
        assert_eq!(minutes, [30, 120, 480, 1920, 7680, 21600, 21600]);
    }

    #[test]
    fn retries_are_jittered_and_stop_at_the_window() {
        let now = DateTime::<Utc>::UNIX_EPOCH.naive_utc();
        let until = now + Duration::hours(24);
        for _ in 0..50 {
            let next = next_step(&answered(503), 2, now, until);
            let Next::RetryAt(at) = next else {
                unreachable!("503 retries, got {next:?}");
            };
            let delay = (at - now).num_milliseconds();
            assert!((96_000..=144_000).contains(&delay), "{delay}");
        }
        assert_eq!(
            next_step(&answered(503), 6, now, now + Duration::hours(1)),
            Next::Failed
        );
        assert_eq!(next_step(&answered(404), 1, now, until), Next::Failed);
        assert!(matches!(
            next_step(&answered(429), 1, now, until),
            Next::RetryAt(_)
        ));
        assert!(matches!(
            next_step(&answered(408), 1, now, until),
            Next::RetryAt(_)
        ));
        assert_eq!(next_step(&answered(204), 1, now, until), Next::Succeeded);
    }
}
