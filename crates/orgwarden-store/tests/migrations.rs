//! Migrations apply, revert and re-apply on both backends.
use orgwarden_store::testing::empty_database;
use orgwarden_store::Backend;

use orgwarden_store::on_both_backends;

on_both_backends!(sync: migrations_go_up_down_up, a_database_a_newer_build_migrated_is_refused);

fn migrations_go_up_down_up(backend: Backend) {
    let test = empty_database(backend);
    assert!(
        !test.db.is_ready().unwrap(),
        "{backend:?}: pending before migrate"
    );
    test.db.run_migrations().unwrap();
    assert!(test.db.is_ready().unwrap(), "{backend:?}: ready after up");
    test.db.revert_all_migrations().unwrap();
    assert!(
        !test.db.is_ready().unwrap(),
        "{backend:?}: pending after down"
    );
    test.db.run_migrations().unwrap();
    assert!(
        test.db.is_ready().unwrap(),
        "{backend:?}: ready after up again"
    );
}

/// Two processes starting together on one unmigrated PostgreSQL database both come up: they
/// take turns on the migrations (the second finds nothing left to apply).
#[test]
fn processes_migrating_at_once_take_turns_on_postgres() {
    let test = empty_database(Backend::Postgres);
    let other = orgwarden_store::Database::connect(&test.url).unwrap();
    std::thread::scope(|scope| {
        let first = scope.spawn(|| test.db.run_migrations());
        let second = scope.spawn(|| other.run_migrations());
        first.join().unwrap().unwrap();
        second.join().unwrap().unwrap();
    });
    assert!(test.db.is_ready().unwrap());
}

fn a_database_a_newer_build_migrated_is_refused(backend: Backend) {
    use diesel::RunQueryDsl;
    let test = orgwarden_store::testing::fresh_database(backend);
    let mut conn = test.db.get().unwrap();
    diesel::sql_query("INSERT INTO __diesel_schema_migrations (version) VALUES ('20991231000000')")
        .execute(&mut *conn)
        .unwrap();
    drop(conn);
    let refused = test.db.run_migrations().unwrap_err().to_string();
    assert!(
        refused.contains("newer orgwarden") && refused.contains("20991231000000"),
        "{backend:?}: {refused}"
    );
}
