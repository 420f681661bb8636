//! Groups (G1 search, G4) and the group search request.

use orgwarden_ids::{DirectoryId, GroupId};
use serde::{Deserialize, Serialize};

use super::de;

/// A group of a directory (`MultiDirectoryGroup`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// Group id.
    pub id: GroupId,
    /// Group name.
    #[serde(default, deserialize_with = "de::null_default")]
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Directory holding the group.
    #[serde(default, deserialize_with = "de::null_default")]
    pub directory_id: DirectoryId,
    /// What the key may do with the group (all `false` when Atlassian leaves it out).
    #[serde(default, deserialize_with = "de::null_default")]
    pub management_access: ManagementAccess,
    /// Created by identity-provider sync: memberships are read-only here.
    #[serde(default, deserialize_with = "de::null_default")]
    pub external_synced: bool,
    /// `external`, `admins`, `team-members`, `open`.
    #[serde(default)]
    pub managed_by: Option<String>,
    /// Counts; only with `expand: ["counts.users", "counts.resources"]`.
    #[serde(default)]
    pub counts: Option<Counts>,
}

impl Group {
    /// Whether memberships may be changed through the API.
    pub fn is_read_only(&self) -> bool {
        self.external_synced
            || self.managed_by.as_deref() == Some("external")
            || !self.management_access.modifiable
    }
}

/// `managementAccess` of a group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagementAccess {
    /// The group may be deleted.
    #[serde(default, deserialize_with = "de::null_default")]
    pub deletable: bool,
    /// Name and memberships may be changed.
    #[serde(default, deserialize_with = "de::null_default")]
    pub modifiable: bool,
    /// The group may be read.
    #[serde(default, deserialize_with = "de::null_default")]
    pub readable: bool,
}

/// `counts` of a group; a count not asked for through `expand` reads 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Members.
    #[serde(default, deserialize_with = "de::null_default")]
    pub users: u64,
    /// Resources the group grants access to.
    #[serde(default, deserialize_with = "de::null_default")]
    pub resources: u64,
}

/// Filters of the group search (G1); empty fields are not sent. `cursor` is managed by the
/// stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupSearch {
    /// Page size (Atlassian's default is 20, cloudsim's cap 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Only groups of these accounts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub account_ids: Vec<String>,
    /// Only groups of these directories.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub directory_ids: Vec<String>,
    /// Only these groups.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_ids: Vec<String>,
    /// Exact names, case-insensitive (exclusive with `search_term` and `group_ids`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub group_names: Vec<String>,
    /// Only groups granting these roles.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub role_ids: Vec<String>,
    /// Only groups with roles on resources of these owners.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_owners: Vec<String>,
    /// Only groups with roles on these resources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resource_ids: Vec<String>,
    /// Free text over group names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search_term: Option<String>,
    /// `counts.users`, `counts.resources`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expand: Vec<String>,
}
