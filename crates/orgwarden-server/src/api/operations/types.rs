//! Shapes of the operations API and the checks that name the offending field.

use orgwarden_store::operations::{Action, Facts, Selection};
use serde::Deserialize;
use utoipa::ToSchema;

pub use super::preview::Preview;
use crate::error::ApiError;

/// Most account ids one request may name (use a filter for more).
pub const MAX_ACCOUNT_IDS: usize = 20_000;

/// Most actions per operation.
pub const MAX_ACTIONS: usize = 10;

/// Most groups or app targets per action.
pub const MAX_TARGETS: usize = 200;

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

/// Checks a selection: exactly one of a valid filter or 1 to 20,000 account ids.
pub fn validate_selection(selection: &Selection) -> Result<(), ApiError> {
    match (&selection.filter, &selection.account_ids) {
        (Some(filter), None) => {
            filter
                .validate("selection.filter.")
                .map_err(|e| ApiError::invalid(&e.field, &e.message))?;
        }
        (None, Some(ids)) => {
            if ids.is_empty() || ids.len() > MAX_ACCOUNT_IDS {
                return Err(ApiError::invalid(
                    "selection.accountIds",
                    "must hold 1 to 20000 account ids (use a filter for more)",
                ));
            }
            if ids.iter().any(|id| id.trim().is_empty() || id.len() > 128) {
                return Err(ApiError::invalid(
                    "selection.accountIds",
                    "account ids must be 1 to 128 characters",
                ));
            }
        }
        _ => {
            return Err(ApiError::invalid(
                "selection",
                "give either filter or accountIds",
            ))
        }
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
                        return Err(ApiError::invalid(
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
                        return Err(ApiError::invalid(
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
        return Err(ApiError::invalid("actions", "give 1 to 10 actions"));
    }
    for (i, action) in actions.iter().enumerate() {
        validate_action(i, action)?;
    }
    if reason.is_some_and(|r| r.chars().count() > 1000) {
        return Err(ApiError::invalid(
            "reason",
            "must be at most 1000 characters",
        ));
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
                return Err(ApiError::invalid(
                    &format!("actions[{i}].groupIds"),
                    "give 1 to 200 group ids",
                ));
            }
            Ok(())
        }
        Action::RemoveAppAccess { targets, all } => {
            if *all != targets.is_empty() {
                return Err(ApiError::invalid(
                    &format!("actions[{i}].targets"),
                    "give either targets or all: true",
                ));
            }
            if targets.len() > MAX_TARGETS {
                return Err(ApiError::invalid(
                    &format!("actions[{i}].targets"),
                    "give at most 200 targets",
                ));
            }
            if let Some(j) = targets
                .iter()
                .position(|t| t.site_id.trim().is_empty() || t.product_key.trim().is_empty())
            {
                return Err(ApiError::invalid(
                    &format!("actions[{i}].targets[{j}]"),
                    "siteId and productKey are required",
                ));
            }
            Ok(())
        }
    }
}
