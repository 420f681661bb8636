//! Groups of the mirror, for pickers and checks.

use diesel::prelude::*;
use orgwarden_ids::TenantId;
use serde::Serialize;

use crate::schema::org_groups;
use crate::{DbConnection, StoreError};

/// A group as the UI and the guards need it.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[diesel(table_name = org_groups)]
#[serde(rename_all = "camelCase")]
pub struct GroupInfo {
    /// Group id.
    #[diesel(column_name = group_id)]
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// `external`, `admins`, `team-members`, `open`.
    pub managed_by: Option<String>,
    /// Synced from an identity provider: orgwarden never changes it.
    #[diesel(column_name = external_synced)]
    pub idp_synced: bool,
    /// Membership may be changed.
    pub modifiable: bool,
    /// Members.
    pub member_count: i64,
}

/// Every group of the published generation, by name.
pub fn groups(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
) -> Result<Vec<GroupInfo>, StoreError> {
    Ok(org_groups::table
        .filter(org_groups::tenant_id.eq(tenant_id))
        .filter(org_groups::generation.eq(generation))
        .order(org_groups::name.asc())
        .select(GroupInfo::as_select())
        .load(conn)?)
}
