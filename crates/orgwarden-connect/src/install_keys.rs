//! Fetching Atlassian's install public keys over HTTP, cached by `kid`.
//!
//! Policy: a key id names one key forever (Atlassian rotates by issuing a new `kid`), so good
//! keys are cached without expiry (bounded, evicting the least recently used). The `kid` comes from
//! an unauthenticated token, so a flood of forged installs with random `kid`s must not turn into a
//! flood of fetches: a failed fetch is remembered briefly (30 s) and answered from memory, and
//! fetches are rate limited overall (5 per second); beyond the limit an install is refused at once
//! without asking the key server (Atlassian retries installs).

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use moka::policy::EvictionPolicy;
use moka::sync::Cache;

use crate::error::JwtError;
use crate::install::{is_valid_kid, rsa_public_key, InstallKeys};

/// Atlassian's documented install-key server.
pub const DEFAULT_INSTALL_KEYS_URL: &str = "https://connect-install-keys.atlassian.com";

const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_KEY_BYTES: usize = 16 * 1024;
const CACHE_CAPACITY: u64 = 64;
/// Tries after the first when the key server fails for a moment.
const FETCH_RETRIES: u32 = 2;
/// The pause before the first retry (the second waits twice as long).
const RETRY_PAUSE: Duration = Duration::from_millis(200);

/// Why a fetch failed.
enum Failure {
    /// The key server failed for a moment: worth another try, not remembered.
    Transient(JwtError),
    /// The key server's answer, or a timeout: remembered for the failure TTL.
    Final(JwtError),
}

/// More failures than a rate-limited fetcher can make in a failure TTL (5/s × 30 s).
const FAILURE_CAPACITY: u64 = 1024;

/// How hard [`HttpInstallKeys`] may lean on the key server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchPolicy {
    /// How long a failed fetch of a `kid` is answered from memory.
    pub failure_ttl: Duration,
    /// The most fetches started in one second, all `kid`s together.
    pub max_fetches_per_second: u32,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        Self {
            failure_ttl: Duration::from_secs(30),
            max_fetches_per_second: 5,
        }
    }
}

/// [`InstallKeys`] that fetches `GET {base_url}/{kid}`, caches successful answers, remembers
/// failures for a while and rate limits its fetches ([`FetchPolicy`]).
pub struct HttpInstallKeys {
    base_url: String,
    client: Option<reqwest::Client>,
    policy: FetchPolicy,
    /// Good keys by `kid`.
    keys: Cache<String, String>,
    /// Failed fetches by `kid`, each for the failure TTL.
    failures: Cache<String, JwtError>,
    window: Mutex<FetchWindow>,
}

/// The fetches started in the current one-second window.
struct FetchWindow {
    started: Instant,
    fetches: u32,
}

/// What the cache says about a `kid` before any fetch.
enum Lookup {
    Known(Result<String, JwtError>),
    /// Not known and a fetch may start (it has been counted).
    Fetch,
}

impl HttpInstallKeys {
    /// A fetcher for the key server at `base_url` (e.g. [`DEFAULT_INSTALL_KEYS_URL`]); each
    /// fetch times out after 5 s and accepts at most 16 KiB of PEM.
    pub fn new(base_url: &str) -> Self {
        Self::with_policy(base_url, FetchPolicy::default())
    }

    /// [`HttpInstallKeys::new`] with another failure TTL and fetch rate (tests).
    pub fn with_policy(base_url: &str, policy: FetchPolicy) -> Self {
        let client = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .ok();
        HttpInstallKeys {
            base_url: base_url.trim_end_matches('/').to_owned(),
            client,
            policy,
            keys: Cache::builder()
                .max_capacity(CACHE_CAPACITY)
                .eviction_policy(EvictionPolicy::lru())
                .build(),
            failures: Cache::builder()
                .max_capacity(FAILURE_CAPACITY)
                .eviction_policy(EvictionPolicy::lru())
                .time_to_live(policy.failure_ttl)
                .build(),
            window: Mutex::new(FetchWindow {
                started: Instant::now(),
                fetches: 0,
            }),
        }
    }

