//! Bulk operations against cloudsim, on SQLite and PostgreSQL: cloudsim's own state afterwards
//! is exactly the state before plus the ledger's done items; guards hold; revert restores the
//! state before.

use crate::operations_support::*;
use crate::sync_support::*;
use orgwarden_ids::{AccountId, TenantId};
use orgwarden_store::on_both_backends;
use orgwarden_store::operations::{exemptions, ItemState, Op, RunState};
use orgwarden_store::Backend;
use serde_json::{json, Value};

on_both_backends!(
    mixed_actions_change_exactly_the_plan_and_revert_restores_the_state_before,
    each_action_alone
);

async fn mixed_actions_change_exactly_the_plan_and_revert_restores_the_state_before(
    backend: Backend,
) {
    let (f, idp_user, idp_group) = prepared(backend, sim_config(160)).await;
    let org = f.sim_org().await;
    let add = plain_group(&org, &[]);
    let remove = plain_group(&org, &[&add]);
    let idp_granting: Vec<&Value> = org["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["managedBy"] == "external" && !g["roles"].as_array().unwrap().is_empty())
        .map(|g| &g["id"])
        .collect();
    let not_idp = |u: &Value| {
        ordinary(u)
            && !u["groupIds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|g| idp_granting.contains(&g))
    };
    let app_roles = |u: &Value| {
        let roles = u["directRoles"].as_array().unwrap();
        !roles.is_empty()
            && roles
                .iter()
                .all(|r| r["role"] == "atlassian/user" || r["role"] == "atlassian/admin")
    };
    let direct = pick(&org, 5, |u| not_idp(u) && app_roles(u));
    let via_groups = pick(&org, 5, |u| {
        not_idp(u)
            && u["directRoles"].as_array().unwrap().is_empty()
            && !u["productAccess"].as_array().unwrap().is_empty()
    });
    let members = pick(&org, 3, |u| {
        not_idp(u)
            && u["groupIds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|g| g == remove.as_str())
    });
    let admin = pick(&org, 1, |u| {
        u["status"] == "active"
            && u["platformRoles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r == "atlassian/org-admin")
    });
    let mut ids = unique(
        [
            direct.clone(),
            via_groups,
            members,
            admin.clone(),
            vec![idp_user.clone()],
        ]
        .concat(),
    );
    let exempt = pick(&org, 200, ordinary)
        .into_iter()
        .find(|u| !ids.contains(u))
        .unwrap();
    f.exempt(exemptions::ExemptionKind::User, &exempt);
    ids.push(exempt.clone());
    let before = snapshot(&org);
    let actions = json!([
        {"type": "removeAppAccess", "all": true},
        {"type": "addToGroups", "groupIds": [add, idp_group]},
        {"type": "removeFromGroups", "groupIds": [remove]},
        {"type": "suspend"}
    ]);
    let id = f.create_operation(&ids, actions, None);
    let op = f.run_operation(id).await;
    assert_eq!(op.state, RunState::Completed, "{backend:?}: {:?}", op.error);
    let items = f.items(id);
    assert!(
        items.iter().all(|i| i.state != ItemState::Failed),
        "{:#?}",
        items
            .iter()
            .filter(|i| i.state == ItemState::Failed)
            .collect::<Vec<_>>()
    );
    assert_eq!(op.total, i64::try_from(items.len()).unwrap());
    let after_org = f.sim_org().await;
    let after = snapshot(&after_org);
    assert_same(
        &after,
        &apply(before.clone(), &items),
        "after the operation",
    );
    assert_eq!(
        idp_groups(&after_org),
        idp_groups(&org),
        "IdP-synced groups untouched"
    );
    for untouched in admin.iter().chain([&exempt]) {
        assert_eq!(after[untouched], before[untouched]);
        assert!(items
            .iter()
            .filter(|i| &i.account_id == untouched)
            .all(|i| i.state == ItemState::Skipped));
    }
    let of = |id: &str, op: Op| {
        items
            .iter()
            .filter(|i| i.account_id == id && i.op == op && i.state == ItemState::Done)
            .count()
    };
    assert!(
        direct.iter().all(|u| of(u, Op::RevokeRole) > 0),
        "direct grants revoked"
    );
    assert!(items.iter().any(|i| i.account_id == idp_user
        && i.reason
            .as_deref()
            .unwrap_or("")
            .starts_with("granted by IdP-synced group")));
    assert!(
        after_org["users"]
            .as_array()
            .unwrap()
            .iter()
            .filter(
                |u| ids.contains(&u["accountId"].as_str().unwrap().to_owned())
                    && u["status"] == "suspended"
            )
            .count()
            >= 5
    );
    for user in &direct {
        let access = &after_org["users"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["accountId"] == user.as_str())
            .unwrap()["productAccess"];
        assert_eq!(access, &json!([]), "{user} keeps no app access");
    }
    let history = {
        let mut conn = f.db.db.get().unwrap();
        orgwarden_store::operations::items_of_user(
            &mut conn,
            &TenantId::from(TENANT),
            &AccountId::from(&direct[0]),
            50,
        )
        .unwrap()
    };
    assert!(history
        .iter()
        .any(|i| i.operation_id == id && i.state == ItemState::Done));

    let revert = f.create_operation(&f.touched(id), json!([]), Some(id));
    let op = f.run_operation(revert).await;
    assert_eq!(op.state, RunState::Completed, "{:?}", op.error);
    let revert_items = f.items(revert);
    assert!(
        revert_items.iter().all(|i| i.state == ItemState::Done),
        "{revert_items:#?}"
    );
    assert_same(&snapshot(&f.sim_org().await), &before, "after the revert");

    // A purged tenant leaves no operation, ledger or exemption behind.
    let mut conn = f.db.db.get().unwrap();
    let now = chrono::Utc::now().naive_utc();
    orgwarden_store::tenants::uninstall(&mut conn, &TenantId::from(TENANT), now, now).unwrap();
    assert!(orgwarden_store::tenants::purge(&mut conn, &TenantId::from(TENANT)).unwrap());
    assert_eq!(
        orgwarden_store::operations::list(&mut conn, &TenantId::from(TENANT), None, 0, 10)
            .unwrap()
            .1,
        0
    );
    assert!(orgwarden_store::operations::items_of_user(
        &mut conn,
        &TenantId::from(TENANT),
        &AccountId::from(&direct[0]),
        10
    )
    .unwrap()
    .is_empty());
    assert!(exemptions::list(&mut conn, &TenantId::from(TENANT))
        .unwrap()
        .is_empty());
}

async fn each_action_alone(backend: Backend) {
    let (f, idp_user, _) = prepared(backend, sim_config(120)).await;
    let org = f.sim_org().await;
    let group = plain_group(&org, &[]);
    let users = pick(&org, 6, |u| {
        ordinary(u)
            && u["accountId"] != idp_user.as_str()
            && !u["productAccess"].as_array().unwrap().is_empty()
    });
    let product = &org["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["accountId"] == users[0].as_str())
        .unwrap()["productAccess"][0];
    let target = json!({"siteId": product["siteId"], "productKey": product["productKey"]});
    let steps = [
        json!([{"type": "suspend"}]),
        json!([{"type": "restore"}]),
        json!([{"type": "addToGroups", "groupIds": [group]}]),
        json!([{"type": "removeFromGroups", "groupIds": [group]}]),
        json!([{"type": "removeAppAccess", "targets": [target]}]),
    ];
    for actions in steps {
        let before = snapshot(&f.sim_org().await);
        let id = f.create_operation(&users, actions.clone(), None);
        let op = f.run_operation(id).await;
        assert_eq!(op.state, RunState::Completed, "{actions}: {:?}", op.error);
        let items = f.items(id);
        assert!(op.done > 0 && op.failed == 0, "{actions}: {items:#?}");
        assert_same(
            &snapshot(&f.sim_org().await),
            &apply(before, &items),
            &actions.to_string(),
        );
    }
    let after = f.sim_org().await;
    let first = after["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["accountId"] == users[0].as_str())
        .unwrap();
    assert!(!first["productAccess"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["siteId"] == target["siteId"] && a["productKey"] == target["productKey"]));
}
