//! Settings of one [`AdminClient`](super::AdminClient).

use std::time::Duration;

/// Where the Admin API lives and how hard the client may drive it.
#[derive(Debug, Clone, PartialEq)]
pub struct AdminClientConfig {
    /// Base URL without the `/admin` prefix, e.g. `https://api.atlassian.com` (or cloudsim's URL).
    pub base_url: String,
    /// Steady request rate of the client-side token bucket (all clones share it). Zero, negative
    /// or non-finite values switch client-side pacing off.
    pub requests_per_second: f64,
    /// Requests that may start at once before pacing applies (at least 1). Kept below the
    /// server's own burst: a client that spends the server's whole burst at the start leaves it
    /// no room for requests that arrive bunched (scheduling jitter on a busy machine), and each
    /// of those costs a 429 and its `Retry-After`.
    pub burst: u32,
    /// Retries after the first attempt for 429, 5xx, timeouts and connection failures.
    pub max_retries: u32,
    /// Timeout of one attempt (connect, send and read the whole answer).
    pub timeout: Duration,
}

impl AdminClientConfig {
    /// The defaults (50 requests/s, burst 2, 8 retries, 30 s) for this base URL.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            ..Self::default()
        }
    }
}

impl Default for AdminClientConfig {
    fn default() -> Self {
        Self {
            base_url: "https://api.atlassian.com".to_owned(),
            requests_per_second: 50.0,
            burst: 2,
            max_retries: 8,
            timeout: Duration::from_secs(30),
        }
    }
}
