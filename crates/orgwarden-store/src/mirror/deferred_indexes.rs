//! Two SQLite secondary indexes that syncs build by sorting once, where no reader can miss them,
//! instead of maintaining them row by row.
//!
//! The access rows' index by site, product and activity and the memberships' index by group are
//! reached in no order while rows go in by primary key: maintained row by row they were 40 % of
//! a 100,000-user sync's CPU, while `CREATE INDEX` over the finished rows sorts them once for a
//! fraction of that. Only empty tables are written without them (a first sync: no reader of any
//! generation can be slowed down, and the build reads no other rows); a sync beside published
//! rows maintains them as it writes. Publishing such a sync, the previous generation is deleted
//! without them and they are built again in the same transaction ([`delete_unindexed`]): deleted
//! row by row from indexes they were reached in no order too, and one transaction held the write
//! lock for 25 s. An index missing after a crash is built again when the database is opened
//! ([`restore`], from [`crate::Database::run_migrations`]).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::schema::{group_members, user_access};
use crate::{DbConnection, StoreError};

/// Each deferred index: its name and the rest of its `CREATE INDEX` statement, exactly as the
/// migrations define it (a test compares them).
const INDEXES: [(&str, &str); 2] = [
    (
        "user_access_scope",
        "ON user_access (tenant_id, generation, site_id, product_key, last_active, account_id)",
    ),
    (
        "group_members_group",
        "ON group_members (tenant_id, generation, group_id, account_id)",
    ),
];

/// On SQLite, drops the deferred indexes when their tables hold no row at all; returns whether
/// it did. The caller calls [`restore`] once its rows are in, failed or not. Concurrent writers
/// need no coordination: a row written while an index is missing is indexed when it is built.
pub(crate) fn defer(conn: &mut DbConnection) -> Result<bool, StoreError> {
    let DbConnection::Sqlite(c) = conn else {
        return Ok(false);
    };
    let access = user_access::table
        .select(user_access::generation)
        .first::<i64>(c)
        .optional()?;
    let members = group_members::table
        .select(group_members::generation)
        .first::<i64>(c)
        .optional()?;
    if access.is_some() || members.is_some() {
        return Ok(false);
    }
    for (name, _) in INDEXES {
        c.batch_execute(&format!("DROP INDEX IF EXISTS {name}"))?;
    }
    Ok(true)
}

/// Page cache while the indexes are built: SQLite's sort keeps about this much in memory before
/// it merges from temporary files, and smaller runs sort faster than one large one (with 96 MiB
/// the build took 60 % more CPU and 100 MiB more memory than with 8).
const BUILD_CACHE_KIB: u32 = 8192;

/// What `PRAGMA cache_size` answers.
#[derive(QueryableByName)]
struct CacheSize {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    cache_size: i32,
}

/// Builds every deferred index that is missing (on SQLite; nothing on PostgreSQL), sorting in
/// temporary files rather than memory; the connection's page cache is as before afterwards.
pub fn restore(conn: &mut DbConnection) -> Result<(), StoreError> {
    building(conn, build)
}

/// Runs `f` with the settings an index build wants (on SQLite: a small page cache, sorts in
/// temporary files, neither of which a transaction may change), then puts back the connection's
/// page cache and the pool's in-memory temporary store.
pub(crate) fn building<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let DbConnection::Sqlite(c) = conn else {
        return f(conn);
    };
    let cache = diesel::sql_query("PRAGMA cache_size").get_result::<CacheSize>(c)?;
    c.batch_execute(&format!(
        "PRAGMA cache_size = -{BUILD_CACHE_KIB}; PRAGMA temp_store = FILE"
    ))?;
    let done = f(conn);
    conn.batch_execute(&format!(
        "PRAGMA temp_store = MEMORY; PRAGMA cache_size = {}",
        cache.cache_size
    ))?;
    done
}

/// Creates every deferred index that is missing (SQLite).
fn build(conn: &mut DbConnection) -> Result<(), StoreError> {
    if let DbConnection::Sqlite(c) = conn {
        for (name, body) in INDEXES {
            c.batch_execute(&format!("CREATE INDEX IF NOT EXISTS {name} {body}"))?;
        }
    }
    Ok(())
}

/// Access rows of a tenant's other generations against the table's, from which deleting them
/// without the indexes and building those again is the cheaper way (1 in 3: a single
/// organization replacing its generation has 1 in 2).
const REBUILD_SHARE: i64 = 3;

