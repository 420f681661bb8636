//! The organization's data model: products, accounts, groups, role grants and ARIs.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An Atlassian product that can live on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Product {
    /// Jira Software (`jira-software`).
    #[serde(rename = "jira-software")]
    JiraSoftware,
    /// Jira Service Management (`jira-servicedesk`).
    #[serde(rename = "jira-servicedesk")]
    JiraServiceDesk,
    /// Confluence (`confluence`).
    #[serde(rename = "confluence")]
    Confluence,
    /// Jira Product Discovery (`jira-product-discovery`).
    #[serde(rename = "jira-product-discovery")]
    JiraProductDiscovery,
    /// Bitbucket (`bitbucket`).
    #[serde(rename = "bitbucket")]
    Bitbucket,
    /// Compass (`compass`).
    #[serde(rename = "compass")]
    Compass,
}

impl Product {
    /// Every product, in the order the generator weighs them.
    pub const ALL: [Product; 6] = [
        Product::JiraSoftware,
        Product::Confluence,
        Product::JiraServiceDesk,
        Product::JiraProductDiscovery,
        Product::Bitbucket,
        Product::Compass,
    ];

    /// The workspace `typeKey` / ARI resource owner (`jira-servicedesk`, no hyphen before desk).
    pub fn key(self) -> &'static str {
        match self {
            Product::JiraSoftware => "jira-software",
            Product::JiraServiceDesk => "jira-servicedesk",
            Product::Confluence => "confluence",
            Product::JiraProductDiscovery => "jira-product-discovery",
            Product::Bitbucket => "bitbucket",
            Product::Compass => "compass",
        }
    }

    /// The key used by the v1 endpoints (`product_access[].key`): `jira-service-desk` is hyphenated there.
    pub fn v1_key(self) -> &'static str {
        match self {
            Product::JiraServiceDesk => "jira-service-desk",
            other => other.key(),
        }
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Product::JiraSoftware => "Jira Software",
            Product::JiraServiceDesk => "Jira Service Management",
            Product::Confluence => "Confluence",
            Product::JiraProductDiscovery => "Jira Product Discovery",
            Product::Bitbucket => "Bitbucket",
            Product::Compass => "Compass",
        }
    }

    /// Product family used as the workspace `attributes.type`.
    pub fn family(self) -> &'static str {
        match self {
            Product::JiraSoftware | Product::JiraServiceDesk | Product::JiraProductDiscovery => {
                "jira"
            }
            Product::Confluence => "confluence",
            Product::Bitbucket => "bitbucket",
            Product::Compass => "compass",
        }
    }

    /// True for the Jira family (they share the Jira REST API of a site).
    pub fn is_jira(self) -> bool {
        self.family() == "jira"
    }

    /// Parses a typeKey, accepting the v1 spelling `jira-service-desk` too.
    pub fn parse(key: &str) -> Option<Product> {
        match key {
            "jira-software" => Some(Product::JiraSoftware),
            "jira-servicedesk" | "jira-service-desk" => Some(Product::JiraServiceDesk),
            "confluence" => Some(Product::Confluence),
            "jira-product-discovery" => Some(Product::JiraProductDiscovery),
            "bitbucket" => Some(Product::Bitbucket),
            "compass" => Some(Product::Compass),
            _ => None,
        }
    }
}

/// Owner segment of a resource ARI for platform (site/org level) roles.
pub const PLATFORM: &str = "platform";

/// Builds `ari:cloud:<owner>::site/<cloudId>`.
pub fn site_ari(owner: &str, site_id: &str) -> String {
    format!("ari:cloud:{owner}::site/{site_id}")
}

/// Splits a site ARI into `(owner, cloudId)`.
pub fn parse_site_ari(ari: &str) -> Option<(&str, &str)> {
    let rest = ari.strip_prefix("ari:cloud:")?;
    let (owner, site) = rest.split_once("::site/")?;
    if owner.is_empty() || site.is_empty() {
        return None;
    }
    Some((owner, site))
}

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
