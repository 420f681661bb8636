//! A database another writer holds past the busy timeout: on SQLite a change waits for the write
//! lock (10 s), then answers 503 `database_unavailable` with `Retry-After` and has changed
//! nothing; the same change goes through once the lock is let go.

use diesel::connection::SimpleConnection;
use orgwarden_cloudsim::SimConfig;
use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::operations_support::start;

#[actix_web::test]
async fn a_change_on_a_busy_database_answers_503_and_goes_through_later() {
    let config = SimConfig {
        users: 5,
        sites: 1,
        groups: 1,
        ..SimConfig::default()
    };
    let (_sim, app, s) = start(Backend::Sqlite, config).await;
    let mut settings: Value = s.get("/api/v1/settings").await.json().await.unwrap();
    let before = settings["inactiveDays"].clone();
    settings["inactiveDays"] = json!(77);

    let mut holder = app.db.db.get().unwrap();
    holder.batch_execute("BEGIN IMMEDIATE").unwrap();
    let refused = s
        .send(Method::PUT, "/api/v1/settings", Some(settings.clone()))
        .await;
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "5");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "database_unavailable", "{body}");
    holder.batch_execute("ROLLBACK").unwrap();
    drop(holder);

    let kept: Value = s.get("/api/v1/settings").await.json().await.unwrap();
    assert_eq!(kept["inactiveDays"], before);
    let changed = s
        .send(Method::PUT, "/api/v1/settings", Some(settings))
        .await;
    assert_eq!(changed.status(), 200, "{}", changed.text().await.unwrap());
    let saved: Value = s.get("/api/v1/settings").await.json().await.unwrap();
    assert_eq!(saved["inactiveDays"], 77);
}
