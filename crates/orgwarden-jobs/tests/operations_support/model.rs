//! The model check shared by the operation tests of `orgwarden-jobs` and `orgwarden-server`:
//! cloudsim's state after an operation = the state before + exactly the ledger's done items.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use orgwarden_store::operations::{Item, ItemState, Op};
use serde_json::Value;

/// A user as far as operations can change them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimUser {
    pub status: String,
    pub groups: BTreeSet<String>,
    pub direct: BTreeSet<(String, String)>,
}

/// Every user of `/__sim/org`.
pub fn snapshot(org: &Value) -> BTreeMap<String, SimUser> {
    org["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let groups = u["groupIds"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g.as_str().unwrap().to_owned())
                .collect();
            let direct = u["directRoles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r["resource"].as_str().unwrap().to_owned(),
                        r["role"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            (
                u["accountId"].as_str().unwrap().to_owned(),
                SimUser {
                    status: u["status"].as_str().unwrap().to_owned(),
                    groups,
                    direct,
                },
            )
        })
        .collect()
}

/// Group id → member ids, for IdP-synced groups only.
pub fn idp_groups(org: &Value) -> BTreeMap<String, Value> {
    org["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["managedBy"] == "external")
        .map(|g| (g["id"].as_str().unwrap().to_owned(), g["memberIds"].clone()))
        .collect()
}

/// Applies the done items of a ledger to a snapshot.
pub fn apply(mut users: BTreeMap<String, SimUser>, items: &[Item]) -> BTreeMap<String, SimUser> {
    for item in items.iter().filter(|i| i.state == ItemState::Done) {
        let user = users
            .get_mut(item.account_id.as_str())
            .expect("ledger user exists in cloudsim");
        let role = || {
            let ari = format!(
                "ari:cloud:{}::site/{}",
                item.product_key.as_deref().unwrap(),
                item.site_id.as_deref().unwrap()
            );
            (ari, item.role.clone().unwrap())
        };
        match item.op {
            Op::Suspend => user.status = "suspended".into(),
            Op::Restore => user.status = "active".into(),
            Op::RevokeRole => assert!(
                user.direct.remove(&role()),
                "revoked a role the user did not hold: {item:?}"
            ),
            Op::GrantRole => {
                user.direct.insert(role());
            }
            Op::AddToGroup => assert!(
                user.groups
                    .insert(String::from(item.group_id.clone().unwrap())),
                "added a member twice: {item:?}"
            ),
            Op::RemoveFromGroup => assert!(
                user.groups.remove(item.group_id.as_deref().unwrap()),
                "removed a non-member: {item:?}"
            ),
            other => panic!("done item with op {other}"),
        }
    }
    users
}

/// Asserts two snapshots are equal, naming the first user that differs.
pub fn assert_same(
    actual: &BTreeMap<String, SimUser>,
    expected: &BTreeMap<String, SimUser>,
    what: &str,
) {
    assert_eq!(actual.len(), expected.len(), "{what}: user count");
    for (id, want) in expected {
        assert_eq!(actual.get(id), Some(want), "{what}: user {id}");
    }
}

/// The cloudsim action id a ledger op is counted under in `/__sim/stats`.
pub fn sim_action(op: Op) -> &'static str {
    match op {
        Op::Suspend => "user_access_suspended",
        Op::Restore => "user_access_restored",
        Op::RevokeRole => "user_role_revoked",
        Op::GrantRole => "user_role_granted",
        Op::AddToGroup => "user_added_to_group",
        Op::RemoveFromGroup => "user_removed_from_group",
        other => panic!("no cloudsim action for {other}"),
    }
}

/// Mutations per (account, cloudsim action) added between two `/__sim/stats` answers.
pub fn mutations_between(before: &Value, after: &Value) -> BTreeMap<(String, String), u64> {
    let mut out = BTreeMap::new();
    for (account, actions) in after["mutations"].as_object().unwrap() {
        for (action, n) in actions.as_object().unwrap() {
            let was = before["mutations"][account][action].as_u64().unwrap_or(0);
            let delta = n.as_u64().unwrap() - was;
            if delta > 0 {
                out.insert((account.clone(), action.clone()), delta);
            }
        }
    }
    out
}

/// Done items per (account, cloudsim action).
pub fn done_mutations(items: &[Item]) -> BTreeMap<(String, String), u64> {
    let mut out = BTreeMap::new();
    for item in items.iter().filter(|i| i.state == ItemState::Done) {
        *out.entry((item.account_id.to_string(), sim_action(item.op).to_owned()))
            .or_default() += 1;
    }
    out
}

/// Mutations cloudsim received beyond the done items (`sent` from [`mutations_between`]); fails
/// if a done item never reached cloudsim.
pub fn repeated_mutations(
    sent: &BTreeMap<(String, String), u64>,
    done: &BTreeMap<(String, String), u64>,
) -> u64 {
    let mut repeated = 0;
    for (key, n) in done {
        let got = sent.get(key).copied().unwrap_or(0);
        assert!(got >= *n, "{key:?}: done {n}, cloudsim received {got}");
    }
    for (key, n) in sent {
        repeated += n.saturating_sub(done.get(key).copied().unwrap_or(0));
    }
    repeated
}

/// Ids of users in `/__sim/org` matching `pick`, at most `n`.
pub fn pick(org: &Value, n: usize, pick: impl Fn(&Value) -> bool) -> Vec<String> {
    org["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| pick(u))
        .take(n)
        .map(|u| u["accountId"].as_str().unwrap().to_owned())
        .collect()
}

/// An active organization admin.
pub fn org_admin(u: &Value) -> bool {
    u["status"] == "active"
        && u["platformRoles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "atlassian/org-admin")
}

/// An ordinary active person: not an org admin.
pub fn ordinary(u: &Value) -> bool {
    u["status"] == "active"
        && u["accountType"] == "atlassian"
        && !u["platformRoles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "atlassian/org-admin")
}
