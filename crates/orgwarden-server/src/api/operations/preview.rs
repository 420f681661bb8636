//! The answer of a preview: what an operation would do, counted one planned step at a time so
//! that a plan of 300,000 steps is never held whole — only the first
//! [`MAX_PREVIEW_ITEMS`] steps are kept.

use std::collections::BTreeMap;

use orgwarden_store::operations::{Facts, Outcome, PlannedItem, Step};
use serde::Serialize;
use utoipa::ToSchema;

/// Most preview items returned (the totals always count every item).
pub const MAX_PREVIEW_ITEMS: usize = 5_000;

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
    /// An empty preview of the requested `actions` (their `type`s, in order) over `users`
    /// users; [`Preview::add`] counts each planned step into it.
    pub fn empty(actions: &[&str], users: usize) -> Self {
        let by_action = (0..)
            .zip(actions)
            .map(|(action_index, action)| ActionTotals {
                action_index,
                action: (*action).to_owned(),
                act: 0,
                skip: 0,
            })
            .collect();
        Self {
            total: 0,
            users,
            items: Vec::new(),
            truncated: false,
            totals: PreviewTotals {
                by_action,
                ..PreviewTotals::default()
            },
        }
    }

    /// Summarizes a whole plan (see [`Preview::empty`]).
    pub fn new(plan: Vec<PlannedItem>, actions: &[&str], users: usize, facts: &Facts) -> Self {
        let mut preview = Self::empty(actions, users);
        for item in plan {
            preview.add(item, facts);
        }
        preview
    }

    /// Counts one planned step, and keeps it while fewer than [`MAX_PREVIEW_ITEMS`] are kept.
    pub fn add(&mut self, item: PlannedItem, facts: &Facts) {
        self.total += 1;
        let index = usize::try_from(item.action_index).unwrap_or(usize::MAX);
        let per_action = self.totals.by_action.get_mut(index);
        match item.outcome {
            Outcome::Act => {
                self.totals.act += 1;
                if let Some(per_action) = per_action {
                    per_action.act += 1;
                }
            }
            Outcome::Skip => {
                self.totals.skip += 1;
                if let Some(per_action) = per_action {
                    per_action.skip += 1;
                }
                *self
                    .totals
                    .by_skip_reason
                    .entry(item.reason.clone())
                    .or_default() += 1;
            }
        }
        if self.items.len() < MAX_PREVIEW_ITEMS {
            self.items.push(PreviewItem {
                name: facts.users.get(&item.account_id).map(|u| u.name.clone()),
                account_id: item.account_id,
                action: item.action.to_owned(),
                action_index: item.action_index,
                step: item.step,
                outcome: item.outcome,
                reason: item.reason,
            });
        } else {
            self.truncated = true;
        }
    }
}
