//! Unit tests of the planner.

use orgwarden_ids::AccountId;
use orgwarden_store::operations::exemptions::ExemptionSet;
use orgwarden_store::operations::{Action, DirectRole, Op, Outcome, Step};

use super::plan_fixtures::*;
use super::*;

/// The planner as an organization admin ("requester") runs it.
fn plan(
    ids: &[String],
    actions: &[Action],
    facts: &orgwarden_store::operations::Facts,
    ex: &ExemptionSet,
) -> Vec<orgwarden_store::operations::PlannedItem> {
    super::plan(
        ids,
        actions,
        facts,
        ex,
        &Actor::org_admin(&AccountId::from("requester")),
    )
}

#[test]
fn guards_skip_admins_exempt_users_members_of_exempt_groups_and_unknown_users() {
    let mut admin = user("admin", "active", &[], &[]);
    admin.org_admin = true;
    let f = facts(vec![
        admin,
        user("exempt", "active", &[], &[]),
        user("member", "active", &["plain"], &[]),
        user("ok", "active", &[], &[]),
    ]);
    let ex = ExemptionSet {
        users: ["exempt".to_owned()].into(),
        groups: ["plain".to_owned()].into(),
    };
    let items = plan(
        &ids(&["admin", "exempt", "member", "ghost", "ok"]),
        &[Action::Suspend],
        &f,
        &ex,
    );
    let reasons: Vec<&str> = items.iter().map(|i| i.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            SkipReason::OrgAdmin.message(),
            SkipReason::Exempt.message(),
            SkipReason::MemberOfExemptGroup("plain-name".into()).message(),
            SkipReason::NotInOrg.message(),
            "suspend access".into()
        ]
    );
    assert_eq!(acted(&items), [("ok".to_owned(), Op::Suspend, None)]);
}

#[test]
fn app_accounts_are_never_touched() {
    let mut bot = user("bot", "active", &["jira-users"], &["jira-software"]);
    bot.account_type = "app".into();
    let f = facts(vec![bot]);
    for action in taking_actions() {
        let items = plan(
            &ids(&["bot"]),
            std::slice::from_ref(&action),
            &f,
            &ExemptionSet::default(),
        );
        assert!(
            items
                .iter()
                .all(|i| i.outcome == Outcome::Skip && i.reason == SkipReason::AppAccount.message()),
            "{action:?}: {items:?}"
        );
    }
}

#[test]
fn suspend_and_restore_follow_the_status_in_order() {
    let f = facts(vec![
        user("a", "active", &[], &[]),
        user("s", "suspended", &[], &[]),
        user("d", "deactivated", &[], &[]),
    ]);
    let items = plan(
        &ids(&["a", "s", "d"]),
        &[Action::Restore, Action::Suspend],
        &f,
        &ExemptionSet::default(),
    );
    let summary: Vec<(&str, Outcome, &str)> = items
        .iter()
        .map(|i| (i.account_id.as_str(), i.outcome, i.reason.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("a", Outcome::Skip, "already active"),
            ("a", Outcome::Act, "suspend access"),
            ("s", Outcome::Act, "restore access"),
            ("s", Outcome::Act, "suspend access"),
            ("d", Outcome::Skip, "not suspended (deactivated)"),
            ("d", Outcome::Skip, "not active (deactivated)"),
        ]
    );
}

#[test]
fn group_changes_respect_membership_idp_sync_and_exempt_groups() {
    let f = facts(vec![user("u", "active", &["conf-users"], &[])]);
    let ex = ExemptionSet {
        groups: ["site-admins".to_owned()].into(),
        ..ExemptionSet::default()
    };
    let add = Action::AddToGroups {
        group_ids: ids(&["plain", "plain", "scim-plain", "site-admins", "nope"]),
    };
    let remove = Action::RemoveFromGroups {
        group_ids: ids(&["conf-users", "jira-users"]),
    };
    let items = plan(&ids(&["u"]), &[add, remove], &f, &ex);
    let reasons: Vec<&str> = items.iter().map(|i| i.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "add to plain-name",
            "already a member of plain-name",
            "scim-plain-name is synced from an identity provider; change it in your identity provider",
            "group site-admins-name is on the exemption list",
            "unknown group nope",
            "remove from conf-users-name",
            "not a member of jira-users-name",
        ]
    );
}

#[test]
fn remove_app_access_revokes_direct_roles_and_leaves_granting_groups() {
    let mut direct = user("direct", "active", &[], &["confluence"]);
    direct.direct_roles = Some(vec![DirectRole {
        site_id: SITE.into(),
        product_key: "confluence".into(),
        role: Some("atlassian/admin".into()),
    }]);
    let both = user(
        "both",
        "active",
        &["jira-users", "conf-users"],
        &["confluence", "jira-software"],
    );
    let f = facts(vec![direct, both]);
    let action = Action::RemoveAppAccess {
        targets: vec![target("confluence")],
        all: false,
    };
    let items = plan(
        &ids(&["direct", "both"]),
        &[action],
        &f,
        &ExemptionSet::default(),
    );
    assert_eq!(
        acted(&items),
        [
            (
                "direct".to_owned(),
                Op::RevokeRole,
                Some("atlassian/admin".to_owned())
            ),
            (
                "both".to_owned(),
                Op::RemoveFromGroup,
                Some("conf-users".to_owned())
            ),
            (
                "both".to_owned(),
                Op::RemoveFromGroup,
                Some("jira-users".to_owned())
            ),
        ]
    );
    assert!(
        items
            .iter()
            .any(|i| i.reason.contains("(it also grants Jira Software)")),
        "{items:#?}"
    );
}

#[test]
fn remove_app_access_skips_idp_grants_and_missing_access_and_infers_direct_access() {
    let f = facts(vec![
        user("idp", "active", &["okta"], &["jira-servicedesk"]),
        user("inferred", "active", &[], &["confluence"]),
    ]);
    let all = Action::RemoveAppAccess {
        targets: vec![],
        all: true,
    };
    let items = plan(
        &ids(&["idp", "inferred"]),
        &[all],
        &f,
        &ExemptionSet::default(),
    );
    assert_eq!(
        items[0].reason,
        "granted by IdP-synced group okta-name; change it in your identity provider"
    );
    assert_eq!(items[0].outcome, Outcome::Skip);
    assert_eq!(
        items[1].step,
        Step::product(Op::RevokeRole, SITE, "confluence", None)
    );
    let none = plan(
        &ids(&["inferred"]),
        &[Action::RemoveAppAccess {
            targets: vec![target("jira-software")],
            all: false,
        }],
        &f,
        &ExemptionSet::default(),
    );
    assert_eq!(none[0].reason, "no access to Jira Software on site Acme");
}

#[test]
fn all_products_removes_a_group_once_and_never_touches_site_admin() {
    let f = facts(vec![user(
        "u",
        "active",
        &["jira-users", "site-admins"],
        &["jira-software", "confluence"],
    )]);
    let items = plan(
        &ids(&["u"]),
        &[Action::RemoveAppAccess {
            targets: vec![],
            all: true,
        }],
        &f,
        &ExemptionSet::default(),
    );
    assert_eq!(
        acted(&items),
        [(
            "u".to_owned(),
            Op::RemoveFromGroup,
            Some("jira-users".to_owned())
        )]
    );
    assert_eq!(
        items.len(),
        2,
        "the second product is covered by the same group: {items:#?}"
    );
    assert_eq!(items[1].outcome, Outcome::Skip);
}
