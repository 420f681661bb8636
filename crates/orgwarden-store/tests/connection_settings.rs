//! Pooled PostgreSQL connections carry the planner settings the mirror's queries are tuned for,
//! and commit durably whatever the server's default.
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
