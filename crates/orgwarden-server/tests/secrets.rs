//! Secrets stay secret: not in the database files, not in the logs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::common::*;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[actix_web::test]
async fn no_secret_in_database_files_and_no_token_in_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .init();

    let app = TestApp::start(orgwarden_store::Backend::Sqlite).await;
    // 64 random hex digits, sent by cloudsim in the signed `installed` callback.
    let tenant = app.install(SITES[0]).await;
    let (client_key, secret) = (tenant.client_key.as_str(), tenant.secret.as_str());
    let page = app.page_url(client_key, secret, "/admin", "lic=active&cp=");
    app.http.get(&page).send().await.unwrap();
    let token = app.context_token(client_key, secret, ADMIN);
    assert_eq!(app.api_get("/api/v1/me", Some(&token)).await.status(), 200);
    app.api_get(
        "/api/v1/me",
        Some(&app.context_token(client_key, "wrong", ADMIN)),
    )
    .await;
    app.api_get("/api/v1/me?jwt=eyJhbGciOiJIUzI1NiJ9.e30.x", None)
        .await;

    let folder = std::path::Path::new(app.db.url.trim_start_matches("sqlite://"))
        .parent()
        .unwrap()
        .to_owned();
    let mut scanned = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        scanned += bytes.len();
        assert!(
            !contains(&bytes, secret.as_bytes()),
            "shared secret found in a database file"
        );
    }
    assert!(scanned > 0);

    let logs = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("jwt=[redacted]"),
        "request logs are captured: {logs}"
    );
    assert!(!logs.contains("eyJ"), "a JWT reached the logs:\n{logs}");
    assert!(!logs.contains(secret), "the shared secret reached the logs");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
