//! Retention: the oldest entries go, and the hash of the last one deleted stays as the
//! checkpoint the first retained entry links to, sealed (the seals of deleted entries go).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use super::seal::{self, SealKey};
use crate::connection::with_backend;
use crate::schema::{audit_checkpoints, audit_entries, audit_seals};
use crate::{DbConnection, StoreError};

/// Deletes the tenant's entries recorded before `cutoff` (in chain order: everything up to the
/// newest such entry) and keeps that entry's hash as the checkpoint, sealed with `key`; returns
/// how many went.
pub fn delete_through(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    cutoff: NaiveDateTime,
    now: NaiveDateTime,
    key: &SealKey,
) -> Result<usize, StoreError> {
    crate::transaction(conn, |conn| {
        // Takes turns with a seal being stored (see `seal::insert_if_kept`).
        super::chain::lock_trail(conn, tenant_id)?;
        let last: Option<(i64, String)> = audit_entries::table
            .filter(audit_entries::tenant_id.eq(tenant_id))
            .filter(audit_entries::at.lt(cutoff))
            .order(audit_entries::id.desc())
            .select((audit_entries::id, audit_entries::hash))
            .first(conn)
            .optional()?;
        let Some((last_id, hash)) = last else {
            return Ok(0);
        };
        let values = (
            audit_checkpoints::entry_id.eq(last_id),
            audit_checkpoints::hash.eq(&hash),
            audit_checkpoints::deleted_at.eq(now),
        );
        with_backend!(&mut *conn, |c| diesel::insert_into(
            audit_checkpoints::table
        )
        .values((audit_checkpoints::tenant_id.eq(tenant_id), values))
        .on_conflict(audit_checkpoints::tenant_id)
        .do_update()
        .set(values)
        .execute(c))?;
        diesel::delete(
            audit_seals::table
                .filter(audit_seals::tenant_id.eq(tenant_id))
                .filter(audit_seals::entry_id.lt(last_id)),
        )
        .execute(conn)?;
        seal::insert(conn, tenant_id, key, last_id, &hash, now)?;
        Ok(diesel::delete(
            audit_entries::table
                .filter(audit_entries::tenant_id.eq(tenant_id))
                .filter(audit_entries::id.le(last_id)),
        )
        .execute(conn)?)
    })
}

/// Deletes the tenant's trail, checkpoint and seals, and on PostgreSQL its chain head and its
/// carried entries (purge): a tenant installed again starts a new chain.
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &str) -> Result<(), StoreError> {
    super::pending::purge(conn, tenant_id)?;
    if let DbConnection::Pg(_) = conn {
        diesel::sql_query("DELETE FROM audit_heads WHERE tenant_id = $1")
            .bind::<diesel::sql_types::Text, _>(tenant_id)
            .execute(conn)?;
    }
    diesel::delete(audit_entries::table.filter(audit_entries::tenant_id.eq(tenant_id)))
        .execute(conn)?;
    diesel::delete(audit_checkpoints::table.find(tenant_id)).execute(conn)?;
    diesel::delete(audit_seals::table.filter(audit_seals::tenant_id.eq(tenant_id)))
        .execute(conn)?;
    Ok(())
}
