//! Rows a sync writes into the mirror.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use crate::schema::{
    group_grants, group_members, org_groups, org_users, site_products, sites, user_access,
};

/// A site (cloud id) of the organization.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = sites, treat_none_as_default_value = false)]
pub struct NewSite {
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Sync generation.
    pub generation: i64,
    /// Cloud id.
    pub site_id: String,
    /// Site name (e.g. `acme`).
    pub name: String,
    /// Host, e.g. `acme.atlassian.net`.
    pub host_url: Option<String>,
}

/// A product on a site (one workspace).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = site_products, treat_none_as_default_value = false)]
pub struct NewProduct {
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Sync generation.
    pub generation: i64,
    /// Cloud id of the site.
    pub site_id: String,
    /// Workspace `typeKey`, e.g. `jira-software`.
    pub product_key: String,
    /// Workspace ARI.
    pub workspace_id: String,
    /// Workspace name.
    pub name: String,
}

/// A user of the organization.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = org_users, treat_none_as_default_value = false)]
pub struct NewUser {
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Sync generation.
    pub generation: i64,
    /// Atlassian account id.
    pub account_id: String,
    /// Display name.
    pub name: String,
    /// Email, when visible.
    pub email: Option<String>,
    /// Lower-case domain of the email.
    pub email_domain: Option<String>,
    /// `atlassian`, `app` or `customer`.
    pub account_type: String,
    /// `active`, `suspended`, `deactivated`, `not_invited`, …
    pub status: String,
    /// `managed` or `unmanaged`.
    pub claim_status: Option<String>,
    /// Counts against product licenses.
    pub billable: bool,
    /// Organization admin.
    pub org_admin: bool,
    /// Site admin.
    pub site_admin: bool,
    /// User access admin.
    pub user_access_admin: bool,
    /// Platform roles, comma-separated.
    pub platform_roles: String,
    /// `invited` or `synced`.
    pub management_source: Option<String>,
    /// When the user joined the organization.
    pub added_to_org: Option<NaiveDateTime>,
    /// Newest activity across products.
    pub last_active: Option<NaiveDateTime>,
    /// The products the user can reach on any site, as `,key,key,` (empty when none); see
    /// [`products_column`].
    pub products: String,
    /// What the search box matches; see [`search_text_column`].
    pub search_text: String,
    /// Hash of the user's mirrored content (this row, access, memberships); see
    /// [`content_hash`](super::content_hash).
    pub content_hash: i64,
}

/// The `search_text` column: the name and the email, lower-cased with Unicode's rules and joined
/// by a line break, so that a lower-cased `LIKE` pattern finds either in any case, whatever the
/// database folds itself (SQLite's `LIKE` and `LOWER` fold ASCII only).
pub fn search_text_column(name: &str, email: Option<&str>) -> String {
    format!(
        "{}\n{}",
        name.to_lowercase(),
        email.unwrap_or_default().to_lowercase()
    )
}

/// The `products` column of a user holding these product keys (in any order, repeated).
pub fn products_column<'a>(keys: impl IntoIterator<Item = &'a str>) -> String {
    let mut keys: Vec<&str> = keys.into_iter().collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        String::new()
    } else {
        format!(",{},", keys.join(","))
    }
}

/// A user's access to one product on one site.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = user_access, treat_none_as_default_value = false)]
pub struct NewAccess {
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Sync generation.
    pub generation: i64,
    /// Account id.
    pub account_id: String,
    /// Cloud id.
    pub site_id: String,
    /// Product key.
    pub product_key: String,
    /// Last activity on that product, if any.
    pub last_active: Option<NaiveDateTime>,
}

/// A group.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = org_groups, treat_none_as_default_value = false)]
pub struct NewGroup {
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Sync generation.
    pub generation: i64,
    /// Group id.
    pub group_id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// `external`, `admins`, `team-members`, `open`.
    pub managed_by: Option<String>,
    /// Synced from an identity provider (read-only).
    pub external_synced: bool,
    /// Membership may be changed.
    pub modifiable: bool,
    /// May be deleted.
    pub deletable: bool,
    /// Members, as the API counts them.
    pub member_count: i64,
}

/// A membership.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = group_members, treat_none_as_default_value = false)]
pub struct NewMember {
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Sync generation.
    pub generation: i64,
    /// Group id.
    pub group_id: String,
    /// Account id.
    pub account_id: String,
}

/// A role a group grants on a product of a site.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = group_grants, treat_none_as_default_value = false)]
pub struct NewGrant {
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Sync generation.
    pub generation: i64,
    /// Group id.
    pub group_id: String,
    /// Cloud id; empty for a grant on a resource that is no product of a site (an
    /// organization-level role, kept for the operation guards): readers of product access and
    /// admin roles skip it.
    pub site_id: String,
    /// Product key.
    pub product_key: String,
    /// e.g. `atlassian/user`.
    pub role: String,
}
