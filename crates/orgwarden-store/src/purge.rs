//! The one place that knows every tenant-owned table. A table added to the schema with a
//! `tenant_id` column is added here too; the server's `zero_retention_purges_at_once` test
//! checks that no row of any such table survives.

use crate::{DbConnection, StoreError};
use orgwarden_ids::TenantId;

/// Deletes the rows of every tenant-owned table (not the `tenants` row itself).
pub(crate) fn delete_tenant_rows(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> Result<(), StoreError> {
    crate::org_connections::purge(conn, tenant_id)?;
    crate::mirror::purge(conn, tenant_id)?;
    crate::mirror::activity_summary::purge(conn, tenant_id)?;
    crate::sync_runs::purge(conn, tenant_id)?;
    crate::operations::purge(conn, tenant_id)?;
    crate::license_states::purge(conn, tenant_id)?;
    crate::tasks::purge(conn, tenant_id)?;
    crate::saved_filters::purge(conn, tenant_id)?;
    crate::settings::purge(conn, tenant_id)?;
    crate::access::control::purge(conn, tenant_id)?;
    crate::access::tokens::purge(conn, tenant_id)?;
    crate::audit::purge(conn, tenant_id)?;
    crate::webhooks::purge(conn, tenant_id)?;
    crate::tenant_leases::purge(conn, tenant_id)?;
    Ok(())
}
