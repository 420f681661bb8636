//! Bounds on the work one operation request may cause: repeated group ids and app targets are
//! dropped, and the plan (users × steps per user) has a ceiling, checked before it is built.

use orgwarden_jobs::operations::{most_steps, MAX_PLAN_STEPS};
use orgwarden_store::operations::Action;

use super::types::OperationRequest;
use crate::error::ApiError;

/// Keeps the first of each repeated value, in order.
fn dedup_in_order<T: PartialEq>(values: &mut Vec<T>) {
    let mut kept: Vec<T> = Vec::with_capacity(values.len());
    for value in values.drain(..) {
        if !kept.contains(&value) {
            kept.push(value);
        }
    }
    *values = kept;
}

impl OperationRequest {
    /// Drops repeated group ids and app targets within each action: a group named twice is
    /// one step, not two.
    pub fn dedup(&mut self) {
        for action in &mut self.actions {
            match action {
                Action::AddToGroups { group_ids } | Action::RemoveFromGroups { group_ids } => {
                    dedup_in_order(group_ids)
                }
                Action::RemoveAppAccess { targets, .. } => dedup_in_order(targets),
                Action::Suspend | Action::Restore => {}
            }
        }
    }

    /// Checks that `users` × the most steps one user may need stays within
    /// [`MAX_PLAN_STEPS`]; `site_products` is how many products the organization has on its
    /// sites (what "remove all app access" may remove).
    pub fn check_plan_size(&self, users: usize, site_products: usize) -> Result<(), ApiError> {
        let steps = most_steps(&self.actions, users, site_products);
        let per_user = steps / users.max(1);
        if steps > MAX_PLAN_STEPS {
            return Err(ApiError::invalid(
                "actions",
                &format!(
                    "{users} users × up to {per_user} steps each is {steps} steps; one operation \
                     plans at most {MAX_PLAN_STEPS}. Narrow the selection or split the actions \
                     into several operations"
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use orgwarden_store::operations::{AppTarget, Selection};

    use super::*;

    fn request(actions: Vec<Action>) -> OperationRequest {
        OperationRequest {
            selection: Selection {
                filter: None,
                account_ids: Some(vec!["a".into()]),
            },
            actions,
            reason: None,
        }
    }

    #[test]
    fn repeated_groups_and_targets_count_once_in_order() {
        let target = |s: &str| AppTarget {
            site_id: s.into(),
            product_key: "confluence".into(),
        };
        let mut r = request(vec![
            Action::AddToGroups {
                group_ids: ["g2", "g1", "g2", "g2", "g1"].map(String::from).to_vec(),
            },
            Action::RemoveAppAccess {
                targets: vec![target("s1"), target("s1"), target("s2")],
                all: false,
            },
        ]);
        r.dedup();
        assert_eq!(
            r.actions,
            vec![
                Action::AddToGroups {
                    group_ids: vec!["g2".into(), "g1".into()],
                },
                Action::RemoveAppAccess {
                    targets: vec![target("s1"), target("s2")],
                    all: false,
                },
            ]
        );
    }

    #[test]
    fn a_plan_over_the_ceiling_is_refused_before_it_is_built() {
        let many = request(vec![
            Action::AddToGroups {
                group_ids: (0..200).map(|i| format!("g{i}")).collect(),
            };
            10
        ]);
        let refused = many.check_plan_size(100_000, 20).unwrap_err();
        assert_eq!(
            actix_web::ResponseError::status_code(&refused).as_u16(),
            400
        );
        assert!(
            format!("{refused:?}").contains("split the actions"),
            "{refused:?}"
        );
        let two = request(vec![
            Action::Suspend,
            Action::RemoveAppAccess {
                targets: Vec::new(),
                all: true,
            },
        ]);
        assert!(two.check_plan_size(100_000, 1).is_ok());
        assert!(
            two.check_plan_size(100_000, 3).is_err(),
            "all: every site product"
        );
    }
}
