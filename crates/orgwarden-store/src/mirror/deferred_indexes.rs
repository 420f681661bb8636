//! SQLite secondary indexes that the first full sync into empty tables builds after its rows
//! are in.
//!
//! The access rows' index by site, product and activity and the memberships' index by group are
//! reached in no order while rows go in by primary key: maintained row by row they were 40 % of
//! a 100,000-user sync's CPU, while `CREATE INDEX` over the finished rows sorts them once for a
//! fraction of that. Only empty tables are written without them (a first sync: no reader of any
//! generation can be slowed down, and the build reads no other rows); a sync beside published
//! rows maintains them as it writes. An index missing after a crash is built again when the
//! database is opened ([`restore`], from [`crate::Database::run_migrations`]).

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
    let DbConnection::Sqlite(c) = conn else {
        return Ok(());
    };
    let cache = diesel::sql_query("PRAGMA cache_size").get_result::<CacheSize>(c)?;
    let mut sql = format!("PRAGMA cache_size = -{BUILD_CACHE_KIB}; PRAGMA temp_store = FILE;");
    for (name, body) in INDEXES {
        sql.push_str(&format!(" CREATE INDEX IF NOT EXISTS {name} {body};"));
    }
    let built = c.batch_execute(&sql);
    c.batch_execute(&format!(
        "PRAGMA temp_store = MEMORY; PRAGMA cache_size = {}",
        cache.cache_size
    ))?;
    Ok(built?)
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
