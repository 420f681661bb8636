//! A PostgreSQL server of the test's own (as `scripts/with-postgres.sh` makes one), so that the
//! test may stop and start it without disturbing the server other tests share.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A throwaway PostgreSQL cluster on a free port; stopped and deleted on drop.
pub struct OwnPostgres {
    bin: PathBuf,
    root: tempfile::TempDir,
    port: u16,
}

impl OwnPostgres {
    /// Creates the cluster (as the `postgres` user when run as root) and starts it.
    pub fn start() -> Self {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL is installed under /usr/lib/postgresql")
            .map(|e| e.unwrap().path().join("bin"))
            .max()
            .unwrap();
        let root = tempfile::Builder::new()
            .prefix("orgwarden-own-pg")
            .tempdir()
            .unwrap();
        let port = super::free_port();
        let pg = Self { bin, root, port };
        if is_root() {
            let chown = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(pg.root.path())
                .status()
                .unwrap();
            assert!(chown.success());
        }
        pg.run(
            "initdb",
            &[
                "-D",
                &pg.data(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-locale",
                "-N",
            ],
        );
        pg.start_server();
        pg
    }

    /// The server's URL of database `postgres`.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server (fast shutdown: every connection is closed).
    pub fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    /// Starts the (stopped) server again on the same data folder and port.
    pub fn start_server(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100",
            self.port,
            self.root.path().display()
        );
        let log = self.root.path().join("server.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log.display().to_string(),
                "-w",
                "-t",
                "30",
                "-o",
                &options,
                "start",
            ],
        );
    }

    /// The rows `sql` returns, one a line, fields separated by `|` (`psql -At`).
    pub fn query(&self, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args(["-At", "-d", &self.url(), "-c", sql])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn data(&self) -> String {
        self.root.path().join("data").display().to_string()
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let status = as_postgres(&self.bin.join(tool), args).status().unwrap();
        assert!(status.success(), "{tool} {args:?} failed");
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = as_postgres(
            &self.bin.join("pg_ctl"),
            &["-D", &self.data(), "-m", "immediate", "stop"],
        )
        .output();
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// `tool args…`, through `runuser -u postgres` when run as root (PostgreSQL refuses root).
fn as_postgres(tool: &Path, args: &[&str]) -> Command {
    let mut command = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(tool);
        c
    } else {
        Command::new(tool)
    };
    command.args(args);
    command
}
