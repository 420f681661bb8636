//! Pooled PostgreSQL connections carry the planner settings the mirror's queries are tuned for,
//! and commit durably whatever the server's default; a sync writer's checkpoint keeps SQLite's busy
//! timeout.
use diesel::sql_types::Text;
use diesel::{QueryableByName, RunQueryDsl};
use orgwarden_store::testing::fresh_database;
use orgwarden_store::{Backend, DbConnection};

#[derive(QueryableByName)]
struct Setting {
    #[diesel(sql_type = Text)]
    value: String,
}

#[test]
fn postgres_connections_favour_index_scans_and_commit_durably() {
    let test = fresh_database(Backend::Postgres);
    for _ in 0..2 {
        let mut conn = test.db.get().unwrap();
        let DbConnection::Pg(pg) = &mut *conn else {
            panic!("a PostgreSQL pool hands out PostgreSQL connections");
        };
        let mut setting = |name: &str| {
            diesel::sql_query(format!("SELECT current_setting('{name}') AS value"))
                .get_result::<Setting>(&mut *pg)
                .unwrap()
                .value
        };
        assert_eq!(setting("random_page_cost"), "1.1");
        assert_eq!(setting("max_parallel_workers_per_gather"), "0");
        assert_eq!(setting("synchronous_commit"), "on");
    }
}

#[derive(QueryableByName)]
struct Timeout {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    timeout: i32,
}

#[test]
fn a_writer_checkpoint_leaves_the_connections_busy_timeout_as_it_was() {
    let test = fresh_database(Backend::Sqlite);
    let mut writer = test.db.writer().unwrap();
    let timeout = |writer: &mut orgwarden_store::WriterConnection| {
        let DbConnection::Sqlite(c) = &mut **writer else {
            panic!("an SQLite pool hands out SQLite connections");
        };
        diesel::sql_query("PRAGMA busy_timeout")
            .get_result::<Timeout>(c)
            .unwrap()
            .timeout
    };
    let before = timeout(&mut writer);
    assert!(before > 250, "the pool waits longer than a checkpoint does");
    writer.checkpoint().unwrap();
    assert_eq!(timeout(&mut writer), before);
}
