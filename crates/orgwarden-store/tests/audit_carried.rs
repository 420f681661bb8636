//! Entries carried by their change's own statement, on both backends: a committed change always
//! has its entry (on PostgreSQL waiting in `audit_pending` until linked, on SQLite appended at
//! once), a failed one leaves none, any text comes back exactly as written, carried entries join
//! the chain in the order they were written beside direct appends (and, concurrently, each
//! exactly once), and a purge removes them.
use chrono::Utc;
use orgwarden_ids::TenantId;
use orgwarden_store::audit::{self, Actor, Filter, Kind, NewEntry, Via};
use orgwarden_store::settings::{self, Settings};
use orgwarden_store::tenants;
use orgwarden_store::testing::{self, fresh_database};
use orgwarden_store::{on_both_backends, Backend, DbConnection, StoreError};

use crate::audit::install;
use serde_json::json;

on_both_backends!(
    sync:
    a_committed_change_has_its_entry_and_a_failed_one_none,
    carried_entries_join_the_chain_in_order_beside_direct_appends,
    concurrent_carries_links_and_appends_form_one_chain,
    a_purge_removes_carried_entries
);

fn entry(kind: Kind, n: usize) -> NewEntry {
    NewEntry {
        kind,
        actor: Actor {
            account_id: "557058:a".into(),
            name: "Ada".into(),
            via: Via::Jwt,
        },
        summary: format!("entry {n}"),
        details: json!({"n": n}),
    }
}

fn days(n: i64) -> Settings {
    Settings {
        inactive_days: n,
        ..Settings::default()
    }
}

/// Saves `days` with `entry` carried, in a transaction of its own.
fn save(conn: &mut DbConnection, t: &TenantId, days: Settings, entry: &NewEntry) {
    let now = Utc::now().naive_utc();
    orgwarden_store::transaction(conn, |conn| {
        settings::save_recorded(conn, t, &days, "a", entry, now)
    })
    .unwrap();
}

/// The carried entries not yet linked, of every tenant (none on SQLite, which has no such table).
fn pending(conn: &mut DbConnection) -> usize {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    if !matches!(conn, DbConnection::Pg(_)) {
        return 0;
    }
    let count: Count = diesel::RunQueryDsl::get_result(
        diesel::sql_query("SELECT count(*) AS n FROM audit_pending"),
        conn,
    )
    .unwrap();
    usize::try_from(count.n).unwrap()
}

fn summaries(conn: &mut DbConnection, t: &TenantId) -> Vec<String> {
    let trail = audit::list(conn, t, &Filter::default(), 50).unwrap();
    trail.into_iter().rev().map(|e| e.summary).collect()
}

fn a_committed_change_has_its_entry_and_a_failed_one_none(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    install(&mut conn, "t1");
    let t1 = TenantId::from("t1");
    let mut tricky = entry(Kind::SettingsUpdated, 1);
    tricky.summary = "Zoë's ✓ '); DROP TABLE audit_pending; -- \\x00".into();
    tricky.details = json!({"changes": {"name": {"old": "a'b", "new": "c\\d\u{0}"}}});
    tricky.actor.name = "O'Brien\u{0}, E'\\".into();
    save(&mut conn, &t1, days(45), &tricky);
    let unlinked = if backend == Backend::Postgres { 1 } else { 0 };
    assert_eq!(summaries(&mut conn, &t1).len(), 1 - unlinked, "{backend:?}");
    assert_eq!(pending(&mut conn), unlinked);

    let now = Utc::now().naive_utc();
    let failed = orgwarden_store::transaction(&mut conn, |conn| {
        settings::save_recorded(
            conn,
            &t1,
            &days(60),
            "a",
            &entry(Kind::SettingsUpdated, 2),
            now,
        )?;
        Err::<(), _>(StoreError::Corrupt("refused".into()))
    });
    assert!(failed.is_err());
    assert_eq!(settings::get(&mut conn, &t1).unwrap().inactive_days, 45);

    assert_eq!(audit::link_pending(&mut conn, &t1).unwrap(), unlinked);
    assert_eq!(
        audit::link_pending(&mut conn, &t1).unwrap(),
        0,
        "linked once"
    );
    let trail = audit::list(&mut conn, &t1, &Filter::default(), 10).unwrap();
    assert_eq!(
        trail.len(),
        1,
        "{backend:?}: only the committed change's entry"
    );
    assert_eq!(trail[0].summary, tricky.summary);
    assert_eq!(trail[0].details, tricky.details.to_string());
    assert_eq!(trail[0].actor_name, "O'Brien\u{FFFD}, E'\\");
    assert_eq!(trail[0].prev_hash, audit::GENESIS);
    assert_eq!(pending(&mut conn), 0);
    let v = audit::verify(&mut conn, &t1, &testing::seal_key(), None).unwrap();
    assert_eq!((v.checked, v.first_broken_id), (1, None), "{backend:?}");
}

