//! The audit trail's guarantees on each backend: a change and its entry commit together or
//! not at all; the hash chain finds and names a changed or removed entry; verify seals the
//! trail, so a cut tail shows; retention deletes old history and leaves a chain that still
//! verifies; a settings change's entry, carried by its statement on PostgreSQL, joins the chain
//! in the background.

use chrono::{Duration, Utc};
use orgwarden_cloudsim::SimConfig;
use orgwarden_store::audit::{self, Actor, Kind, NewEntry};
use orgwarden_store::{settings, Backend, Cipher, StoreError};
use reqwest::Method;
use serde_json::{json, Value};

use crate::audit_support::{all_entries, count, sql, stored, verify};
use crate::operations_support::{error, start, Stack};
use orgwarden_store::on_both_backends;

on_both_backends!(
    a_change_and_its_entry_commit_together_or_not_at_all,
    the_chain_names_a_changed_or_removed_entry_and_survives_retention,
    verify_seals_the_trail_and_a_cut_tail_shows,
    the_hourly_seal_check_records_a_break_once,
    the_daily_check_walks_the_whole_trail,
    a_settings_entry_joins_the_chain_without_a_read,
);

/// The key the app seals with (derived from its master key).
fn seal_key(app: &crate::common::TestApp) -> audit::SealKey {
    let master = app.config.master_key.as_deref().unwrap();
    Cipher::from_base64(master)
        .unwrap()
        .audit_seal_key()
        .clone()
}

fn small() -> SimConfig {
    SimConfig {
        users: 20,
        sites: 1,
        groups: 4,
        ..SimConfig::default()
    }
}

async fn put_settings(s: &Stack, inactive_days: i64) {
    let mut body: Value = s.get("/api/v1/settings").await.json().await.unwrap();
    body["inactiveDays"] = json!(inactive_days);
    let answer = s.send(Method::PUT, "/api/v1/settings", Some(body)).await;
    assert_eq!(answer.status(), 200);
}

async fn a_change_and_its_entry_commit_together_or_not_at_all(backend: Backend) {
    let (_sim, app, s) = start(backend, small()).await;
    // Through the API: a refused change records nothing, a committed one its entry.
    let filter = json!({"name": "Idle", "filter": {"inactiveDays": 90}});
    assert_eq!(
        s.post("/api/v1/filters", filter.clone()).await.status(),
        201
    );
    assert_eq!(
        error(s.post("/api/v1/filters", filter).await, 409).await.0,
        "duplicate_name"
    );
    assert_eq!(all_entries(&s, "kind=filter.created").await.len(), 1);

    // In the store: a change whose transaction fails after its entry leaves neither.
    let before = stored(&app.db.db);
    let tenant = before[0].tenant_id.clone();
    let mut conn = app.db.db.get().unwrap();
    let old = settings::get(&mut conn, &tenant).unwrap();
    let changed = settings::Settings {
        inactive_days: 12,
        ..old.clone()
    };
    let entry = NewEntry {
        kind: Kind::SettingsUpdated,
        actor: Actor::system("test"),
        summary: "Changed settings".into(),
        details: json!({}),
    };
    let now = Utc::now().naive_utc();
    let failed: Result<(), StoreError> = orgwarden_store::transaction(&mut conn, |conn| {
        settings::save(conn, &tenant, &changed, "someone", now)?;
        audit::record(conn, &tenant, &entry, now)?;
        Err(StoreError::Corrupt(
            "the change fails after its entry".into(),
        ))
    });
    assert!(failed.is_err());
    assert_eq!(settings::get(&mut conn, &tenant).unwrap(), old);
    assert_eq!(stored(&app.db.db).len(), before.len());
    // Committed: both are there.
    orgwarden_store::transaction(&mut conn, |conn| {
        settings::save(conn, &tenant, &changed, "someone", now)?;
        audit::record(conn, &tenant, &entry, now).map(drop)
    })
    .unwrap();
    assert_eq!(settings::get(&mut conn, &tenant).unwrap().inactive_days, 12);
    assert_eq!(stored(&app.db.db).len(), before.len() + 1);
}