    fn window(&self) -> MutexGuard<'_, FetchWindow> {
        self.window
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A cached key, a remembered failure, a refusal over the rate limit, or leave to fetch.
    fn lookup(&self, kid: &str) -> Lookup {
        if let Some(pem) = self.keys.get(kid) {
            return Lookup::Known(Ok(pem));
        }
        if let Some(error) = self.failures.get(kid) {
            return Lookup::Known(Err(error));
        }
        let now = Instant::now();
        let mut window = self.window();
        if now.duration_since(window.started) >= Duration::from_secs(1) {
            window.started = now;
            window.fetches = 0;
        }
        if window.fetches >= self.policy.max_fetches_per_second {
            return Lookup::Known(Err(JwtError::KeyUnavailable(
                "too many install-key fetches; try the install again in a moment".into(),
            )));
        }
        window.fetches += 1;
        Lookup::Fetch
    }

    fn remember_failure(&self, kid: &str, error: &JwtError) {
        self.failures.insert(kid.to_owned(), error.clone());
    }

    fn remember(&self, kid: &str, pem: &str) {
        self.keys.insert(kid.to_owned(), pem.to_owned());
        // Apply the bound now rather than at moka's next housekeeping.
        self.keys.run_pending_tasks();
    }

    /// Fetches `kid`, trying again after a moment when the key server fails for one (a reset,
    /// a refused connection, 429 or 5xx; not a timeout, which already took
    /// [`FETCH_TIMEOUT`]).
    async fn fetch(&self, kid: &str) -> Result<String, Failure> {
        let mut retry = 0;
        loop {
            match self.fetch_once(kid).await {
                Err(Failure::Transient(_)) if retry < FETCH_RETRIES => {
                    retry += 1;
                    tokio::time::sleep(RETRY_PAUSE * retry).await;
                }
                answer => return answer,
            }
        }
    }

    async fn fetch_once(&self, kid: &str) -> Result<String, Failure> {
        let client = self.client.as_ref().ok_or_else(|| {
            Failure::Final(JwtError::KeyUnavailable(
                "HTTP client could not be built".into(),
            ))
        })?;
        let url = format!("{}/{kid}", self.base_url);
        let unreachable = |e: reqwest::Error| {
            let error = JwtError::KeyUnavailable("key server unreachable".into());
            if e.is_timeout() {
                Failure::Final(error)
            } else {
                Failure::Transient(error)
            }
        };
        let final_error = |what: &str| Failure::Final(JwtError::KeyUnavailable(what.into()));
        let mut response = client.get(url).send().await.map_err(unreachable)?;
        let status = response.status();
        if !status.is_success() {
            let error =
                JwtError::KeyUnavailable(format!("key server answered {}", status.as_u16()));
            return Err(if status.is_server_error() || status.as_u16() == 429 {
                Failure::Transient(error)
            } else {
                Failure::Final(error)
            });
        }
        if response
            .content_length()
            .is_some_and(|len| len > MAX_KEY_BYTES as u64)
        {
            return Err(final_error("key too large"));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
            if body.len() + chunk.len() > MAX_KEY_BYTES {
                return Err(final_error("key too large"));
            }
            body.extend_from_slice(&chunk);
        }
        let pem = String::from_utf8(body).map_err(|_| final_error("key is not text"))?;
        rsa_public_key(&pem).map_err(Failure::Final)?;
        Ok(pem)
    }
}

#[async_trait::async_trait]
impl InstallKeys for HttpInstallKeys {
    async fn public_key_pem(&self, kid: &str) -> Result<String, JwtError> {
        if !is_valid_kid(kid) {
            return Err(JwtError::InvalidKeyId);
        }
        if let Lookup::Known(answer) = self.lookup(kid) {
            return answer;
        }
        match self.fetch(kid).await {
            Ok(pem) => {
                self.remember(kid, &pem);
                Ok(pem)
            }
            Err(Failure::Final(error)) => {
                self.remember_failure(kid, &error);
                Err(error)
            }
            // Not remembered: Atlassian's next delivery of the install asks again.
            Err(Failure::Transient(error)) => Err(error),
        }
    }
}

impl std::fmt::Debug for HttpInstallKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpInstallKeys")
            .field("base_url", &self.base_url)
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}
