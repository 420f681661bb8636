//! An account's administrative roles as the published mirror knows them: the fallback of the
//! access check when the Admin API cannot be reached.

use diesel::prelude::*;
use orgwarden_ids::{AccountId, TenantId};

use crate::access::Administered;
use crate::schema::{group_grants, group_members, mirror_state, org_users};
use crate::{DbConnection, StoreError};

/// What the mirror says an account administers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MirrorAdminRoles {
    /// The account is in the mirror at all.
    pub known: bool,
    /// Holds `atlassian/org-admin`.
    pub org_admin: bool,
    /// Holds `atlassian/user-access-admin` somewhere (the mirror does not record where).
    pub user_access_admin: bool,
    /// Products administered through groups granting `atlassian/admin` (and sites through
    /// `atlassian/site-admin`).
    pub administered: Vec<Administered>,
}

/// The account's administrative roles in the tenant's published mirror (empty if none).
pub fn admin_roles(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    account_id: &AccountId,
) -> Result<MirrorAdminRoles, StoreError> {
    let Some(generation) = mirror_state::table
        .find(tenant_id)
        .select(mirror_state::generation)
        .first::<i64>(conn)
        .optional()?
    else {
        return Ok(MirrorAdminRoles::default());
    };
    let flags: Option<(bool, bool)> = org_users::table
        .filter(org_users::tenant_id.eq(tenant_id))
        .filter(org_users::generation.eq(generation))
        .filter(org_users::account_id.eq(account_id))
        .select((org_users::org_admin, org_users::user_access_admin))
        .first(conn)
        .optional()?;
    let Some((org_admin, user_access_admin)) = flags else {
        return Ok(MirrorAdminRoles::default());
    };
    let groups = group_members::table
        .filter(group_members::tenant_id.eq(tenant_id))
        .filter(group_members::generation.eq(generation))
        .filter(group_members::account_id.eq(account_id))
        .select(group_members::group_id);
    let grants: Vec<(String, String, String)> = group_grants::table
        .filter(group_grants::tenant_id.eq(tenant_id))
        .filter(group_grants::generation.eq(generation))
        .filter(group_grants::group_id.eq_any(groups))
        .filter(group_grants::role.eq_any(["atlassian/admin", "atlassian/site-admin"]))
        // A grant on no site (an organization-level resource) administers no site's product.
        .filter(group_grants::site_id.ne(""))
        .select((
            group_grants::site_id,
            group_grants::product_key,
            group_grants::role,
        ))
        .load(conn)?;
    let mut administered: Vec<Administered> = grants
        .into_iter()
        .map(|(site_id, product_key, role)| Administered {
            product_key: (role == "atlassian/admin" && product_key != "platform")
                .then_some(product_key),
            site_id,
        })
        .collect();
    administered.sort();
    administered.dedup();
    Ok(MirrorAdminRoles {
        known: true,
        org_admin,
        user_access_admin,
        administered,
    })
}
