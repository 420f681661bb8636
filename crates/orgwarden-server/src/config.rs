//! Configuration: every setting is an environment variable and a flag (the flag wins).

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;

/// Settings shared by `serve`, `worker` and `migrate`. `Debug` never shows the master key (nor a
/// database password).
#[derive(Clone, Args)]
pub struct Config {
    /// Listen address.
    #[arg(long, env = "ORGWARDEN_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Private listen address for `/metrics` (e.g. `127.0.0.1:9090`); when set, `/metrics` is
    /// served there only (404 on the main address).
    #[arg(long, env = "ORGWARDEN_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,
    /// Public base URL written into the descriptor (https in production).
    #[arg(
        long,
        env = "ORGWARDEN_BASE_URL",
        default_value = "http://127.0.0.1:8080",
        value_parser = web_url
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
    /// A file holding the master key (instead of ORGWARDEN_MASTER_KEY; set only one).
    #[arg(long, env = "ORGWARDEN_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,
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
    #[arg(long, env = "ORGWARDEN_ADMIN_API_RATE", default_value_t = 50.0, value_parser = positive_rate)]
    pub admin_api_rate: f64,
    /// Days between two full reconciliations of a tenant's mirror (1–90); the daily syncs
    /// between them read only what the organization's events name.
    #[arg(long, env = "ORGWARDEN_FULL_SYNC_EVERY_DAYS", default_value_t = orgwarden_jobs::FULL_SYNC_EVERY_DAYS,
        value_parser = clap::value_parser!(u32).range(1..=90))]
    pub full_sync_every_days: u32,
    /// The app's license edition: `standard` (×2), `advanced` (×5), `custom:N` or `fixed:N`.
    #[arg(long, env = "ORGWARDEN_LICENSE_EDITION", default_value = "standard")]
    pub license_edition: orgwarden_license::Edition,
    /// Days before an uninstalled tenant's data is purged (0 = at once).
    #[arg(long, env = "ORGWARDEN_UNINSTALL_RETENTION_DAYS", default_value_t = 30)]
    pub uninstall_retention_days: u32,
    /// Days of history kept (audit trail, operations, sync runs); default: the edition's
    /// retention (3 months Standard, 6 Advanced and above).
    #[arg(long, env = "ORGWARDEN_RETENTION_DAYS")]
    pub retention_days: Option<u32>,
    /// Folder of the built SPA.
    #[arg(long, env = "ORGWARDEN_FRONTEND_DIR", default_value = "frontend/dist")]
    pub frontend_dir: String,
    /// Log filter (e.g. `info`, `orgwarden=debug`).
    #[arg(long, env = "ORGWARDEN_LOG", default_value = "info", value_parser = log_filter)]
    pub log: String,
    /// `text` or `json` (JSON lines).
    #[arg(long, env = "ORGWARDEN_LOG_FORMAT", default_value = "text",
        value_parser = ["text", "json"])]
    pub log_format: String,
    /// Seconds a caller's organization roles (read from the Admin API) are trusted (0 = ask
    /// every time; at most 60).
    #[arg(long, env = "ORGWARDEN_ROLES_CACHE_SECS", default_value_t = 60,
        value_parser = clap::value_parser!(u64).range(0..=60))]
    pub roles_cache_secs: u64,
    /// HTTP worker threads (0 = one per core).
    #[arg(long, env = "ORGWARDEN_HTTP_WORKERS", default_value_t = 0)]
    pub http_workers: usize,
    /// `serve` only: run job workers, the scheduler and maintenance in this process too
    /// (`false`: HTTP only, with `orgwarden worker` processes sharing the PostgreSQL database).
    #[arg(long, env = "ORGWARDEN_WORKERS", default_value_t = true, action = clap::ArgAction::Set)]
    pub workers: bool,
    /// Seconds between two looks for due automated tasks (1–60): a run starts at most this late.
    #[arg(long, env = "ORGWARDEN_TASKS_TICK_SECS", default_value_t = 5,
        value_parser = clap::value_parser!(u64).range(1..=60))]
    pub tasks_tick_secs: u64,
    /// Seconds between two looks for tenants whose daily sync hour has come (1–3600).
    #[arg(long, env = "ORGWARDEN_DAILY_SYNC_TICK_SECS", default_value_t = 300,
        value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub daily_sync_tick_secs: u64,
    /// Demo and tests only: the origin of cloudsim's Jira-like host page (e.g.
    /// `http://127.0.0.1:8090`). It may frame the pages, and the SPA loads its `all.js` from there
    /// instead of Atlassian's CDN. `orgwarden demo` sets it; never set it in production.
    #[arg(long, env = "ORGWARDEN_DEMO_HOST_ORIGIN")]
    pub demo_host_origin: Option<String>,
    /// Let webhooks reach loopback, private and link-local addresses, and plain `http`
    /// (the demo and tests; never in production).
    #[arg(long, env = "ORGWARDEN_WEBHOOKS_ALLOW_PRIVATE")]
    pub webhooks_allow_private: bool,
    /// The time jobs and webhooks act on (tests move it by hand; never from the command line).
    #[arg(skip)]
    pub clock: orgwarden_jobs::Clock,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = |set: bool| if set { "[redacted]" } else { "None" };
        f.debug_struct("Config")
            .field("bind", &self.bind)
            .field("metrics_bind", &self.metrics_bind)
            .field("base_url", &self.base_url)
            .field("database_url", &redact_password(&self.database_url))
            .field("master_key", &redacted(self.master_key.is_some()))
            .field("master_key_file", &self.master_key_file)
            .field("app_key", &self.app_key)
            .field("install_keys_url", &self.install_keys_url)
            .field("admin_api_url", &self.admin_api_url)
            .field("admin_api_rate", &self.admin_api_rate)
            .field("full_sync_every_days", &self.full_sync_every_days)
            .field("license_edition", &self.license_edition)
            .field("uninstall_retention_days", &self.uninstall_retention_days)
            .field("retention_days", &self.retention_days)
            .field("frontend_dir", &self.frontend_dir)
            .field("log", &self.log)
            .field("log_format", &self.log_format)
            .field("http_workers", &self.http_workers)
            .field("workers", &self.workers)
            .field("tasks_tick_secs", &self.tasks_tick_secs)
            .field("daily_sync_tick_secs", &self.daily_sync_tick_secs)
            .field("demo_host_origin", &self.demo_host_origin)
            .field("webhooks_allow_private", &self.webhooks_allow_private)
            .field("clock", &self.clock)
            .finish()
    }
}

