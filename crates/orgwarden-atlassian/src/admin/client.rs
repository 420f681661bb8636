//! The client itself: authentication, pacing, retries and decoding around every request.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE,
};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::config::AdminClientConfig;
use super::errors::{classify, AdminError};
use super::key::ApiKey;
use super::limiter::Limiter;
use super::retry::{backoff, rate_limit_wait, Failure};

/// A client of one tenant's Organization (Admin) REST API.
///
/// Cheap to clone; clones share the token bucket, the retry budget settings and the counters,
/// so keep one per tenant. `Debug` never shows the key.
#[derive(Clone)]
pub struct AdminClient {
    inner: Arc<Inner>,
    /// Requests only use the rate the foreground handles leave unused (see [`Self::background`]).
    background: bool,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    timeout: Duration,
    max_retries: u32,
    key: ApiKey,
    /// `Bearer …`, marked sensitive; `None` when the key cannot be a header value.
    auth: Option<HeaderValue>,
    limiter: Limiter,
    counters: Counters,
}

#[derive(Default)]
struct Counters {
    requests: AtomicU64,
    retries: AtomicU64,
    rate_limited: AtomicU64,
    server_errors: AtomicU64,
    transport_errors: AtomicU64,
}

/// What a client (and all its clones) has done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// HTTP requests sent, retries included.
    pub requests_sent: u64,
    /// Attempts that were repeats of a failed one.
    pub retries: u64,
    /// 429 answers seen.
    pub rate_limited: u64,
    /// 5xx answers seen.
    pub server_errors: u64,
    /// Timeouts, connection failures and resets seen.
    pub transport_errors: u64,
}

impl AdminClient {
    /// A client for one tenant. `http` may be shared by all tenants (its pool is reused).
    pub fn new(http: reqwest::Client, config: AdminClientConfig, key: ApiKey) -> Self {
        let auth = HeaderValue::from_str(&format!("Bearer {}", key.expose()))
            .ok()
            .map(|mut v| {
                v.set_sensitive(true);
                v
            });
        let inner = Inner {
            http,
            base_url: config.base_url.trim_end_matches('/').to_owned(),
            timeout: config.timeout,
            max_retries: config.max_retries,
            key,
            auth,
            limiter: Limiter::new(config.requests_per_second, config.burst),
            counters: Counters::default(),
        };
        Self {
            inner: Arc::new(inner),
            background: false,
        }
    }

