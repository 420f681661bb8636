//! Per-tenant leases: the job holding a tenant's lease is the only one, in any process, that
//! uses the tenant's Admin API budget. A lease lasts until `lease_until` and is renewed while
//! its job runs; one whose holder died is taken over once it has run out.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use crate::connection::with_backend;
use crate::schema::tenant_leases;
use crate::{DbConnection, StoreError};

/// Takes the tenant's lease for `owner` until `until` when it is free, has run out at `now`, or
/// is already `owner`'s. Returns whether `owner` holds it now.
pub fn acquire(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    owner: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<bool, StoreError> {
    let row = (
        tenant_leases::tenant_id.eq(tenant_id),
        tenant_leases::owner.eq(owner),
        tenant_leases::lease_until.eq(until),
    );
    let inserted = with_backend!(&mut *conn, |c| diesel::insert_into(tenant_leases::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c))?;
    if inserted > 0 {
        return Ok(true);
    }
    // One conditional update: of two takers of a lease that ran out, one wins.
    let taken = diesel::update(tenant_leases::table.find(tenant_id))
        .filter(
            tenant_leases::lease_until
                .lt(now)
                .or(tenant_leases::owner.eq(owner)),
        )
        .set((
            tenant_leases::owner.eq(owner),
            tenant_leases::lease_until.eq(until),
        ))
        .execute(conn)?;
    Ok(taken > 0)
}

/// Extends `owner`'s lease to `until`; `false` when `owner` no longer holds it.
pub fn renew(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    owner: &str,
    until: NaiveDateTime,
) -> Result<bool, StoreError> {
    let kept = diesel::update(tenant_leases::table.find(tenant_id))
        .filter(tenant_leases::owner.eq(owner))
        .set(tenant_leases::lease_until.eq(until))
        .execute(conn)?;
    Ok(kept > 0)
}

/// Gives the lease up (nothing happens when `owner` no longer holds it).
pub fn release(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    owner: &str,
) -> Result<(), StoreError> {
    diesel::delete(tenant_leases::table.find(tenant_id))
        .filter(tenant_leases::owner.eq(owner))
        .execute(conn)?;
    Ok(())
}

/// The tenants whose lease is held at `now` (their waiting jobs are alive, not orphaned).
pub fn held(conn: &mut DbConnection, now: NaiveDateTime) -> Result<Vec<TenantId>, StoreError> {
    Ok(tenant_leases::table
        .filter(tenant_leases::lease_until.ge(now))
        .order(tenant_leases::tenant_id)
        .select(tenant_leases::tenant_id)
        .load(conn)?)
}

/// Deletes leases that ran out before `before` (their holders died); returns how many.
pub fn prune(conn: &mut DbConnection, before: NaiveDateTime) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(tenant_leases::table.filter(tenant_leases::lease_until.lt(before)))
            .execute(conn)?,
    )
}

/// Deletes the tenant's lease (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<(), StoreError> {
    diesel::delete(tenant_leases::table.find(tenant_id)).execute(conn)?;
    Ok(())
}
