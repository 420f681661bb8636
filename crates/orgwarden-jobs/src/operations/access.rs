//! Removing app access: revoke the roles held directly, remove the user from the (non-IdP)
//! groups that grant the product on that site, and skip what an IdP-synced group grants.

use orgwarden_atlassian::{product_name, role_words};
use orgwarden_ids::GroupId;
use std::collections::BTreeSet;

use orgwarden_store::access::Standing;
use orgwarden_store::operations::{DirectRole, Op, Outcome, PlannedItem, Step};

use super::guards::{granting, is_admin_role, is_app_access, UserState};
use super::skip_reason::SkipReason;

/// Every product on every site the user holds directly or through a group.
pub(super) fn all_access(state: &UserState<'_>) -> Vec<(String, String)> {
    let mut targets: BTreeSet<(String, String)> = state
        .direct
        .iter()
        .map(|d| (d.site_id.clone(), d.product_key.clone()))
        .collect();
    for group in state
        .groups
        .iter()
        .filter_map(|id| state.facts.groups.get(id))
    {
        // A grant on no site (kept for the guards) is no access to take away.
        for grant in group
            .grants
            .iter()
            .filter(|g| !g.site_id.is_empty() && is_app_access(&g.product_key, Some(&g.role)))
        {
            targets.insert((grant.site_id.clone(), grant.product_key.clone()));
        }
    }
    targets.into_iter().collect()
}

pub(super) fn remove_access(
    state: &mut UserState<'_>,
    index: usize,
    site: &str,
    product: &str,
    removed_here: &mut Vec<String>,
    out: &mut Vec<PlannedItem>,
) {
    const KIND: &str = "removeAppAccess";
    let target = |op| Step::product(op, site, product, None);
    let mut member_or_removed = state.groups.clone();
    member_or_removed.extend(removed_here.iter().cloned());
    let groups = granting(&member_or_removed, state.facts, site, product);
    let direct: Vec<DirectRole> = state
        .direct
        .iter()
        .filter(|d| d.site_id == site && d.product_key == product)
        .cloned()
        .collect();
    if groups.is_empty() && direct.is_empty() {
        out.push(
            state.item(
                index,
                KIND,
                target(Op::None),
                Outcome::Skip,
                SkipReason::NoAccess {
                    product: product.to_owned(),
                    site: state.facts.site_name(site).to_owned(),
                }
                .message(),
            ),
        );
        return;
    }
    if let Some(idp) = groups.iter().find(|g| g.idp_synced) {
        let reason = SkipReason::GrantedByIdpGroup(idp.name.clone()).message();
        out.push(state.item(index, KIND, target(Op::None), Outcome::Skip, reason));
        return;
    }
    // An admin role (or one this app does not know) held directly is Atlassian's to change by
    // an organization admin only, as the groups that grant one are here; nothing of the target
    // changes.
    let admin_role = direct
        .iter()
        .filter_map(|d| d.role.as_deref())
        .find(|r| is_admin_role(r));
    if let Some(role) = admin_role.filter(|_| state.actor.standing != Standing::OrgAdmin) {
        let reason = SkipReason::AdminRole(role.to_owned()).message();
        out.push(state.item(index, KIND, target(Op::None), Outcome::Skip, reason));
        return;
    }
    for role in &direct {
        let what = role
            .role
            .as_deref()
            .map_or_else(|| "access".to_owned(), role_words);
        let step = Step::product(Op::RevokeRole, site, product, role.role.as_deref());
        out.push(state.item(
            index,
            KIND,
            step,
            Outcome::Act,
            format!("revoke direct {what} on {}", product_name(product)),
        ));
    }
    state
        .direct
        .retain(|d| !(d.site_id == site && d.product_key == product));
    let mut acted = !direct.is_empty();
    for group in groups {
        if removed_here.contains(&group.id) {
            continue;
        }
        if let Some(reason) = state.actor_group_refusal(group) {
            let reason = reason.message();
            out.push(state.item(index, KIND, target(Op::None), Outcome::Skip, reason));
            continue;
        }
        let others: BTreeSet<String> = group
            .grants
            .iter()
            .filter(|g| {
                !(g.site_id == site && g.product_key == product)
                    && is_app_access(&g.product_key, Some(&g.role))
            })
            .map(|g| product_name(&g.product_key))
            .collect();
        let mut reason = format!(
            "remove from {}, which grants {}",
            group.name,
            product_name(product)
        );
        if !others.is_empty() {
            reason.push_str(&format!(
                " (it also grants {})",
                others.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        out.push(state.item(
            index,
            KIND,
            Step::group(Op::RemoveFromGroup, GroupId::from(&group.id)),
            Outcome::Act,
            reason,
        ));
        state.groups.remove(&group.id);
        removed_here.push(group.id.clone());
        acted = true;
    }
    if !acted {
        out.push(state.item(
            index,
            KIND,
            target(Op::None),
            Outcome::Skip,
            SkipReason::RemovedWithGroup.message(),
        ));
    }
}
