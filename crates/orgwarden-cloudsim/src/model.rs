//! The organization's data model: products, accounts, groups, role grants and ARIs.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use crate::product::{parse_site_ari, site_ari, Product, PLATFORM};

/// Account type (`account_type` / `accountType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountType {
    /// A person.
    Atlassian,
    /// A bot / app user (no email).
    App,
    /// A JSM portal-only customer.
    Customer,
}

/// Account status of the Atlassian account itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountStatus {
    /// Usable account.
    Active,
    /// Deactivated managed account.
    Inactive,
    /// Closed account.
    Closed,
}

/// Membership of the account in the organization's directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    /// Member with access.
    Active,
    /// Member whose access is suspended (roles and groups kept).
    Suspended,
    /// Not a member of the directory (never invited, or removed).
    NoMembership,
}

/// A role held on a resource, directly or through a group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoleGrant {
    /// Resource ARI (`ari:cloud:jira-software::site/<cloudId>`).
    pub resource: String,
    /// Role id (`atlassian/user`, …).
    pub role: String,
}

/// Roles that grant product access (and so a seat).
pub fn role_grants_access(role: &str) -> bool {
    matches!(
        role,
        "atlassian/user"
            | "atlassian/admin"
            | "atlassian/guest"
            | "atlassian/basic"
            | "atlassian/contributor"
            | "atlassian/stakeholder"
            | "atlassian/viewer"
    )
}

/// Roles accepted on a product resource by R1/R2.
pub const USER_RESOURCE_ROLES: [&str; 9] = [
    "atlassian/user",
    "atlassian/user-access-admin",
    "atlassian/admin",
    "atlassian/guest",
    "atlassian/contributor",
    "atlassian/customer",
    "atlassian/basic",
    "atlassian/stakeholder",
    "atlassian/site-admin",
];

/// Roles accepted by group role assignment (G9/G10).
pub const GROUP_ROLES: [&str; 9] = [
    "atlassian/user",
    "atlassian/user-access-admin",
    "atlassian/admin",
    "atlassian/guest",
    "atlassian/contributor",
    "atlassian/customer",
    "atlassian/basic",
    "atlassian/stakeholder",
    "atlassian/viewer",
];

/// Last activity of a user on one product of one site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Site cloud id.
    pub site_id: String,
    /// Product.
    pub product: Product,
    /// Last time the user was active there.
    pub at: DateTime<Utc>,
}

/// One account known to the organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Opaque account id.
    pub account_id: String,
    /// Account type.
    pub account_type: AccountType,
    /// Display name.
    pub name: String,
    /// Nickname.
    pub nickname: String,
    /// Email (absent for app accounts).
    pub email: Option<String>,
    /// Account status.
    pub account_status: AccountStatus,
    /// Directory membership.
    pub membership: Membership,
    /// When the account was added to the organization.
    pub added_to_org: DateTime<Utc>,
    /// True when the email domain is claimed by the org.
    pub managed: bool,
    /// True when provisioned from an identity provider.
    pub synced: bool,
    /// MFA enrolled.
    pub mfa_enabled: bool,
    /// Job title.
    pub job_title: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Organization admin (platform role `atlassian/org-admin`).
    pub org_admin: bool,
    /// Roles granted directly.
    pub roles: Vec<RoleGrant>,
    /// Group ids the user belongs to.
    pub group_ids: BTreeSet<String>,
    /// Per-product last-active dates.
    pub activity: Vec<Activity>,
    /// When the account was deactivated.
    pub deactivated_on: Option<DateTime<Utc>>,
}

impl User {
    /// Composite status (`active`, `suspended`, `not_invited`, `deactivated`).
    pub fn status(&self) -> &'static str {
        match (self.account_status, self.membership) {
            (AccountStatus::Inactive | AccountStatus::Closed, _) => "deactivated",
            (AccountStatus::Active, Membership::Active) => "active",
            (AccountStatus::Active, Membership::Suspended) => "suspended",
            (AccountStatus::Active, Membership::NoMembership) => "not_invited",
        }
    }

    /// `accountStatus` string.
    pub fn account_status_str(&self) -> &'static str {
        match self.account_status {
            AccountStatus::Active => "active",
            AccountStatus::Inactive => "inactive",
            AccountStatus::Closed => "closed",
        }
    }

    /// `membershipStatus` string.
    pub fn membership_str(&self) -> &'static str {
        match self.membership {
            Membership::Active => "active",
            Membership::Suspended => "suspended",
            Membership::NoMembership => "no_membership",
        }
    }

    /// `accountType` string.
    pub fn account_type_str(&self) -> &'static str {
        match self.account_type {
            AccountType::Atlassian => "atlassian",
            AccountType::App => "app",
            AccountType::Customer => "customer",
        }
    }

    /// Lowercased domain of the email, if any.
    pub fn email_domain(&self) -> Option<String> {
        self.email
            .as_deref()
            .and_then(|e| e.rsplit_once('@'))
            .map(|(_, d)| d.to_ascii_lowercase())
    }
}

/// Who manages a group.
pub const MANAGED_BY_EXTERNAL: &str = "external";
/// Groups managed by admins in Atlassian Administration.
pub const MANAGED_BY_ADMINS: &str = "admins";

/// One group of the directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Group id (UUID).
    pub id: String,
    /// Unique (case-insensitive) name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// `external` (IdP-synced), `admins`, …
    pub managed_by: String,
    /// Resource ARI this group is the default access group of, if any.
    pub default_for: Option<String>,
    /// Roles the group grants its members.
    pub roles: Vec<RoleGrant>,
    /// Member account ids.
    pub member_ids: BTreeSet<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

impl Group {
    /// True for groups synced from an identity provider (read-only memberships).
    pub fn is_external(&self) -> bool {
        self.managed_by == MANAGED_BY_EXTERNAL
    }

    /// True when the group grants an admin role on a product or the site.
    pub fn grants_admin(&self) -> bool {
        self.roles
            .iter()
            .any(|g| g.role == "atlassian/admin" || g.role == "atlassian/site-admin")
    }

    /// True unless synced, a default access group or admin-granting.
    pub fn deletable(&self) -> bool {
        !self.is_external() && self.default_for.is_none() && !self.grants_admin()
    }
}

/// One site (cloud id) and the products on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Cloud id (UUID).
    pub site_id: String,
    /// Site name (`acme` for `acme.atlassian.net`).
    pub name: String,
    /// Products on the site.
    pub products: Vec<Product>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Connect `clientKey` of the site's Jira.
    pub client_key: String,
}

impl Site {
    /// The Jira-family products of the site.
    pub(crate) fn jira_products(&self) -> Vec<Product> {
        self.products
            .iter()
            .copied()
            .filter(|p| p.is_jira())
            .collect()
    }
}

/// How a user holds a role on a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GrantMethod {
    /// Granted to the user.
    Direct,
    /// Granted to a group the user is in.
    GroupDirect,
}

impl GrantMethod {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            GrantMethod::Direct => "direct",
            GrantMethod::GroupDirect => "group_direct",
        }
    }
}
