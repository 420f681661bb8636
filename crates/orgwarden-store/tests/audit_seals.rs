//! Seals: what the hash chain alone cannot show (an entry rewritten with every hash after it
//! computed again, the newest entries cut off, a retention forged from the start, with or
//! without the seals up to it) shows against a seal made with the master key.

use chrono::{NaiveDateTime, SecondsFormat, Utc};
use diesel::RunQueryDsl;
use orgwarden_ids::TenantId;
use orgwarden_store::audit::{self, Actor, Entry, Filter, Kind, NewEntry, Sealing};
use orgwarden_store::tenants::{self, Installation};
use orgwarden_store::testing::{fresh_database, seal_key};
use orgwarden_store::{Backend, Cipher, DbConnection};
use serde_json::json;
use sha2::{Digest, Sha256};

use orgwarden_store::on_both_backends;

on_both_backends!(
    sync:
    a_rewrite_hashed_again_passes_the_chain_but_not_its_seal,
    a_cut_tail_a_forged_seal_and_a_forged_retention_show,
    sealing_checks_the_entries_since_the_last_seal_first
);

const TENANT: &str = "t1";

fn setup(backend: Backend, entries: usize) -> (orgwarden_store::testing::TestDatabase, Vec<i64>) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    let cipher = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    let install = Installation {
        client_key: TENANT.into(),
        shared_secret: "s".into(),
        ..Default::default()
    };
    tenants::install(&mut conn, &cipher, &install, Utc::now().naive_utc()).unwrap();
    let ids = (0..entries).map(|n| append(&mut conn, n)).collect();
    drop(conn);
    (test, ids)
}

