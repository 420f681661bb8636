//! The served path of the cluster scenario: an HTTP-only `orgwarden serve` and `orgwarden
//! worker` processes (the binaries beside this one) on one PostgreSQL database, tenants
//! installed into cloudsim through the signed lifecycle and their API keys saved through the
//! HTTP API as an administrator would, sync runs read back through the API.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context};
use serde_json::{json, Value};

use crate::fixture::answers;

/// A child process, killed on drop.
pub struct Process {
    /// What it is (`web`, `worker-1`…).
    pub name: String,
    child: Child,
}

impl Process {
    fn start(name: &str, mut command: Command, logs: &Path) -> anyhow::Result<Self> {
        let log = std::fs::File::create(logs.join(format!("{name}.log")))?;
        let child = command
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .with_context(|| format!("cannot start {name} (build it in release)"))?;
        Ok(Self {
            name: name.to_owned(),
            child,
        })
    }

    /// User + system CPU seconds it has used so far.
    pub fn cpu_seconds(&self) -> f64 {
        crate::procfs::cpu_seconds(self.child.id()).unwrap_or(0.0)
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The web process and the workers, sharing one database and cloudsim.
pub struct Cluster {
    /// The web process's base URL.
    pub url: String,
    /// The web process, then the workers.
    pub processes: Vec<Process>,
    env: Vec<(&'static str, String)>,
    logs: PathBuf,
}

impl Cluster {
    /// Starts the HTTP-only web process on `database_url` and waits until it is ready; the
    /// processes log to files in `logs`.
    pub async fn start(
        database_url: &str,
        sim_url: &str,
        rate: f64,
        logs: &Path,
    ) -> anyhow::Result<Self> {
        std::fs::create_dir_all(logs)?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let url = format!("http://127.0.0.1:{port}");
        let master_key = orgwarden_store::Cipher::generate_master_key();
        let env = vec![
            ("ORGWARDEN_DATABASE_URL", database_url.to_owned()),
            ("ORGWARDEN_MASTER_KEY", master_key),
            ("ORGWARDEN_BASE_URL", url.clone()),
            (
                "ORGWARDEN_INSTALL_KEYS_URL",
                format!("{sim_url}/install-keys"),
            ),
            ("ORGWARDEN_ADMIN_API_URL", sim_url.to_owned()),
            ("ORGWARDEN_ADMIN_API_RATE", rate.to_string()),
            ("ORGWARDEN_FRONTEND_DIR", "/nonexistent".to_owned()),
            ("ORGWARDEN_LOG", "warn".to_owned()),
        ];
        let mut cluster = Self {
            url,
            processes: Vec::new(),
            env,
            logs: logs.to_owned(),
        };
        let mut web = cluster.command("serve")?;
        web.env("ORGWARDEN_WORKERS", "false")
            .env("ORGWARDEN_BIND", format!("127.0.0.1:{port}"));
        cluster
            .processes
            .push(Process::start("web", web, &cluster.logs)?);
        if answers(&format!("{}/readyz", cluster.url)).await {
            return Ok(cluster);
        }
        bail!(
            "orgwarden serve did not start; see {}",
            cluster.logs.display()
        )
    }

    /// Starts `count` `orgwarden worker` processes.
    pub fn start_workers(&mut self, count: usize) -> anyhow::Result<()> {
        for n in 1..=count {
            let worker = self.command("worker")?;
            let process = Process::start(&format!("worker-{n}"), worker, &self.logs)?;
            self.processes.push(process);
        }
        Ok(())
    }

    fn command(&self, subcommand: &str) -> anyhow::Result<Command> {
        let mut command = Command::new(std::env::current_exe()?.with_file_name("orgwarden"));
        command.arg(subcommand).envs(self.env.iter().cloned());
        Ok(command)
    }
}

/// An installed tenant: its cloudsim site and the org admin who calls the API.
pub struct Tenant {
    /// The cloudsim site the app is installed on.
    pub site: String,
    admin: String,
}

impl Tenant {
    /// Installs the app at `app_url` on `site` (signed lifecycle) and saves `key` (valid until
    /// `expires`) through the API, which starts the tenant's first sync.
    pub async fn install(
        http: &reqwest::Client,
        (sim_url, app_url): (&str, &str),
        (site, admin): (&str, &str),
        (key, expires): (&str, &str),
    ) -> anyhow::Result<Self> {
        let installed = http
            .post(format!("{sim_url}/__sim/install"))
            .json(&json!({"descriptorUrl": format!("{app_url}/atlassian-connect.json"), "site": site}))
            .send()
            .await?;
        if !installed.status().is_success() {
            bail!("install on {site}: {}", installed.text().await?);
        }
        let tenant = Self {
            site: site.to_owned(),
            admin: admin.to_owned(),
        };
        let saved = http
            .put(format!("{app_url}/api/v1/settings/api-key"))
            .header("Authorization", tenant.authorization(http, sim_url).await?)
            .json(&json!({"key": key, "expiresAt": expires}))
            .send()
            .await?;
        if !saved.status().is_success() {
            bail!("saving the key of {site}: {}", saved.text().await?);
        }
        Ok(tenant)
    }

    /// The tenant's latest sync run (`GET /api/v1/sync`).
    pub async fn latest_sync(
        &self,
        http: &reqwest::Client,
        (sim_url, app_url): (&str, &str),
    ) -> anyhow::Result<Value> {
        let answer = http
            .get(format!("{app_url}/api/v1/sync"))
            .header("Authorization", self.authorization(http, sim_url).await?)
            .send()
            .await?;
        Ok(answer.error_for_status()?.json().await?)
    }

    /// A fresh context token of the admin, as `AP.context.getToken()` gives it.
    async fn authorization(&self, http: &reqwest::Client, sim_url: &str) -> anyhow::Result<String> {
        let answer: Value = http
            .post(format!("{sim_url}/__sim/context-token"))
            .json(&json!({"accountId": self.admin, "site": self.site}))
            .send()
            .await?
            .json()
            .await?;
        let token = answer["token"].as_str().context("cloudsim gives a token")?;
        Ok(format!("JWT {token}"))
    }
}
