//! Shared by the operation tests: recording and running operations against a cloudsim tenant, and
//! the model check "cloudsim's state = the state before + exactly the ledger's done items".
#![allow(dead_code)]

mod model;

use chrono::Utc;
use orgwarden_cloudsim::{AccountStatus, RoleGrant, SimConfig};
use orgwarden_ids::TenantId;
use orgwarden_jobs::run_operation;
use orgwarden_jobs::SyncKind;
use orgwarden_store::operations::exemptions::ExemptionKind;
use orgwarden_store::operations::{self, Item, ItemState, NewOperation, Operation};
use orgwarden_store::sync_runs::SyncRunState;
use orgwarden_store::Backend;
use serde_json::{json, Value};

pub use model::*;

use crate::sync_support::{fixture, Fixture, TENANT};

pub const ADMIN: &str = "557058:admin";

impl Fixture {
    /// Records a queued operation over `ids`.
    pub fn create_operation(&self, ids: &[String], actions: Value, revert_of: Option<i64>) -> i64 {
        let selection = json!({"accountIds": ids}).to_string();
        let actions = actions.to_string();
        let new = NewOperation {
            tenant_id: &TenantId::from(TENANT),
            actions: &actions,
            reason: Some("integration test"),
            selection: &selection,
            requested_by: &self.org_admin(),
            revert_of,
            acting_as: orgwarden_store::access::Standing::OrgAdmin,
            actor_scope: None,
        };
        let mut conn = self.db.db.get().unwrap();
        operations::create(&mut conn, &new, Utc::now().naive_utc())
            .unwrap()
            .id
    }

    /// An active organization admin of cloudsim: who the tests' operations act for (the
    /// operation reads their rights again before it acts).
    pub fn org_admin(&self) -> String {
        let org = self.sim.state.org.read();
        org.users
            .iter()
            .find(|u| u.org_admin && u.account_status == AccountStatus::Active)
            .expect("cloudsim makes organization admins")
            .account_id
            .clone()
    }

    /// Runs an operation to its end inline and returns the row.
    pub async fn run_operation(&self, id: i64) -> Operation {
        run_operation(&self.ctx, id).await.unwrap();
        self.operation(id)
    }

    pub fn operation(&self, id: i64) -> Operation {
        let mut conn = self.db.db.get().unwrap();
        operations::find(&mut conn, &TenantId::from(TENANT), id)
            .unwrap()
            .unwrap()
    }

    pub fn items(&self, id: i64) -> Vec<Item> {
        let mut conn = self.db.db.get().unwrap();
        operations::all_items(&mut conn, &TenantId::from(TENANT), id).unwrap()
    }

    pub fn exempt(&self, kind: ExemptionKind, id: &str) {
        let mut conn = self.db.db.get().unwrap();
        operations::exemptions::add(
            &mut conn,
            &TenantId::from(TENANT),
            kind,
            id,
            "test",
            ADMIN,
            Utc::now().naive_utc(),
        )
        .unwrap();
    }

    pub async fn sim_stats(&self) -> Value {
        reqwest::get(format!("{}/__sim/stats", self.sim.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Users with done items in operation `id` (a revert's selection).
    pub fn touched(&self, id: i64) -> Vec<String> {
        let mut ids: Vec<String> = self
            .items(id)
            .into_iter()
            .filter(|i| i.state == ItemState::Done)
            .map(|i| i.account_id.into_string())
            .collect();
        ids.dedup();
        ids
    }
}

/// A fixture whose first IdP-synced group grants a product to one ordinary user, synced.
pub async fn prepared(backend: Backend, config: SimConfig) -> (Fixture, String, String) {
    let f = fixture(backend, config).await;
    let org = f.sim_org().await;
    let idp_user = pick(&org, 1, |u| {
        ordinary(u) && u["groupIds"].as_array().unwrap().len() > 1
    })[0]
        .clone();
    let idp_group = org["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["managedBy"] == "external")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    {
        let mut sim = f.sim.state.org.write();
        let site = sim.sites[0].site_id.clone();
        let group = sim.group_mut(&idp_group).unwrap();
        group.roles.push(RoleGrant {
            resource: format!("ari:cloud:jira-software::site/{site}"),
            role: "atlassian/user".into(),
        });
        group.member_ids.insert(idp_user.clone());
        sim.user_mut(&idp_user)
            .unwrap()
            .group_ids
            .insert(idp_group.clone());
    }
    let run = f.sync(SyncKind::Initial, None).await;
    assert_eq!(run.state, SyncRunState::Succeeded, "{:?}", run.error);
    (f, idp_user, idp_group)
}

/// `ids` without repeats, in first-seen order.
pub fn unique(ids: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

/// A custom group that grants nothing and is not IdP-synced, other than `not`.
pub fn plain_group(org: &Value, not: &[&str]) -> String {
    org["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["managedBy"] != "external"
                && g["roles"].as_array().unwrap().is_empty()
                && !not.contains(&g["id"].as_str().unwrap())
        })
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}
