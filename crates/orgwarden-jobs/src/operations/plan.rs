//! Planning: per user and action, act or skip with a reason — a pure function of the mirror
//! facts and the exemption list, shared by the preview and the job (which plans again on fresh
//! data). Guards nobody can override: organization admins are never touched, IdP-synced groups
//! never modified, exempt users (and members of exempt groups) skipped, exempt groups never
//! changed. Actions run in the given order per user, each seeing the effect of the ones before.

use std::collections::BTreeSet;

use orgwarden_store::operations::exemptions::ExemptionSet;
use orgwarden_store::operations::{Action, BeforeImage, DirectRole, Facts, GroupFacts, Op, Outcome, PlannedItem, Step, UserFacts};

/// Skip reason for org admins.
pub const ORG_ADMIN: &str = "organization admin";
/// Skip reason for users missing from the mirror.
pub const NOT_IN_ORG: &str = "not in the organization (as of the last sync)";
/// Skip reason for exempt users.
pub const EXEMPT: &str = "on the exemption list";

/// Roles that are not app access (site and organization administration).
const NOT_ACCESS: [&str; 3] = ["atlassian/site-admin", "atlassian/user-access-admin", "atlassian/org-admin"];

/// True for a role on a product that lets the user use the app.
pub fn is_app_access(product_key: &str, role: Option<&str>) -> bool {
    product_key != "platform" && role.is_none_or(|r| !NOT_ACCESS.contains(&r))
}

/// The user's state as an operation leaves it, step by step.
pub(crate) struct UserState<'f> {
    pub(crate) facts: &'f Facts,
    pub(crate) exemptions: &'f ExemptionSet,
    pub(crate) account_id: String,
    pub(crate) status: String,
    pub(crate) groups: BTreeSet<String>,
    pub(crate) direct: Vec<DirectRole>,
}

impl<'f> UserState<'f> {
    pub(crate) fn new(user: &UserFacts, facts: &'f Facts, exemptions: &'f ExemptionSet) -> Self {
        Self {
            facts,
            exemptions,
            account_id: user.account_id.clone(),
            status: user.status.clone(),
            groups: user.groups.clone(),
            direct: direct_roles(user, facts),
        }
    }

    pub(crate) fn group_name(&self, id: &str) -> String {
        self.facts.groups.get(id).map_or_else(|| id.to_owned(), |g| g.name.clone())
    }

    /// Why a membership change of `group_id` must not happen, if it must not.
    pub(crate) fn group_refusal(&self, group_id: &str) -> Option<String> {
        let Some(group) = self.facts.groups.get(group_id) else {
            return Some(format!("unknown group {group_id}"));
        };
        if group.idp_synced {
            return Some(format!("{} is synced from an identity provider; change it in your identity provider", group.name));
        }
        if self.exemptions.groups.contains(group_id) {
            return Some(format!("group {} is on the exemption list", group.name));
        }
        None
    }

    pub(crate) fn item(&self, index: usize, action: &'static str, step: Step, outcome: Outcome, reason: String) -> PlannedItem {
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
        return known.iter().filter(|d| is_app_access(&d.product_key, d.role.as_deref())).cloned().collect();
    }
    user.access
        .iter()
        .filter(|(site, product)| is_app_access(product, None) && granting(&user.groups, facts, site, product).is_empty())
        .map(|(site, product)| DirectRole { site_id: site.clone(), product_key: product.clone(), role: None })
        .collect()
}

/// The groups among `groups` that grant app access to `product` on `site`.
fn granting<'f>(groups: &BTreeSet<String>, facts: &'f Facts, site: &str, product: &str) -> Vec<&'f GroupFacts> {
    groups
        .iter()
        .filter_map(|id| facts.groups.get(id))
        .filter(|g| g.grants.iter().any(|gr| gr.site_id == site && gr.product_key == product && is_app_access(product, Some(&gr.role))))
        .collect()
}

