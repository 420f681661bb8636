//! SQLite serves one process: a second `orgwarden worker` or `serve`, or an `orgwarden migrate`,
//! on the file a running server uses refuses to start and says why, naming the holder; an
//! `orgwarden sync` beside a process that runs no jobs refuses instead of handing it the sync.

use std::process::Output;

use orgwarden_store::Backend;

use crate::common::TestApp;
use crate::processes_support::orgwarden;

fn refused(output: &Output) -> bool {
    let stderr = String::from_utf8_lossy(&output.stderr);
    !output.status.success()
        && stderr.contains("`orgwarden serve` or `worker`, pid")
        && stderr.contains("already uses this SQLite database")
}

#[actix_web::test]
async fn a_second_process_on_the_same_sqlite_file_refuses_to_start() {
    let app = TestApp::start(Backend::Sqlite).await;
    for subcommand in ["worker", "serve", "migrate"] {
        let output = orgwarden(subcommand, &app.config)
            .env("ORGWARDEN_BIND", "127.0.0.1:0")
            .output()
            .unwrap();
        assert!(
            refused(&output),
            "{subcommand}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[actix_web::test]
async fn a_sync_beside_a_process_that_runs_no_jobs_is_refused() {
    let app = TestApp::start(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = app.config.clone();
    config.database_url = format!("sqlite://{}/ow.sqlite?mode=rwc", dir.path().display());
    // A migration holds the file: nothing there would run a sync put on the queue.
    let _migrating = orgwarden_server::lock_sqlite(&config.database_url, "migrate")
        .unwrap()
        .expect("a file database is locked");
    let output = orgwarden("sync", &config).arg("--plain").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("`orgwarden migrate`, pid") && stderr.contains("runs no syncs"),
        "{stderr}"
    );
}
