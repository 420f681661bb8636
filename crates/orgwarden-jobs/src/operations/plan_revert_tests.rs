//! Unit tests of the revert planner.

use orgwarden_ids::AccountId;
use orgwarden_ids::GroupId;
use std::collections::BTreeSet;

use orgwarden_store::access::{Administered, Standing};
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

#[test]
fn a_revert_keeps_the_reverting_admins_own_access_and_scope() {
    let f = facts(vec![
        user("u", "suspended", &[], &[]),
        user("pa", "active", &["plain"], &[]),
    ]);
    let step = |item_id, account_id: &str, step| DoneStep {
        item_id,
        account_id: account_id.into(),
        seq: i32::try_from(item_id).unwrap(),
        step,
    };
    let done = vec![
        step(1, "u", Step::bare(Op::Suspend)),
        step(
            2,
            "u",
            Step::product(Op::RevokeRole, SITE, "confluence", Some("atlassian/admin")),
        ),
        step(
            3,
            "u",
            Step::product(
                Op::RevokeRole,
                SITE,
                "jira-software",
                Some("atlassian/user"),
            ),
        ),
        step(4, "pa", Step::group(Op::AddToGroup, GroupId::from("plain"))),
    ];
    let jira_admin = Actor {
        account_id: "pa".into(),
        standing: Standing::ProductAdmin,
        scope: Some(vec![Administered {
            site_id: SITE.into(),
            product_key: Some("jira-software".into()),
        }]),
    };
    let items = plan_revert(&done, &f, &ExemptionSet::default(), &jira_admin);
    let outcomes: Vec<(Option<i64>, Outcome, String)> = items
        .iter()
        .map(|i| (i.source_item_id, i.outcome, i.reason.clone()))
        .collect();
    assert_eq!(
        outcomes,
        [
            (
                Some(3),
                Outcome::Act,
                "grant user access on Jira Software".to_owned()
            ),
            (Some(2), Outcome::Skip, SkipReason::OutsideScope.message()),
            (Some(1), Outcome::Skip, SkipReason::EverySite.message()),
            (Some(4), Outcome::Skip, SkipReason::OwnAccess.message()),
        ]
    );
}

#[test]
fn only_org_admins_revert_a_change_of_an_admin_role() {
    let f = facts(vec![user("u", "active", &[], &[])]);
    let done = [DoneStep {
        item_id: 1,
        account_id: "u".into(),
        seq: 0,
        step: Step::product(Op::RevokeRole, SITE, "confluence", Some("atlassian/admin")),
    }];
    let product_admin = Actor {
        account_id: "pa".into(),
        standing: Standing::ProductAdmin,
        scope: None,
    };
    let refused = plan_revert(&done, &f, &ExemptionSet::default(), &product_admin);
    assert_eq!(
        (refused[0].outcome, refused[0].reason.clone()),
        (
            Outcome::Skip,
            SkipReason::AdminRole("atlassian/admin".into()).message()
        )
    );
    let org_admin = Actor::org_admin(&AccountId::from("oa"));
    let granted = plan_revert(&done, &f, &ExemptionSet::default(), &org_admin);
    assert_eq!(
        (granted[0].step.op, granted[0].outcome),
        (Op::GrantRole, Outcome::Act)
    );
}
