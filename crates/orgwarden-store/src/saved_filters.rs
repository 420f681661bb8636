//! Saved filters: a name and a filter, reused by the browser, operations and tasks.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use crate::connection::first_for_update;
use crate::schema::saved_filters;
use crate::{DbConnection, StoreError};

/// A saved filter (the filter as JSON text).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = saved_filters)]
pub struct SavedFilter {
    /// Id.
    pub id: i64,
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Name, unique per tenant.
    pub name: String,
    /// The filter, JSON.
    pub filter: String,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: NaiveDateTime,
    /// Who changed it last.
    pub updated_by: String,
    /// When.
    pub updated_at: NaiveDateTime,
}

/// Why a save was refused.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Another filter of the tenant has this name.
    #[error("a saved filter with this name already exists")]
    DuplicateName,
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn map_unique(e: diesel::result::Error) -> SaveError {
    match e {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ) => SaveError::DuplicateName,
        other => SaveError::Store(other.into()),
    }
}

/// Every saved filter of a tenant, by name.
pub fn list(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<Vec<SavedFilter>, StoreError> {
    Ok(saved_filters::table
        .filter(saved_filters::tenant_id.eq(tenant_id))
        .order(saved_filters::name.asc())
        .select(SavedFilter::as_select())
        .load(conn)?)
}

/// One saved filter of a tenant.
pub fn find(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
) -> Result<Option<SavedFilter>, StoreError> {
    Ok(saved_filters::table
        .filter(saved_filters::tenant_id.eq(tenant_id))
        .filter(saved_filters::id.eq(id))
        .select(SavedFilter::as_select())
        .first(conn)
        .optional()?)
}

/// [`find`] inside a write transaction that changes or deletes the filter: the row stays held
/// until the transaction ends, so its audit entry's old values are the ones replaced.
pub fn find_for_update(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
) -> Result<Option<SavedFilter>, StoreError> {
    Ok(first_for_update!(
        conn,
        saved_filters::table
            .filter(saved_filters::tenant_id.eq(tenant_id))
            .filter(saved_filters::id.eq(id))
            .select(SavedFilter::as_select())
    )?)
}

/// Creates a saved filter.
pub fn create(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    name: &str,
    filter: &str,
    by: &str,
    now: NaiveDateTime,
) -> Result<SavedFilter, SaveError> {
    diesel::insert_into(saved_filters::table)
        .values((
            saved_filters::tenant_id.eq(tenant_id),
            saved_filters::name.eq(name),
            saved_filters::filter.eq(filter),
            saved_filters::created_by.eq(by),
            saved_filters::created_at.eq(now),
            saved_filters::updated_by.eq(by),
            saved_filters::updated_at.eq(now),
        ))
        .execute(conn)
        .map_err(map_unique)?;
    let created = saved_filters::table
        .filter(saved_filters::tenant_id.eq(tenant_id))
        .filter(saved_filters::name.eq(name))
        .select(SavedFilter::as_select())
        .first(conn)
        .map_err(StoreError::from)?;
    Ok(created)
}

/// Renames and/or replaces the filter; `None` when no such filter.
pub fn update(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
    name: Option<&str>,
    filter: Option<&str>,
    by: &str,
    now: NaiveDateTime,
) -> Result<Option<SavedFilter>, SaveError> {
    let Some(current) = find(conn, tenant_id, id)? else {
        return Ok(None);
    };
    diesel::update(
        saved_filters::table
            .filter(saved_filters::tenant_id.eq(tenant_id))
            .filter(saved_filters::id.eq(id)),
    )
    .set((
        saved_filters::name.eq(name.unwrap_or(&current.name)),
        saved_filters::filter.eq(filter.unwrap_or(&current.filter)),
        saved_filters::updated_by.eq(by),
        saved_filters::updated_at.eq(now),
    ))
    .execute(conn)
    .map_err(map_unique)?;
    Ok(find(conn, tenant_id, id)?)
}

/// Deletes a saved filter; whether it existed.
pub fn delete(conn: &mut DbConnection, tenant_id: &TenantId, id: i64) -> Result<bool, StoreError> {
    Ok(diesel::delete(
        saved_filters::table
            .filter(saved_filters::tenant_id.eq(tenant_id))
            .filter(saved_filters::id.eq(id)),
    )
    .execute(conn)?
        > 0)
}

/// Deletes the tenant's rows (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<(), StoreError> {
    diesel::delete(saved_filters::table.filter(saved_filters::tenant_id.eq(tenant_id)))
        .execute(conn)?;
    Ok(())
}
