//! The vocabulary of bulk operations: what an admin asks for (selection, actions), what a plan
//! is made of (steps with an outcome), and the states the ledger moves through.

use orgwarden_ids::GroupId;
use serde::{Deserialize, Serialize};

use crate::text_enum::text_enum;
use crate::users::Filter;

/// Which users an operation acts on: a filter, or explicit account ids (exactly one).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Selection {
    /// Every user this filter matches in the mirror when the operation is created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    /// These account ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_ids: Option<Vec<String>>,
}

/// One product on one site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppTarget {
    /// Cloud id of the site.
    pub site_id: String,
    /// Workspace type key, e.g. `jira-software`.
    pub product_key: String,
}

/// One action of an operation; an operation runs its actions in order, per user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum Action {
    /// Suspend access (active users only).
    Suspend,
    /// Restore access (suspended users only).
    Restore,
    /// Remove app access on the given products (`targets`) or on every product (`all: true`).
    RemoveAppAccess {
        /// Products on sites.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        targets: Vec<AppTarget>,
        /// Every product on every site.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        all: bool,
    },
    /// Add to these groups.
    AddToGroups {
        /// Group ids.
        #[serde(rename = "groupIds")]
        group_ids: Vec<String>,
    },
    /// Remove from these groups.
    RemoveFromGroups {
        /// Group ids.
        #[serde(rename = "groupIds")]
        group_ids: Vec<String>,
    },
}

impl Action {
    /// The action's `type`, as in the request.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Suspend => "suspend",
            Self::Restore => "restore",
            Self::RemoveAppAccess { .. } => "removeAppAccess",
            Self::AddToGroups { .. } => "addToGroups",
            Self::RemoveFromGroups { .. } => "removeFromGroups",
        }
    }
}

/// The `action` recorded on the items of a revert operation.
pub const REVERT_ACTION: &str = "revert";

text_enum! {
    /// One Admin API change (or `None` for a skip that names no change).
    pub enum Op {
        /// L1 suspend.
        Suspend = "suspend",
        /// L2 restore.
        Restore = "restore",
        /// R2 revoke a directly granted role on a product.
        RevokeRole = "revokeRole",
        /// R1 grant a role on a product (reverts).
        GrantRole = "grantRole",
        /// G6 add to a group.
        AddToGroup = "addToGroup",
        /// G7 remove from a group.
        RemoveFromGroup = "removeFromGroup",
        /// No change (skipped).
        None = "none",
    }
}

/// A concrete change and what it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// The change.
    pub op: Op,
    /// Site of a role change or of a skipped app target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_id: Option<String>,
    /// Product of a role change or of a skipped app target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_key: Option<String>,
    /// Role of a role change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Group of a membership change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
}

impl Step {
    /// A step without a target (suspend, restore, or a skip).
    pub fn bare(op: Op) -> Self {
        Self {
            op,
            site_id: None,
            product_key: None,
            role: None,
            group_id: None,
        }
    }

    /// A membership step.
    pub fn group(op: Op, group_id: GroupId) -> Self {
        Self {
            group_id: Some(group_id.into_string()),
            ..Self::bare(op)
        }
    }

    /// A step on a product of a site (`role` for role changes).
    pub fn product(op: Op, site_id: &str, product_key: &str, role: Option<&str>) -> Self {
        Self {
            site_id: Some(site_id.to_owned()),
            product_key: Some(product_key.to_owned()),
            role: role.map(str::to_owned),
            ..Self::bare(op)
        }
    }
}

/// Whether a planned step will be carried out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// It will be done.
    Act,
    /// It will not be done; the reason says why.
    Skip,
}

/// One user × step of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedItem {
    /// Account id.
    pub account_id: String,
    /// Index of the requested action it comes from.
    pub action_index: i32,
    /// The requested action's `type` (or `revert`).
    pub action: &'static str,
    /// The change.
    pub step: Step,
    /// Act or skip.
    pub outcome: Outcome,
    /// What it does, or why it is skipped.
    pub reason: String,
    /// For reverts: the item it undoes.
    pub source_item_id: Option<i64>,
}

/// A role held directly on a product of a site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectRole {
    /// Cloud id.
    pub site_id: String,
    /// Product key.
    pub product_key: String,
    /// Role id; `None` when only inferred from the mirror (previews).
    pub role: Option<String>,
}

/// A user's state before an operation changed it (what a revert restores).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BeforeImage {
    /// Status (`active`, `suspended`, …).
    pub status: String,
    /// Group ids.
    pub groups: Vec<String>,
    /// Directly granted product roles, when they were read (U8).
    pub direct_roles: Option<Vec<DirectRole>>,
}
