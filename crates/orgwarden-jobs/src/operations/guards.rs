//! The guards nobody can override, and a user's state as a plan walks through the actions:
//! organization admins are never touched, IdP-synced groups never modified, exempt users (and
//! members of exempt groups) skipped, exempt groups never changed; nobody suspends themselves
//! or removes their own access; groups that grant an admin role change only by an organization
//! admin's hand; an admin limited to what they administer touches nothing beyond it.

use orgwarden_ids::AccountId;
use std::collections::BTreeSet;

use orgwarden_store::access::{Administered, Standing};

use super::skip_reason::SkipReason;
use orgwarden_store::operations::exemptions::ExemptionSet;
use orgwarden_store::operations::{
    BeforeImage, DirectRole, Facts, GroupFacts, Outcome, PlannedItem, Step, UserFacts,
};

/// The roles known to give use of a product and nothing more (Atlassian's roles for groups and
/// users, without the admin roles).
const USE_ROLES: [&str; 7] = [
    "atlassian/user",
    "atlassian/guest",
    "atlassian/contributor",
    "atlassian/customer",
    "atlassian/basic",
    "atlassian/stakeholder",
    "atlassian/viewer",
];

/// True for a role whose holders may administer something: the admin roles, and any role this
/// app does not know (a role Atlassian adds later is taken for an admin role until it is known).
/// Groups granting one, and such roles held directly, are changed only by an organization admin.
pub(super) fn is_admin_role(role: &str) -> bool {
    !USE_ROLES.contains(&role)
}

/// Who an operation acts for, and with which rights.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The requester's account id.
    pub account_id: String,
    /// Their standing when they asked.
    pub standing: Standing,
    /// `Some`: they may touch only these sites and products.
    pub scope: Option<Vec<Administered>>,
}

impl Actor {
    /// An organization admin acting on the whole organization.
    pub fn org_admin(account_id: &AccountId) -> Self {
        Self {
            account_id: account_id.to_string(),
            standing: Standing::OrgAdmin,
            scope: None,
        }
    }

    /// The actor an operation row records.
    pub fn of(op: &orgwarden_store::operations::Operation) -> Self {
        Self {
            account_id: op.requested_by.clone(),
            standing: Standing::parse(&op.acting_as),
            // An unreadable scope reads as "nothing" rather than "everything".
            scope: op
                .actor_scope
                .as_deref()
                .map(|s| serde_json::from_str(s).unwrap_or_default()),
        }
    }

    /// True when the actor may touch `product` on `site`.
    pub fn covers(&self, site: &str, product: &str) -> bool {
        self.scope
            .as_deref()
            .is_none_or(|scope| Administered::any_covers(scope, site, product))
    }
}

/// Why the actor may not run `action` on this user at all, if so.
pub(crate) fn actor_refusal(
    actor: &Actor,
    account_id: &str,
    action: &orgwarden_store::operations::Action,
) -> Option<SkipReason> {
    use orgwarden_store::operations::Action;
    let destructive = matches!(
        action,
        Action::Suspend | Action::RemoveAppAccess { .. } | Action::RemoveFromGroups { .. }
    );
    if destructive && account_id == actor.account_id {
        return Some(SkipReason::OwnAccess);
    }
    if actor.scope.is_some() && matches!(action, Action::Suspend | Action::Restore) {
        return Some(SkipReason::EverySite);
    }
    None
}

/// Roles that are not app access (site and organization administration).
const NOT_ACCESS: [&str; 3] = [
    "atlassian/site-admin",
    "atlassian/user-access-admin",
    "atlassian/org-admin",
];

/// True for a role on a product that lets the user use the app.
pub fn is_app_access(product_key: &str, role: Option<&str>) -> bool {
    product_key != "platform" && role.is_none_or(|r| !NOT_ACCESS.contains(&r))
}

/// Why `actor` must not change the members of `group`, if so: it is synced from an identity
/// provider, exempt, or [`actor_group_refusal`].
pub(crate) fn group_refusal(
    group: &GroupFacts,
    exemptions: &ExemptionSet,
    actor: &Actor,
) -> Option<SkipReason> {
    if group.idp_synced {
        return Some(SkipReason::IdpSyncedGroup(group.name.clone()));
    }
    if exemptions.groups.contains(&group.id) {
        return Some(SkipReason::ExemptGroup(group.name.clone()));
    }
    actor_group_refusal(group, actor)
}

/// Why `actor` may not change the members of `group`, if so: groups granting an admin role (or
/// a role this app does not know, [`is_admin_role`]) are for organization admins; a limited
/// admin's groups must grant only what they administer (a grant on a resource that is no
/// product of a site, kept with an empty site id, is beyond every limited admin's scope).
pub(crate) fn actor_group_refusal(group: &GroupFacts, actor: &Actor) -> Option<SkipReason> {
    let grants_admin = group.grants.iter().any(|g| is_admin_role(&g.role));
    if grants_admin && actor.standing != Standing::OrgAdmin {
        return Some(SkipReason::AdminGroup(group.name.clone()));
    }
    if actor.scope.is_some()
        && (group.grants.is_empty()
            || !group
                .grants
                .iter()
                .all(|g| actor.covers(&g.site_id, &g.product_key)))
    {
        return Some(SkipReason::GroupBeyondScope(group.name.clone()));
    }
    None
}

