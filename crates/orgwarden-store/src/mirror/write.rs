//! Batched, idempotent inserts: a row already present (a page read twice) is kept.

use diesel::prelude::*;

use super::rows::{NewAccess, NewGrant, NewGroup, NewMember, NewProduct, NewSite, NewUser};
use crate::schema::{
    group_grants, group_members, org_groups, org_users, site_products, sites, user_access,
};
use crate::{DbConnection, StoreError};

// Rows per prepared statement: a full chunk is a fixed-size array, whose statement diesel
// caches by type, so the SQL is parsed once per connection instead of once per chunk (a
// statement of a varying number of rows is never cached). Only the last, shorter chunk of a
// call is prepared afresh. 100 rows of the widest row stay far under SQLite's 32,766 and
// PostgreSQL's 65,535 bind parameters.
const ROWS_PER_STATEMENT: usize = 100;

/// One `INSERT` of `rows` that keeps a row already present: on SQLite `INSERT OR IGNORE`, which,
/// unlike `ON CONFLICT DO NOTHING`, cannot abort halfway, so SQLite keeps no statement journal
/// (a copy of every page the statement touches); the mirror's rows have no null in a `NOT NULL`
/// column and no foreign key, so a primary key already present is all it ignores.
macro_rules! insert_kept {
    ($conn:expr, $table:ident, $rows:expr) => {
        match $conn {
            DbConnection::Sqlite(c) => diesel::insert_or_ignore_into($table::table)
                .values($rows)
                .execute(c),
            DbConnection::Pg(c) => diesel::insert_into($table::table)
                .values($rows)
                .on_conflict_do_nothing()
                .execute(c),
        }
    };
}

macro_rules! insert_fn {
    ($(#[$doc:meta])* $name:ident, $row:ty, $table:ident) => {
        $(#[$doc])*
        pub fn $name(conn: &mut DbConnection, rows: &[$row]) -> Result<usize, StoreError> {
            let mut written = 0;
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                written += match <&[$row; ROWS_PER_STATEMENT]>::try_from(chunk) {
                    Ok(full) => insert_kept!(&mut *conn, $table, full)?,
                    Err(_) => insert_kept!(&mut *conn, $table, chunk)?,
                };
            }
            Ok(written)
        }
    };
}

insert_fn!(/// Inserts sites.
    insert_sites, NewSite, sites);
insert_fn!(/// Inserts products of sites.
    insert_products, NewProduct, site_products);
insert_fn!(/// Inserts users.
    insert_users, NewUser, org_users);
insert_fn!(/// Inserts product access rows.
    insert_access, NewAccess, user_access);
insert_fn!(/// Inserts groups.
    insert_groups, NewGroup, org_groups);
insert_fn!(/// Inserts memberships.
    insert_members, NewMember, group_members);
insert_fn!(/// Inserts group grants.
    insert_grants, NewGrant, group_grants);

/// Writes users into a generation that a full sync is building, in one transaction; returns
/// how many were written. They must not be in the generation yet (the sync hands each user over
/// once): they are sorted into primary-key order, so every B-tree fills from one side, and
/// exact duplicates are dropped; PostgreSQL receives them by binary `COPY`, several times faster
/// than `INSERT` with bound parameters. Their access rows and memberships wait in
/// [`PendingChildren`](super::PendingChildren) for the rest of the generation.
pub fn write_new_users(
    conn: &mut DbConnection,
    mut users: Vec<NewUser>,
) -> Result<usize, StoreError> {
    users.sort_unstable_by(|a, b| a.account_id.cmp(&b.account_id));
    users.dedup_by(|a, b| a.account_id == b.account_id);
    crate::transaction(conn, |conn| match conn {
        DbConnection::Pg(pg) => Ok(diesel::copy_from(org_users::table)
            .from_insertable(&users)
            .execute(pg)?),
        DbConnection::Sqlite(_) => insert_users(conn, &users),
    })
}

/// Inserts users with their access rows and memberships; returns how many users were new.
pub(super) fn insert_all(
    conn: &mut DbConnection,
    users: &[NewUser],
    access: &[NewAccess],
    members: &[NewMember],
) -> Result<usize, StoreError> {
    let written = insert_users(conn, users)?;
    insert_access(conn, access)?;
    insert_members(conn, members)?;
    Ok(written)
}
