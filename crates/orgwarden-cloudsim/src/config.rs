//! Simulator configuration (what `cloudsim serve` flags map to).

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::generator::GenConfig;

/// An Admin API key and the last day it is valid (UTC, inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    /// The bearer token.
    pub key: String,
    /// Last valid day.
    pub expires_at: NaiveDate,
    /// Set for a key of another organization (by that organization's name): O1 lists that
    /// organization, W1 answers that it owns no workspace, and every other call answers 404 as
    /// for an organization the key cannot see. Lets tests try a key that is valid but belongs
    /// elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign_org: Option<String>,
}

impl ApiKey {
    /// Parses `KEY` or `KEY:YYYY-MM-DD`; without a date the key is valid for a year from `today`.
    pub fn parse(spec: &str, today: NaiveDate) -> Result<ApiKey, String> {
        let (key, date) = match spec.rsplit_once(':') {
            Some((k, d)) if NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok() => (k, Some(d)),
            _ => (spec, None),
        };
        if key.is_empty() {
            return Err(format!("empty API key in {spec:?}"));
        }
        let expires_at = match date {
            Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|e| e.to_string())?,
            None => today + chrono::Duration::days(365),
        };
        Ok(ApiKey {
            key: key.to_string(),
            expires_at,
            foreign_org: None,
        })
    }

    /// True when the key may be used on `today`.
    pub fn valid_on(&self, today: NaiveDate) -> bool {
        today <= self.expires_at
    }
}

/// Everything the simulator needs to start.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Listen address (`127.0.0.1:0` picks a free port).
    pub bind: String,
    /// Generator seed.
    pub seed: u64,
    /// Organization name (default `Acme`; the first site is its slug, e.g. `acme`).
    pub org_name: String,
    /// Number of accounts.
    pub users: usize,
    /// Number of sites.
    pub sites: usize,
    /// Number of custom groups.
    pub groups: usize,
    /// Average products per site.
    pub products_per_site: usize,
    /// Share of accounts never active.
    pub inactive_share: f64,
    /// Share of custom groups synced from an IdP.
    pub scim_group_share: f64,
    /// Added latency per API request.
    pub latency_ms: u64,
    /// Requests per second per API key (`None` = unlimited).
    pub rate_limit: Option<f64>,
    /// Token-bucket capacity (defaults to the rate, at least 1).
    pub burst: Option<u32>,
    /// Share of API requests answered 500/502/503 or reset.
    pub fault_rate: f64,
    /// API keys; empty = one generated key valid for a year.
    pub api_keys: Vec<ApiKey>,
    /// Persist the organization here (loaded at start if present).
    pub state_file: Option<PathBuf>,
    /// "Now" for generated dates; default: midnight UTC today.
    pub anchor: Option<DateTime<Utc>>,
    /// HTTP worker threads.
    pub workers: usize,
    /// The RSA key that signs install callbacks (`None`: a new one is generated at every start).
    pub install_key: Option<InstallKey>,
}

/// A given RSA key for signing install callbacks, published at `/install-keys/{kid}`: installs
/// then verify across restarts, and tests can sign installs of their own with it.
#[derive(Clone)]
pub struct InstallKey {
    /// Key id; `None`: `cloudsim-` and the first 16 hex digits of the public key's SHA-256.
    pub kid: Option<String>,
    /// The private key, PEM: PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`).
    pub private_pem: String,
}

impl std::fmt::Debug for InstallKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstallKey")
            .field("kid", &self.kid)
            .field("private_pem", &"[redacted]")
            .finish()
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            bind: "127.0.0.1:0".into(),
            seed: 42,
            org_name: "Acme".into(),
            users: 200,
            sites: 2,
            groups: 12,
            products_per_site: 3,
            inactive_share: 0.1,
            scim_group_share: 0.2,
            latency_ms: 0,
            rate_limit: None,
            burst: None,
            fault_rate: 0.0,
            api_keys: Vec::new(),
            state_file: None,
            anchor: None,
            workers: 2,
            install_key: None,
        }
    }
}

impl SimConfig {
    /// The generator's part of the configuration.
    pub fn gen_config(&self) -> GenConfig {
        GenConfig {
            seed: self.seed,
            org_name: self.org_name.clone(),
            users: self.users,
            sites: self.sites,
            groups: self.groups,
            products_per_site: self.products_per_site,
            inactive_share: self.inactive_share,
            scim_group_share: self.scim_group_share,
            anchor: self.anchor.unwrap_or_else(today_midnight),
        }
    }
}

/// Midnight UTC of the current day.
pub fn today_midnight() -> DateTime<Utc> {
    Utc::now()
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc())
        .unwrap_or_else(Utc::now)
}