/// Parses `--base-url`: an `http` or `https` URL with a host (what the descriptor and the SPA are
/// built from), kept as given.
fn web_url(raw: &str) -> Result<String, String> {
    let url = url::Url::parse(raw).map_err(|e| format!("not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(
            "must be an http or https URL with a host, e.g. https://orgwarden.example.com".into(),
        );
    }
    Ok(raw.to_owned())
}

/// Requests per second: a finite number above 0 (0 or less would mean no pace at all).
fn positive_rate(raw: &str) -> Result<f64, String> {
    match raw.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(rate),
        _ => Err("must be a number of requests per second above 0, e.g. 50".into()),
    }
}

/// A tracing filter (`info`, `orgwarden=debug,actix_web=warn`, …).
fn log_filter(raw: &str) -> Result<String, String> {
    tracing_subscriber::EnvFilter::try_new(raw)
        .map(|_| raw.to_owned())
        .map_err(|e| format!("not a log filter ({e}), e.g. info or orgwarden=debug"))
}

/// A URL fit for logs: any password replaced by `[redacted]`; text that does not parse as a URL
/// is kept as it is.
fn redact_password(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("[redacted]"));
            url.to_string()
        }
        _ => raw.to_owned(),
    }
}

impl Config {
    /// The base URL without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    /// The master key, from `ORGWARDEN_MASTER_KEY` or from the file `ORGWARDEN_MASTER_KEY_FILE`
    /// names (surrounding whitespace trimmed). Refuses when both or neither are set.
    pub fn master_key(&self) -> anyhow::Result<String> {
        match (&self.master_key, &self.master_key_file) {
            (Some(_), Some(_)) => bail!(
                "both ORGWARDEN_MASTER_KEY (--master-key) and ORGWARDEN_MASTER_KEY_FILE \
                 (--master-key-file) are set: keep only one"
            ),
            (Some(key), None) => Ok(key.trim().to_owned()),
            (None, Some(path)) => {
                let key = std::fs::read_to_string(path).with_context(|| {
                    format!(
                        "cannot read the master key file {} (ORGWARDEN_MASTER_KEY_FILE)",
                        path.display()
                    )
                })?;
                let key = key.trim();
                if key.is_empty() {
                    bail!(
                        "the master key file {} (ORGWARDEN_MASTER_KEY_FILE) is empty",
                        path.display()
                    );
                }
                Ok(key.to_owned())
            }
            (None, None) => bail!(crate::app::MISSING_MASTER_KEY),
        }
    }

