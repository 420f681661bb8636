//! The SQL mirror of the organization.
//!
//! Every row carries `tenant_id` and the `generation` of the sync that wrote it. A full sync
//! writes a new generation beside the current one and [`publish`]es it in one transaction, so
//! readers (who only ever read [`current`]'s generation) see the previous complete mirror until
//! the new one is complete; a failed sync [`discard`]s its generation. A partial sync (only some
//! users) replaces those users' rows inside the current generation, and an incremental sync
//! applies what the organization's events named in place ([`changes`]), writing only the users
//! whose [`content_hash`] changed.

/// Deletes the rows of `$table` in one tenant's generation whose `$key` is one of `$keys`;
/// evaluates to the statement's `QueryResult<usize>`.
macro_rules! delete_keyed {
    ($conn:expr, $table:ident, $key:ident, ($tenant:expr, $generation:expr), $keys:expr) => {
        diesel::delete(
            $table::table
                .filter($table::tenant_id.eq($tenant))
                .filter($table::generation.eq($generation))
                .filter($table::$key.eq_any($keys)),
        )
        .execute($conn)
    };
}

pub(crate) mod activity_summary;
pub mod changes;
mod children;
mod deferred_indexes;
mod hash;
mod rows;
mod tally;
mod write;

pub use activity_summary::is_exact as activity_summary_is_exact;
pub use children::{write_children, PendingChildren};
pub use deferred_indexes::restore as restore_deferred_indexes;
pub use hash::content_hash;
pub use rows::{
    products_column, search_text_column, NewAccess, NewGrant, NewGroup, NewMember, NewProduct,
    NewSite, NewUser,
};
pub use tally::ActivityTally;
pub use write::{
    insert_access, insert_grants, insert_groups, insert_members, insert_products, insert_sites,
    insert_users, write_new_users,
};

use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use orgwarden_ids::{DirectoryId, OrgId, TenantId};

use crate::connection::with_backend;
use crate::schema::{
    group_grants, group_members, mirror_state, org_groups, org_users, site_products, sites,
    user_access,
};
use crate::{DbConnection, StoreError};

/// One generation of a tenant's mirror: what mirror reads and writes address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MirrorRef<'a> {
    /// The tenant.
    pub tenant: &'a TenantId,
    /// The generation (a sync run's id).
    pub generation: i64,
}

/// Which generation readers see, and of which organization.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mirror_state)]
pub struct MirrorState {
    /// Tenant id.
    pub tenant_id: TenantId,
    /// The published generation.
    pub generation: i64,
    /// Organization id it mirrors.
    pub org_id: OrgId,
    /// Directory id used for directory-scoped calls.
    pub directory_id: DirectoryId,
    /// When it was published (or last changed by a partial or incremental sync).
    pub synced_at: NaiveDateTime,
    /// Where an incremental sync continues the organization's events stream (`None`: the next
    /// sync must be a full one).
    pub events_cursor: Option<String>,
    /// When the full sync this mirror stems from started.
    pub reconciled_at: Option<NaiveDateTime>,
}

