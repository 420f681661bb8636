//! cloudsim as a child process, and a tenant connected to it in a fresh database.

use orgwarden_ids::{OrgId, TenantId};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context};
use chrono::Utc;
use clap::Args;
use orgwarden_jobs::{request_sync, run_sync, LicenseSettings, SyncContext, SyncKind};
use orgwarden_store::org_connections::{self, NewOrgConnection};
use orgwarden_store::sync_runs::{SyncRun, SyncRunState};
use orgwarden_store::tenants::{self, Installation};
use orgwarden_store::{Cipher, Database};

/// The tenant the benchmarks use.
pub const TENANT: &str = "bench-tenant";

/// [`TENANT`] as an id.
pub fn tenant() -> TenantId {
    TenantId::from(TENANT)
}
/// The API key cloudsim knows.
pub const API_KEY: &str = "bench-api-key";

/// The Admin API's pace in cloudsim, which orgwarden also paces itself to.
#[derive(Args)]
pub struct AdminApiArgs {
    /// Latency cloudsim adds to every request.
    #[arg(long, default_value_t = 50)]
    pub latency_ms: u64,
    /// cloudsim's rate limit (requests/s per key), which orgwarden also paces itself to.
    #[arg(long, default_value_t = 50.0)]
    pub rate_limit: f64,
}

impl AdminApiArgs {
    /// cloudsim's flags for them (with a burst of 10).
    pub fn sim_flags(&self) -> Vec<String> {
        [
            "--latency-ms".to_owned(),
            self.latency_ms.to_string(),
            "--rate-limit".to_owned(),
            self.rate_limit.to_string(),
            "--burst".to_owned(),
            "10".to_owned(),
        ]
        .into()
    }
}

/// A running cloudsim, killed on drop.
pub struct Sim {
    child: Child,
    /// Its base URL.
    pub url: String,
}

impl Sim {
    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the `cloudsim` built beside this executable (in `$CARGO_TARGET_DIR/release` or
/// `target/release`) with these extra flags and waits until it answers.
pub async fn start_sim(flags: &[String]) -> anyhow::Result<Sim> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let exe = std::env::current_exe()?.with_file_name("cloudsim");
    let child = Command::new(&exe)
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--api-key",
            &format!("{API_KEY}:2099-12-31"),
        ])
        .args(flags)
        .stdout(Stdio::null())
        .spawn()
        .with_context(|| {
            format!(
                "cannot start {} (build it: cargo build --release -p orgwarden-cloudsim)",
                exe.display()
            )
        })?;
    let sim = Sim {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    if answers(&format!("{}/__sim/stats", sim.url)).await {
        return Ok(sim);
    }
    bail!("cloudsim did not start")
}

/// Waits up to a minute until `GET url` succeeds; false if it never did.
pub async fn answers(url: &str) -> bool {
    for _ in 0..600 {
        if reqwest::get(url)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

/// The account id of an active org admin of cloudsim's organization (`GET /__sim/org`).
pub fn org_admin(org: &serde_json::Value) -> anyhow::Result<String> {
    org["users"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| {
            u["status"] == "active"
                && u["platformRoles"]
                    .as_array()
                    .is_some_and(|r| r.iter().any(|r| r == "atlassian/org-admin"))
        })
        .and_then(|u| u["accountId"].as_str())
        .map(str::to_owned)
        .context("cloudsim has an active org admin")
}

/// A tenant with the sim's API key in `db` (installed or refreshed), and the sync context for it.
pub async fn connect(db: &Database, sim: &Sim, rate: f64) -> anyhow::Result<SyncContext> {
    let orgs: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/admin/v1/orgs", sim.url))
        .bearer_auth(API_KEY)
        .send()
        .await?
        .json()
        .await?;
    let org_id = orgs["data"][0]["id"]
        .as_str()
        .context("cloudsim lists its org")?
        .to_owned();
    let cipher = Cipher::from_base64(&Cipher::generate_master_key())?;
    let mut conn = db.get()?;
    let now = Utc::now().naive_utc();
    let install = Installation {
        client_key: TENANT.into(),
        app_key: "io.orgwarden.app".into(),
        base_url: format!("{}/jira/acme", sim.url),
        shared_secret: "bench".into(),
        ..Default::default()
    };
    tenants::install(&mut conn, &cipher, &install, now)?;
    let new = NewOrgConnection {
        tenant_id: &tenant(),
        org_id: &OrgId::from(&org_id),
        org_name: "Bench",
        api_key: API_KEY,
        expires_on: "2099-12-31",
        updated_by: "bench",
    };
    org_connections::save(&mut conn, &cipher, &new, now)?;
    Ok(SyncContext {
        db: db.clone(),
        cipher,
        http: reqwest::Client::new(),
        admin_api_url: sim.url.clone(),
        requests_per_second: rate,
        full_sync_every_days: orgwarden_jobs::FULL_SYNC_EVERY_DAYS,
        license: LicenseSettings {
            app_key: "io.orgwarden.app".into(),
            edition: orgwarden_license::Edition::Standard,
        },
        clients: Default::default(),
    })
}

/// Runs one full sync and returns the finished run.
pub async fn full_sync(ctx: &SyncContext) -> anyhow::Result<SyncRun> {
    let run = {
        let mut conn = ctx.db.get()?;
        request_sync(&mut conn, &tenant(), SyncKind::Manual, None, None)?.0
    };
    run_sync(ctx, run.id).await?;
    let mut conn = ctx.db.get()?;
    let run = orgwarden_store::sync_runs::find(&mut conn, run.id)?.context("run recorded")?;
    if run.state != SyncRunState::Succeeded {
        bail!("sync failed: {:?}", run.error);
    }
    Ok(run)
}

/// Peak resident memory of this process, in MiB (Linux `VmHWM`).
pub fn peak_rss_mib() -> f64 {
    status_mib("VmHWM:")
}

fn status_mib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// Resident memory of this process now, in MiB (Linux `VmRSS`).
pub fn rss_mib() -> f64 {
    status_mib("VmRSS:")
}

/// Resets the peak resident memory (`VmHWM`) to the current resident set, so that
/// [`peak_rss_mib`] afterwards measures one phase.
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Writes `target/bench/<name>.json`.
pub fn write_json(name: &str, value: &serde_json::Value) -> anyhow::Result<()> {
    std::fs::create_dir_all("target/bench")?;
    std::fs::write(
        format!("target/bench/{name}.json"),
        serde_json::to_string_pretty(value)?,
    )?;
    Ok(())
}
