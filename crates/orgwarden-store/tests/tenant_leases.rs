//! Tenant leases on both backends: one holder at a time, renewal, take-over once run out.
use chrono::{Duration, NaiveDateTime, Utc};
use orgwarden_ids::TenantId;
use orgwarden_store::tenant_leases::{acquire, held, prune, release, renew};
use orgwarden_store::testing::fresh_database;
use orgwarden_store::Backend;

use orgwarden_store::on_both_backends;

on_both_backends!(sync: one_holder_at_a_time_until_it_lets_go_or_runs_out);

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn one_holder_at_a_time_until_it_lets_go_or_runs_out(backend: Backend) {
    let test = fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    let (t, later) = (now(), now() + Duration::seconds(30));
    assert!(
        acquire(&mut conn, &TenantId::from("a"), "one", t, later).unwrap(),
        "{backend:?}"
    );
    assert!(!acquire(&mut conn, &TenantId::from("a"), "two", t, later).unwrap());
    // Another tenant is not held up, and the holder may take its lease again.
    assert!(acquire(&mut conn, &TenantId::from("b"), "two", t, later).unwrap());
    assert!(acquire(&mut conn, &TenantId::from("a"), "one", t, later).unwrap());
    assert!(renew(&mut conn, &TenantId::from("a"), "one", later).unwrap());
    assert_eq!(held(&mut conn, t).unwrap(), ["a", "b"]);
    assert!(held(&mut conn, later + Duration::seconds(1))
        .unwrap()
        .is_empty());
    assert!(!renew(&mut conn, &TenantId::from("a"), "two", later).unwrap());
    // Released: the next taker gets it; the former holder cannot renew it any more.
    release(&mut conn, &TenantId::from("a"), "one").unwrap();
    assert!(acquire(&mut conn, &TenantId::from("a"), "two", t, later).unwrap());
    assert!(!renew(&mut conn, &TenantId::from("a"), "one", later).unwrap());
    // A lease that ran out (its holder died) is taken over.
    let after = later + Duration::seconds(1);
    assert!(!acquire(&mut conn, &TenantId::from("a"), "three", t, after).unwrap());
    assert!(acquire(&mut conn, &TenantId::from("a"), "three", after, after).unwrap());
    assert!(!renew(&mut conn, &TenantId::from("a"), "two", after).unwrap());
    // Releasing someone else's lease does nothing.
    release(&mut conn, &TenantId::from("a"), "two").unwrap();
    assert!(!acquire(&mut conn, &TenantId::from("a"), "four", t, after).unwrap());
    // Leases that ran out long ago are pruned; live ones stay.
    assert_eq!(
        prune(&mut conn, after).unwrap(),
        1,
        "b's ran out at `later`"
    );
    assert_eq!(held(&mut conn, after).unwrap(), ["a"]);
}