/// The published mirror of a tenant, if any sync has completed.
pub fn current(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> Result<Option<MirrorState>, StoreError> {
    Ok(mirror_state::table
        .find(tenant_id)
        .select(MirrorState::as_select())
        .first(conn)
        .optional()?)
}

/// Makes `generation` the one readers see and deletes every older generation of the tenant.
/// `tally`: the activity summary counted while the generation was written. On SQLite a large
/// replaced generation goes with two indexes dropped and built again in the same transaction
/// (see `deferred_indexes`). Call it outside any transaction.
pub fn publish(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
    (org_id, directory_id): (&OrgId, &DirectoryId),
    now: NaiveDateTime,
    tally: &ActivityTally,
) -> Result<(), StoreError> {
    deferred_indexes::building(conn, |conn| {
        crate::transaction(conn, |conn| {
            let row = (
                mirror_state::tenant_id.eq(tenant_id),
                mirror_state::generation.eq(generation),
                mirror_state::org_id.eq(org_id),
                mirror_state::directory_id.eq(directory_id),
                mirror_state::synced_at.eq(now),
            );
            with_backend!(&mut *conn, |c| diesel::insert_into(mirror_state::table)
                .values(row)
                .on_conflict(mirror_state::tenant_id)
                .do_update()
                .set((
                    mirror_state::generation.eq(generation),
                    mirror_state::org_id.eq(org_id),
                    mirror_state::directory_id.eq(directory_id),
                    mirror_state::synced_at.eq(now),
                ))
                .execute(c))?;
            deferred_indexes::delete_unindexed(conn, (tenant_id, generation), |conn| {
                delete_generations(conn, tenant_id, Generations::AllBut(generation))
            })?;
            // The dashboard's summary, ready before anyone reads the generation.
            activity_summary::store(conn, tenant_id, generation, now, tally)
        })
    })?;
    // Fresh statistics, or the planners drive joins from the wrong side on a large mirror
    // (SQLite's sampled ANALYZE was tried: its statistics led to plans ten times slower). On
    // PostgreSQL, VACUUM also marks the new rows all-visible (without it, the planner shuns
    // index-only scans: product admins took 1.4 s instead of 30 ms) and reclaims the old
    // generation.
    conn.batch_execute(match conn {
        DbConnection::Sqlite(_) => "ANALYZE",
        DbConnection::Pg(_) => "VACUUM (ANALYZE) org_users, user_access, group_members, group_grants, org_groups, sites, site_products, access_activity_days",
    })?;
    Ok(())
}

/// Deletes the rows a failed or abandoned sync wrote.
pub fn discard(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
) -> Result<(), StoreError> {
    let published = current(conn, tenant_id)?.map(|s| s.generation);
    if published == Some(generation) {
        return Ok(());
    }
    delete_generations(conn, tenant_id, Generations::Only(generation))
}

/// Marks the current mirror as fresh (after a partial sync) and rebuilds what is derived from
/// it, in one transaction.
pub fn touch(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    crate::transaction(conn, |conn| {
        diesel::update(mirror_state::table.find(tenant_id))
            .set(mirror_state::synced_at.eq(now))
            .execute(conn)?;
        match current(conn, tenant_id)? {
            Some(state) => activity_summary::rebuild(conn, tenant_id, state.generation, now),
            None => Ok(()),
        }
    })
}

/// Removes the given users (rows, access, memberships) from a generation, before a partial sync
/// writes them again. Users gone from the organization are simply not written back. Returns how
/// many rows were deleted.
pub fn remove_users(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
    account_ids: &[String],
) -> Result<usize, StoreError> {
    let mut deleted = 0;
    for chunk in account_ids.chunks(500) {
        deleted += delete_keyed!(conn, org_users, account_id, (tenant_id, generation), chunk)?;
        deleted += delete_keyed!(
            conn,
            user_access,
            account_id,
            (tenant_id, generation),
            chunk
        )?;
        deleted += delete_keyed!(
            conn,
            group_members,
            account_id,
            (tenant_id, generation),
            chunk
        )?;
    }
    Ok(deleted)
}

/// Deletes every mirror row of a tenant (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &str) -> Result<(), StoreError> {
    delete_generations(conn, tenant_id, Generations::All)?;
    diesel::delete(mirror_state::table.find(tenant_id)).execute(conn)?;
    Ok(())
}

/// Which generations a delete touches.
#[derive(Clone, Copy)]
enum Generations {
    Only(i64),
    AllBut(i64),
    All,
}

fn delete_generations(
    conn: &mut DbConnection,
    tenant_id: &str,
    which: Generations,
) -> Result<(), StoreError> {
    macro_rules! delete_from {
        ($table:ident) => {{
            let rows = $table::table.filter($table::tenant_id.eq(tenant_id));
            match which {
                Generations::Only(g) => {
                    diesel::delete(rows.filter($table::generation.eq(g))).execute(conn)?
                }
                Generations::AllBut(g) => {
                    diesel::delete(rows.filter($table::generation.ne(g))).execute(conn)?
                }
                Generations::All => diesel::delete(rows).execute(conn)?,
            };
        }};
    }
    delete_from!(sites);
    delete_from!(site_products);
    delete_from!(org_users);
    delete_from!(user_access);
    delete_from!(org_groups);
    delete_from!(group_members);
    delete_from!(group_grants);
    Ok(())
}

/// Replaces the rows (user, access, memberships) of `account_ids` in `generation` by those
/// given, in one transaction (a partial sync; users gone from the organization are simply not
/// given); returns how many users were written.
pub fn replace_users(
    conn: &mut DbConnection,
    (tenant_id, generation, account_ids): (&TenantId, i64, &[String]),
    users: &[NewUser],
    access: &[NewAccess],
    members: &[NewMember],
) -> Result<usize, StoreError> {
    crate::transaction(conn, |conn| {
        remove_users(conn, tenant_id, generation, account_ids)?;
        write::insert_all(conn, users, access, members)
    })
}

/// Site names by cloud id in a generation.
pub fn site_names(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
    Ok(sites::table
        .filter(sites::tenant_id.eq(tenant_id))
        .filter(sites::generation.eq(generation))
        .select((sites::site_id, sites::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}
