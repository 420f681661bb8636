//! Batched, idempotent inserts: a row already present (a page read twice) is kept.

use diesel::prelude::*;

use super::rows::{NewAccess, NewGrant, NewGroup, NewMember, NewProduct, NewSite, NewUser};
use crate::connection::with_backend;
use crate::schema::{
    group_grants, group_members, org_groups, org_users, site_products, sites, user_access,
};
use crate::{DbConnection, StoreError};

// Well under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters for the widest row.
const ROWS_PER_STATEMENT: usize = 1000;

macro_rules! insert_fn {
    ($(#[$doc:meta])* $name:ident, $row:ty, $table:ident) => {
        $(#[$doc])*
        pub fn $name(conn: &mut DbConnection, rows: &[$row]) -> Result<usize, StoreError> {
            let mut written = 0;
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                written += with_backend!(&mut *conn, |c| diesel::insert_into($table::table)
                    .values(chunk)
                    .on_conflict_do_nothing()
                    .execute(c))?;
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
