//! Planning a revert: the inverse of every step an operation did, newest first per user (restore
//! what was suspended, re-add removed groups, re-grant revoked roles, …), under the same guards.

use orgwarden_atlassian::{product_name, role_words};
use orgwarden_ids::TenantId;
use orgwarden_store::access::Standing;
use std::collections::HashMap;

use orgwarden_store::operations::exemptions::ExemptionSet;
use orgwarden_store::operations::{
    self, Facts, ItemState, Op, Outcome, PlannedItem, Step, REVERT_ACTION,
};
use orgwarden_store::{DbConnection, StoreError};

use super::guards::{is_admin_role, user_refusal, Actor, UserState};
use super::skip_reason::SkipReason;

/// A step an operation did (a `done` ledger item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneStep {
    /// The ledger item.
    pub item_id: i64,
    /// Account id.
    pub account_id: String,
    /// Its position in the plan.
    pub seq: i32,
    /// What was done.
    pub step: Step,
}

/// The steps operation `id` of `tenant_id` did, in ledger order: what a revert undoes.
pub fn done_steps(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
) -> Result<Vec<DoneStep>, StoreError> {
    Ok(operations::all_items(conn, tenant_id, id)?
        .into_iter()
        .filter(|i| i.state == ItemState::Done)
        .map(|i| DoneStep {
            item_id: i.id,
            step: i.step(),
            account_id: i.account_id.into_string(),
            seq: i.seq,
        })
        .collect())
}

/// The inverse of a change.
pub fn inverse(op: Op) -> Op {
    match op {
        Op::Suspend => Op::Restore,
        Op::Restore => Op::Suspend,
        Op::RevokeRole => Op::GrantRole,
        Op::GrantRole => Op::RevokeRole,
        Op::AddToGroup => Op::RemoveFromGroup,
        Op::RemoveFromGroup => Op::AddToGroup,
        Op::None => Op::None,
    }
}

/// Plans the revert of `done` (users in order of first appearance, steps newest first).
pub fn plan_revert(
    done: &[DoneStep],
    facts: &Facts,
    exemptions: &ExemptionSet,
    actor: &Actor,
) -> Vec<PlannedItem> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_user: HashMap<&str, Vec<&DoneStep>> = HashMap::new();
    for step in done.iter().filter(|d| d.step.op != Op::None) {
        by_user
            .entry(step.account_id.as_str())
            .or_insert_with(|| {
                order.push(step.account_id.as_str());
                Vec::new()
            })
            .push(step);
    }
    let mut out = Vec::new();
    for account_id in order {
        let mut steps = by_user.remove(account_id).unwrap_or_default();
        steps.sort_by_key(|d| std::cmp::Reverse(d.seq));
        let user = facts.users.get(account_id);
        let refusal = match user {
            None => Some(SkipReason::NotInOrg),
            Some(user) => user_refusal(user, facts, exemptions),
        };
        match (user, refusal) {
            (Some(user), None) => {
                let mut state = UserState::new(user, facts, exemptions, actor);
                for done in steps {
                    let mut item = revert_step(&mut state, done);
                    item.source_item_id = Some(done.item_id);
                    out.push(item);
                }
            }
            (_, refusal) => {
                for done in steps {
                    let step = Step {
                        op: Op::None,
                        ..done.step.clone()
                    };
                    out.push(PlannedItem {
                        account_id: account_id.to_owned(),
                        action_index: 0,
                        action: REVERT_ACTION,
                        step,
                        outcome: Outcome::Skip,
                        reason: refusal.clone().unwrap_or(SkipReason::NotInOrg).message(),
                        source_item_id: Some(done.item_id),
                    });
                }
            }
        }
    }
    out
}

