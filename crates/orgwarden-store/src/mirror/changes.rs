//! Changes applied to the published generation in place (an incremental sync): users and groups
//! re-read from the Admin API replace their rows, in one transaction, and only the users whose
//! [`content_hash`](super::content_hash) differs from the stored one are written.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rows::{NewAccess, NewGrant, NewGroup, NewMember, NewUser};
use super::write::{insert_all, insert_grants, insert_groups};
use super::{activity_summary, MirrorRef};
use crate::schema::{group_grants, group_members, mirror_state, org_groups, org_users};
use crate::{DbConnection, StoreError};

/// What an incremental sync read, to apply to the published generation.
#[derive(Debug, Default)]
pub struct Changes {
    /// The users re-read: those absent from `users` left the organization.
    pub reread_users: Vec<String>,
    /// Their fresh rows.
    pub users: Vec<NewUser>,
    /// Their access rows.
    pub access: Vec<NewAccess>,
    /// Their memberships.
    pub members: Vec<NewMember>,
    /// The groups re-read: those absent from `groups` were deleted.
    pub reread_groups: Vec<String>,
    /// Their fresh rows.
    pub groups: Vec<NewGroup>,
    /// What they grant.
    pub grants: Vec<NewGrant>,
    /// Groups whose members changed but not the group: their count is taken from the mirror.
    pub recount_groups: Vec<String>,
}

/// Where the organization's events stream was read to, for the next incremental sync.
pub struct EventsPosition<'a> {
    /// The stream cursor to continue from (`None`: the next sync must be a full one).
    pub cursor: Option<&'a str>,
    /// When the last full reconciliation started (kept as it is when `None`).
    pub reconciled_at: Option<NaiveDateTime>,
}

/// Applies `changes` to the published `generation` of the tenant and stores the events
/// position, in one transaction; returns how many mirror rows were inserted or deleted. Fails
/// (writing nothing) if `generation` is no longer the published one.
pub fn apply(
    conn: &mut DbConnection,
    mirror: MirrorRef<'_>,
    changes: &Changes,
    position: &EventsPosition<'_>,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    let (tenant_id, generation) = (mirror.tenant.as_str(), mirror.generation);
    crate::transaction(conn, |conn| {
        let published = super::current(conn, mirror.tenant)?.map(|m| m.generation);
        if published != Some(generation) {
            return Err(StoreError::Query(diesel::result::Error::NotFound));
        }
        let summary_exact = activity_summary::is_current(conn, tenant_id, generation)?;
        let mut written = apply_groups(conn, mirror, changes)?;
        let users = plan_users(conn, mirror, changes)?;
        let touched = users.touched();
        let before = summary_exact
            .then(|| activity_summary::counts(conn, tenant_id, generation, &touched))
            .transpose()?;
        written += write_users(conn, mirror, &users)?;
        recount(conn, mirror, &changes.recount_groups)?;
        diesel::update(mirror_state::table.find(tenant_id))
            .set((
                mirror_state::synced_at.eq(now),
                mirror_state::events_cursor.eq(position.cursor),
            ))
            .execute(conn)?;
        // The dashboard's summary moves by what the rewritten users count (rebuilt from the whole
        // mirror only when it was not exact before).
        match before {
            Some(before) => {
                let after = activity_summary::counts(conn, tenant_id, generation, &touched)?;
                activity_summary::adjust(conn, (tenant_id, generation), &before, &after, now)?;
            }
            None => activity_summary::rebuild(conn, tenant_id, generation, now)?,
        }
        Ok(written)
    })
}

/// Stores where the events stream was read to when `generation` was built (right after a full
/// sync published it); nothing happens if another generation is published by then.
pub fn set_events_position(
    conn: &mut DbConnection,
    mirror: MirrorRef<'_>,
    position: &EventsPosition<'_>,
) -> Result<(), StoreError> {
    let (tenant_id, generation) = (mirror.tenant.as_str(), mirror.generation);
    let row = mirror_state::table
        .filter(mirror_state::tenant_id.eq(tenant_id))
        .filter(mirror_state::generation.eq(generation));
    diesel::update(row)
        .set(mirror_state::events_cursor.eq(position.cursor))
        .execute(conn)?;
    if let Some(at) = position.reconciled_at {
        diesel::update(row)
            .set(mirror_state::reconciled_at.eq(at))
            .execute(conn)?;
    }
    Ok(())
}

/// The stored content hashes of `account_ids` in a generation.
pub fn stored_hashes(
    conn: &mut DbConnection,
    mirror: MirrorRef<'_>,
    account_ids: &[String],
) -> Result<HashMap<String, i64>, StoreError> {
    let (tenant_id, generation) = (mirror.tenant.as_str(), mirror.generation);
    let mut hashes = HashMap::new();
    for chunk in account_ids.chunks(500) {
        let rows: Vec<(String, i64)> = org_users::table
            .filter(org_users::tenant_id.eq(tenant_id))
            .filter(org_users::generation.eq(generation))
            .filter(org_users::account_id.eq_any(chunk))
            .select((org_users::account_id, org_users::content_hash))
            .load(conn)?;
        hashes.extend(rows);
    }
    Ok(hashes)
}