fn tenant() -> TenantId {
    TenantId::from(TENANT)
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn append(conn: &mut DbConnection, n: usize) -> i64 {
    let e = NewEntry {
        kind: Kind::SettingsUpdated,
        actor: Actor::system("test"),
        summary: format!("entry {n}"),
        details: json!({"n": n}),
    };
    audit::record(conn, &tenant(), &e, now()).unwrap()
}

fn verify(conn: &mut DbConnection) -> audit::Verification {
    audit::verify(conn, &tenant(), &seal_key(), None).unwrap()
}

fn broken(v: &audit::Verification) -> (Option<i64>, Option<&str>) {
    (v.first_broken_id, v.reason)
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Form 2 as the crate README documents it, computed here as someone rewriting the table would.
fn form_2_hash(e: &Entry, prev: &str) -> String {
    let at = e.at.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true);
    let content = json!([
        "orgwarden.audit.v2",
        e.tenant_id.as_str(),
        at,
        e.kind,
        e.actor_id,
        e.actor_name,
        e.via,
        e.token_id,
        e.summary,
        e.details
    ]);
    sha(format!("{prev}{}", sha(content.to_string().as_bytes())).as_bytes())
}

fn execute(conn: &mut DbConnection, sql: &str) {
    diesel::sql_query(sql).execute(conn).unwrap();
}

/// Changes entry `id`'s summary and stores every hash from it on as the chain would have them.
fn rewrite_and_rehash(conn: &mut DbConnection, id: i64, summary: &str) {
    let mut trail = audit::list(conn, &tenant(), &Filter::default(), 1_000).unwrap();
    trail.reverse();
    let mut prev: Option<String> = None;
    for mut e in trail.into_iter().filter(|e| e.id >= id) {
        if e.id == id {
            e.summary = summary.into();
        }
        let link = prev.take().unwrap_or_else(|| e.prev_hash.clone());
        let hash = form_2_hash(&e, &link);
        execute(
            conn,
            &format!(
                "UPDATE audit_entries SET summary = '{}', prev_hash = '{link}', hash = '{hash}' \
                 WHERE tenant_id = '{TENANT}' AND id = {}",
                e.summary, e.id
            ),
        );
        prev = Some(hash);
    }
}

fn a_rewrite_hashed_again_passes_the_chain_but_not_its_seal(backend: Backend) {
    let (test, ids) = setup(backend, 5);
    let mut conn = test.db.get().unwrap();
    let v = audit::verify(&mut conn, &tenant(), &seal_key(), Some(now())).unwrap();
    assert_eq!(
        (v.checked, v.sealed_through),
        (5, Some(ids[4])),
        "{backend:?}"
    );
    let later: Vec<i64> = (5..7).map(|n| append(&mut conn, n)).collect();
    assert_eq!(broken(&verify(&mut conn)), (None, None), "{backend:?}");

    rewrite_and_rehash(&mut conn, ids[1], "nothing happened");
    // The first sealed entry at or after the rewrite names it.
    assert_eq!(
        broken(&verify(&mut conn)),
        (Some(ids[4]), Some("rehashed")),
        "{backend:?}"
    );
    // Without its seals the chain alone cannot tell.
    execute(&mut conn, "DELETE FROM audit_seals");
    let v = verify(&mut conn);
    assert_eq!(
        (broken(&v), v.sealed_through),
        ((None, None), None),
        "{backend:?}"
    );

    // A rewrite after the newest seal is found by the next seal's walk, which does not seal it.
    let v = audit::verify(&mut conn, &tenant(), &seal_key(), Some(now())).unwrap();
    assert_eq!(v.sealed_through, Some(later[1]), "{backend:?}");
    let newest = append(&mut conn, 7);
    execute(
        &mut conn,
        &format!(
            "UPDATE audit_entries SET summary = 'x' WHERE tenant_id = '{TENANT}' AND id = {newest}"
        ),
    );
    let sealing = audit::seal(&mut conn, &tenant(), &seal_key(), now()).unwrap();
    assert!(
        matches!(&sealing, Sealing::Broken(v) if v.first_broken_id == Some(newest)),
        "{backend:?}: {sealing:?}"
    );
}

fn a_cut_tail_a_forged_seal_and_a_forged_retention_show(backend: Backend) {
    let (test, ids) = setup(backend, 6);
    let mut conn = test.db.get().unwrap();
    assert_eq!(
        audit::seal(&mut conn, &tenant(), &seal_key(), now()).unwrap(),
        Sealing::Sealed(ids[5])
    );
    // The newest entry cut off: the chain alone looks like a shorter trail.
    execute(
        &mut conn,
        &format!(
            "DELETE FROM audit_entries WHERE tenant_id = '{TENANT}' AND id = {}",
            ids[5]
        ),
    );
    assert_eq!(
        broken(&verify(&mut conn)),
        (Some(ids[5]), Some("removed")),
        "{backend:?}"
    );
    // A seal made without the key (here: moved to another entry) is refused.
    execute(
        &mut conn,
        &format!(
            "UPDATE audit_seals SET entry_id = {} WHERE tenant_id = '{TENANT}'",
            ids[4]
        ),
    );
    assert_eq!(
        broken(&verify(&mut conn)),
        (Some(ids[4]), Some("seal")),
        "{backend:?}"
    );
    // The hourly seal check names it as verify does.
    let sealing = audit::seal(&mut conn, &tenant(), &seal_key(), now()).unwrap();
    assert!(
        matches!(&sealing, Sealing::Broken(v)
            if v.first_broken_id == Some(ids[4]) && v.reason == Some("seal")),
        "{backend:?}: {sealing:?}"
    );
    execute(&mut conn, "DELETE FROM audit_seals");

    // Retention seals its checkpoint and drops the seals before it; the trail verifies.
    assert!(matches!(
        audit::seal(&mut conn, &tenant(), &seal_key(), now()).unwrap(),
        Sealing::Sealed(_)
    ));
    let mut trail = audit::list(&mut conn, &tenant(), &Filter::default(), 10).unwrap();
    trail.reverse();
    let cutoff = trail[2].at + chrono::Duration::microseconds(1);
    assert_eq!(
        audit::delete_through(&mut conn, &tenant(), cutoff, now(), &seal_key()).unwrap(),
        3
    );
    let v = verify(&mut conn);
    assert_eq!((broken(&v), v.checked), ((None, None), 2), "{backend:?}");
    // A retention forged from the start (one more entry deleted, the checkpoint moved on to
    // it): the checkpoint's seal no longer matches.
    execute(
        &mut conn,
        &format!(
            "DELETE FROM audit_entries WHERE tenant_id = '{TENANT}' AND id = {}",
            trail[3].id
        ),
    );
    execute(
        &mut conn,
        &format!(
            "UPDATE audit_checkpoints SET entry_id = {}, hash = '{}' WHERE tenant_id = '{TENANT}'",
            trail[3].id, trail[3].hash
        ),
    );
    assert_eq!(
        broken(&verify(&mut conn)),
        (Some(trail[2].id), Some("removed")),
        "{backend:?}"
    );
    // The same with the checkpoint's seal deleted too: a checkpoint retention did not seal.
    execute(&mut conn, "DELETE FROM audit_seals");
    assert_eq!(
        broken(&verify(&mut conn)),
        (Some(trail[3].id), Some("checkpoint")),
        "{backend:?}"
    );
    let sealing = audit::seal(&mut conn, &tenant(), &seal_key(), now()).unwrap();
    assert!(
        matches!(&sealing, Sealing::Broken(v) if v.first_broken_id == Some(trail[3].id)),
        "{backend:?}: {sealing:?}"
    );
}

fn sealing_checks_the_entries_since_the_last_seal_first(backend: Backend) {
    let (test, ids) = setup(backend, 3);
    let mut conn = test.db.get().unwrap();
    let key = seal_key();
    assert_eq!(
        audit::seal(&mut conn, &tenant(), &key, now()).unwrap(),
        Sealing::Sealed(ids[2])
    );
    assert_eq!(
        audit::seal(&mut conn, &tenant(), &key, now()).unwrap(),
        Sealing::UpToDate
    );
    let next = append(&mut conn, 3);
    assert_eq!(
        audit::seal(&mut conn, &tenant(), &key, now()).unwrap(),
        Sealing::Sealed(next)
    );
    // A seal made with another deployment's key vouches for nothing here.
    let other = Cipher::from_base64(&Cipher::generate_master_key()).unwrap();
    assert_eq!(
        broken(&audit::verify(&mut conn, &tenant(), other.audit_seal_key(), None).unwrap()),
        (Some(ids[2]), Some("seal")),
        "{backend:?}"
    );
    // An empty trail has nothing to seal.
    execute(&mut conn, "DELETE FROM audit_seals");
    execute(&mut conn, "DELETE FROM audit_entries");
    assert_eq!(
        audit::seal(&mut conn, &tenant(), &key, now()).unwrap(),
        Sealing::UpToDate
    );
    assert_eq!(verify(&mut conn).checked, 0);
}