/// The forward plan's guards on the one reverting, for an inverse step: nobody takes away their
/// own access, an admin limited to what they administer changes no status (it spans every site)
/// and no role outside their scope, and only an organization admin grants or revokes an admin
/// role.
fn actor_refusal(actor: &Actor, account_id: &str, step: &Step, op: Op) -> Option<SkipReason> {
    let takes_away = matches!(op, Op::Suspend | Op::RevokeRole | Op::RemoveFromGroup);
    if takes_away && account_id == actor.account_id {
        return Some(SkipReason::OwnAccess);
    }
    scope_refusal(actor, step, op).or_else(|| {
        let role = step.role.as_deref().filter(|r| is_admin_role(r))?;
        let changes_role = matches!(op, Op::GrantRole | Op::RevokeRole);
        (changes_role && actor.standing != Standing::OrgAdmin)
            .then(|| SkipReason::AdminRole(role.to_owned()))
    })
}

/// What an admin limited to what they administer may not change.
fn scope_refusal(actor: &Actor, step: &Step, op: Op) -> Option<SkipReason> {
    actor.scope.as_ref()?;
    match op {
        Op::Suspend | Op::Restore => Some(SkipReason::EverySite),
        Op::GrantRole | Op::RevokeRole => match (&step.site_id, &step.product_key) {
            (Some(site), Some(product)) if actor.covers(site, product) => None,
            _ => Some(SkipReason::OutsideScope),
        },
        _ => None,
    }
}

fn revert_step(state: &mut UserState<'_>, done: &DoneStep) -> PlannedItem {
    let op = inverse(done.step.op);
    let act = Step {
        op,
        ..done.step.clone()
    };
    let skip = Step {
        op: Op::None,
        ..done.step.clone()
    };
    let item = |state: &UserState<'_>, step, outcome, reason: String| {
        state.item(0, REVERT_ACTION, step, outcome, reason)
    };
    if let Some(refusal) = actor_refusal(state.actor, &state.account_id, &done.step, op) {
        return item(state, skip, Outcome::Skip, refusal.message());
    }
    match op {
        Op::Restore | Op::Suspend => {
            let (from, to, verb) = if op == Op::Restore {
                ("suspended", "active", "restore access")
            } else {
                ("active", "suspended", "suspend access")
            };
            if state.status == from {
                state.status = to.into();
                item(state, act, Outcome::Act, verb.into())
            } else {
                item(
                    state,
                    skip,
                    Outcome::Skip,
                    SkipReason::AlreadyInStatus {
                        to: to.to_owned(),
                        status: state.status.clone(),
                    }
                    .message(),
                )
            }
        }
        Op::GrantRole | Op::RevokeRole => match (&done.step.role, &done.step.product_key) {
            (Some(role), Some(product)) => {
                let verb = if op == Op::GrantRole {
                    "grant"
                } else {
                    "revoke"
                };
                item(
                    state,
                    act,
                    Outcome::Act,
                    format!("{verb} {} on {}", role_words(role), product_name(product)),
                )
            }
            _ => item(
                state,
                skip,
                Outcome::Skip,
                SkipReason::RoleNotRecorded.message(),
            ),
        },
        Op::AddToGroup | Op::RemoveFromGroup => {
            let Some(group_id) = done.step.group_id.as_deref() else {
                return item(
                    state,
                    skip,
                    Outcome::Skip,
                    SkipReason::GroupNotRecorded.message(),
                );
            };
            if let Some(refusal) = state.group_refusal(group_id) {
                return item(state, skip, Outcome::Skip, refusal.message());
            }
            let name = state.group_name(group_id);
            let add = op == Op::AddToGroup;
            match (add, state.groups.contains(group_id)) {
                (true, true) => item(
                    state,
                    skip,
                    Outcome::Skip,
                    SkipReason::AlreadyMember(name).message(),
                ),
                (false, false) => item(
                    state,
                    skip,
                    Outcome::Skip,
                    SkipReason::NotMember(name).message(),
                ),
                (true, false) => {
                    state.groups.insert(group_id.to_owned());
                    item(state, act, Outcome::Act, format!("add back to {name}"))
                }
                (false, true) => {
                    state.groups.remove(group_id);
                    item(
                        state,
                        act,
                        Outcome::Act,
                        format!("remove again from {name}"),
                    )
                }
            }
        }
        Op::None => item(
            state,
            skip,
            Outcome::Skip,
            SkipReason::NothingToUndo.message(),
        ),
    }
}
