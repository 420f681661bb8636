//! The ceiling on one plan's size, checked before a plan is built: when an operation is
//! requested or previewed, and when a task's run starts (its filter may select more people
//! every week).

use orgwarden_store::operations::Action;

/// Most steps (users × steps per user) one operation or task run may plan: a plan is held in
/// memory while it is previewed or recorded, and at 50 requests/s this many steps take about
/// 100 minutes.
pub const MAX_PLAN_STEPS: usize = 300_000;

/// The most steps `users` may need under `actions`: one per group, per named app target (every
/// product on the organization's sites, `site_products`, for "all app access") and one per
/// suspend or restore.
pub fn most_steps(actions: &[Action], users: usize, site_products: usize) -> usize {
    let per_user: usize = actions
        .iter()
        .map(|action| match action {
            Action::AddToGroups { group_ids } | Action::RemoveFromGroups { group_ids } => {
                group_ids.len()
            }
            Action::RemoveAppAccess { all: true, .. } => site_products,
            Action::RemoveAppAccess { targets, .. } => targets.len(),
            Action::Suspend | Action::Restore => 1,
        })
        .sum();
    users.saturating_mul(per_user.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_count_each_group_target_and_status_change() {
        let actions = [
            Action::AddToGroups {
                group_ids: vec!["g1".into(), "g2".into()],
            },
            Action::Suspend,
        ];
        assert_eq!(most_steps(&actions, 10, 7), 30);
        assert_eq!(most_steps(&[], 10, 7), 10);
        assert_eq!(most_steps(&actions, usize::MAX, 7), usize::MAX);
    }
}