async fn a_settings_entry_joins_the_chain_without_a_read(backend: Backend) {
    let (_sim, app, s) = start(backend, small()).await;
    let db = &app.db.db;
    let linked = || {
        count(
            db,
            "SELECT count(*) AS n FROM audit_entries WHERE kind = 'settings.updated'",
        )
    };
    put_settings(&s, 33).await;
    put_settings(&s, 34).await;
    // Nothing reads the trail: on PostgreSQL the server links the carried entries itself.
    for _ in 0..100 {
        if linked() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(linked(), 2, "{backend:?}");
    if backend == Backend::Postgres {
        assert_eq!(count(db, "SELECT count(*) AS n FROM audit_pending"), 0);
    }
    let v = verify(&s).await;
    assert_eq!(v["ok"], json!(true), "{v}");
}

async fn the_chain_names_a_changed_or_removed_entry_and_survives_retention(backend: Backend) {
    let (_sim, app, s) = start(backend, small()).await;
    let db = &app.db.db;
    let v = verify(&s).await;
    assert_eq!(
        (v["ok"].clone(), v["firstBrokenId"].clone()),
        (json!(true), Value::Null)
    );

    // Retention deletes everything before its cutoff and records that it did; the remaining
    // chain links to the checkpoint.
    let retention = orgwarden_server::Retention {
        edition: orgwarden_license::Edition::Standard,
        days: Some(0),
    };
    assert_eq!(
        retention
            .apply(db, &seal_key(&app), Utc::now() + Duration::seconds(1))
            .unwrap(),
        1
    );
    let left = stored(db);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].kind, "retention.applied");
    let runs: Value = s.get("/api/v1/sync/runs").await.json().await.unwrap();
    assert_eq!(runs.to_string().matches("\"id\"").count(), 0, "{runs}");
    for days in [10, 20, 30, 40] {
        put_settings(&s, days).await;
    }
    let v = verify(&s).await;
    assert_eq!(
        (v["ok"].clone(), v["checked"].clone()),
        (json!(true), json!(5)),
        "{v}"
    );

    // A changed entry is named.
    let rows = stored(db);
    let middle = &rows[2];
    sql(
        db,
        &format!(
            "UPDATE audit_entries SET summary = 'nothing happened' WHERE id = {}",
            middle.id
        ),
    );
    let v = verify(&s).await;
    assert_eq!(v["ok"], false);
    assert_eq!(v["firstBrokenId"], middle.id, "{v}");
    assert_eq!(v["reason"], "content");
    let summary = middle.summary.replace('\'', "''");
    sql(
        db,
        &format!(
            "UPDATE audit_entries SET summary = '{summary}' WHERE id = {}",
            middle.id
        ),
    );
    assert_eq!(verify(&s).await["ok"], true);
    // So is the details' JSON, the actor, the time.
    sql(
        db,
        &format!(
            "UPDATE audit_entries SET actor_name = 'Mallory' WHERE id = {}",
            rows[3].id
        ),
    );
    assert_eq!(verify(&s).await["firstBrokenId"], rows[3].id);
    sql(
        db,
        &format!(
            "UPDATE audit_entries SET actor_name = '{}' WHERE id = {}",
            rows[3].actor_name.replace('\'', "''"),
            rows[3].id
        ),
    );

    // A removed entry breaks the link of the one after it, which is named.
    sql(
        db,
        &format!("DELETE FROM audit_entries WHERE id = {}", middle.id),
    );
    let v = verify(&s).await;
    assert_eq!(v["ok"], false);
    assert_eq!(v["firstBrokenId"], rows[3].id, "{v}");
    assert_eq!(v["reason"], "link");
}