/// The members of `group_ids` in a generation, as the mirror has them.
pub fn group_member_ids(
    conn: &mut DbConnection,
    mirror: MirrorRef<'_>,
    group_ids: &[String],
) -> Result<Vec<String>, StoreError> {
    let (tenant_id, generation) = (mirror.tenant.as_str(), mirror.generation);
    let mut ids = Vec::new();
    for chunk in group_ids.chunks(500) {
        let rows: Vec<String> = group_members::table
            .filter(group_members::tenant_id.eq(tenant_id))
            .filter(group_members::generation.eq(generation))
            .filter(group_members::group_id.eq_any(chunk))
            .select(group_members::account_id)
            .load(conn)?;
        ids.extend(rows);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The users an incremental sync rewrites: those removed (changed or gone) and those written.
struct UserPlan {
    replaced: Vec<String>,
    users: Vec<NewUser>,
    access: Vec<NewAccess>,
    members: Vec<NewMember>,
}

impl UserPlan {
    /// Every account whose rows change.
    fn touched(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.replaced.iter().map(String::as_str).collect();
        ids.extend(self.users.iter().map(|u| u.account_id.as_str()));
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

fn plan_users(
    conn: &mut DbConnection,
    mirror: MirrorRef<'_>,
    changes: &Changes,
) -> Result<UserPlan, StoreError> {
    let stored = stored_hashes(conn, mirror, &changes.reread_users)?;
    let changed: HashSet<&str> = changes
        .users
        .iter()
        .filter(|u| stored.get(&u.account_id) != Some(&u.content_hash))
        .map(|u| u.account_id.as_str())
        .collect();
    let fresh: HashSet<&str> = changes
        .users
        .iter()
        .map(|u| u.account_id.as_str())
        .collect();
    let replaced: Vec<String> = changes
        .reread_users
        .iter()
        .filter(|id| stored.contains_key(*id))
        .filter(|id| changed.contains(id.as_str()) || !fresh.contains(id.as_str()))
        .cloned()
        .collect();
    Ok(UserPlan {
        replaced,
        users: only(&changes.users, &changed, |u| &u.account_id),
        access: only(&changes.access, &changed, |a| &a.account_id),
        members: only(&changes.members, &changed, |m| &m.account_id),
    })
}

fn write_users(
    conn: &mut DbConnection,
    mirror: MirrorRef<'_>,
    plan: &UserPlan,
) -> Result<usize, StoreError> {
    let written = super::remove_users(conn, mirror.tenant, mirror.generation, &plan.replaced)?;
    insert_all(conn, &plan.users, &plan.access, &plan.members)?;
    Ok(written + plan.users.len() + plan.access.len() + plan.members.len())
}

fn only<T: Clone>(rows: &[T], keep: &HashSet<&str>, id: impl Fn(&T) -> &String) -> Vec<T> {
    rows.iter()
        .filter(|r| keep.contains(id(r).as_str()))
        .cloned()
        .collect()
}

fn apply_groups(
    conn: &mut DbConnection,
    mirror: MirrorRef<'_>,
    changes: &Changes,
) -> Result<usize, StoreError> {
    let (tenant_id, generation) = (mirror.tenant.as_str(), mirror.generation);
    let mut written = 0;
    let fresh: HashSet<&str> = changes.groups.iter().map(|g| g.group_id.as_str()).collect();
    for chunk in changes.reread_groups.chunks(500) {
        written += delete_keyed!(conn, org_groups, group_id, (tenant_id, generation), chunk)?;
        written += delete_keyed!(conn, group_grants, group_id, (tenant_id, generation), chunk)?;
        let deleted: Vec<&String> = chunk
            .iter()
            .filter(|g| !fresh.contains(g.as_str()))
            .collect();
        written += delete_keyed!(
            conn,
            group_members,
            group_id,
            (tenant_id, generation),
            deleted
        )?;
    }
    written += insert_groups(conn, &changes.groups)?;
    written += insert_grants(conn, &changes.grants)?;
    Ok(written)
}

fn recount(
    conn: &mut DbConnection,
    mirror: MirrorRef<'_>,
    group_ids: &[String],
) -> Result<(), StoreError> {
    let (tenant_id, generation) = (mirror.tenant.as_str(), mirror.generation);
    for group_id in group_ids {
        let members: i64 = group_members::table
            .filter(group_members::tenant_id.eq(tenant_id))
            .filter(group_members::generation.eq(generation))
            .filter(group_members::group_id.eq(group_id))
            .count()
            .get_result(conn)?;
        diesel::update(
            org_groups::table
                .filter(org_groups::tenant_id.eq(tenant_id))
                .filter(org_groups::generation.eq(generation))
                .filter(org_groups::group_id.eq(group_id)),
        )
        .set(org_groups::member_count.eq(members))
        .execute(conn)?;
    }
    Ok(())
}

/// How many users a generation holds.
pub fn user_count(conn: &mut DbConnection, mirror: MirrorRef<'_>) -> Result<usize, StoreError> {
    let (tenant_id, generation) = (mirror.tenant.as_str(), mirror.generation);
    let n: i64 = org_users::table
        .filter(org_users::tenant_id.eq(tenant_id))
        .filter(org_users::generation.eq(generation))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// How many mirror rows a generation holds (what a full sync writes).
pub fn generation_rows(
    conn: &mut DbConnection,
    mirror: MirrorRef<'_>,
) -> Result<usize, StoreError> {
    let (tenant_id, generation) = (mirror.tenant.as_str(), mirror.generation);
    use crate::schema::{site_products, sites, user_access};
    macro_rules! rows_of {
        ($table:ident) => {
            $table::table
                .filter($table::tenant_id.eq(tenant_id))
                .filter($table::generation.eq(generation))
                .count()
                .get_result::<i64>(conn)?
        };
    }
    let n = rows_of!(org_users)
        + rows_of!(user_access)
        + rows_of!(group_members)
        + rows_of!(org_groups)
        + rows_of!(group_grants)
        + rows_of!(sites)
        + rows_of!(site_products);
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}
