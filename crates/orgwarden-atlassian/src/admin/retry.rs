//! When to try again: jittered exponential backoff and the server's rate-limit hints.
//!
//! Policy (the same for reads and writes): 429 waits for `Retry-After` (seconds or an HTTP
//! date) or else `X-RateLimit-Reset` (RFC 3339 or minute precision `2023-10-11T12:34Z`) and
//! pauses the whole client meanwhile; 5xx, timeouts and connection failures back off
//! exponentially (200 ms base, 10 s cap, "equal jitter"); other 4xx are final. Writes are
//! retried too: a POST or DELETE whose answer was lost may already have taken effect, and the
//! caller's ledger (not this client) makes repeating it harmless.

use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use rand::Rng;
use reqwest::header::HeaderMap;

use super::errors::AdminError;

/// One failed attempt that may be retried.
pub(crate) enum Failure {
    RateLimited(Duration),
    Server(u16),
    Transport(String),
}

impl Failure {
    /// The `reason` label of a retry after this failure.
    pub(crate) fn reason(&self) -> &'static str {
        match self {
            Failure::RateLimited(_) => "rate_limited",
            Failure::Server(_) => "server_error",
            Failure::Transport(_) => "transport_error",
        }
    }

    pub(crate) fn into_error(self) -> AdminError {
        match self {
            Failure::RateLimited(retry_after) => AdminError::RateLimited { retry_after },
            Failure::Server(status) => AdminError::Server { status },
            Failure::Transport(what) => AdminError::Unreachable(what),
        }
    }
}

/// First backoff delay.
const BASE: Duration = Duration::from_millis(200);
/// Longest backoff delay.
const CAP: Duration = Duration::from_secs(10);
/// Longest single wait a 429 can impose before we try again.
const MAX_RATE_LIMIT_WAIT: Duration = Duration::from_secs(120);

/// Delay before retry number `retry` (1-based): half of `min(cap, base·2^(retry-1))` plus a
/// random share of the other half, so concurrent clients spread out.
pub(crate) fn backoff(retry: u32) -> Duration {
    let exponent = retry.saturating_sub(1).min(16);
    let full = BASE.saturating_mul(1 << exponent).min(CAP);
    let half = full / 2;
    let jitter = rand::thread_rng().gen_range(0..=half.as_millis() as u64);
    half + Duration::from_millis(jitter)
}

/// How long a 429 asks us to wait, if it says so.
pub(crate) fn rate_limit_wait(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let wait = header("retry-after")
        .and_then(|v| parse_retry_after(v, now))
        .or_else(|| header("x-ratelimit-reset").and_then(|v| parse_reset(v, now)))?;
    Some(wait.min(MAX_RATE_LIMIT_WAIT))
}

/// `Retry-After`: delay in (possibly fractional) seconds, or an HTTP date.
fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some(until(at, now))
}

/// `X-RateLimit-Reset`: RFC 3339, minute precision (`%Y-%m-%dT%H:%MZ` or with an offset), or
/// epoch seconds.
fn parse_reset(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let at = DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%MZ").map(|t| t.and_utc()))
        .or_else(|_| {
            DateTime::parse_from_str(value, "%Y-%m-%dT%H:%M%z").map(|t| t.with_timezone(&Utc))
        })
        .ok()
        .or_else(|| {
            value
                .parse::<i64>()
                .ok()
                .and_then(|s| DateTime::from_timestamp(s, 0))
        })?;
    Some(until(at, now))
}

fn until(at: DateTime<Utc>, now: DateTime<Utc>) -> Duration {
    (at - now).to_std().unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2025-01-01T12:34:10Z")
            .map(|t| t.with_timezone(&Utc))
            .unwrap()
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn backoff_grows_jittered_and_capped() {
        for _ in 0..50 {
            let first = backoff(1);
            assert!(first >= Duration::from_millis(100) && first <= Duration::from_millis(200));
            let late = backoff(30);
            assert!(late >= Duration::from_secs(5) && late <= CAP);
        }
    }

    #[test]
    fn retry_after_wins_over_reset() {
        let h = headers(&[
            ("retry-after", "3"),
            ("x-ratelimit-reset", "2025-01-01T12:35:00Z"),
        ]);
        assert_eq!(rate_limit_wait(&h, now()), Some(Duration::from_secs(3)));
        let h = headers(&[("retry-after", "0.5")]);
        assert_eq!(rate_limit_wait(&h, now()), Some(Duration::from_millis(500)));
    }

    #[test]
    fn reads_every_reset_format() {
        for value in [
            "2025-01-01T12:35:00Z",
            "2025-01-01T12:35Z",
            "2025-01-01T12:35+0000",
            "1735734900",
        ] {
            let h = headers(&[("x-ratelimit-reset", value)]);
            assert_eq!(
                rate_limit_wait(&h, now()),
                Some(Duration::from_secs(50)),
                "{value}"
            );
        }
        let past = headers(&[("x-ratelimit-reset", "2025-01-01T12:00:00Z")]);
        assert_eq!(rate_limit_wait(&past, now()), Some(Duration::ZERO));
        assert_eq!(
            rate_limit_wait(&headers(&[("x-ratelimit-reset", "soon")]), now()),
            None
        );
        assert_eq!(rate_limit_wait(&HeaderMap::new(), now()), None);
    }
}
