//! Why a planned step is skipped, with the words the admin reads. The message is what the
//! ledger stores in an item's `reason` and what previews group by.

use std::fmt;

use orgwarden_atlassian::{product_name, role_words, status_words};

/// Why a step is not carried out: a guard's refusal or what the plan found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// The user is an organization admin.
    OrgAdmin,
    /// The user is not in the mirror.
    NotInOrg,
    /// The account is an app's (a bot that integrations run as).
    AppAccount,
    /// The user is on the exemption list.
    Exempt,
    /// The user belongs to this exempt group (its name).
    MemberOfExemptGroup(String),
    /// The actor would suspend themselves or remove their own access.
    OwnAccess,
    /// A limited admin asked to suspend or restore, which affects every site.
    EverySite,
    /// The change touches a product the limited admin does not administer.
    OutsideScope,
    /// No group with this id in the mirror.
    UnknownGroup(String),
    /// The group (its name) is synced from an identity provider.
    IdpSyncedGroup(String),
    /// The group (its name) is on the exemption list.
    ExemptGroup(String),
    /// The group (its name) grants admin rights and the actor is not an organization admin.
    AdminGroup(String),
    /// The group (its name) grants beyond what the limited admin administers.
    GroupBeyondScope(String),
    /// The user holds this admin role (its name) on the product directly, and the actor is not
    /// an organization admin.
    AdminRole(String),
    /// Suspend asked, the user is already suspended.
    AlreadySuspended,
    /// Suspend asked, the user has another status (named).
    NotActive(String),
    /// Restore asked, the user is already active.
    AlreadyActive,
    /// Restore asked, the user has another status (named).
    NotSuspended(String),
    /// Revert: the user's status (`status`) is not the one the revert would set (`to`) from.
    AlreadyInStatus {
        /// The status the revert would set.
        to: String,
        /// The user's status.
        status: String,
    },
    /// Add asked, the user is already a member of the group (its name).
    AlreadyMember(String),
    /// Remove asked, the user is not a member of the group (its name).
    NotMember(String),
    /// Add asked for a user who is not in the directory yet.
    NotInvited,
    /// Remove app access asked, the user has none.
    NoAppAccess,
    /// The user has no access to this product on this site.
    NoAccess {
        /// Product key (the message names the product).
        product: String,
        /// Site name (its id when the mirror does not know it).
        site: String,
    },
    /// The access comes from this IdP-synced group (its name).
    GrantedByIdpGroup(String),
    /// An earlier step of the same action removed the group that granted it.
    RemovedWithGroup,
    /// Revert: the item does not record the role.
    RoleNotRecorded,
    /// Revert: the item does not record the group.
    GroupNotRecorded,
    /// Revert: the item changed nothing.
    NothingToUndo,
    /// Atlassian refused a change of a group synced from an identity provider.
    ReadOnlyGroup,
    /// A guard refused when checked again before acting.
    Rechecked(Box<SkipReason>),
    /// The operation was cancelled before the step started.
    Cancelled,
    /// The license refuses operations (why, as the license gate says it).
    LicenseRefuses(String),
}

