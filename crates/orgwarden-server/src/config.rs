//! Configuration: every setting is an environment variable and a flag (the flag wins).

use std::net::SocketAddr;

use clap::Args;

/// Settings shared by `serve`, `worker` and `migrate`.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Listen address.
    #[arg(long, env = "ORGWARDEN_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Public base URL written into the descriptor (https in production).
    #[arg(
        long,
        env = "ORGWARDEN_BASE_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    pub base_url: String,
    /// `sqlite://PATH` or `postgres://…`.
    #[arg(
        long,
        env = "ORGWARDEN_DATABASE_URL",
        default_value = "sqlite://data/orgwarden.sqlite"
    )]
    pub database_url: String,
    /// Base64 of 32 random bytes; encrypts secrets at rest (`openssl rand -base64 32`).
    #[arg(long, env = "ORGWARDEN_MASTER_KEY", hide_env_values = true)]
    pub master_key: Option<String>,
    /// The descriptor's `key`.
    #[arg(long, env = "ORGWARDEN_APP_KEY", default_value = "io.orgwarden.app")]
    pub app_key: String,
    /// Where RS256 install keys are fetched (`/{kid}`).
    #[arg(
        long,
        env = "ORGWARDEN_INSTALL_KEYS_URL",
        default_value = "https://connect-install-keys.atlassian.com"
    )]
    pub install_keys_url: String,
    /// Admin API base URL.
    #[arg(
        long,
        env = "ORGWARDEN_ADMIN_API_URL",
        default_value = "https://api.atlassian.com"
    )]
    pub admin_api_url: String,
    /// Admin API requests per second per tenant (client-side pace; 429s are honoured too).
    #[arg(long, env = "ORGWARDEN_ADMIN_API_RATE", default_value_t = 50.0)]
    pub admin_api_rate: f64,
    /// The app's license edition: `standard` (×2), `advanced` (×5), `custom:N` or `fixed:N`.
    #[arg(long, env = "ORGWARDEN_LICENSE_EDITION", default_value = "standard")]
    pub license_edition: orgwarden_license::Edition,
    /// Days before an uninstalled tenant's data is purged (0 = at once).
    #[arg(long, env = "ORGWARDEN_UNINSTALL_RETENTION_DAYS", default_value_t = 30)]
    pub uninstall_retention_days: u32,
    /// Folder of the built SPA.
    #[arg(long, env = "ORGWARDEN_FRONTEND_DIR", default_value = "frontend/dist")]
    pub frontend_dir: String,
    /// Log filter (e.g. `info`, `orgwarden=debug`).
    #[arg(long, env = "ORGWARDEN_LOG", default_value = "info")]
    pub log: String,
    /// `text` or `json` (JSON lines).
    #[arg(long, env = "ORGWARDEN_LOG_FORMAT", default_value = "text")]
    pub log_format: String,
    /// Seconds a caller's organization roles (read from the Admin API) are trusted (0 = ask
    /// every time; at most 60).
    #[arg(long, env = "ORGWARDEN_ROLES_CACHE_SECS", default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(0..=60))]
    pub roles_cache_secs: u64,
    /// HTTP worker threads (0 = one per core).
    #[arg(long, env = "ORGWARDEN_HTTP_WORKERS", default_value_t = 0)]
    pub http_workers: usize,
}

impl Config {
    /// The base URL without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The path part of the base URL (`""` or `/prefix`), stripped from requests before hashing.
    pub fn base_path(&self) -> String {
        url::Url::parse(self.base_url())
            .map(|u| u.path().trim_end_matches('/').to_owned())
            .unwrap_or_default()
    }
}
