//! The built `orgwarden` binary as child processes sharing a test app's database and cloudsim:
//! the command with the app's settings, and a set of children killed (their logs shown when the
//! test failed) however the test ends.
#![allow(dead_code)]

pub mod postgres;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use orgwarden_server::Config;
use serde_json::{json, Value};

use crate::operations_support::Stack;

/// False (and says so) when no PostgreSQL server is given: the multi-process tests need one
/// database that several processes share.
pub fn postgres_available() -> bool {
    let given = std::env::var("ORGWARDEN_TEST_POSTGRES_URL").is_ok();
    if !given {
        eprintln!(
            "skipped: ORGWARDEN_TEST_POSTGRES_URL is not set (run under scripts/with-postgres.sh)"
        );
    }
    given
}

/// A port free on 127.0.0.1 now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until the orgwarden process at `url` is ready (or panics after a minute).
pub async fn wait_ready(url: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !reqwest::get(format!("{url}/readyz"))
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(Instant::now() < deadline, "{url} did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// cloudsim's answer to `GET path`.
pub async fn sim_json(sim_url: &str, path: &str) -> Value {
    reqwest::get(format!("{sim_url}{path}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Starts an operation suspending `users` through the API; returns its id.
pub async fn suspend(stack: &Stack, users: &[String]) -> i64 {
    let created = stack
        .post(
            "/api/v1/operations",
            json!({"selection": {"accountIds": users}, "actions": [{"type": "suspend"}]}),
        )
        .await;
    assert_eq!(created.status(), 202, "{}", created.text().await.unwrap());
    created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// `orgwarden <subcommand>` with `config`'s database, master key and Atlassian endpoints.
pub fn orgwarden(subcommand: &str, config: &Config) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_orgwarden"));
    command
        .arg(subcommand)
        .env("ORGWARDEN_DATABASE_URL", &config.database_url)
        .env("ORGWARDEN_MASTER_KEY", config.master_key.clone().unwrap())
        .env("ORGWARDEN_INSTALL_KEYS_URL", &config.install_keys_url)
        .env("ORGWARDEN_ADMIN_API_URL", &config.admin_api_url)
        .env(
            "ORGWARDEN_ADMIN_API_RATE",
            config.admin_api_rate.to_string(),
        )
        .env("ORGWARDEN_LOG", "warn");
    command
}

/// One `orgwarden serve` started again and again (after a kill) on the same port, database and
/// master key, talking to the cloudsim at `sim_url`; start `n` logs to `dir/serve-<n>.log`.
pub struct Serve {
    database_url: String,
    dir: PathBuf,
    sim_url: String,
    port: u16,
    master_key: String,
}

impl Serve {
    /// A server over `database_url` on a free port with a new master key.
    pub fn new(database_url: &str, dir: &Path, sim_url: &str) -> Self {
        Self {
            database_url: database_url.to_owned(),
            dir: dir.to_owned(),
            sim_url: sim_url.to_owned(),
            port: free_port(),
            master_key: orgwarden_store::Cipher::generate_master_key(),
        }
    }

    /// Its base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts it (start number `n`) and waits until it is ready.
    pub async fn start(&self, n: u32) -> Child {
        let log = std::fs::File::create(self.dir.join(format!("serve-{n}.log"))).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_orgwarden"))
            .arg("serve")
            .env("ORGWARDEN_BIND", format!("127.0.0.1:{}", self.port))
            .env("ORGWARDEN_BASE_URL", self.url())
            .env("ORGWARDEN_DATABASE_URL", &self.database_url)
            .env("ORGWARDEN_MASTER_KEY", &self.master_key)
            .env(
                "ORGWARDEN_INSTALL_KEYS_URL",
                format!("{}/install-keys", self.sim_url),
            )
            .env("ORGWARDEN_ADMIN_API_URL", &self.sim_url)
            .env("ORGWARDEN_ADMIN_API_RATE", "250")
            .env("ORGWARDEN_FRONTEND_DIR", "/nonexistent")
            .env("ORGWARDEN_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("orgwarden serve starts");
        wait_ready(&self.url()).await;
        child
    }
}

/// Child processes, each logging to a file in the test's folder.
pub struct Children {
    children: Vec<Child>,
    logs: Vec<PathBuf>,
}

impl Children {
    /// `count` processes of `command()`, logging to `dir/<name>-<n>.log`.
    pub fn start(dir: &Path, name: &str, count: u32, command: impl Fn() -> Command) -> Self {
        let (mut children, mut logs) = (Vec::new(), Vec::new());
        for n in 0..count {
            let log = dir.join(format!("{name}-{n}.log"));
            let child = command()
                .stdout(Stdio::null())
                .stderr(std::fs::File::create(&log).unwrap())
                .spawn()
                .expect("orgwarden starts");
            children.push(child);
            logs.push(log);
        }
        Self { children, logs }
    }
}

impl Children {
    /// SIGKILLs the child with process id `pid`; false when none of them has it.
    pub fn kill(&mut self, pid: u32) -> bool {
        let Some(child) = self.children.iter_mut().find(|c| c.id() == pid) else {
            return false;
        };
        child.kill().unwrap();
        child.wait().unwrap();
        true
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
        if std::thread::panicking() {
            for log in &self.logs {
                let text = std::fs::read_to_string(log).unwrap_or_default();
                eprintln!("--- {}:\n{text}", log.display());
            }
        }
    }
}
