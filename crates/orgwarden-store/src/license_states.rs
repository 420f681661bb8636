//! The inputs of a tenant's license evaluation as last read, and its grace start.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use crate::connection::with_backend;
use crate::schema::{license_states, mirror_state, org_users};
use crate::{DbConnection, StoreError};

/// A stored license state.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = license_states, treat_none_as_null = true)]
pub struct LicenseStateRow {
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Edition text (`standard`, `advanced`, `custom:N`, `fixed:N`).
    pub edition: String,
    /// Billable users of the installation site, as Jira reported.
    pub install_site_billable_users: i64,
    /// Billable users of the organization in the mirror.
    pub managed_users: i64,
    /// When the tenant went over its limit (recorded once, cleared when back under).
    pub grace_started_at: Option<NaiveDateTime>,
    /// The Marketplace license is active (None: unknown or free).
    pub marketplace_active: Option<bool>,
    /// Marketplace license type.
    pub marketplace_type: Option<String>,
    /// When the inputs were read.
    pub evaluated_at: NaiveDateTime,
    /// The Marketplace license is an evaluation (None: no license, or read before this was kept).
    pub marketplace_evaluation: Option<bool>,
}

/// The stored state of a tenant.
pub fn find(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> Result<Option<LicenseStateRow>, StoreError> {
    Ok(license_states::table
        .find(tenant_id)
        .select(LicenseStateRow::as_select())
        .first(conn)
        .optional()?)
}

/// Saves the state (insert or replace).
pub fn save(conn: &mut DbConnection, row: &LicenseStateRow) -> Result<(), StoreError> {
    with_backend!(&mut *conn, |c| diesel::insert_into(license_states::table)
        .values(row)
        .on_conflict(license_states::tenant_id)
        .do_update()
        .set(row)
        .execute(c))?;
    Ok(())
}

/// Billable users of the tenant's published mirror (0 before the first sync).
pub fn managed_users(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<i64, StoreError> {
    let Some(generation) = mirror_state::table
        .find(tenant_id)
        .select(mirror_state::generation)
        .first::<i64>(conn)
        .optional()?
    else {
        return Ok(0);
    };
    Ok(org_users::table
        .filter(org_users::tenant_id.eq(tenant_id))
        .filter(org_users::generation.eq(generation))
        .filter(org_users::billable.eq(true))
        .select(diesel::dsl::count_star())
        .first::<i64>(conn)
        .map(|n| n.max(0))?)
}

/// Deletes the tenant's state (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<(), StoreError> {
    diesel::delete(license_states::table.find(tenant_id)).execute(conn)?;
    Ok(())
}
