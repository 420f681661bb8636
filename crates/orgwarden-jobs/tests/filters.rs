//! Every filter criterion beyond activity selects exactly the users cloudsim's own state says:
//! search text, statuses, account types, email domains, billable, groups, roles, and
//! combinations; on SQLite and PostgreSQL.

use orgwarden_ids::TenantId;
use std::collections::{BTreeMap, BTreeSet};

use crate::sync_support::*;
use chrono::Utc;
use orgwarden_jobs::SyncKind;
use orgwarden_store::on_both_backends;
use orgwarden_store::sync_runs::SyncRunState;
use orgwarden_store::users::{self, AccountType, Filter, Role, UserStatus};
use orgwarden_store::Backend;
use serde_json::Value;

on_both_backends!(filters_select_the_users_cloudsim_holds);

/// The lower-cased domain of a user's email.
fn domain(u: &Value) -> Option<String> {
    u["email"]
        .as_str()
        .and_then(|e| e.rsplit_once('@'))
        .map(|(_, d)| d.to_lowercase())
}

/// Account ids of the users for whom `keep` holds.
fn expected(users: &[Value], keep: impl Fn(&Value) -> bool) -> BTreeSet<String> {
    users
        .iter()
        .filter(|u| keep(u))
        .map(|u| u["accountId"].as_str().unwrap().to_owned())
        .collect()
}

