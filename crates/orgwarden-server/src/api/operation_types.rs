//! Shapes of the operations API and the checks that name the offending field.

use std::collections::BTreeMap;

use orgwarden_store::operations::{Action, Facts, Outcome, PlannedItem, Selection, Step};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;

/// Most account ids one request may name (use a filter for more).
pub const MAX_ACCOUNT_IDS: usize = 20_000;

/// Most actions per operation.
pub const MAX_ACTIONS: usize = 10;

/// Most groups or app targets per action.
pub const MAX_TARGETS: usize = 200;

/// Most preview items returned (the totals always count every item).
pub const MAX_PREVIEW_ITEMS: usize = 5_000;

/// A bulk operation to preview or start.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OperationRequest {
    /// Which users: `{filter}` or `{accountIds}`.
    pub selection: Selection,
    /// What to do, in order, per user.
    pub actions: Vec<Action>,
    /// Why (recorded with every change).
    #[serde(default)]
    pub reason: Option<String>,
}

/// A 400 naming `field`.
pub fn invalid(field: &str, message: &str) -> ApiError {
    ApiError::validation(format!("{field}: {message}"))
        .with_details(serde_json::json!({"field": field}))
}

/// Checks a selection: exactly one of a valid filter or 1 to 20,000 account ids.
pub fn validate_selection(selection: &Selection) -> Result<(), ApiError> {
    match (&selection.filter, &selection.account_ids) {
        (Some(filter), None) => {
            filter
                .validate("selection.filter.")
                .map_err(|e| invalid(&e.field, &e.message))?;
        }
        (None, Some(ids)) => {
            if ids.is_empty() || ids.len() > MAX_ACCOUNT_IDS {
                return Err(invalid(
                    "selection.accountIds",
                    "must hold 1 to 20000 account ids (use a filter for more)",
                ));
            }
            if ids.iter().any(|id| id.trim().is_empty() || id.len() > 128) {
                return Err(invalid(
                    "selection.accountIds",
                    "account ids must be 1 to 128 characters",
                ));
            }
        }
        _ => return Err(invalid("selection", "give either filter or accountIds")),
    }
    Ok(())
}

impl OperationRequest {
    /// Checks sizes and shapes (existence of groups and products is checked against the mirror).
    pub fn validate(&self) -> Result<(), ApiError> {
        validate_selection(&self.selection)?;
        validate_actions(&self.actions, self.reason.as_deref())
    }

    /// Checks that named groups and products exist in the mirror.
    pub fn validate_against(
        &self,
        facts: &Facts,
        products: &std::collections::BTreeSet<(String, String)>,
    ) -> Result<(), ApiError> {
        for (i, action) in self.actions.iter().enumerate() {
            match action {
                Action::AddToGroups { group_ids } | Action::RemoveFromGroups { group_ids } => {
                    if let Some((j, _)) = group_ids
                        .iter()
                        .enumerate()
                        .find(|(_, g)| !facts.groups.contains_key(*g))
                    {
                        return Err(invalid(
                            &format!("actions[{i}].groupIds[{j}]"),
                            "no such group in the organization (as of the last sync)",
                        ));
                    }
                }
                Action::RemoveAppAccess { targets, .. } => {
                    let missing = targets.iter().position(|t| {
                        !products.contains(&(t.site_id.clone(), t.product_key.clone()))
                    });
                    if let Some(j) = missing {
                        return Err(invalid(
                            &format!("actions[{i}].targets[{j}]"),
                            "no such product on that site (as of the last sync)",
                        ));
                    }
                }
                Action::Suspend | Action::Restore => {}
            }
        }
        Ok(())
    }
}

/// Checks 1 to 10 actions and a reason of at most 1,000 characters.
pub fn validate_actions(actions: &[Action], reason: Option<&str>) -> Result<(), ApiError> {
    if actions.is_empty() || actions.len() > MAX_ACTIONS {
        return Err(invalid("actions", "give 1 to 10 actions"));
    }
    for (i, action) in actions.iter().enumerate() {
        validate_action(i, action)?;
    }
    if reason.is_some_and(|r| r.chars().count() > 1000) {
        return Err(invalid("reason", "must be at most 1000 characters"));
    }
    Ok(())
}

