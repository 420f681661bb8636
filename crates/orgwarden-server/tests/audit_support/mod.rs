//! Helpers of the audit suites: reading the whole trail through the API and from the
//! database, and calls to cloudsim's control surface.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use orgwarden_store::audit::{self, Entry, Filter};
use orgwarden_store::Database;
use reqwest::Method;
use serde_json::{json, Value};

use crate::operations_support::Stack;

/// Every entry through `GET /api/v1/audit`, newest first, following the cursor.
pub async fn all_entries(s: &Stack, query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor = String::new();
    loop {
        let page: Value = s
            .get(&format!("/api/v1/audit?limit=7&{query}&cursor={cursor}"))
            .await
            .json()
            .await
            .unwrap();
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["nextCursor"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => return items,
        }
    }
}

/// Every entry of the only tenant, from the database, oldest first.
pub fn stored(db: &Database) -> Vec<Entry> {
    let mut conn = db.get().unwrap();
    let tenant = orgwarden_store::retention::tenant_ids(&mut conn).unwrap()[0].clone();
    // As every read of the trail: carried entries are linked first.
    audit::link_pending(&mut conn, &tenant).unwrap();
    let mut rows = audit::list(&mut conn, &tenant, &Filter::default(), 100_000).unwrap();
    rows.reverse();
    rows
}

/// The first entry of `kind` (newest first order of `items`: the latest).
pub fn find<'a>(items: &'a [Value], kind: &str) -> &'a Value {
    items
        .iter()
        .find(|e| e["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} entry"))
}

/// POSTs to cloudsim's control surface.
pub async fn sim_post(s: &Stack, path: &str, body: Value) -> Value {
    let answer = s
        .http
        .post(format!("{}{path}", s.sim_url))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success(), "{path}");
    answer.json().await.unwrap_or(Value::Null)
}

/// Sends a lifecycle event through cloudsim (`disable`, `enable`, `uninstall`, `install`).
pub async fn lifecycle(s: &Stack, event: &str) {
    let descriptor = json!({"descriptorUrl": format!("{}/atlassian-connect.json", s.url)});
    sim_post(s, &format!("/__sim/{event}"), descriptor).await;
}

/// Starts a manual sync and waits for it to end; returns its state.
pub async fn manual_sync(s: &Stack) -> String {
    let started = s.send(Method::POST, "/api/v1/sync", Some(json!({}))).await;
    assert!(started.status().is_success(), "sync: {}", started.status());
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let sync: Value = s.get("/api/v1/sync").await.json().await.unwrap();
        match sync["state"].as_str() {
            Some(state @ ("succeeded" | "failed")) => return state.to_owned(),
            _ => assert!(Instant::now() < deadline, "sync did not end: {sync}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `GET /api/v1/audit/verify`.
pub async fn verify(s: &Stack) -> Value {
    s.get("/api/v1/audit/verify").await.json().await.unwrap()
}

/// Runs raw SQL on the database (tampering, as an attacker with database access would).
pub fn sql(db: &Database, statement: &str) {
    use diesel::RunQueryDsl;
    let mut conn = db.get().unwrap();
    diesel::sql_query(statement).execute(&mut *conn).unwrap();
}

/// The number a `SELECT count(*) AS n …` statement answers.
pub fn count(db: &Database, statement: &str) -> i64 {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = db.get().unwrap();
    diesel::sql_query(statement)
        .get_result::<Count>(&mut *conn)
        .unwrap()
        .n
}
