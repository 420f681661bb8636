//! A transaction that reads before it writes still commits while another writer commits in
//! between: on SQLite a read transaction that later writes fails at once with "database is
//! locked" when another writer committed since its read (a manual sync's request failed that
//! way beside a running operation), so the store's transactions take the write lock at `BEGIN`.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use chrono::Utc;
use orgwarden_ids::TenantId;
use orgwarden_store::tenants::{self, Installation};
use orgwarden_store::testing::fresh_database;
use orgwarden_store::{Backend, Cipher, StoreError};

use orgwarden_store::on_both_backends;

on_both_backends!(sync: a_transaction_reads_then_writes_beside_another_writer);

fn a_transaction_reads_then_writes_beside_another_writer(backend: Backend) {
    let test = fresh_database(backend);
    let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    let now = Utc::now().naive_utc();
    let mut conn = test.db.get().unwrap();
    for key in ["reader", "other"] {
        let install = Installation {
            client_key: key.into(),
            shared_secret: "s".into(),
            ..Default::default()
        };
        tenants::install(&mut conn, &cipher, &install, now).unwrap();
    }
    let (go, started) = mpsc::channel();
    let (wrote, written) = mpsc::channel();
    let db = test.db.clone();
    let other = thread::spawn(move || {
        let mut conn = db.get().unwrap();
        started.recv().unwrap();
        // Waits for the reader's transaction on SQLite (its write lock), commits at once on
        // PostgreSQL.
        let enabled = tenants::enable(&mut conn, &TenantId::from("other"), now).unwrap();
        wrote.send(()).unwrap();
        enabled
    });
    let reader = TenantId::from("reader");
    let enabled = orgwarden_store::transaction(&mut conn, |conn| {
        assert!(tenants::find(conn, &reader)?.is_some());
        go.send(()).unwrap();
        // Time for the other writer to commit, if it can, before this transaction writes.
        let _ = written.recv_timeout(Duration::from_millis(500));
        tenants::enable(conn, &reader, now)
    })
    .map_err(|e: StoreError| e.to_string())
    .unwrap();
    assert!(enabled);
    assert!(other.join().unwrap());
}

/// A lock held past the busy timeout is reported as busy (the server answers 503 for it).
#[test]
fn a_lock_held_past_the_busy_timeout_is_busy() {
    use diesel::connection::SimpleConnection;
    let test = fresh_database(Backend::Sqlite);
    let mut holder = test.db.get().unwrap();
    holder.batch_execute("BEGIN IMMEDIATE").unwrap();
    let mut waiter = test.db.get().unwrap();
    waiter.batch_execute("PRAGMA busy_timeout = 0").unwrap();
    let refused = orgwarden_store::transaction(&mut waiter, |_| Ok::<_, StoreError>(()))
        .expect_err("the write lock is held");
    assert!(refused.is_busy(), "{refused}");
    assert!(!refused.is_unreachable(), "{refused}");
    holder.batch_execute("ROLLBACK").unwrap();
    waiter.batch_execute("PRAGMA busy_timeout = 10000").unwrap();
    orgwarden_store::transaction(&mut waiter, |_| Ok::<_, StoreError>(())).unwrap();
}