fn carried_entries_join_the_chain_in_order_beside_direct_appends(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    install(&mut conn, "t1");
    install(&mut conn, "t2");
    let (t1, t2) = (TenantId::from("t1"), TenantId::from("t2"));
    let now = Utc::now().naive_utc();
    audit::record(&mut conn, &t1, &entry(Kind::TokenCreated, 0), now).unwrap();
    save(&mut conn, &t1, days(31), &entry(Kind::SettingsUpdated, 1));
    save(&mut conn, &t2, days(32), &entry(Kind::SettingsUpdated, 9));
    audit::record(&mut conn, &t1, &entry(Kind::TokenCreated, 2), now).unwrap();
    save(&mut conn, &t1, days(33), &entry(Kind::SettingsUpdated, 3));
    // Verify links the carried entries first.
    let v = audit::verify(&mut conn, &t1, &testing::seal_key(), None).unwrap();
    assert_eq!((v.checked, v.first_broken_id), (4, None), "{backend:?}");
    let order = summaries(&mut conn, &t1);
    if backend == Backend::Postgres {
        // Linked after the direct appends made meanwhile, in the order they were written.
        assert_eq!(order, ["entry 0", "entry 2", "entry 1", "entry 3"]);
        assert_eq!(pending(&mut conn), 1, "the other tenant's");
    } else {
        assert_eq!(order, ["entry 0", "entry 1", "entry 2", "entry 3"]);
    }
    // The other tenant's stays its own.
    assert_eq!(
        audit::link_pending(&mut conn, &t2).unwrap(),
        usize::from(backend == Backend::Postgres)
    );
    assert_eq!(summaries(&mut conn, &t2), ["entry 9"]);
    let v = audit::verify(&mut conn, &t2, &testing::seal_key(), None).unwrap();
    assert_eq!((v.checked, v.first_broken_id), (1, None), "{backend:?}");
}

fn concurrent_carries_links_and_appends_form_one_chain(backend: Backend) {
    let test = fresh_database(backend);
    install(&mut test.db.get().unwrap(), "t1");
    let t1 = TenantId::from("t1");
    // Each worker carries entries, appends others directly and links, all on one tenant: the
    // links run beside each other and beside the appends.
    std::thread::scope(|scope| {
        for worker in 0..4 {
            let (db, t1) = (test.db.clone(), t1.clone());
            scope.spawn(move || {
                let mut conn = db.get().unwrap();
                for n in 0..12 {
                    let e = entry(Kind::SettingsUpdated, worker * 100 + n);
                    if n % 3 == 2 {
                        audit::record(&mut conn, &t1, &e, Utc::now().naive_utc()).unwrap();
                    } else {
                        save(&mut conn, &t1, days(30 + n as i64), &e);
                    }
                    if n % 2 == 1 {
                        audit::link_pending(&mut conn, &t1).unwrap();
                    }
                }
            });
        }
    });
    let mut conn = test.db.get().unwrap();
    let v = audit::verify(&mut conn, &t1, &testing::seal_key(), None).unwrap();
    assert_eq!((v.checked, v.first_broken_id), (48, None), "{backend:?}");
    assert_eq!(pending(&mut conn), 0);
    let mut written = summaries(&mut conn, &t1);
    assert_eq!(written.len(), 48, "{backend:?}: each entry once");
    written.sort();
    written.dedup();
    assert_eq!(written.len(), 48, "{backend:?}: no entry linked twice");
}

fn a_purge_removes_carried_entries(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    install(&mut conn, "t1");
    let t1 = TenantId::from("t1");
    save(&mut conn, &t1, days(31), &entry(Kind::SettingsUpdated, 1));
    let now = Utc::now().naive_utc();
    assert!(tenants::uninstall(&mut conn, &t1, now, now).unwrap());
    assert!(tenants::purge(&mut conn, &t1).unwrap());
    assert_eq!(pending(&mut conn), 0);
    install(&mut conn, "t1");
    assert_eq!(audit::link_pending(&mut conn, &t1).unwrap(), 0);
    assert!(summaries(&mut conn, &t1).is_empty(), "{backend:?}");
}
