//! A trail written before canonical form 2 (form-1 entries) still verifies after the
//! migration, and the entries appended after it link to the last form-1 entry.
use chrono::Utc;
use diesel::RunQueryDsl;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use orgwarden_ids::TenantId;
use orgwarden_store::audit::{self, Actor, Kind, NewEntry, Via, GENESIS};
use orgwarden_store::testing::{self, fresh_database};
use orgwarden_store::Backend;
use orgwarden_store::DbConnection;
use sha2::{Digest, Sha256};

use orgwarden_store::on_both_backends;

on_both_backends!(sync: a_form_1_trail_still_verifies_and_form_2_entries_link_to_it);

const SQLITE: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// Reverts the migrations down to and including the one that brought form 2.
fn revert_form_2(conn: &mut DbConnection) {
    loop {
        let reverted = match conn {
            DbConnection::Sqlite(c) => c.revert_last_migration(SQLITE).unwrap(),
            DbConnection::Pg(c) => c.revert_last_migration(POSTGRES).unwrap(),
        };
        if reverted.to_string() == "20261202000022" {
            return;
        }
    }
}

/// A form-1 entry as the code before form 2 wrote it.
fn insert_form_1(conn: &mut DbConnection, id: i64, prev: &str) -> String {
    let at = "2026-11-30T08:00:00.000001Z";
    let canonical = serde_json::to_string(&(
        "orgwarden.audit.v1",
        id,
        "t1",
        at,
        "settings.updated",
        "557058:a",
        "Ann",
        "jwt",
        None::<i64>,
        "Changed settings: inactiveDays",
        "{}",
        prev,
    ))
    .unwrap();
    let hash = hex::encode(Sha256::digest(canonical.as_bytes()));
    diesel::sql_query(format!(
        "INSERT INTO audit_entries (id, tenant_id, at, kind, actor_id, actor_name, via, token_id, \
         summary, details, prev_hash, hash) VALUES ({id}, 't1', '2026-11-30 08:00:00.000001', \
         'settings.updated', '557058:a', 'Ann', 'jwt', NULL, 'Changed settings: inactiveDays', \
         '{{}}', '{prev}', '{hash}')"
    ))
    .execute(conn)
    .unwrap();
    hash
}

fn a_form_1_trail_still_verifies_and_form_2_entries_link_to_it(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    let cipher =
        orgwarden_store::Cipher::from_base64(&orgwarden_store::Cipher::generate_master_key())
            .unwrap();
    let install = orgwarden_store::tenants::Installation {
        client_key: "t1".into(),
        shared_secret: "s".into(),
        ..Default::default()
    };
    orgwarden_store::tenants::install(&mut conn, &cipher, &install, Utc::now().naive_utc())
        .unwrap();
    revert_form_2(&mut conn);
    let first = insert_form_1(&mut conn, 1, GENESIS);
    let second = insert_form_1(&mut conn, 2, &first);
    if let DbConnection::Pg(_) = *conn {
        diesel::sql_query("SELECT setval('audit_entries_id_seq', 2)")
            .execute(&mut conn)
            .unwrap();
    }
    drop(conn);
    test.db.run_migrations().unwrap();
    let mut conn = test.db.get().unwrap();
    let entry = NewEntry {
        kind: Kind::SettingsUpdated,
        actor: Actor {
            account_id: "557058:b".into(),
            name: "Bo".into(),
            via: Via::Jwt,
        },
        summary: "Changed settings: currency".into(),
        details: serde_json::json!({"changes": {"currency": {"old": "USD", "new": "EUR"}}}),
    };
    let id = audit::record(
        &mut conn,
        &TenantId::from("t1"),
        &entry,
        Utc::now().naive_utc(),
    )
    .unwrap();
    assert_eq!(id, 3, "{backend:?}");
    audit::record(
        &mut conn,
        &TenantId::from("t1"),
        &entry,
        Utc::now().naive_utc(),
    )
    .unwrap();
    let v = audit::verify(&mut conn, &TenantId::from("t1"), &testing::seal_key(), None).unwrap();
    assert_eq!((v.checked, v.first_broken_id), (4, None), "{backend:?}");
    let trail = audit::list(
        &mut conn,
        &TenantId::from("t1"),
        &audit::Filter::default(),
        10,
    )
    .unwrap();
    assert_eq!(trail[1].prev_hash, second, "{backend:?}");
    assert_eq!(
        trail.iter().map(|e| e.form).collect::<Vec<_>>(),
        [2, 2, 1, 1]
    );
}
