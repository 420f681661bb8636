//! `orgwarden serve` as a child process, installed into cloudsim through its signed lifecycle,
//! driven through the HTTP API as an organization admin, and measured from `/proc`.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{ensure, Context};
use serde_json::{json, Value};

use crate::fixture::Sim;

/// A running `orgwarden serve`, killed on drop.
pub struct Server {
    child: Child,
    /// Its base URL.
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Starts the `orgwarden` built beside this executable on `database_url`, its Admin API
    /// cloudsim paced at `rate` requests/s, and waits until it is ready.
    pub async fn start(sim: &Sim, database_url: &str, rate: f64) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let url = format!("http://127.0.0.1:{port}");
        let exe = std::env::current_exe()?.with_file_name("orgwarden");
        // `ORGWARDEN_BENCH_LOG=info` shows the served process's log (its phases and times).
        let log = std::env::var("ORGWARDEN_BENCH_LOG").ok();
        let child = Command::new(&exe)
            .arg("serve")
            .env("ORGWARDEN_BIND", format!("127.0.0.1:{port}"))
            .env("ORGWARDEN_BASE_URL", &url)
            .env("ORGWARDEN_DATABASE_URL", database_url)
            .env(
                "ORGWARDEN_MASTER_KEY",
                orgwarden_store::Cipher::generate_master_key(),
            )
            .env(
                "ORGWARDEN_INSTALL_KEYS_URL",
                format!("{}/install-keys", sim.url),
            )
            .env("ORGWARDEN_ADMIN_API_URL", &sim.url)
            .env("ORGWARDEN_ADMIN_API_RATE", rate.to_string())
            .env("ORGWARDEN_DEMO_HOST_ORIGIN", &sim.url)
            // The re-sync scenario sets the daily sync hour to now and waits for the scheduler.
            .env("ORGWARDEN_DAILY_SYNC_TICK_SECS", "2")
            .env("ORGWARDEN_LOG", log.as_deref().unwrap_or("warn"))
            .stdout(if log.is_some() {
                Stdio::from(std::io::stderr())
            } else {
                Stdio::null()
            })
            .spawn()
            .with_context(|| {
                format!(
                    "cannot start {} (build it: cargo build --release -p orgwarden-server)",
                    exe.display()
                )
            })?;
        let server = Self { child, url };
        ensure!(
            crate::fixture::answers(&format!("{}/readyz", server.url)).await,
            "orgwarden serve did not become ready"
        );
        Ok(server)
    }

    /// Its process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Installs the app into cloudsim's first site through the signed lifecycle.
    pub async fn install(&self, sim: &Sim) -> anyhow::Result<()> {
        let answer = reqwest::Client::new()
            .post(format!("{}/__sim/install", sim.url))
            .json(&json!({"descriptorUrl": format!("{}/atlassian-connect.json", self.url)}))
            .send()
            .await?;
        ensure!(
            answer.status().is_success(),
            "cloudsim could not install the app: {}",
            answer.text().await?
        );
        Ok(())
    }
}

/// An organization admin of cloudsim calling orgwarden's API with fresh context tokens.
pub struct Admin<'a> {
    sim: &'a Sim,
    server: &'a Server,
    account_id: String,
    token: String,
    minted: Instant,
    http: reqwest::Client,
}

/// Tokens last 300 s; a new one is minted well before.
const TOKEN_REUSE: Duration = Duration::from_secs(120);

impl<'a> Admin<'a> {
    /// An active org admin of `org` (cloudsim's `/__sim/org`).
    pub async fn new(sim: &'a Sim, server: &'a Server, org: &Value) -> anyhow::Result<Self> {
        let account_id = crate::fixture::org_admin(org)?;
        let mut admin = Self {
            sim,
            server,
            account_id,
            token: String::new(),
            minted: Instant::now(),
            http: reqwest::Client::new(),
        };
        admin.mint().await?;
        Ok(admin)
    }

    async fn mint(&mut self) -> anyhow::Result<()> {
        let answer: Value = self
            .http
            .post(format!("{}/__sim/context-token", self.sim.url))
            .json(&json!({"accountId": self.account_id}))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        self.token = answer["token"]
            .as_str()
            .context("cloudsim mints a context token")?
            .to_owned();
        self.minted = Instant::now();
        Ok(())
    }

    /// Calls `method path` of orgwarden's API with `body`; returns the JSON answer.
    pub async fn call(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        if self.minted.elapsed() > TOKEN_REUSE {
            self.mint().await?;
        }
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.server.url))
            .header("Authorization", format!("JWT {}", self.token));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let answer = request.send().await?;
        let status = answer.status();
        let text = answer.text().await?;
        ensure!(status.is_success(), "{path} answered {status}: {text}");
        Ok(serde_json::from_str(&text)?)
    }
}
