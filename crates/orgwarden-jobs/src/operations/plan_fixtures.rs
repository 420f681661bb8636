//! Facts for the planner's unit tests: one site, a few groups (one IdP-synced granting a product).

use orgwarden_store::operations::{
    Action, AppTarget, Facts, GroupFacts, GroupGrant, Op, Outcome, PlannedItem, UserFacts,
};

pub(super) const SITE: &str = "site-1";

pub(super) fn group(id: &str, idp: bool, grants: &[(&str, &str)]) -> GroupFacts {
    GroupFacts {
        id: id.into(),
        name: format!("{id}-name"),
        idp_synced: idp,
        grants: grants
            .iter()
            .map(|(p, r)| GroupGrant {
                site_id: SITE.into(),
                product_key: (*p).into(),
                role: (*r).into(),
            })
            .collect(),
    }
}

pub(super) fn user(id: &str, status: &str, groups: &[&str], access: &[&str]) -> UserFacts {
    UserFacts {
        account_id: id.into(),
        name: id.into(),
        status: status.into(),
        org_admin: false,
        account_type: "atlassian".into(),
        groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        access: access
            .iter()
            .map(|p| (SITE.to_owned(), (*p).to_owned()))
            .collect(),
        direct_roles: None,
    }
}

pub(super) fn facts(users: Vec<UserFacts>) -> Facts {
    let groups = vec![
        group(
            "jira-users",
            false,
            &[
                ("jira-software", "atlassian/user"),
                ("confluence", "atlassian/user"),
            ],
        ),
        group("conf-users", false, &[("confluence", "atlassian/user")]),
        group("okta", true, &[("jira-servicedesk", "atlassian/user")]),
        group("plain", false, &[]),
        group("scim-plain", true, &[]),
        group(
            "site-admins",
            false,
            &[("platform", "atlassian/site-admin")],
        ),
    ];
    Facts {
        users: users
            .into_iter()
            .map(|u| (u.account_id.clone(), u))
            .collect(),
        groups: groups.into_iter().map(|g| (g.id.clone(), g)).collect(),
        sites: [("site-1".to_owned(), "Acme".to_owned())].into(),
    }
}

pub(super) fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

pub(super) fn acted(items: &[PlannedItem]) -> Vec<(String, Op, Option<String>)> {
    items
        .iter()
        .filter(|i| i.outcome == Outcome::Act)
        .map(|i| {
            (
                i.account_id.clone(),
                i.step.op,
                i.step.group_id.clone().or_else(|| i.step.role.clone()),
            )
        })
        .collect()
}

pub(super) fn target(product: &str) -> AppTarget {
    AppTarget {
        site_id: SITE.into(),
        product_key: product.into(),
    }
}

/// Actions that take something away from a user: suspend, remove all app access, remove from
/// `jira-users`.
pub(super) fn taking_actions() -> [Action; 3] {
    [
        Action::Suspend,
        Action::RemoveAppAccess {
            targets: vec![],
            all: true,
        },
        Action::RemoveFromGroups {
            group_ids: vec!["jira-users".into()],
        },
    ]
}