async fn verify_seals_the_trail_and_a_cut_tail_shows(backend: Backend) {
    let (_sim, app, s) = start(backend, small()).await;
    let db = &app.db.db;
    for days in [10, 20] {
        put_settings(&s, days).await;
    }
    let newest = stored(db).last().unwrap().id;
    let v = verify(&s).await;
    assert_eq!(
        (v["ok"].clone(), v["sealedThrough"].clone()),
        (json!(true), json!(newest)),
        "{v}"
    );
    put_settings(&s, 30).await;
    // The seal holds while the trail grows; the next verify seals the new newest entry.
    let v = verify(&s).await;
    let grown = stored(db).last().unwrap().id;
    assert_eq!(
        (v["ok"].clone(), v["sealedThrough"].clone()),
        (json!(true), json!(grown)),
        "{v}"
    );
    // The newest entries cut off: the chain alone would look like a shorter trail.
    sql(
        db,
        &format!("DELETE FROM audit_entries WHERE id >= {newest}"),
    );
    let v = verify(&s).await;
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(
        (v["firstBrokenId"].clone(), v["reason"].clone()),
        (json!(newest), json!("removed"))
    );
    // A seal put back by hand for what is left, without the key, is refused.
    sql(
        db,
        &format!("UPDATE audit_seals SET entry_id = entry_id - 1 WHERE entry_id = {newest}"),
    );
    let v = verify(&s).await;
    assert_eq!(v["reason"], "seal", "{v}");
}

async fn the_hourly_seal_check_records_a_break_once(backend: Backend) {
    let (_sim, app, s) = start(backend, small()).await;
    let db = &app.db.db;
    let key = seal_key(&app);
    put_settings(&s, 10).await;
    orgwarden_server::seal_trails(db, &key, Utc::now()).unwrap();
    put_settings(&s, 20).await;
    let changed = stored(db).last().unwrap().id;
    sql(
        db,
        &format!("UPDATE audit_entries SET summary = 'x' WHERE id = {changed}"),
    );
    for _ in 0..2 {
        assert_eq!(
            orgwarden_server::seal_trails(db, &key, Utc::now()).unwrap(),
            0
        );
    }
    let broken = all_entries(&s, "kind=audit").await;
    assert_eq!(broken.len(), 1, "once per break: {broken:?}");
    assert_eq!(broken[0]["kind"], "audit.broken");
    assert_eq!(broken[0]["actor"]["via"], "system");
    assert_eq!(
        broken[0]["details"],
        json!({"firstBrokenId": changed, "reason": "content"})
    );
    // The entry itself links on: only the changed entry is named.
    let v = verify(&s).await;
    assert_eq!(
        (v["firstBrokenId"].clone(), v["reason"].clone()),
        (json!(changed), json!("content"))
    );
}

async fn the_daily_check_walks_the_whole_trail(backend: Backend) {
    let (_sim, app, s) = start(backend, small()).await;
    let db = &app.db.db;
    let key = seal_key(&app);
    put_settings(&s, 10).await;
    put_settings(&s, 20).await;
    assert_eq!(
        orgwarden_server::verify_trails(db, &key, Utc::now()).unwrap(),
        0
    );
    // An entry before the newest seal changed: the hourly walk starts after that seal.
    let first = stored(db)[0].id;
    sql(
        db,
        &format!("UPDATE audit_entries SET actor_name = 'Mallory' WHERE id = {first}"),
    );
    orgwarden_server::seal_trails(db, &key, Utc::now()).unwrap();
    assert!(all_entries(&s, "kind=audit").await.is_empty());
    assert_eq!(
        orgwarden_server::verify_trails(db, &key, Utc::now()).unwrap(),
        1
    );
    let broken = all_entries(&s, "kind=audit").await;
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(
        broken[0]["details"],
        json!({"firstBrokenId": first, "reason": "content"})
    );
}