impl SkipReason {
    /// What the admin reads (and the ledger stores).
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OrgAdmin => f.write_str("organization admin"),
            Self::NotInOrg => f.write_str("not in the organization (as of the last sync)"),
            Self::AppAccount => f.write_str(
                "an app's account (integrations act as it): manage it in Atlassian administration",
            ),
            Self::Exempt => f.write_str("on the exemption list"),
            Self::MemberOfExemptGroup(name) => write!(f, "member of exempt group {name}"),
            Self::OwnAccess => f.write_str(
                "you cannot suspend yourself or remove your own access through orgwarden",
            ),
            Self::EverySite => f.write_str(
                "suspending and restoring affect every site; your access is limited to what you administer",
            ),
            Self::OutsideScope => f.write_str("outside the sites and products you administer"),
            Self::UnknownGroup(id) => write!(f, "unknown group {id}"),
            Self::IdpSyncedGroup(name) => write!(
                f,
                "{name} is synced from an identity provider; change it in your identity provider"
            ),
            Self::ExemptGroup(name) => write!(f, "group {name} is on the exemption list"),
            Self::AdminGroup(name) => write!(
                f,
                "{name} grants admin rights; only an organization admin may change its members"
            ),
            Self::AdminRole(role) => write!(
                f,
                "holds {} directly; only an organization admin may change admin roles",
                role_words(role)
            ),
            Self::GroupBeyondScope(name) => write!(
                f,
                "{name} grants access beyond the sites and products you administer"
            ),
            Self::AlreadySuspended => f.write_str("already suspended"),
            Self::NotActive(status) => write!(f, "not active ({})", status_words(status)),
            Self::AlreadyActive => f.write_str("already active"),
            Self::NotSuspended(status) => write!(f, "not suspended ({})", status_words(status)),
            Self::AlreadyInStatus { to, status } if to == status => write!(f, "already {to}"),
            Self::AlreadyInStatus { to, status } => {
                write!(f, "cannot make {to}: the user is {}", status_words(status))
            }
            Self::AlreadyMember(name) => write!(f, "already a member of {name}"),
            Self::NotMember(name) => write!(f, "not a member of {name}"),
            Self::NotInvited => {
                f.write_str("not a member of the directory (not invited to any product)")
            }
            Self::NoAppAccess => f.write_str("no app access"),
            Self::NoAccess { product, site } => {
                write!(f, "no access to {} on site {site}", product_name(product))
            }
            Self::GrantedByIdpGroup(name) => write!(
                f,
                "granted by IdP-synced group {name}; change it in your identity provider"
            ),
            Self::RemovedWithGroup => f.write_str("already removed with a group above"),
            Self::RoleNotRecorded => f.write_str("the role is not recorded"),
            Self::GroupNotRecorded => f.write_str("the group is not recorded"),
            Self::NothingToUndo => f.write_str("nothing to undo"),
            Self::ReadOnlyGroup => f.write_str(
                "the group is synced from an identity provider; change it in your identity provider",
            ),
            Self::Rechecked(why) => write!(f, "{why} (checked again before acting)"),
            Self::Cancelled => f.write_str("operation cancelled"),
            Self::LicenseRefuses(why) => {
                write!(f, "Not executed: the license refuses operations. {why}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SkipReason;

    /// The words the ledger stores and previews group by (`bySkipReason`): products and
    /// statuses named as admins call them, not by key.
    #[test]
    fn messages_are_the_words_admins_read() {
        let name = || "Team".to_owned();
        for (reason, words) in [
            (SkipReason::OrgAdmin, "organization admin"),
            (
                SkipReason::NotInOrg,
                "not in the organization (as of the last sync)",
            ),
            (SkipReason::Exempt, "on the exemption list"),
            (
                SkipReason::MemberOfExemptGroup(name()),
                "member of exempt group Team",
            ),
            (
                SkipReason::OwnAccess,
                "you cannot suspend yourself or remove your own access through orgwarden",
            ),
            (SkipReason::UnknownGroup("g1".into()), "unknown group g1"),
            (
                SkipReason::ExemptGroup(name()),
                "group Team is on the exemption list",
            ),
            (
                SkipReason::NotActive("for_deletion".into()),
                "not active (scheduled for deletion)",
            ),
            (
                SkipReason::NotSuspended("deactivated".into()),
                "not suspended (deactivated)",
            ),
            (
                SkipReason::AlreadyInStatus {
                    to: "active".into(),
                    status: "active".into(),
                },
                "already active",
            ),
            (
                SkipReason::AlreadyInStatus {
                    to: "active".into(),
                    status: "not_invited".into(),
                },
                "cannot make active: the user is not invited to any product",
            ),
            (
                SkipReason::NoAccess {
                    product: "jira-software".into(),
                    site: "s1".into(),
                },
                "no access to Jira Software on site s1",
            ),
            (
                SkipReason::Rechecked(Box::new(SkipReason::OrgAdmin)),
                "organization admin (checked again before acting)",
            ),
            (SkipReason::Cancelled, "operation cancelled"),
        ] {
            assert_eq!(reason.message(), words);
        }
    }
}
