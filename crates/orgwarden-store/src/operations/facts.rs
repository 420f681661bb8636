//! What the planner needs to know from the mirror about the selected users and the groups.

use orgwarden_ids::TenantId;
use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;

use super::model::DirectRole;
use crate::schema::{
    group_grants, group_members, org_groups, org_users, site_products, user_access,
};
use crate::{DbConnection, StoreError};

/// Account ids per query (well under both backends' bind limits).
const IDS_PER_QUERY: usize = 500;

/// One user as the planner sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFacts {
    /// Account id.
    pub account_id: String,
    /// Display name.
    pub name: String,
    /// `active`, `suspended`, `deactivated`, `not_invited`, …
    pub status: String,
    /// Organization admin: never touched.
    pub org_admin: bool,
    /// `atlassian` (a person), `app` (an app's bot account: never touched) or `customer`.
    pub account_type: String,
    /// Group ids.
    pub groups: BTreeSet<String>,
    /// `(site id, product key)` the user can use (empty while suspended).
    pub access: BTreeSet<(String, String)>,
    /// Roles held directly, when read from the Admin API (U8); `None` = infer from `access`.
    pub direct_roles: Option<Vec<DirectRole>>,
}

/// A role a group grants on a product of a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupGrant {
    /// Cloud id (empty for a grant on no site: see the mirror's `NewGrant`).
    pub site_id: String,
    /// Product key (`platform` for site-level roles).
    pub product_key: String,
    /// Role id.
    pub role: String,
}

/// One group as the planner sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupFacts {
    /// Group id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Synced from an identity provider: never modified.
    pub idp_synced: bool,
    /// What it grants.
    pub grants: Vec<GroupGrant>,
}

/// Users by account id, every group by id and every site's name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The selected users found in the mirror.
    pub users: HashMap<String, UserFacts>,
    /// Every group of the organization.
    pub groups: HashMap<String, GroupFacts>,
    /// Site names by cloud id.
    pub sites: HashMap<String, String>,
}

impl Facts {
    /// The name of site `site_id`, or its id when the mirror does not know it.
    pub fn site_name<'a>(&'a self, site_id: &'a str) -> &'a str {
        self.sites.get(site_id).map_or(site_id, String::as_str)
    }
}

/// Reads the facts about `account_ids` (and all groups) from a generation of the mirror.
pub fn load(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
    account_ids: &[String],
) -> Result<Facts, StoreError> {
    let mut facts = Facts {
        groups: load_groups(conn, tenant_id, generation)?,
        sites: crate::mirror::site_names(conn, tenant_id, generation)?
            .into_iter()
            .collect(),
        ..Facts::default()
    };
    for chunk in account_ids.chunks(IDS_PER_QUERY) {
        let users: Vec<(String, String, String, bool, String)> = org_users::table
            .filter(org_users::tenant_id.eq(tenant_id))
            .filter(org_users::generation.eq(generation))
            .filter(org_users::account_id.eq_any(chunk))
            .select((
                org_users::account_id,
                org_users::name,
                org_users::status,
                org_users::org_admin,
                org_users::account_type,
            ))
            .load(conn)?;
        for (account_id, name, status, org_admin, account_type) in users {
            let user = UserFacts {
                account_id: account_id.clone(),
                name,
                status,
                org_admin,
                account_type,
                ..UserFacts::default()
            };
            facts.users.insert(account_id, user);
        }
        let members: Vec<(String, String)> = group_members::table
            .filter(group_members::tenant_id.eq(tenant_id))
            .filter(group_members::generation.eq(generation))
            .filter(group_members::account_id.eq_any(chunk))
            .select((group_members::account_id, group_members::group_id))
            .load(conn)?;
        for (account_id, group_id) in members {
            if let Some(user) = facts.users.get_mut(&account_id) {
                user.groups.insert(group_id);
            }
        }
        let access: Vec<(String, String, String)> = user_access::table
            .filter(user_access::tenant_id.eq(tenant_id))
            .filter(user_access::generation.eq(generation))
            .filter(user_access::account_id.eq_any(chunk))
            .select((
                user_access::account_id,
                user_access::site_id,
                user_access::product_key,
            ))
            .load(conn)?;
        for (account_id, site_id, product_key) in access {
            if let Some(user) = facts.users.get_mut(&account_id) {
                user.access.insert((site_id, product_key));
            }
        }
    }
    Ok(facts)
}

fn load_groups(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
) -> Result<HashMap<String, GroupFacts>, StoreError> {
    let rows: Vec<(String, String, bool)> = org_groups::table
        .filter(org_groups::tenant_id.eq(tenant_id))
        .filter(org_groups::generation.eq(generation))
        .select((
            org_groups::group_id,
            org_groups::name,
            org_groups::external_synced,
        ))
        .load(conn)?;
    let mut groups: HashMap<String, GroupFacts> = rows
        .into_iter()
        .map(|(id, name, idp_synced)| {
            (
                id.clone(),
                GroupFacts {
                    id,
                    name,
                    idp_synced,
                    grants: Vec::new(),
                },
            )
        })
        .collect();
    let grants: Vec<(String, String, String, String)> = group_grants::table
        .filter(group_grants::tenant_id.eq(tenant_id))
        .filter(group_grants::generation.eq(generation))
        .select((
            group_grants::group_id,
            group_grants::site_id,
            group_grants::product_key,
            group_grants::role,
        ))
        .load(conn)?;
    for (group_id, site_id, product_key, role) in grants {
        if let Some(group) = groups.get_mut(&group_id) {
            group.grants.push(GroupGrant {
                site_id,
                product_key,
                role,
            });
        }
    }
    Ok(groups)
}

/// Every `(site id, product key)` of a generation of the mirror (to validate app targets).
pub fn site_products(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
) -> Result<BTreeSet<(String, String)>, StoreError> {
    let rows: Vec<(String, String)> = site_products::table
        .filter(site_products::tenant_id.eq(tenant_id))
        .filter(site_products::generation.eq(generation))
        .select((site_products::site_id, site_products::product_key))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
