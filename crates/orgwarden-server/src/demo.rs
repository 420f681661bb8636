//! `orgwarden demo`: cloudsim with a generated organization, `serve` against it, the app
//! installed through the signed lifecycle, and one URL to open. Data lives under `data/`.

use std::net::TcpListener;
use std::os::unix::fs::DirBuilderExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context};
use clap::Args;
use orgwarden_store::Cipher;

use crate::{build_state, http_server, init_logging, Config};

/// Settings of `orgwarden demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Users in the generated organization.
    #[arg(long, default_value_t = 2000)]
    pub users: u32,
    /// Sites in the generated organization.
    #[arg(long, default_value_t = 3)]
    pub sites: u32,
    /// Generator seed (same seed, same organization).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Where the demo keeps its database, master key and simulator state.
    #[arg(long, default_value = "data")]
    pub data_dir: PathBuf,
    /// orgwarden's port.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// cloudsim's port.
    #[arg(long, default_value_t = 8090)]
    pub sim_port: u16,
    /// Name of the Jira site the app is installed on.
    #[arg(long, default_value = "acme")]
    pub site: String,
    /// The built SPA to serve.
    #[arg(long, env = "ORGWARDEN_FRONTEND_DIR", default_value = "frontend/dist")]
    pub frontend_dir: String,
    /// The database (default: an SQLite file in the data directory); a `postgres://…` URL runs
    /// the demo on PostgreSQL.
    #[arg(long)]
    pub database_url: Option<String>,
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the demo until Ctrl-C.
pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    // A folder made here is the owner's alone: the simulator's state file beside the keys holds
    // the installation's shared secret and the API key in clear.
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&args.data_dir)
        .with_context(|| format!("cannot create {}", args.data_dir.display()))?;
    let master_key_file = args.data_dir.join("master.key");
    read_or_create(&master_key_file, Cipher::generate_master_key)?;
    let api_key = read_or_create(&args.data_dir.join("demo-api-key"), || {
        format!(
            "ATCTT3xFfGN0{}",
            &Cipher::generate_master_key().replace(['+', '/', '='], "")[..32]
        )
    })?;
    let sim_url = format!("http://127.0.0.1:{}", args.sim_port);
    let base_url = format!("http://127.0.0.1:{}", args.port);
    let expires = (chrono::Utc::now() + chrono::Duration::days(365)).format("%Y-%m-%d");

    let cloudsim = sibling_binary("cloudsim")?;
    let _sim = KillOnDrop(
        Command::new(&cloudsim)
            .args(["serve", "--bind", &format!("127.0.0.1:{}", args.sim_port)])
            .args([
                "--users",
                &args.users.to_string(),
                "--sites",
                &args.sites.to_string(),
            ])
            .args(["--seed", &args.seed.to_string()])
            .args(["--api-key", &format!("{api_key}:{expires}")])
            .arg("--state")
            .arg(args.data_dir.join("cloudsim-state.json"))
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", cloudsim.display()))?,
    );

    let config = Config {
        bind: ([127, 0, 0, 1], args.port).into(),
        metrics_bind: None,
        base_url: base_url.clone(),
        database_url: args.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                args.data_dir.join("orgwarden.sqlite").display()
            )
        }),
        master_key: None,
        master_key_file: Some(master_key_file),
        app_key: "io.orgwarden.app".into(),
        install_keys_url: format!("{sim_url}/install-keys"),
        admin_api_url: sim_url.clone(),
        admin_api_rate: 50.0,
        full_sync_every_days: orgwarden_jobs::FULL_SYNC_EVERY_DAYS,
        license_edition: orgwarden_license::Edition::Standard,
        uninstall_retention_days: 30,
        retention_days: None,
        frontend_dir: args.frontend_dir.clone(),
        log: std::env::var("ORGWARDEN_LOG").unwrap_or_else(|_| "warn".into()),
        log_format: "text".into(),
        http_workers: 0,
        workers: true,
        tasks_tick_secs: 5,
        daily_sync_tick_secs: 300,
        roles_cache_secs: 60,
        webhooks_allow_private: true,
        clock: orgwarden_jobs::Clock::default(),
        // cloudsim's host page frames the app and serves its all.js.
        demo_host_origin: Some(sim_url.clone()),
    };
    init_logging(&config.log, &config.log_format);
    let state = build_state(config, true)?;
    let listener = TcpListener::bind(state.config.bind)
        .with_context(|| format!("port {} is busy (use --port)", args.port))?;
    let app_key = state.config.app_key.clone();

    actix_web::rt::System::new().block_on(async move {
        let server = http_server(state, listener)?;
        let handle = server.handle();
        actix_web::rt::spawn(server);
        let http = reqwest::Client::new();
        wait_until_up(&http, &format!("{sim_url}/__sim/stats")).await?;
        let install = http
            .post(format!("{sim_url}/__sim/install"))
            .json(&serde_json::json!({"descriptorUrl": format!("{base_url}/atlassian-connect.json"), "site": args.site}))
            .send()
            .await?;
        if !install.status().is_success() {
            bail!("installing into cloudsim failed: {}", install.text().await.unwrap_or_default());
        }
        println!("\norgwarden demo is running.\n");
        println!("  Open:     {sim_url}/jira/{}/plugins/servlet/ac/{app_key}/orgwarden-admin", args.site);
        println!("  API key:  {api_key}   (paste it in Settings → Organization API key; expires {expires})");
        println!("  Org:      {} users on {} sites, simulated by cloudsim at {sim_url}", args.users, args.sites);
        println!("\nCtrl-C stops both.");
        use std::io::Write as _;
        std::io::stdout().flush()?;
        let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result?,
            _ = terminate.recv() => {}
        }
        handle.stop(true).await;
        Ok(())
    })
}

/// Reads a secret file, or creates it with `make()`; either way it ends readable by its owner
/// only (mode 0600), also when an earlier release left it readable by others.
fn read_or_create(path: &Path, make: impl FnOnce() -> String) -> anyhow::Result<String> {
    use std::io::Write as _;
    use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};

    if let Ok(existing) = std::fs::read_to_string(path) {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .with_context(|| format!("cannot restrict {} to its owner", path.display()))?;
        return Ok(existing.trim().to_owned());
    }
    let value = make();
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut file| file.write_all(value.as_bytes()))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(value)
}

fn sibling_binary(name: &str) -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let sibling = exe.with_file_name(name);
    if sibling.exists() {
        return Ok(sibling);
    }
    bail!("{} not found next to orgwarden: build it with `cargo build -p orgwarden-cloudsim` (make run does)", name)
}

async fn wait_until_up(http: &reqwest::Client, url: &str) -> anyhow::Result<()> {
    for _ in 0..200 {
        if http
            .get(url)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("cloudsim did not come up at {url}")
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn secret_files_are_created_and_kept_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("master.key");
        assert_eq!(read_or_create(&fresh, || "new".into()).unwrap(), "new");
        assert_eq!(mode(&fresh), 0o600);
        assert_eq!(read_or_create(&fresh, || "other".into()).unwrap(), "new");

        // A key file left world-readable by an earlier release is fixed, its value kept.
        let old = dir.path().join("old.key");
        std::fs::write(&old, "kept\n").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(read_or_create(&old, || "other".into()).unwrap(), "kept");
        assert_eq!(mode(&old), 0o600);
    }
}