    /// The path part of the base URL (`""` or `/prefix`), stripped from requests before hashing.
    pub fn base_path(&self) -> String {
        url::Url::parse(self.base_url())
            .map(|u| u.path().trim_end_matches('/').to_owned())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        config: Config,
    }

    fn parse(args: &[&str]) -> Config {
        let mut argv = vec!["orgwarden"];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv).unwrap().config
    }

    const KEY: &str = "c2VjcmV0LW1hc3Rlci1rZXktb2YtMzItYnl0ZXMhISE=";

    #[test]
    fn settings_that_would_silently_misbehave_are_refused_at_start() {
        for args in [
            ["--base-url", "orgwarden.example.com"],
            ["--base-url", "ftp://orgwarden.example.com"],
            ["--admin-api-rate", "0"],
            ["--admin-api-rate", "NaN"],
            ["--admin-api-rate", "-5"],
            ["--log-format", "JSON"],
            ["--log", "orgwarden=loud"],
        ] {
            let mut argv = vec!["orgwarden"];
            argv.extend_from_slice(&args);
            assert!(Cli::try_parse_from(argv).is_err(), "{args:?}");
        }
        let fine = parse(&[
            "--base-url",
            "https://orgwarden.example.com/prefix",
            "--admin-api-rate",
            "12.5",
            "--log-format",
            "json",
            "--log",
            "info,orgwarden=debug",
        ]);
        assert_eq!(fine.base_path(), "/prefix");
    }

    #[test]
    fn debug_never_shows_the_master_key_or_a_database_password() {
        let config = parse(&[
            "--master-key",
            KEY,
            "--database-url",
            "postgres://orgwarden:pa55word@db/orgwarden",
        ]);
        let shown = format!("{config:?} {config:#?}");
        assert!(!shown.contains(KEY), "{shown}");
        assert!(!shown.contains("pa55word"), "{shown}");
        assert!(shown.contains("[redacted]"));
        assert!(shown.contains("bind"));
    }

    #[test]
    fn the_task_tick_defaults_to_five_seconds_within_one_to_sixty() {
        assert_eq!(parse(&[]).tasks_tick_secs, 5);
        assert_eq!(parse(&["--tasks-tick-secs", "1"]).tasks_tick_secs, 1);
        assert_eq!(parse(&[]).daily_sync_tick_secs, 300);
        assert_eq!(
            parse(&["--daily-sync-tick-secs", "2"]).daily_sync_tick_secs,
            2
        );
        for wrong in ["0", "61"] {
            assert!(Cli::try_parse_from(["orgwarden", "--tasks-tick-secs", wrong]).is_err());
        }
    }

    #[test]
    fn serve_runs_workers_unless_told_not_to() {
        assert!(parse(&[]).workers);
        assert!(!parse(&["--workers", "false"]).workers);
        assert!(parse(&["--workers", "true"]).workers);
        assert!(Cli::try_parse_from(["orgwarden", "--workers", "maybe"]).is_err());
    }

    #[test]
    fn the_master_key_comes_from_the_variable_or_the_file_never_both() {
        assert_eq!(parse(&["--master-key", KEY]).master_key().unwrap(), KEY);

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("master.key");
        std::fs::write(&file, format!("{KEY}\n")).unwrap();
        let path = file.to_str().unwrap();
        assert_eq!(
            parse(&["--master-key-file", path]).master_key().unwrap(),
            KEY
        );

        let both = parse(&["--master-key", KEY, "--master-key-file", path])
            .master_key()
            .unwrap_err()
            .to_string();
        assert!(both.contains("keep only one"), "{both}");
        assert!(!both.contains(KEY));

        let missing = dir.path().join("absent.key");
        let error = parse(&["--master-key-file", missing.to_str().unwrap()])
            .master_key()
            .unwrap_err();
        assert!(format!("{error:#}").contains("cannot read the master key file"));

        std::fs::write(&file, "  \n").unwrap();
        let empty = parse(&["--master-key-file", path])
            .master_key()
            .unwrap_err();
        assert!(empty.to_string().contains("is empty"));

        let neither = parse(&[]).master_key().unwrap_err().to_string();
        assert!(neither.contains("ORGWARDEN_MASTER_KEY_FILE"), "{neither}");
    }
}