/// Why no action may touch this user at all, if so.
pub(crate) fn user_refusal(user: &UserFacts, facts: &Facts, exemptions: &ExemptionSet) -> Option<String> {
    if user.org_admin {
        return Some(ORG_ADMIN.to_owned());
    }
    if exemptions.users.contains(&user.account_id) {
        return Some(EXEMPT.to_owned());
    }
    user.groups
        .iter()
        .find(|g| exemptions.groups.contains(*g))
        .map(|g| format!("member of exempt group {}", facts.groups.get(g).map_or(g.as_str(), |g| g.name.as_str())))
}

/// What the user looks like before the operation (what a revert restores).
pub fn before_image(user: &UserFacts) -> BeforeImage {
    BeforeImage { status: user.status.clone(), groups: user.groups.iter().cloned().collect(), direct_roles: user.direct_roles.clone() }
}

/// Plans `actions` for each of `account_ids` (in that order).
pub fn plan(account_ids: &[String], actions: &[Action], facts: &Facts, exemptions: &ExemptionSet) -> Vec<PlannedItem> {
    let mut out = Vec::with_capacity(account_ids.len() * actions.len());
    for account_id in account_ids {
        let refusal = match facts.users.get(account_id) {
            None => Some(NOT_IN_ORG.to_owned()),
            Some(user) => user_refusal(user, facts, exemptions),
        };
        let user = facts.users.get(account_id);
        match (user, refusal) {
            (Some(user), None) => {
                let mut state = UserState::new(user, facts, exemptions);
                for (index, action) in actions.iter().enumerate() {
                    plan_action(&mut state, index, action, &mut out);
                }
            }
            (_, refusal) => {
                let reason = refusal.unwrap_or_else(|| NOT_IN_ORG.to_owned());
                for (index, action) in actions.iter().enumerate() {
                    out.push(PlannedItem {
                        account_id: account_id.clone(),
                        action_index: i32::try_from(index).unwrap_or(i32::MAX),
                        action: action.kind(),
                        step: Step::bare(Op::None),
                        outcome: Outcome::Skip,
                        reason: reason.clone(),
                        source_item_id: None,
                    });
                }
            }
        }
    }
    out
}

fn plan_action(state: &mut UserState<'_>, index: usize, action: &Action, out: &mut Vec<PlannedItem>) {
    let kind = action.kind();
    match action {
        Action::Suspend => out.push(match state.status.as_str() {
            "active" => {
                state.status = "suspended".into();
                state.item(index, kind, Step::bare(Op::Suspend), Outcome::Act, "suspend access".into())
            }
            "suspended" => state.item(index, kind, Step::bare(Op::None), Outcome::Skip, "already suspended".into()),
            other => state.item(index, kind, Step::bare(Op::None), Outcome::Skip, format!("not active (status {other})")),
        }),
        Action::Restore => out.push(match state.status.as_str() {
            "suspended" => {
                state.status = "active".into();
                state.item(index, kind, Step::bare(Op::Restore), Outcome::Act, "restore access".into())
            }
            "active" => state.item(index, kind, Step::bare(Op::None), Outcome::Skip, "already active".into()),
            other => state.item(index, kind, Step::bare(Op::None), Outcome::Skip, format!("not suspended (status {other})")),
        }),
        Action::AddToGroups { group_ids } | Action::RemoveFromGroups { group_ids } => {
            let add = matches!(action, Action::AddToGroups { .. });
            for group_id in group_ids {
                out.push(membership(state, index, kind, group_id, add));
            }
        }
        Action::RemoveAppAccess { targets, all } => {
            let targets: Vec<(String, String)> = if *all {
                all_access(state)
            } else {
                targets.iter().map(|t| (t.site_id.clone(), t.product_key.clone())).collect()
            };
            if targets.is_empty() {
                out.push(state.item(index, kind, Step::bare(Op::None), Outcome::Skip, "no app access".into()));
            }
            let mut removed_here: Vec<String> = Vec::new();
            for (site, product) in targets {
                remove_access(state, index, &site, &product, &mut removed_here, out);
            }
        }
    }
}

