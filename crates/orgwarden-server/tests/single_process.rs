//! SQLite serves one process: a second `orgwarden worker` or `serve`, or an `orgwarden migrate`,
//! on the file a running server uses refuses to start and says why.

use std::process::Output;

use orgwarden_store::Backend;

use crate::common::TestApp;
use crate::processes_support::orgwarden;

fn refused(output: &Output) -> bool {
    let stderr = String::from_utf8_lossy(&output.stderr);
    !output.status.success()
        && stderr.contains("another orgwarden process already uses this SQLite database")
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
