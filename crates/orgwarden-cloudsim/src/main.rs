//! The `cloudsim` binary: `serve`, `install`, `uninstall`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use orgwarden_cloudsim::{serve, ApiKey, InstallKey, SimConfig};

/// A faithful Atlassian Cloud simulator (Admin API, Jira REST, Connect lifecycle, host page).
#[derive(Parser)]
#[command(name = "cloudsim", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate (or load) an organization and serve it.
    Serve(ServeArgs),
    /// Ask a running simulator to install an app through the signed lifecycle.
    Install(DriverArgs),
    /// Ask a running simulator to uninstall an app (disabled, then uninstalled).
    Uninstall(DriverArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// Listen address.
    #[arg(long, env = "CLOUDSIM_BIND", default_value = "127.0.0.1:8090")]
    bind: String,
    /// Generator seed (same seed ⇒ same organization).
    #[arg(long, env = "CLOUDSIM_SEED", default_value_t = 42)]
    seed: u64,
    /// Organization name; the first site is its slug (`acme`), others `acme-eng`, `acme-support`, …
    #[arg(long, env = "CLOUDSIM_ORG_NAME", default_value = "Acme")]
    org_name: String,
    /// Number of accounts.
    #[arg(long, env = "CLOUDSIM_USERS", default_value_t = 2000)]
    users: usize,
    /// Number of sites.
    #[arg(long, env = "CLOUDSIM_SITES", default_value_t = 3)]
    sites: usize,
    /// Number of custom groups (default access and admin groups come on top).
    #[arg(long, env = "CLOUDSIM_GROUPS", default_value_t = 40)]
    groups: usize,
    /// Average number of products per site (1–6).
    #[arg(long, env = "CLOUDSIM_PRODUCTS_PER_SITE", default_value_t = 3)]
    products_per_site: usize,
    /// Share of accounts never active on any product.
    #[arg(long, env = "CLOUDSIM_INACTIVE_SHARE", default_value_t = 0.15)]
    inactive_share: f64,
    /// Share of custom groups synced from an identity provider (read-only memberships).
    #[arg(long, env = "CLOUDSIM_SCIM_GROUP_SHARE", default_value_t = 0.2)]
    scim_group_share: f64,
    /// Latency added to every API request, in milliseconds.
    #[arg(long, env = "CLOUDSIM_LATENCY_MS", default_value_t = 0)]
    latency_ms: u64,
    /// Requests per second per API key (0 = unlimited).
    #[arg(long, env = "CLOUDSIM_RATE_LIMIT", default_value_t = 0.0)]
    rate_limit: f64,
    /// Token-bucket capacity (default: the rate).
    #[arg(long, env = "CLOUDSIM_BURST")]
    burst: Option<u32>,
    /// Share of API requests answered 500/502/503 or reset.
    #[arg(long, env = "CLOUDSIM_FAULT_RATE", default_value_t = 0.0)]
    fault_rate: f64,
    /// API key, optionally with its last valid day: KEY[:YYYY-MM-DD]. Repeatable.
    #[arg(long = "api-key", env = "CLOUDSIM_API_KEY", value_delimiter = ',')]
    api_keys: Vec<String>,
    /// Persist the organization (and keys, installations) in this JSON file.
    #[arg(long = "state", env = "CLOUDSIM_STATE")]
    state: Option<PathBuf>,
    /// HTTP worker threads.
    #[arg(long, env = "CLOUDSIM_WORKERS", default_value_t = 2)]
    workers: usize,
    /// RSA private key (PEM file) that signs install callbacks; default: a new one every start.
    #[arg(long, env = "CLOUDSIM_INSTALL_KEY")]
    install_key: Option<PathBuf>,
    /// Key id of `--install-key` (default: derived from the public key).
    #[arg(long, env = "CLOUDSIM_INSTALL_KID", requires = "install_key")]
    install_kid: Option<String>,
}

#[derive(Args)]
struct DriverArgs {
    /// Base URL of the running simulator.
    #[arg(long, env = "CLOUDSIM_URL", default_value = "http://127.0.0.1:8090")]
    sim: String,
    /// URL of the app's descriptor (atlassian-connect.json).
    #[arg(long)]
    app: String,
    /// Site name (default: the first site).
    #[arg(long)]
    site: Option<String>,
}

async fn drive(path: &str, args: DriverArgs) -> anyhow::Result<()> {
    let url = format!("{}/__sim/{path}", args.sim.trim_end_matches('/'));
    let res = reqwest::Client::new()
        .post(&url)
        .json(&serde_json::json!({"descriptorUrl": args.app, "site": args.site}))
        .send()
        .await
        .with_context(|| format!("cannot reach cloudsim at {}", args.sim))?;
    let status = res.status();
    let body: serde_json::Value = res.json().await.unwrap_or_default();
    println!("{}", serde_json::to_string_pretty(&body)?);
    anyhow::ensure!(status.is_success(), "{path} failed with HTTP {status}");
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CLOUDSIM_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    match Cli::parse().command {
        Command::Serve(a) => {
            let today = chrono::Utc::now().date_naive();
            let api_keys = a
                .api_keys
                .iter()
                .map(|s| ApiKey::parse(s, today).map_err(anyhow::Error::msg))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let install_key = match &a.install_key {
                Some(path) => Some(InstallKey {
                    kid: a.install_kid.clone(),
                    private_pem: std::fs::read_to_string(path)
                        .with_context(|| format!("cannot read {}", path.display()))?,
                }),
                None => None,
            };
            serve(SimConfig {
                bind: a.bind,
                seed: a.seed,
                org_name: a.org_name,
                users: a.users,
                sites: a.sites,
                groups: a.groups,
                products_per_site: a.products_per_site,
                inactive_share: a.inactive_share,
                scim_group_share: a.scim_group_share,
                latency_ms: a.latency_ms,
                rate_limit: (a.rate_limit > 0.0).then_some(a.rate_limit),
                burst: a.burst,
                fault_rate: a.fault_rate,
                api_keys,
                state_file: a.state,
                anchor: None,
                workers: a.workers,
                install_key,
            })
            .await
        }
        Command::Install(a) => drive("install", a).await,
        Command::Uninstall(a) => drive("uninstall", a).await,
    }
}