    /// A handle (sharing this client's bucket) whose requests wait until the bucket has a slot
    /// no foreground request has reserved: work whose order does not matter fills the rate that
    /// sequential cursor paging leaves unused, without slowing it down.
    pub fn background(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            background: true,
        }
    }

    /// Whether `other` is this client or one of its clones (they pace requests together).
    pub fn shares_bucket_with(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Counters shared by this client and its clones.
    pub fn stats(&self) -> ClientStats {
        let c = &self.inner.counters;
        ClientStats {
            requests_sent: c.requests.load(Ordering::Relaxed),
            retries: c.retries.load(Ordering::Relaxed),
            rate_limited: c.rate_limited.load(Ordering::Relaxed),
            server_errors: c.server_errors.load(Ordering::Relaxed),
            transport_errors: c.transport_errors.load(Ordering::Relaxed),
        }
    }

    /// GET `path_and_query` and decode the JSON answer.
    pub(crate) async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, AdminError> {
        let bytes = self.execute(Method::GET, path, None).await?;
        self.decode(&bytes)
    }

    /// POST a JSON body and decode the JSON answer.
    pub(crate) async fn post_json<B, T>(&self, path: &str, body: &B) -> Result<T, AdminError>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let body = encode(body)?;
        let bytes = self.execute(Method::POST, path, Some(body)).await?;
        self.decode(&bytes)
    }

    /// A mutation whose answer body (if any) is ignored; any 2xx is success.
    pub(crate) async fn send<B>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<(), AdminError>
    where
        B: Serialize + ?Sized,
    {
        let body = body.map(encode).transpose()?;
        // Bodyless POSTs still send `Content-Length: 0`, which gateways expect.
        let body = body.or_else(|| (method == Method::POST).then(Vec::new));
        self.execute(method, path, body).await.map(drop)
    }

    /// Decodes a body with plain serde (tracking the path costs on every field of a large
    /// sync); only a body that does not decode is decoded again to name where it failed.
    fn decode<T: DeserializeOwned>(&self, bytes: &[u8]) -> Result<T, AdminError> {
        if let Ok(value) = T::deserialize(&mut serde_json::Deserializer::from_slice(bytes)) {
            return Ok(value);
        }
        let mut de = serde_json::Deserializer::from_slice(bytes);
        serde_path_to_error::deserialize(&mut de).map_err(|e| AdminError::Decode {
            path: e.path().to_string(),
            message: self.inner.key.scrub(&e.inner().to_string()),
        })
    }

    /// Sends one logical request: waits for the bucket, retries what may be retried.
    async fn execute(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
    ) -> Result<Vec<u8>, AdminError> {
        let inner = &self.inner;
        let Some(auth) = inner.auth.clone() else {
            return Err(AdminError::InvalidKey);
        };
        let url = format!("{}{}", inner.base_url, path);
        let mut retry = 0;
        loop {
            if self.background {
                inner.limiter.acquire_idle().await;
            } else {
                inner.limiter.acquire().await;
            }
            inner.counters.requests.fetch_add(1, Ordering::Relaxed);
            let mut request = inner
                .http
                .request(method.clone(), &url)
                .timeout(inner.timeout)
                .header(AUTHORIZATION, auth.clone())
                .header(ACCEPT, "application/json");
            match &body {
                Some(body) if body.is_empty() => request = request.header(CONTENT_LENGTH, "0"),
                Some(body) => {
                    request = request
                        .header(CONTENT_TYPE, "application/json")
                        .body(body.clone())
                }
                None => {}
            }
            let answer = attempt(request).await;
            crate::metrics::request(path, answer.as_ref().ok().map(|(status, _, _)| *status));
            let failure = match answer {
                Ok((status, _, bytes)) if (200..300).contains(&status) => return Ok(bytes),
                Ok((429, headers, _)) => {
                    inner.counters.rate_limited.fetch_add(1, Ordering::Relaxed);
                    // A reset already past (minute precision, or our clock ahead) backs off.
                    let wait = rate_limit_wait(&headers, chrono::Utc::now())
                        .filter(|w| !w.is_zero())
                        .unwrap_or_else(|| backoff(retry + 1));
                    // Every request of this client waits, not only this one.
                    inner.limiter.pause_for(wait);
                    Failure::RateLimited(wait)
                }
                Ok((status, _, _)) if status >= 500 => {
                    inner.counters.server_errors.fetch_add(1, Ordering::Relaxed);
                    Failure::Server(status)
                }
                Ok((status, _, bytes)) => return Err(classify(status, &bytes, &inner.key)),
                Err(what) => {
                    inner
                        .counters
                        .transport_errors
                        .fetch_add(1, Ordering::Relaxed);
                    Failure::Transport(what)
                }
            };
            if retry >= inner.max_retries {
                tracing::warn!(%method, path, retries = retry, "Admin API request failed for good");
                return Err(failure.into_error());
            }
            retry += 1;
            inner.counters.retries.fetch_add(1, Ordering::Relaxed);
            crate::metrics::retry(path, failure.reason());
            match failure {
                Failure::RateLimited(wait) => {
                    tracing::debug!(%method, path, ?wait, retry, "Admin API rate limited; pausing the client");
                }
                Failure::Server(status) => {
                    tracing::debug!(%method, path, status, retry, "Admin API server error; backing off");
                    tokio::time::sleep(backoff(retry)).await;
                }
                Failure::Transport(ref what) => {
                    tracing::debug!(%method, path, what, retry, "Admin API unreachable; backing off");
                    tokio::time::sleep(backoff(retry)).await;
                }
            }
        }
    }
}

/// One HTTP exchange: status, headers and the whole body, or what went wrong in transport
/// (described without the URL's host details or any header).
async fn attempt(request: reqwest::RequestBuilder) -> Result<(u16, HeaderMap, Vec<u8>), String> {
    let response = request.send().await.map_err(|e| describe(&e))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.map_err(|e| describe(&e))?;
    Ok((status, headers, bytes.to_vec()))
}

fn describe(error: &reqwest::Error) -> String {
    let what = if error.is_timeout() {
        "the request timed out"
    } else if error.is_connect() {
        "the connection could not be established"
    } else if error.is_body() || error.is_decode() {
        "the connection broke while reading the answer"
    } else {
        "the connection was closed or reset"
    };
    match error.url().and_then(|u| u.host_str()) {
        Some(host) => format!("{what} ({host})"),
        None => what.to_owned(),
    }
}

fn encode<B: Serialize + ?Sized>(body: &B) -> Result<Vec<u8>, AdminError> {
    serde_json::to_vec(body).map_err(|e| AdminError::Decode {
        path: ".".to_owned(),
        message: e.to_string(),
    })
}

impl fmt::Debug for AdminClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AdminClient")
            .field("base_url", &self.inner.base_url)
            .field("key", &self.inner.key)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}