/// Inside the caller's transaction (begun within [`building`]): when `tenant_id`'s generations
/// other than `keep` hold a large share of the access rows (see [`REBUILD_SHARE`]), drops the
/// deferred indexes so that those rows go without finding their index entries one by one, runs
/// `delete`, and builds the indexes again; otherwise just runs `delete`. Readers keep the
/// indexes of the snapshot they read until the transaction commits.
pub(crate) fn delete_unindexed(
    conn: &mut DbConnection,
    (tenant_id, keep): (&str, i64),
    delete: impl FnOnce(&mut DbConnection) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let DbConnection::Sqlite(c) = conn else {
        return delete(conn);
    };
    // Older and newer apart: each count is one range of the primary key.
    let rows = user_access::table.filter(user_access::tenant_id.eq(tenant_id));
    let older: i64 = rows
        .filter(user_access::generation.lt(keep))
        .count()
        .get_result(c)?;
    let newer: i64 = rows
        .filter(user_access::generation.gt(keep))
        .count()
        .get_result(c)?;
    let others = older + newer;
    let all: i64 = user_access::table.count().get_result(c)?;
    if others == 0 || others * REBUILD_SHARE < all {
        return delete(conn);
    }
    for (name, _) in INDEXES {
        c.batch_execute(&format!("DROP INDEX IF EXISTS {name}"))?;
    }
    delete(conn)?;
    build(conn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{empty_database, fresh_database};
    use crate::Backend;
    use diesel_migrations::MigrationHarness;

    #[derive(QueryableByName)]
    struct Definition {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        sql: Option<String>,
    }

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }

    fn definition(conn: &mut DbConnection, name: &str) -> Option<String> {
        diesel::sql_query("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?")
            .bind::<diesel::sql_types::Text, _>(name)
            .get_result::<Definition>(conn)
            .optional()
            .expect("schema reads")
            .and_then(|d| d.sql)
    }

    #[test]
    fn restored_indexes_are_the_migrations_own() {
        // Migrated without the restore, so an index a migration drops is not made again here.
        let fresh = empty_database(Backend::Sqlite);
        let mut conn = fresh.db.get().expect("connection");
        if let DbConnection::Sqlite(c) = &mut *conn {
            c.run_pending_migrations(crate::connection::SQLITE_MIGRATIONS)
                .expect("migrations apply");
        }
        let migrated: Vec<_> = INDEXES
            .iter()
            .map(|(name, _)| definition(&mut conn, name))
            .collect();
        for ((name, body), sql) in INDEXES.iter().zip(&migrated) {
            assert_eq!(
                sql.as_deref(),
                Some(format!("CREATE INDEX {name} {body}").as_str())
            );
        }
        assert!(defer(&mut conn).expect("defers"), "empty tables defer");
        for (name, _) in INDEXES {
            assert_eq!(definition(&mut conn, name), None);
        }
        restore(&mut conn).expect("builds");
        let cache = diesel::sql_query("PRAGMA cache_size")
            .get_result::<CacheSize>(&mut conn)
            .expect("cache size");
        assert_eq!(cache.cache_size, -16384, "the pool's page cache again");
        let built: Vec<_> = INDEXES
            .iter()
            .map(|(name, _)| definition(&mut conn, name))
            .collect();
        assert_eq!(built, migrated);
        assert!(defer(&mut conn).expect("defers"));
        // A crash here leaves them missing: opening the database builds them again.
        drop(conn);
        fresh.db.run_migrations().expect("opens");
        let mut conn = fresh.db.get().expect("connection");
        let restored: Vec<_> = INDEXES
            .iter()
            .map(|(name, _)| definition(&mut conn, name))
            .collect();
        assert_eq!(restored, migrated);
    }

    #[test]
    fn a_replaced_generation_goes_without_its_index_entries_and_they_are_built_again() {
        let fresh = fresh_database(Backend::Sqlite);
        let mut conn = fresh.db.get().expect("connection");
        let mut rows = String::new();
        for (generation, account) in [(1, "a"), (1, "b"), (2, "a"), (2, "c")] {
            rows.push_str(&format!(
                "INSERT INTO user_access VALUES ('t', {generation}, '{account}', 's', 'jira', NULL); \
                 INSERT INTO group_members VALUES ('t', {generation}, 'g', '{account}');"
            ));
        }
        conn.batch_execute(&rows).expect("two generations");
        let migrated: Vec<_> = INDEXES
            .iter()
            .map(|(name, _)| definition(&mut conn, name))
            .collect();
        building(&mut conn, |conn| {
            crate::transaction(conn, |conn| {
                delete_unindexed(conn, ("t", 2), |conn| {
                    conn.batch_execute(
                        "DELETE FROM user_access WHERE generation <> 2; \
                         DELETE FROM group_members WHERE generation <> 2",
                    )?;
                    let dropped: Vec<_> = INDEXES
                        .iter()
                        .filter_map(|(name, _)| definition(conn, name))
                        .collect();
                    assert!(dropped.is_empty(), "half the rows go without the indexes");
                    Ok(())
                })
            })
        })
        .expect("deleted");
        let built: Vec<_> = INDEXES
            .iter()
            .map(|(name, _)| definition(&mut conn, name))
            .collect();
        assert_eq!(built, migrated);
        let left = diesel::sql_query(
            "SELECT COUNT(*) AS n FROM user_access INDEXED BY user_access_scope \
             WHERE tenant_id = 't' AND generation = 2 AND site_id = 's'",
        )
        .get_result::<Count>(&mut conn)
        .expect("read through the index");
        assert_eq!(left.n, 2);
    }

    #[test]
    fn tables_with_rows_keep_their_indexes() {
        let fresh = fresh_database(Backend::Sqlite);
        let mut conn = fresh.db.get().expect("connection");
        conn.batch_execute(
            "INSERT INTO group_members (tenant_id, generation, group_id, account_id) \
             VALUES ('t', 1, 'g', 'a')",
        )
        .expect("a membership");
        assert!(!defer(&mut conn).expect("checks"));
        for (name, _) in INDEXES {
            assert!(definition(&mut conn, name).is_some(), "{name} kept");
        }
    }
}