fn membership(state: &mut UserState<'_>, index: usize, kind: &'static str, group_id: &str, add: bool) -> PlannedItem {
    let op = if add { Op::AddToGroup } else { Op::RemoveFromGroup };
    let skip = |state: &UserState<'_>, reason: String| state.item(index, kind, Step::group(Op::None, group_id), Outcome::Skip, reason);
    if let Some(refusal) = state.group_refusal(group_id) {
        return skip(state, refusal);
    }
    let name = state.group_name(group_id);
    let member = state.groups.contains(group_id);
    if add && member {
        return skip(state, format!("already a member of {name}"));
    }
    if !add && !member {
        return skip(state, format!("not a member of {name}"));
    }
    if add && state.status == "not_invited" {
        return skip(state, "not a member of the directory (status not_invited)".into());
    }
    if add {
        state.groups.insert(group_id.to_owned());
    } else {
        state.groups.remove(group_id);
    }
    let verb = if add { "add to" } else { "remove from" };
    state.item(index, kind, Step::group(op, group_id), Outcome::Act, format!("{verb} {name}"))
}

/// Every product on every site the user holds directly or through a group.
fn all_access(state: &UserState<'_>) -> Vec<(String, String)> {
    let mut targets: BTreeSet<(String, String)> = state.direct.iter().map(|d| (d.site_id.clone(), d.product_key.clone())).collect();
    for group in state.groups.iter().filter_map(|id| state.facts.groups.get(id)) {
        for grant in group.grants.iter().filter(|g| is_app_access(&g.product_key, Some(&g.role))) {
            targets.insert((grant.site_id.clone(), grant.product_key.clone()));
        }
    }
    targets.into_iter().collect()
}

fn remove_access(state: &mut UserState<'_>, index: usize, site: &str, product: &str, removed_here: &mut Vec<String>, out: &mut Vec<PlannedItem>) {
    const KIND: &str = "removeAppAccess";
    let target = |op| Step::product(op, site, product, None);
    let mut member_or_removed = state.groups.clone();
    member_or_removed.extend(removed_here.iter().cloned());
    let groups = granting(&member_or_removed, state.facts, site, product);
    let direct: Vec<DirectRole> = state.direct.iter().filter(|d| d.site_id == site && d.product_key == product).cloned().collect();
    if groups.is_empty() && direct.is_empty() {
        out.push(state.item(index, KIND, target(Op::None), Outcome::Skip, format!("no access to {product} on site {site}")));
        return;
    }
    if let Some(idp) = groups.iter().find(|g| g.idp_synced) {
        let reason = format!("granted by IdP-synced group {}; change it in your identity provider", idp.name);
        out.push(state.item(index, KIND, target(Op::None), Outcome::Skip, reason));
        return;
    }
    for role in &direct {
        let what = role.role.as_deref().unwrap_or("access");
        let step = Step::product(Op::RevokeRole, site, product, role.role.as_deref());
        out.push(state.item(index, KIND, step, Outcome::Act, format!("revoke direct {what} on {product}")));
    }
    state.direct.retain(|d| !(d.site_id == site && d.product_key == product));
    let mut acted = !direct.is_empty();
    for group in groups {
        if removed_here.contains(&group.id) {
            continue;
        }
        let others: BTreeSet<&str> = group
            .grants
            .iter()
            .filter(|g| !(g.site_id == site && g.product_key == product) && is_app_access(&g.product_key, Some(&g.role)))
            .map(|g| g.product_key.as_str())
            .collect();
        let mut reason = format!("remove from {}, which grants {product}", group.name);
        if !others.is_empty() {
            reason.push_str(&format!(" (it also grants {})", others.into_iter().collect::<Vec<_>>().join(", ")));
        }
        out.push(state.item(index, KIND, Step::group(Op::RemoveFromGroup, &group.id), Outcome::Act, reason));
        state.groups.remove(&group.id);
        removed_here.push(group.id.clone());
        acted = true;
    }
    if !acted {
        out.push(state.item(index, KIND, target(Op::None), Outcome::Skip, "already removed with a group above".into()));
    }
}