/// The user's state as an operation leaves it, step by step.
pub(crate) struct UserState<'f> {
    pub(crate) facts: &'f Facts,
    pub(crate) actor: &'f Actor,
    pub(crate) exemptions: &'f ExemptionSet,
    pub(crate) account_id: String,
    pub(crate) status: String,
    pub(crate) groups: BTreeSet<String>,
    pub(crate) direct: Vec<DirectRole>,
}

impl<'f> UserState<'f> {
    pub(crate) fn new(
        user: &UserFacts,
        facts: &'f Facts,
        exemptions: &'f ExemptionSet,
        actor: &'f Actor,
    ) -> Self {
        Self {
            facts,
            actor,
            exemptions,
            account_id: user.account_id.clone(),
            status: user.status.clone(),
            groups: user.groups.clone(),
            direct: direct_roles(user, facts),
        }
    }

    pub(crate) fn group_name(&self, id: &str) -> String {
        self.facts
            .groups
            .get(id)
            .map_or_else(|| id.to_owned(), |g| g.name.clone())
    }

    /// Why a membership change of `group_id` must not happen, if it must not.
    pub(crate) fn group_refusal(&self, group_id: &str) -> Option<SkipReason> {
        let Some(group) = self.facts.groups.get(group_id) else {
            return Some(SkipReason::UnknownGroup(group_id.to_owned()));
        };
        group_refusal(group, self.exemptions, self.actor)
    }

    /// Why this actor may not change the members of `group`, if so ([`actor_group_refusal`]).
    pub(crate) fn actor_group_refusal(&self, group: &GroupFacts) -> Option<SkipReason> {
        actor_group_refusal(group, self.actor)
    }

    pub(crate) fn item(
        &self,
        index: usize,
        action: &'static str,
        step: Step,
        outcome: Outcome,
        reason: String,
    ) -> PlannedItem {
        PlannedItem {
            account_id: self.account_id.clone(),
            action_index: i32::try_from(index).unwrap_or(i32::MAX),
            action,
            step,
            outcome,
            reason,
            source_item_id: None,
        }
    }
}

/// Roles the user holds directly: as read from the Admin API, or else inferred from the mirror
/// (access that none of the user's groups explains; the role itself is then unknown).
fn direct_roles(user: &UserFacts, facts: &Facts) -> Vec<DirectRole> {
    if let Some(known) = &user.direct_roles {
        return known
            .iter()
            .filter(|d| is_app_access(&d.product_key, d.role.as_deref()))
            .cloned()
            .collect();
    }
    user.access
        .iter()
        .filter(|(site, product)| {
            is_app_access(product, None) && granting(&user.groups, facts, site, product).is_empty()
        })
        .map(|(site, product)| DirectRole {
            site_id: site.clone(),
            product_key: product.clone(),
            role: None,
        })
        .collect()
}

/// The groups among `groups` that grant app access to `product` on `site`.
pub(crate) fn granting<'f>(
    groups: &BTreeSet<String>,
    facts: &'f Facts,
    site: &str,
    product: &str,
) -> Vec<&'f GroupFacts> {
    groups
        .iter()
        .filter_map(|id| facts.groups.get(id))
        .filter(|g| {
            g.grants.iter().any(|gr| {
                gr.site_id == site
                    && gr.product_key == product
                    && is_app_access(product, Some(&gr.role))
            })
        })
        .collect()
}

/// Why no action may touch this user at all, if so.
pub(crate) fn user_refusal(
    user: &UserFacts,
    facts: &Facts,
    exemptions: &ExemptionSet,
) -> Option<SkipReason> {
    if user.org_admin {
        return Some(SkipReason::OrgAdmin);
    }
    if user.account_type == "app" {
        return Some(SkipReason::AppAccount);
    }
    if exemptions.users.contains(&user.account_id) {
        return Some(SkipReason::Exempt);
    }
    user.groups
        .iter()
        .find(|g| exemptions.groups.contains(*g))
        .map(|g| {
            SkipReason::MemberOfExemptGroup(
                facts
                    .groups
                    .get(g)
                    .map_or_else(|| g.clone(), |g| g.name.clone()),
            )
        })
}

/// What the user looks like before the operation (what a revert restores).
pub fn before_image(user: &UserFacts) -> BeforeImage {
    BeforeImage {
        status: user.status.clone(),
        groups: user.groups.iter().cloned().collect(),
        direct_roles: user.direct_roles.clone(),
    }
}