/// Members of the groups granting `role`.
fn granted(groups: &[Value], role: &str) -> BTreeSet<String> {
    groups
        .iter()
        .filter(|g| {
            g["roles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["role"] == role)
        })
        .flat_map(|g| string_set(&g["memberIds"]))
        .collect()
}

async fn filters_select_the_users_cloudsim_holds(backend: Backend) {
    let f = fixture(backend, sim_config(400)).await;
    for (name, email) in [
        ("Élodie Ørsted", "elodie.orsted@example.com"),
        ("ÖMER ÇELIK", "OMER.CELIK@EXAMPLE.COM"),
    ] {
        let added = reqwest::Client::new()
            .post(format!("{}/__sim/users", f.sim.url))
            .json(&serde_json::json!({"name": name, "email": email}))
            .send()
            .await
            .unwrap();
        assert_eq!(added.status(), 201, "{name}");
    }
    assert_eq!(
        f.sync(SyncKind::Initial, None).await.state,
        SyncRunState::Succeeded
    );
    let org = f.sim_org().await;
    let all = org["users"].as_array().unwrap().clone();
    let groups = org["groups"].as_array().unwrap().clone();
    let mut conn = f.db.db.get().unwrap();
    let generation = orgwarden_store::mirror::current(&mut conn, &TenantId::from(TENANT))
        .unwrap()
        .unwrap()
        .generation;
    let now = Utc::now().naive_utc();
    let mut matching = |filter: Filter| -> BTreeSet<String> {
        users::matching_account_ids(&mut conn, &TenantId::from(TENANT), generation, &filter, now)
            .unwrap()
            .into_iter()
            .collect()
    };

    let mut domains: BTreeMap<String, usize> = BTreeMap::new();
    for d in all.iter().filter_map(domain) {
        *domains.entry(d).or_default() += 1;
    }
    let common = domains.iter().max_by_key(|(_, n)| **n).unwrap().0.clone();
    let group = groups
        .iter()
        .max_by_key(|g| g["memberIds"].as_array().unwrap().len())
        .unwrap();
    let group_id = group["id"].as_str().unwrap().to_owned();
    let members = string_set(&group["memberIds"]);
    let product_admins = granted(&groups, "atlassian/admin");
    let has_role = |u: &Value, role: &str| {
        u["platformRoles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == role)
    };
    let id = |u: &Value| u["accountId"].as_str().unwrap().to_owned();
    let contains = |u: &Value, text: &str| {
        [&u["name"], &u["email"]]
            .iter()
            .any(|v| v.as_str().unwrap_or("").to_lowercase().contains(text))
    };

    let cases: Vec<(&str, Filter, BTreeSet<String>)> = vec![
        ("everyone", Filter::default(), expected(&all, |_| true)),
        (
            "search text, any case",
            Filter {
                search: Some("  AR ".into()),
                ..Filter::default()
            },
            expected(&all, |u| contains(u, "ar")),
        ),
        (
            "search text beyond ASCII, any case",
            Filter {
                search: Some("ÉLODIE".into()),
                ..Filter::default()
            },
            expected(&all, |u| contains(u, "élodie")),
        ),
        (
            "search text beyond ASCII, as written",
            Filter {
                search: Some("Çelik".into()),
                ..Filter::default()
            },
            expected(&all, |u| contains(u, "çelik")),
        ),
        (
            "suspended or deactivated",
            Filter {
                statuses: vec![UserStatus::Suspended, UserStatus::Deactivated],
                ..Filter::default()
            },
            expected(&all, |u| {
                u["status"] == "suspended" || u["status"] == "deactivated"
            }),
        ),
        (
            "apps",
            Filter {
                account_types: vec![AccountType::App],
                ..Filter::default()
            },
            expected(&all, |u| u["accountType"] == "app"),
        ),
        (
            "email domain, any case",
            Filter {
                email_domains: vec![common.to_uppercase()],
                ..Filter::default()
            },
            expected(&all, |u| domain(u).as_deref() == Some(common.as_str())),
        ),
        (
            "billable",
            Filter {
                billable: Some(true),
                ..Filter::default()
            },
            expected(&all, |u| {
                u["status"] == "active"
                    && u["accountType"] == "atlassian"
                    && !u["productAccess"].as_array().unwrap().is_empty()
            }),
        ),
        (
            "not billable",
            Filter {
                billable: Some(false),
                ..Filter::default()
            },
            expected(&all, |u| {
                !(u["status"] == "active"
                    && u["accountType"] == "atlassian"
                    && !u["productAccess"].as_array().unwrap().is_empty())
            }),
        ),
        (
            "the largest group",
            Filter {
                groups: vec![group_id.clone()],
                ..Filter::default()
            },
            members.clone(),
        ),
        (
            "email domain and group",
            Filter {
                email_domains: vec![common.clone()],
                groups: vec![group_id.clone()],
                ..Filter::default()
            },
            expected(&all, |u| {
                domain(u).as_deref() == Some(common.as_str()) && members.contains(&id(u))
            }),
        ),
        (
            "org admins or site admins",
            Filter {
                roles: vec![Role::OrgAdmin, Role::SiteAdmin],
                ..Filter::default()
            },
            expected(&all, |u| {
                has_role(u, "atlassian/org-admin") || has_role(u, "atlassian/site-admin")
            }),
        ),
        (
            "product admins",
            Filter {
                roles: vec![Role::ProductAdmin],
                ..Filter::default()
            },
            expected(&all, |u| product_admins.contains(&id(u))),
        ),
        (
            "customers",
            Filter {
                roles: vec![Role::Customer],
                ..Filter::default()
            },
            expected(&all, |u| u["accountType"] == "customer"),
        ),
        (
            "basic users",
            Filter {
                roles: vec![Role::Basic],
                ..Filter::default()
            },
            expected(&all, |u| {
                !has_role(u, "atlassian/org-admin")
                    && !has_role(u, "atlassian/site-admin")
                    && !has_role(u, "atlassian/user-access-admin")
                    && !product_admins.contains(&id(u))
            }),
        ),
        (
            "active people whose name or email holds an e",
            Filter {
                search: Some("e".into()),
                statuses: vec![UserStatus::Active],
                account_types: vec![AccountType::Atlassian],
                ..Filter::default()
            },
            expected(&all, |u| {
                contains(u, "e") && u["status"] == "active" && u["accountType"] == "atlassian"
            }),
        ),
    ];
    for (name, filter, want) in cases {
        assert!(
            !want.is_empty() || name == "apps",
            "{backend:?} {name}: cloudsim holds no such user, so the case proves nothing"
        );
        assert_eq!(matching(filter), want, "{backend:?} {name}");
    }
}
