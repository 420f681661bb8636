//! Unit tests of the revert planner.

use orgwarden_ids::AccountId;
use orgwarden_ids::GroupId;
use std::collections::BTreeSet;

use orgwarden_store::operations::exemptions::ExemptionSet;
use orgwarden_store::operations::{Op, Outcome, Step};

use super::plan_fixtures::{facts, user, SITE};
use super::*;

#[test]
fn revert_inverts_done_steps_newest_first_under_the_same_guards() {
    let mut now = user("u", "suspended", &[], &[]);
    now.groups = BTreeSet::from(["plain".to_owned()]);
    let mut admin = user("admin", "active", &[], &[]);
    admin.org_admin = true;
    let f = facts(vec![now, admin]);
    let role = Step::product(Op::RevokeRole, SITE, "confluence", Some("atlassian/user"));
    let done = vec![
        DoneStep {
            item_id: 1,
            account_id: "u".into(),
            seq: 0,
            step: Step::group(Op::RemoveFromGroup, GroupId::from("conf-users")),
        },
        DoneStep {
            item_id: 2,
            account_id: "u".into(),
            seq: 1,
            step: role,
        },
        DoneStep {
            item_id: 3,
            account_id: "u".into(),
            seq: 2,
            step: Step::group(Op::AddToGroup, GroupId::from("plain")),
        },
        DoneStep {
            item_id: 4,
            account_id: "u".into(),
            seq: 3,
            step: Step::bare(Op::Suspend),
        },
        DoneStep {
            item_id: 5,
            account_id: "admin".into(),
            seq: 4,
            step: Step::bare(Op::Suspend),
        },
    ];
    let items = plan_revert(
        &done,
        &f,
        &ExemptionSet::default(),
        &Actor::org_admin(&AccountId::from("requester")),
    );
    let ops: Vec<(Op, Outcome, Option<i64>)> = items
        .iter()
        .map(|i| (i.step.op, i.outcome, i.source_item_id))
        .collect();
    assert_eq!(
        ops,
        [
            (Op::Restore, Outcome::Act, Some(4)),
            (Op::RemoveFromGroup, Outcome::Act, Some(3)),
            (Op::GrantRole, Outcome::Act, Some(2)),
            (Op::AddToGroup, Outcome::Act, Some(1)),
            (Op::None, Outcome::Skip, Some(5)),
        ]
    );
    assert_eq!(items[4].reason, SkipReason::OrgAdmin.message());
    assert_eq!(inverse(inverse(Op::RevokeRole)), Op::RevokeRole);
}