fn validate_action(i: usize, action: &Action) -> Result<(), ApiError> {
    match action {
        Action::Suspend | Action::Restore => Ok(()),
        Action::AddToGroups { group_ids } | Action::RemoveFromGroups { group_ids } => {
            if group_ids.is_empty()
                || group_ids.len() > MAX_TARGETS
                || group_ids.iter().any(|g| g.trim().is_empty())
            {
                return Err(invalid(
                    &format!("actions[{i}].groupIds"),
                    "give 1 to 200 group ids",
                ));
            }
            Ok(())
        }
        Action::RemoveAppAccess { targets, all } => {
            if *all != targets.is_empty() {
                return Err(invalid(
                    &format!("actions[{i}].targets"),
                    "give either targets or all: true",
                ));
            }
            if targets.len() > MAX_TARGETS {
                return Err(invalid(
                    &format!("actions[{i}].targets"),
                    "give at most 200 targets",
                ));
            }
            if let Some(j) = targets
                .iter()
                .position(|t| t.site_id.trim().is_empty() || t.product_key.trim().is_empty())
            {
                return Err(invalid(
                    &format!("actions[{i}].targets[{j}]"),
                    "siteId and productKey are required",
                ));
            }
            Ok(())
        }
    }
}

/// One planned step of a preview.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreviewItem {
    /// Account id.
    pub account_id: String,
    /// Display name (from the mirror).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The requested action's `type` (`revert` for reverts).
    pub action: String,
    /// Index of the requested action.
    pub action_index: i32,
    /// The concrete change.
    #[serde(flatten)]
    pub step: Step,
    /// `act` or `skip`.
    pub outcome: Outcome,
    /// What it does, or why it is skipped.
    pub reason: String,
}

/// Counts of a preview.
#[derive(Debug, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreviewTotals {
    /// Steps that will be done.
    pub act: usize,
    /// Steps that will be skipped.
    pub skip: usize,
    /// Skipped steps per reason.
    pub by_skip_reason: BTreeMap<String, usize>,
    /// The same counts per requested action, in the order asked.
    pub by_action: Vec<ActionTotals>,
}

/// Counts of one requested action in a preview.
#[derive(Debug, Default, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActionTotals {
    /// Index of the requested action.
    pub action_index: i32,
    /// Its `type` (`revert` for reverts).
    pub action: String,
    /// Steps that will be done.
    pub act: usize,
    /// Steps that will be skipped.
    pub skip: usize,
}

/// What an operation would do; nothing has changed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Preview {
    /// Planned steps in all.
    pub total: usize,
    /// Users selected.
    pub users: usize,
    /// The steps (at most 5,000; see `truncated`).
    pub items: Vec<PreviewItem>,
    /// True when `items` was cut at 5,000.
    pub truncated: bool,
    /// Counts over every step.
    pub totals: PreviewTotals,
}

impl Preview {
    /// Summarizes a plan of the requested `actions` (their `type`s, in order) over `users`
    /// users.
    pub fn new(plan: Vec<PlannedItem>, actions: &[&str], users: usize, facts: &Facts) -> Self {
        let mut totals = PreviewTotals {
            by_action: (0..)
                .zip(actions)
                .map(|(action_index, action)| ActionTotals {
                    action_index,
                    action: (*action).to_owned(),
                    act: 0,
                    skip: 0,
                })
                .collect(),
            ..PreviewTotals::default()
        };
        for item in &plan {
            let index = usize::try_from(item.action_index).unwrap_or(usize::MAX);
            if let Some(per_action) = totals.by_action.get_mut(index) {
                match item.outcome {
                    Outcome::Act => per_action.act += 1,
                    Outcome::Skip => per_action.skip += 1,
                }
            }
            match item.outcome {
                Outcome::Act => totals.act += 1,
                Outcome::Skip => {
                    *totals
                        .by_skip_reason
                        .entry(item.reason.clone())
                        .or_default() += 1
                }
            }
        }
        totals.skip = plan.len() - totals.act;
        let total = plan.len();
        let items = plan
            .into_iter()
            .take(MAX_PREVIEW_ITEMS)
            .map(|p| PreviewItem {
                name: facts.users.get(&p.account_id).map(|u| u.name.clone()),
                account_id: p.account_id,
                action: p.action.to_owned(),
                action_index: p.action_index,
                step: p.step,
                outcome: p.outcome,
                reason: p.reason,
            })
            .collect();
        Self {
            total,
            users,
            items,
            truncated: total > MAX_PREVIEW_ITEMS,
            totals,
        }
    }
}
