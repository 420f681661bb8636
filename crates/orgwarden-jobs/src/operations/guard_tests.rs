//! Unit tests of the guards that depend on who acts: oneself, admin-granting groups, and the
//! limited scope of product admins and user access admins.

use orgwarden_ids::AccountId;
use orgwarden_store::access::{Administered, Standing};
use orgwarden_store::operations::exemptions::ExemptionSet;
use orgwarden_store::operations::{
    Action, DirectRole, GroupFacts, GroupGrant, Op, Outcome, PlannedItem,
};

use super::guards::actor_group_refusal;
use super::plan_fixtures::*;
use super::*;

fn product_admin(scope: Option<Vec<Administered>>) -> Actor {
    Actor {
        account_id: "pa".into(),
        standing: Standing::ProductAdmin,
        scope,
    }
}

fn run(actor: &Actor, who: &[&str], actions: &[Action]) -> Vec<PlannedItem> {
    let f = facts(vec![
        user(
            "pa",
            "active",
            &["jira-users"],
            &["jira-software", "confluence"],
        ),
        user(
            "u",
            "active",
            &["jira-users"],
            &["jira-software", "confluence"],
        ),
    ]);
    plan(&ids(who), actions, &f, &ExemptionSet::default(), actor)
}

#[test]
fn nobody_suspends_themselves_or_removes_their_own_access() {
    let me = Actor::org_admin(&AccountId::from("pa"));
    for action in taking_actions() {
        let items = run(&me, &["pa"], std::slice::from_ref(&action));
        assert!(
            items.iter().all(|i| i.outcome == Outcome::Skip),
            "{action:?}"
        );
        assert_eq!(items[0].reason, SkipReason::OwnAccess.message());
    }
    // Someone else is acted on as usual.
    assert_eq!(acted(&run(&me, &["u"], &[Action::Suspend])).len(), 1);
}

#[test]
fn only_org_admins_change_groups_that_grant_admin_rights() {
    let add = [Action::AddToGroups {
        group_ids: vec!["site-admins".into()],
    }];
    let refused = run(&product_admin(None), &["u"], &add);
    assert_eq!(refused[0].outcome, Outcome::Skip);
    assert!(
        refused[0].reason.contains("admin rights"),
        "{}",
        refused[0].reason
    );
    let allowed = run(&Actor::org_admin(&AccountId::from("oa")), &["u"], &add);
    assert_eq!(
        acted(&allowed),
        [("u".into(), Op::AddToGroup, Some("site-admins".into()))]
    );
    // A plain group is fine for an organization-scoped product admin.
    let plain = run(
        &product_admin(None),
        &["u"],
        &[Action::AddToGroups {
            group_ids: vec!["conf-users".into()],
        }],
    );
    assert_eq!(acted(&plain).len(), 1);
}

#[test]
fn only_org_admins_remove_access_an_admin_role_gives() {
    let mut holder = user("u", "active", &[], &["confluence"]);
    holder.direct_roles = Some(vec![DirectRole {
        site_id: SITE.into(),
        product_key: "confluence".into(),
        role: Some("atlassian/admin".into()),
    }]);
    let f = facts(vec![holder]);
    let remove = [Action::RemoveAppAccess {
        targets: vec![target("confluence")],
        all: false,
    }];
    let plan_as = |actor: &Actor| plan(&ids(&["u"]), &remove, &f, &ExemptionSet::default(), actor);
    let refused = plan_as(&product_admin(None));
    assert_eq!(
        refused
            .iter()
            .map(|i| (i.outcome, i.reason.clone()))
            .collect::<Vec<_>>(),
        [(
            Outcome::Skip,
            SkipReason::AdminRole("atlassian/admin".into()).message()
        )]
    );
    let allowed = plan_as(&Actor::org_admin(&AccountId::from("oa")));
    assert_eq!(
        acted(&allowed),
        [("u".into(), Op::RevokeRole, Some("atlassian/admin".into()))]
    );
}

#[test]
fn a_limited_admin_touches_only_what_they_administer() {
    let jira_only = product_admin(Some(vec![Administered {
        site_id: SITE.into(),
        product_key: Some("jira-software".into()),
    }]));
    let remove = [Action::RemoveAppAccess {
        targets: vec![target("jira-software"), target("confluence")],
        all: false,
    }];
    let items = run(&jira_only, &["u"], &remove);
    let outside: Vec<&PlannedItem> = items
        .iter()
        .filter(|i| i.step.product_key.as_deref() == Some("confluence"))
        .collect();
    assert!(outside.iter().all(|i| i.outcome == Outcome::Skip));
    assert!(
        outside[0].reason.contains("outside"),
        "{}",
        outside[0].reason
    );
    // Leaving jira-users would take Confluence too, so nothing beyond the scope acts.
    assert!(items.iter().filter(|i| i.outcome == Outcome::Act).all(|i| i
        .step
        .product_key
        .as_deref()
        != Some("confluence")
        && i.step.group_id.as_deref() != Some("jira-users")));
    let suspend = run(&jira_only, &["u"], &[Action::Suspend]);
    assert_eq!(suspend[0].outcome, Outcome::Skip);
    // jira-users also grants Confluence, beyond the scope.
    let leave = run(
        &jira_only,
        &["u"],
        &[Action::RemoveFromGroups {
            group_ids: vec!["jira-users".into()],
        }],
    );
    assert_eq!(leave[0].outcome, Outcome::Skip);
    assert!(leave[0].reason.contains("beyond"), "{}", leave[0].reason);
}

#[test]
fn roles_and_resources_the_app_cannot_place_are_for_org_admins() {
    let grant = |site: &str, role: &str| GroupGrant {
        site_id: site.into(),
        product_key: "jira-software".into(),
        role: role.into(),
    };
    let with = |grants: Vec<GroupGrant>| GroupFacts {
        id: "g".into(),
        name: "g-name".into(),
        idp_synced: false,
        grants,
    };
    let org_admin = Actor::org_admin(&AccountId::from("oa"));
    let jira_admin = product_admin(Some(vec![Administered {
        site_id: SITE.into(),
        product_key: Some("jira-software".into()),
    }]));
    // A role Atlassian adds later is taken for an admin role.
    let unknown = with(vec![grant(SITE, "atlassian/project-admin")]);
    assert_eq!(
        actor_group_refusal(&unknown, &product_admin(None)),
        Some(SkipReason::AdminGroup("g-name".into()))
    );
    assert_eq!(actor_group_refusal(&unknown, &org_admin), None);
    // An organization-level grant (no site) is beyond every limited admin's scope, and its
    // admin role still counts.
    let org_level_use = with(vec![grant("", "atlassian/user")]);
    assert_eq!(
        actor_group_refusal(&org_level_use, &jira_admin),
        Some(SkipReason::GroupBeyondScope("g-name".into()))
    );
    assert_eq!(
        actor_group_refusal(&org_level_use, &product_admin(None)),
        None
    );
    let org_level_admin = with(vec![grant("", "atlassian/admin")]);
    assert_eq!(
        actor_group_refusal(&org_level_admin, &product_admin(None)),
        Some(SkipReason::AdminGroup("g-name".into()))
    );
    // The roles known to give use of a product only stay changeable.
    let known = with(vec![
        grant(SITE, "atlassian/user"),
        grant(SITE, "atlassian/guest"),
    ]);
    assert_eq!(actor_group_refusal(&known, &jira_admin), None);
}
