//! What a tenant's lifecycle allows background work to do: nothing calls Atlassian for a tenant
//! that disabled or uninstalled the app. A disabled tenant's operations wait (and resume when
//! it is enabled again); an uninstalled tenant's are cancelled.

use orgwarden_ids::TenantId;
use orgwarden_store::tenants::{self, TenantState};
use orgwarden_store::{DbConnection, StoreError};

/// Whether background work may act for a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantStanding {
    /// Installed or enabled: work runs.
    Active,
    /// Disabled by an admin: work waits.
    Disabled,
    /// Uninstalled (or unknown): work ends.
    Gone,
}

/// The tenant's standing now.
pub fn tenant_standing(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> Result<TenantStanding, StoreError> {
    Ok(match tenants::find(conn, tenant_id)? {
        None => TenantStanding::Gone,
        Some(tenant) => match tenant.state() {
            TenantState::Installed | TenantState::Enabled => TenantStanding::Active,
            TenantState::Disabled => TenantStanding::Disabled,
            TenantState::Uninstalled => TenantStanding::Gone,
        },
    })
}
