//! Planning: per user and action, act or skip with a reason — a pure function of the mirror
//! facts and the exemption list, shared by the preview and the job (which plans again on fresh
//! data), under the guards of [`super::guards`]. Actions run in the given order per user, each
//! seeing the effect of the ones before.

use orgwarden_ids::GroupId;
use orgwarden_store::operations::exemptions::ExemptionSet;
use orgwarden_store::operations::{Action, Facts, Op, Outcome, PlannedItem, Step};
use orgwarden_store::users::UserStatus;

use super::access::{all_access, remove_access};
use super::guards::{actor_refusal, user_refusal, Actor, UserState};
use super::skip_reason::SkipReason;

/// Plans `actions` for each of `account_ids` (in that order), as `actor` may.
pub fn plan(
    account_ids: &[String],
    actions: &[Action],
    facts: &Facts,
    exemptions: &ExemptionSet,
    actor: &Actor,
) -> Vec<PlannedItem> {
    let mut all = Vec::with_capacity(account_ids.len() * actions.len());
    plan_each(account_ids, actions, facts, exemptions, actor, |item| {
        all.push(item);
    });
    all
}

/// Plans as [`plan`] does, handing each step to `each` as soon as one user's steps are
/// planned: a caller that only counts steps never holds the whole plan.
pub fn plan_each(
    account_ids: &[String],
    actions: &[Action],
    facts: &Facts,
    exemptions: &ExemptionSet,
    actor: &Actor,
    mut each: impl FnMut(PlannedItem),
) {
    let mut out = Vec::with_capacity(actions.len());
    for account_id in account_ids {
        let refusal = match facts.users.get(account_id) {
            None => Some(SkipReason::NotInOrg),
            Some(user) => user_refusal(user, facts, exemptions),
        };
        let user = facts.users.get(account_id);
        match (user, refusal) {
            (Some(user), None) => {
                let mut state = UserState::new(user, facts, exemptions, actor);
                for (index, action) in actions.iter().enumerate() {
                    plan_action(&mut state, index, action, &mut out);
                }
            }
            (_, refusal) => {
                let reason = refusal.unwrap_or(SkipReason::NotInOrg).message();
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
        out.drain(..).for_each(&mut each);
    }
}

fn plan_action(
    state: &mut UserState<'_>,
    index: usize,
    action: &Action,
    out: &mut Vec<PlannedItem>,
) {
    let kind = action.kind();
    if let Some(reason) = actor_refusal(state.actor, &state.account_id, action) {
        let reason = reason.message();
        out.push(state.item(index, kind, Step::bare(Op::None), Outcome::Skip, reason));
        return;
    }
    match action {
        Action::Suspend => out.push(match state.status.as_str() {
            "active" => {
                state.status = "suspended".into();
                state.item(
                    index,
                    kind,
                    Step::bare(Op::Suspend),
                    Outcome::Act,
                    "suspend access".into(),
                )
            }
            "suspended" => state.item(
                index,
                kind,
                Step::bare(Op::None),
                Outcome::Skip,
                SkipReason::AlreadySuspended.message(),
            ),
            other => state.item(
                index,
                kind,
                Step::bare(Op::None),
                Outcome::Skip,
                SkipReason::NotActive(other.to_owned()).message(),
            ),
        }),
        Action::Restore => out.push(match state.status.as_str() {
            "suspended" => {
                state.status = "active".into();
                state.item(
                    index,
                    kind,
                    Step::bare(Op::Restore),
                    Outcome::Act,
                    "restore access".into(),
                )
            }
            "active" => state.item(
                index,
                kind,
                Step::bare(Op::None),
                Outcome::Skip,
                SkipReason::AlreadyActive.message(),
            ),
            other => state.item(
                index,
                kind,
                Step::bare(Op::None),
                Outcome::Skip,
                SkipReason::NotSuspended(other.to_owned()).message(),
            ),
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
                targets
                    .iter()
                    .map(|t| (t.site_id.clone(), t.product_key.clone()))
                    .collect()
            };
            if targets.is_empty() {
                out.push(state.item(
                    index,
                    kind,
                    Step::bare(Op::None),
                    Outcome::Skip,
                    SkipReason::NoAppAccess.message(),
                ));
            }
            let mut removed_here: Vec<String> = Vec::new();
            for (site, product) in targets {
                if state.actor.covers(&site, &product) {
                    remove_access(state, index, &site, &product, &mut removed_here, out);
                } else {
                    out.push(state.item(
                        index,
                        kind,
                        Step::product(Op::None, &site, &product, None),
                        Outcome::Skip,
                        SkipReason::OutsideScope.message(),
                    ));
                }
            }
        }
    }
}

fn membership(
    state: &mut UserState<'_>,
    index: usize,
    kind: &'static str,
    group_id: &str,
    add: bool,
) -> PlannedItem {
    let op = if add {
        Op::AddToGroup
    } else {
        Op::RemoveFromGroup
    };
    let skip = |state: &UserState<'_>, reason: SkipReason| {
        state.item(
            index,
            kind,
            Step::group(Op::None, GroupId::from(group_id)),
            Outcome::Skip,
            reason.message(),
        )
    };
    if let Some(refusal) = state.group_refusal(group_id) {
        return skip(state, refusal);
    }
    let name = state.group_name(group_id);
    let member = state.groups.contains(group_id);
    if add && member {
        return skip(state, SkipReason::AlreadyMember(name));
    }
    if !add && !member {
        return skip(state, SkipReason::NotMember(name));
    }
    if add && state.status == UserStatus::NotInvited.as_api() {
        return skip(state, SkipReason::NotInvited);
    }
    if add {
        state.groups.insert(group_id.to_owned());
    } else {
        state.groups.remove(group_id);
    }
    let verb = if add { "add to" } else { "remove from" };
    state.item(
        index,
        kind,
        Step::group(op, GroupId::from(group_id)),
        Outcome::Act,
        format!("{verb} {name}"),
    )
}
