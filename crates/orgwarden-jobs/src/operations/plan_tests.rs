//! Unit tests of the planner and the revert planner.

use std::collections::BTreeSet;

use orgwarden_store::operations::exemptions::ExemptionSet;
use orgwarden_store::operations::{Action, AppTarget, DirectRole, Facts, GroupFacts, GroupGrant, Op, Outcome, PlannedItem, Step, UserFacts};

use super::*;

const SITE: &str = "site-1";

fn group(id: &str, idp: bool, grants: &[(&str, &str)]) -> GroupFacts {
    GroupFacts {
        id: id.into(),
        name: format!("{id}-name"),
        idp_synced: idp,
        grants: grants.iter().map(|(p, r)| GroupGrant { site_id: SITE.into(), product_key: (*p).into(), role: (*r).into() }).collect(),
    }
}

fn user(id: &str, status: &str, groups: &[&str], access: &[&str]) -> UserFacts {
    UserFacts {
        account_id: id.into(),
        name: id.into(),
        status: status.into(),
        org_admin: false,
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        access: access.iter().map(|p| (SITE.to_owned(), (*p).to_owned())).collect(),
        direct_roles: None,
    }
}

fn facts(users: Vec<UserFacts>) -> Facts {
    let groups = vec![
        group("jira-users", false, &[("jira-software", "atlassian/user"), ("confluence", "atlassian/user")]),
        group("conf-users", false, &[("confluence", "atlassian/user")]),
        group("okta", true, &[("jira-servicedesk", "atlassian/user")]),
        group("plain", false, &[]),
        group("scim-plain", true, &[]),
        group("site-admins", false, &[("platform", "atlassian/site-admin")]),
    ];
    Facts {
        users: users.into_iter().map(|u| (u.account_id.clone(), u)).collect(),
        groups: groups.into_iter().map(|g| (g.id.clone(), g)).collect(),
    }
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn acted(items: &[PlannedItem]) -> Vec<(String, Op, Option<String>)> {
    items
        .iter()
        .filter(|i| i.outcome == Outcome::Act)
        .map(|i| (i.account_id.clone(), i.step.op, i.step.group_id.clone().or_else(|| i.step.role.clone())))
        .collect()
}

fn target(product: &str) -> AppTarget {
    AppTarget { site_id: SITE.into(), product_key: product.into() }
}

#[test]
fn guards_skip_admins_exempt_users_members_of_exempt_groups_and_unknown_users() {
    let mut admin = user("admin", "active", &[], &[]);
    admin.org_admin = true;
    let f = facts(vec![admin, user("exempt", "active", &[], &[]), user("member", "active", &["plain"], &[]), user("ok", "active", &[], &[])]);
    let ex = ExemptionSet { users: ["exempt".to_owned()].into(), groups: ["plain".to_owned()].into() };
    let items = plan(&ids(&["admin", "exempt", "member", "ghost", "ok"]), &[Action::Suspend], &f, &ex);
    let reasons: Vec<&str> = items.iter().map(|i| i.reason.as_str()).collect();
    assert_eq!(reasons, [ORG_ADMIN, EXEMPT, "member of exempt group plain-name", NOT_IN_ORG, "suspend access"]);
    assert_eq!(acted(&items), [("ok".to_owned(), Op::Suspend, None)]);
}

#[test]
fn suspend_and_restore_follow_the_status_in_order() {
    let f = facts(vec![user("a", "active", &[], &[]), user("s", "suspended", &[], &[]), user("d", "deactivated", &[], &[])]);
    let items = plan(&ids(&["a", "s", "d"]), &[Action::Restore, Action::Suspend], &f, &ExemptionSet::default());
    let summary: Vec<(&str, Outcome, &str)> = items.iter().map(|i| (i.account_id.as_str(), i.outcome, i.reason.as_str())).collect();
    assert_eq!(
        summary,
        [
            ("a", Outcome::Skip, "already active"),
            ("a", Outcome::Act, "suspend access"),
            ("s", Outcome::Act, "restore access"),
            ("s", Outcome::Act, "suspend access"),
            ("d", Outcome::Skip, "not suspended (status deactivated)"),
            ("d", Outcome::Skip, "not active (status deactivated)"),
        ]
    );
}

#[test]
fn group_changes_respect_membership_idp_sync_and_exempt_groups() {
    let f = facts(vec![user("u", "active", &["conf-users"], &[])]);
    let ex = ExemptionSet { groups: ["site-admins".to_owned()].into(), ..ExemptionSet::default() };
    let add = Action::AddToGroups { group_ids: ids(&["plain", "plain", "scim-plain", "site-admins", "nope"]) };
    let remove = Action::RemoveFromGroups { group_ids: ids(&["conf-users", "jira-users"]) };
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
    direct.direct_roles = Some(vec![DirectRole { site_id: SITE.into(), product_key: "confluence".into(), role: Some("atlassian/admin".into()) }]);
    let both = user("both", "active", &["jira-users", "conf-users"], &["confluence", "jira-software"]);
    let f = facts(vec![direct, both]);
    let action = Action::RemoveAppAccess { targets: vec![target("confluence")], all: false };
    let items = plan(&ids(&["direct", "both"]), &[action], &f, &ExemptionSet::default());
    assert_eq!(
        acted(&items),
        [
            ("direct".to_owned(), Op::RevokeRole, Some("atlassian/admin".to_owned())),
            ("both".to_owned(), Op::RemoveFromGroup, Some("conf-users".to_owned())),
            ("both".to_owned(), Op::RemoveFromGroup, Some("jira-users".to_owned())),
        ]
    );
    assert!(items.iter().any(|i| i.reason.contains("(it also grants jira-software)")), "{items:#?}");
}

#[test]
fn remove_app_access_skips_idp_grants_and_missing_access_and_infers_direct_access() {
    let f = facts(vec![user("idp", "active", &["okta"], &["jira-servicedesk"]), user("inferred", "active", &[], &["confluence"])]);
    let all = Action::RemoveAppAccess { targets: vec![], all: true };
    let items = plan(&ids(&["idp", "inferred"]), &[all], &f, &ExemptionSet::default());
    assert_eq!(items[0].reason, "granted by IdP-synced group okta-name; change it in your identity provider");
    assert_eq!(items[0].outcome, Outcome::Skip);
    assert_eq!(items[1].step, Step::product(Op::RevokeRole, SITE, "confluence", None));
    let none = plan(&ids(&["inferred"]), &[Action::RemoveAppAccess { targets: vec![target("jira-software")], all: false }], &f, &ExemptionSet::default());
    assert_eq!(none[0].reason, "no access to jira-software on site site-1");
}

#[test]
fn all_products_removes_a_group_once_and_never_touches_site_admin() {
    let f = facts(vec![user("u", "active", &["jira-users", "site-admins"], &["jira-software", "confluence"])]);
    let items = plan(&ids(&["u"]), &[Action::RemoveAppAccess { targets: vec![], all: true }], &f, &ExemptionSet::default());
    assert_eq!(acted(&items), [("u".to_owned(), Op::RemoveFromGroup, Some("jira-users".to_owned()))]);
    assert_eq!(items.len(), 2, "the second product is covered by the same group: {items:#?}");
    assert_eq!(items[1].outcome, Outcome::Skip);
}

#[test]
fn revert_inverts_done_steps_newest_first_under_the_same_guards() {
    let mut now = user("u", "suspended", &[], &[]);
    now.groups = BTreeSet::from(["plain".to_owned()]);
    let mut admin = user("admin", "active", &[], &[]);
    admin.org_admin = true;
    let f = facts(vec![now, admin]);
    let role = Step::product(Op::RevokeRole, SITE, "confluence", Some("atlassian/user"));
    let done = vec![
        DoneStep { item_id: 1, account_id: "u".into(), seq: 0, step: Step::group(Op::RemoveFromGroup, "conf-users") },
        DoneStep { item_id: 2, account_id: "u".into(), seq: 1, step: role },
        DoneStep { item_id: 3, account_id: "u".into(), seq: 2, step: Step::group(Op::AddToGroup, "plain") },
        DoneStep { item_id: 4, account_id: "u".into(), seq: 3, step: Step::bare(Op::Suspend) },
        DoneStep { item_id: 5, account_id: "admin".into(), seq: 4, step: Step::bare(Op::Suspend) },
    ];
    let items = plan_revert(&done, &f, &ExemptionSet::default());
    let ops: Vec<(Op, Outcome, Option<i64>)> = items.iter().map(|i| (i.step.op, i.outcome, i.source_item_id)).collect();
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
    assert_eq!(items[4].reason, ORG_ADMIN);
    assert_eq!(inverse(inverse(Op::RevokeRole)), Op::RevokeRole);
}
