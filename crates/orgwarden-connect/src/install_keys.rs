//! Fetching Atlassian's install public keys over HTTP, cached by `kid`.
//!
//! Policy: a key id names one key forever (Atlassian rotates by issuing a new `kid`), so good
//! keys are cached without expiry; failures are never cached, so a retried install can succeed.
//! The cache is bounded, evicting the oldest entry first.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use crate::error::JwtError;
use crate::install::{is_valid_kid, rsa_public_key, InstallKeys};

/// Atlassian's documented install-key server.
pub const DEFAULT_INSTALL_KEYS_URL: &str = "https://connect-install-keys.atlassian.com";

const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
const MAX_KEY_BYTES: usize = 16 * 1024;
const CACHE_CAPACITY: usize = 64;

/// [`InstallKeys`] that fetches `GET {base_url}/{kid}` and caches successful answers.
pub struct HttpInstallKeys {
    base_url: String,
    client: Option<reqwest::Client>,
    cache: Mutex<KeyCache>,
}

#[derive(Default)]
struct KeyCache {
    keys: HashMap<String, String>,
    order: VecDeque<String>,
}

impl HttpInstallKeys {
    /// A fetcher for the key server at `base_url` (e.g. [`DEFAULT_INSTALL_KEYS_URL`]); each
    /// fetch times out after 5 s and accepts at most 16 KiB of PEM.
    pub fn new(base_url: &str) -> Self {
        let client = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .ok();
        HttpInstallKeys {
            base_url: base_url.trim_end_matches('/').to_owned(),
            client,
            cache: Mutex::new(KeyCache::default()),
        }
    }

    fn cached(&self, kid: &str) -> Option<String> {
        let cache = self
            .cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        cache.keys.get(kid).cloned()
    }

    fn remember(&self, kid: &str, pem: &str) {
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if cache.keys.contains_key(kid) {
            return;
        }
        while cache.keys.len() >= CACHE_CAPACITY {
            match cache.order.pop_front() {
                Some(oldest) => cache.keys.remove(&oldest),
                None => break,
            };
        }
        cache.keys.insert(kid.to_owned(), pem.to_owned());
        cache.order.push_back(kid.to_owned());
    }

    async fn fetch(&self, kid: &str) -> Result<String, JwtError> {
        let client = self
            .client
            .as_ref()
            .ok_or_else(|| JwtError::KeyUnavailable("HTTP client could not be built".into()))?;
        let url = format!("{}/{kid}", self.base_url);
        let unreachable = |_| JwtError::KeyUnavailable("key server unreachable".into());
        let mut response = client.get(url).send().await.map_err(unreachable)?;
        let status = response.status();
        if !status.is_success() {
            return Err(JwtError::KeyUnavailable(format!(
                "key server answered {}",
                status.as_u16()
            )));
        }
        if response
            .content_length()
            .is_some_and(|len| len > MAX_KEY_BYTES as u64)
        {
            return Err(JwtError::KeyUnavailable("key too large".into()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
            if body.len() + chunk.len() > MAX_KEY_BYTES {
                return Err(JwtError::KeyUnavailable("key too large".into()));
            }
            body.extend_from_slice(&chunk);
        }
        let pem = String::from_utf8(body)
            .map_err(|_| JwtError::KeyUnavailable("key is not text".into()))?;
        rsa_public_key(&pem)?;
        Ok(pem)
    }
}

#[async_trait::async_trait]
impl InstallKeys for HttpInstallKeys {
    async fn public_key_pem(&self, kid: &str) -> Result<String, JwtError> {
        if !is_valid_kid(kid) {
            return Err(JwtError::InvalidKeyId);
        }
        if let Some(pem) = self.cached(kid) {
            return Ok(pem);
        }
        let pem = self.fetch(kid).await?;
        self.remember(kid, &pem);
        Ok(pem)
    }
}

impl std::fmt::Debug for HttpInstallKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpInstallKeys")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}
