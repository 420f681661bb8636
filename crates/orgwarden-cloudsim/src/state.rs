//! The simulator's shared state: the organization behind one `RwLock`, keys, installations,
//! limits, counters and the install signer. Persisted as one JSON file when `--state` is given.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Utc};
use parking_lot::RwLock;
use serde::{Deserialize, Serialize};

use crate::automation::receiver::Receiver;
use crate::config::{ApiKey, SimConfig};
use crate::install_signer::InstallSigner;
use crate::limits::{FaultSettings, Limits};
use crate::org::Org;
use crate::stats::Stats;

/// The app license as Jira reports it (`/rest/atlassian-connect/1/addons/{appKey}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct License {
    /// Active subscription or evaluation.
    pub active: bool,
    /// `COMMERCIAL`, `COMMUNITY`, `ACADEMIC`, `DEVELOPER`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Evaluation license.
    pub evaluation: bool,
}

impl Default for License {
    fn default() -> Self {
        License {
            active: true,
            kind: "COMMERCIAL".into(),
            evaluation: false,
        }
    }
}

/// One Connect installation of an app on a site's Jira.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Installation {
    /// App key (descriptor `key`).
    pub app_key: String,
    /// Site cloud id.
    pub site_id: String,
    /// Site name.
    pub site_name: String,
    /// The site's `clientKey`.
    pub client_key: String,
    /// Shared secret of the current install (fresh each install).
    pub shared_secret: String,
    /// App `baseUrl` from the descriptor.
    pub app_base_url: String,
    /// The descriptor as fetched.
    pub descriptor: serde_json::Value,
    /// Installed (false after uninstall).
    pub installed: bool,
    /// Licence; `None` = unlicensed (`lic=none`).
    pub license: Option<License>,
    /// Time of the last install.
    pub installed_at: DateTime<Utc>,
}

/// What `--state FILE` stores.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Persisted {
    /// The organization.
    pub org: Org,
    /// API keys.
    pub api_keys: Vec<ApiKey>,
    /// Connect installations.
    #[serde(default)]
    pub installations: Vec<Installation>,
}

/// Shared simulator state.
pub struct Sim {
    /// Start configuration.
    pub config: SimConfig,
    /// The organization.
    pub org: RwLock<Org>,
    /// Valid API keys.
    pub api_keys: RwLock<Vec<ApiKey>>,
    /// Connect installations.
    pub installations: RwLock<Vec<Installation>>,
    /// Latency, faults and rate limiting.
    pub limits: Limits,
    /// Counters.
    pub stats: Stats,
    /// Signs install callbacks.
    pub signer: InstallSigner,
    /// HTTP client for the lifecycle driver.
    pub http: reqwest::Client,
    /// Atlassian Automation incoming webhooks: tokens and what they received.
    pub automation: Receiver,
    dirty: AtomicBool,
}

impl Sim {
    /// Builds the state from a loaded or generated (and so indexed) organization.
    pub fn new(
        config: SimConfig,
        persisted: Persisted,
        signer: InstallSigner,
    ) -> anyhow::Result<Sim> {
        let settings = FaultSettings {
            latency_ms: config.latency_ms,
            rate_limit: config.rate_limit.filter(|r| *r > 0.0),
            burst: config.burst,
            fault_rate: config.fault_rate.clamp(0.0, 1.0),
            fail_next: Default::default(),
        };
        Ok(Sim {
            config,
            org: RwLock::new(persisted.org),
            api_keys: RwLock::new(persisted.api_keys),
            installations: RwLock::new(persisted.installations),
            limits: Limits::new(settings),
            stats: Stats::default(),
            signer,
            http: reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(30))
                .build()?,
            automation: Receiver::default(),
            dirty: AtomicBool::new(false),
        })
    }

    /// The installation of `app_key` on the site named `site` (installed or not).
    pub(crate) fn installation(&self, site: &str, app_key: &str) -> Option<Installation> {
        self.installations
            .read()
            .iter()
            .find(|i| i.site_name.eq_ignore_ascii_case(site) && i.app_key == app_key)
            .cloned()
    }

    /// Marks the state changed (saved by the next flush).
    pub fn touch(&self) {
        self.dirty.store(true, Ordering::Relaxed);
    }

    /// The key record if `key` is known (valid or not).
    pub fn api_key(&self, key: &str) -> Option<ApiKey> {
        self.api_keys.read().iter().find(|k| k.key == key).cloned()
    }

    /// Writes the state file if something changed since the last write.
    pub fn flush(&self) -> anyhow::Result<()> {
        let Some(path) = &self.config.state_file else {
            return Ok(());
        };
        if !self.dirty.swap(false, Ordering::Relaxed) {
            return Ok(());
        }
        let bytes = {
            let org = self.org.read();
            let keys = self.api_keys.read();
            let installs = self.installations.read();
            serde_json::to_vec(&PersistedRef {
                org: &org,
                api_keys: &keys,
                installations: &installs,
            })?
        };
        write_atomic(path, &bytes)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PersistedRef<'a> {
    org: &'a Org,
    api_keys: &'a [ApiKey],
    installations: &'a [Installation],
}

/// Writes bytes atomically (temp file + rename).
fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Reads a state file.
pub fn load(path: &Path) -> anyhow::Result<Persisted> {
    let bytes = std::fs::read(path)?;
    let mut persisted: Persisted = serde_json::from_slice(&bytes)?;
    persisted.org.reindex();
    Ok(persisted)
}
