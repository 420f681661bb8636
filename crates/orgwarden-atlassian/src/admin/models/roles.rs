//! Role assignments (U8, G8) and last-active dates (U2).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::de;

/// A user's roles on one resource (U8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRoleAssignment {
    /// Resource ARI.
    pub resource_id: String,
    /// e.g. `jira-software`, `platform`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub resource_owner: String,
    /// Roles and how each is granted.
    #[serde(default, deserialize_with = "de::null_default")]
    pub role_assignments: Vec<RoleAssignment>,
    /// Deprecated flat role list, kept when present.
    #[serde(default, deserialize_with = "de::null_default")]
    pub roles: Vec<String>,
    /// `None` for platform roles (org-admin, site-admin).
    #[serde(default)]
    pub directory_id: Option<String>,
    /// `active`, `suspended`, `no_membership` or absent.
    #[serde(default)]
    pub user_directory_status: Option<String>,
}

/// One role and how the user holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    /// Role id, e.g. `atlassian/user`.
    pub role: String,
    /// `direct`, `group_direct` and/or `inferred`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub role_assignment_methods: Vec<String>,
}

/// A group's roles on one resource (G8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupRoleAssignment {
    /// Resource ARI.
    pub resource_id: String,
    /// e.g. `jira-software`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub resource_owner: String,
    /// The role members get by default, if any.
    #[serde(default)]
    pub default_role: Option<String>,
    /// Roles the group grants on the resource.
    #[serde(default, deserialize_with = "de::null_default")]
    pub roles: Vec<String>,
}

/// Per-product last-active dates of one user (U2, all pages merged).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastActiveDates {
    /// One entry per product instance the user has used.
    #[serde(default, deserialize_with = "de::null_default")]
    pub product_access: Vec<LastActiveProduct>,
    /// Date the user joined the organization (new user-management orgs only).
    #[serde(default, deserialize_with = "de::opt_date")]
    pub added_to_org: Option<NaiveDate>,
    /// Same, as a timestamp.
    #[serde(default, deserialize_with = "de::opt_datetime")]
    pub added_to_org_timestamp: Option<DateTime<Utc>>,
}

/// Last activity in one product instance (U2 `product_access[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastActiveProduct {
    /// Product instance ARI.
    #[serde(default, deserialize_with = "de::null_default")]
    pub id: String,
    /// Product key, e.g. `jira-software`, `confluence`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub key: String,
    /// Day of last activity.
    #[serde(default, deserialize_with = "de::opt_date")]
    pub last_active: Option<NaiveDate>,
    /// Time of last activity.
    #[serde(default, deserialize_with = "de::opt_datetime")]
    pub last_active_timestamp: Option<DateTime<Utc>>,
}
