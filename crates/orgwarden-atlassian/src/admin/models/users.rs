//! Directory users (U3 search, U5 one user) and the search request.

use chrono::{DateTime, Utc};
use orgwarden_ids::{AccountId, GroupId};
use serde::{Deserialize, Serialize};

use super::de;

/// The composite statuses Atlassian documents for a directory user ([`DirectoryUser::status`],
/// which keeps the text so that an undocumented value never breaks a sync).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryUserStatus {
    /// Active.
    Active,
    /// Suspended: access removed, restorable.
    Suspended,
    /// Not invited to any product.
    NotInvited,
    /// Account deactivated.
    Deactivated,
    /// Scheduled for deletion.
    ForDeletion,
}

impl DirectoryUserStatus {
    /// Atlassian's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Suspended => "suspended",
            Self::NotInvited => "not_invited",
            Self::Deactivated => "deactivated",
            Self::ForDeletion => "for_deletion",
        }
    }
}

/// A user of the organization as the v2 directory endpoints describe it (`MultiDirectoryUser`).
///
/// Statuses are kept as Atlassian's strings so new values never break a sync:
/// `status` ∈ `active|suspended|not_invited|deactivated|for_deletion`, `account_status` ∈
/// `active|inactive|closed`, `membership_status` ∈ `active|suspended|no_membership`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryUser {
    /// Opaque account id (may contain `:`).
    pub account_id: AccountId,
    /// `atlassian`, `customer`, `app`, …
    #[serde(default, deserialize_with = "de::null_default")]
    pub account_type: String,
    /// Composite status (see the type's docs).
    #[serde(default, deserialize_with = "de::null_default")]
    pub status: String,
    /// Account lifecycle status.
    #[serde(default, deserialize_with = "de::null_default")]
    pub account_status: String,
    /// Membership in the directories the key can see.
    #[serde(default, deserialize_with = "de::null_default")]
    pub membership_status: String,
    /// When the user joined the organization.
    #[serde(default, deserialize_with = "de::opt_datetime")]
    pub added_to_org: Option<DateTime<Utc>>,
    /// Display name.
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
    /// Nickname.
    #[serde(default)]
    pub nickname: Option<String>,
    /// Email address; absent when hidden or for app accounts.
    #[serde(default)]
    pub email: Option<String>,
    /// Whether the email address is verified.
    #[serde(default)]
    pub email_verified: Option<bool>,
    /// `managed` (on a verified domain) or `unmanaged`.
    #[serde(default)]
    pub claim_status: Option<String>,
    /// Platform roles such as `atlassian/org-admin`; only with `expand: ["platformRoles"]`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub platform_roles: Vec<String>,
    /// Product access per site; only with `expand: ["productAccess"]`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub product_access: Vec<ProductAccess>,
    /// Groups of the user; only with `expand: ["groups"]`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub groups: Vec<GroupRef>,
    /// `invited`, `synced` (from an identity provider) or absent.
    #[serde(default)]
    pub management_source: Option<String>,
    /// Whether two-step verification is on.
    #[serde(default)]
    pub mfa_enabled: Option<bool>,
    /// Job title.
    #[serde(default)]
    pub job_title: Option<String>,
    /// Avatar URL.
    #[serde(default)]
    pub avatar: Option<String>,
    /// Counts; only with `expand: ["counts.resources"]` (and on U5).
    #[serde(default)]
    pub counts: Option<UserCounts>,
    /// When the account was deactivated.
    #[serde(default, deserialize_with = "de::opt_datetime")]
    pub deactivated_on: Option<DateTime<Utc>>,
    /// Whether the account is scheduled for deletion.
    #[serde(default)]
    pub for_deletion: Option<bool>,
}

impl DirectoryUser {
    /// Whether the user's status is `status` (an undocumented status is none of them).
    pub fn has_status(&self, status: DirectoryUserStatus) -> bool {
        self.status == status.as_str()
    }
}

/// Access to one product on one site (`productAccess[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProductAccess {
    /// Product key, e.g. `jira-software`, `confluence`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub key: String,
    /// Resource ARI, e.g. `ari:cloud:confluence::site/<cloudId>`.
    #[serde(default, deserialize_with = "de::null_default")]
    pub id: String,
    /// Last time the user was active in the product.
    #[serde(default, deserialize_with = "de::opt_datetime")]
    pub last_active_timestamp: Option<DateTime<Utc>>,
}

/// A group the user belongs to (`groups[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupRef {
    /// Group id.
    pub id: GroupId,
    /// Group name.
    #[serde(default)]
    pub name: Option<String>,
}

/// `counts` of a user.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCounts {
    /// Resources the user can access.
    #[serde(default, deserialize_with = "de::null_default")]
    pub resources: u64,
}

/// Filters of the user search (U3); empty fields are not sent. `cursor` is managed by the
/// stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSearch {
    /// Page size (Atlassian's default is 50, cloudsim's cap 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Only these accounts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub account_ids: Vec<String>,
    /// Only members of these directories.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub directory_ids: Vec<String>,
    /// Only users of these groups.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_ids: Vec<String>,
    /// Only users with access to these resources (ARIs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_ids: Vec<String>,
    /// Composite statuses, e.g. `active`, `suspended`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<String>,
    /// Account statuses: `active`, `inactive`, `closed`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub account_status: Vec<String>,
    /// Membership statuses: `active`, `suspended`, `no_membership`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub membership_status: Vec<String>,
    /// Role ids, e.g. `atlassian/org-admin`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub role_ids: Vec<String>,
    /// Email domains, e.g. `example.com`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub email_domains: Vec<String>,
    /// `managed` or `unmanaged`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_status: Option<String>,
    /// Free text over names and emails (exclusive with `emails`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_term: Option<String>,
    /// Exact email addresses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    /// `platformRoles`, `counts.resources`, `productAccess`, `groups`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expand: Vec<String>,
    /// Only users with (`true`) or without (`false`) two-step verification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mfa_enabled: Option<bool>,
    /// At most one sort entry, e.g. `nick_name` ascending.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sort_by: Vec<SortBy>,
}

/// One `sortBy` entry of a user search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SortBy {
    /// The field; the API documents `nick_name`.
    pub field: String,
    /// `asc` or `desc`.
    pub direction: String,
}
