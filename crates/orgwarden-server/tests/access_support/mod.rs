//! People of every standing in a cloudsim organization, made through the Admin API as an
//! organization admin would: a plain user, a product admin (who is also a Jira admin of the
//! installation site), a user access admin, a second organization admin; and API tokens.
#![allow(dead_code)]

use orgwarden_store::Backend;
use serde_json::{json, Value};

use crate::operations_support::{start_with, Stack};
use orgwarden_cloudsim::{RunningSim, SimConfig};

use crate::common::TestApp;

/// The stack and its people.
pub struct People {
    pub sim: RunningSim,
    pub app: TestApp,
    pub stack: Stack,
    pub org_id: String,
    pub plain: String,
    pub product_admin: String,
    pub user_access_admin: String,
    pub second_org_admin: String,
    /// `(siteId, productKey)` the product admin administers.
    pub administered: (String, String),
}

const ADMIN_ROLES: [&str; 4] = [
    "atlassian/admin",
    "atlassian/site-admin",
    "atlassian/user-access-admin",
    "atlassian/org-admin",
];

/// True for an active person with no admin role, directly or through a group.
fn plain(org: &Value, u: &Value) -> bool {
    let admin_groups: Vec<&Value> = org["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| {
            g["roles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| ADMIN_ROLES.contains(&r["role"].as_str().unwrap_or("")))
        })
        .map(|g| &g["id"])
        .collect();
    u["status"] == "active"
        && u["accountType"] == "atlassian"
        && u["platformRoles"].as_array().unwrap().is_empty()
        && !u["groupIds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| admin_groups.contains(&g))
}

impl People {
    /// A small organization with the app installed (roles cached for 0 s so that changes in
    /// cloudsim show at once) and one person of each standing.
    pub async fn start(backend: Backend) -> People {
        let (sim, app, stack) = start_with(
            backend,
            SimConfig {
                users: 60,
                sites: 2,
                groups: 8,
                ..SimConfig::default()
            },
            |c| c.roles_cache_secs = 0,
        )
        .await;
        let org = stack.sim("/__sim/org").await;
        let org_id = org["orgId"].as_str().unwrap().to_owned();
        let mut plain_users = org["users"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| plain(&org, u))
            .map(|u| u["accountId"].as_str().unwrap().to_owned());
        let mut next = || plain_users.next().expect("enough plain users");
        let (plain, product_admin, user_access_admin, second_org_admin) =
            (next(), next(), next(), next());
        // The installation site is the first; its Jira makes the product admin a Jira admin.
        let site = org["sites"][0]["siteId"].as_str().unwrap().to_owned();
        let people = People {
            sim,
            app,
            stack,
            org_id,
            plain,
            product_admin,
            user_access_admin,
            second_org_admin,
            administered: (site.clone(), "jira-software".to_owned()),
        };
        people
            .grant(
                &people.product_admin,
                "atlassian/admin",
                "jira-software",
                &site,
            )
            .await;
        people
            .grant(
                &people.user_access_admin,
                "atlassian/user-access-admin",
                "confluence",
                &site,
            )
            .await;
        people.set_org_admin(&people.second_org_admin, true).await;
        // The mirror learns the new roles and access.
        let started = people.stack.post("/api/v1/sync", json!({})).await;
        assert_eq!(started.status(), 202);
        people.stack.wait_for_sync().await;
        people
    }

    /// R1 as the organization admin would.
    pub async fn grant(&self, account: &str, role: &str, product: &str, site: &str) {
        let path = format!(
            "/admin/v1/orgs/{}/users/{account}/roles/assign",
            self.org_id
        );
        let body = json!({"role": role, "resource": format!("ari:cloud:{product}::site/{site}")});
        self.admin_api(&path, body).await;
    }

    /// R3/R4: makes or unmakes an organization admin.
    pub async fn set_org_admin(&self, account: &str, on: bool) {
        let verb = if on { "assign" } else { "revoke" };
        let path = format!(
            "/admin/v1/orgs/{}/users/{account}/role-assignments/{verb}",
            self.org_id
        );
        self.admin_api(&path, json!({"role": "atlassian/org-admin"}))
            .await;
    }

    async fn admin_api(&self, path: &str, body: Value) {
        let answer = self
            .stack
            .http
            .post(format!("{}{path}", self.stack.sim_url))
            .bearer_auth(&self.stack.api_key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().is_success(),
            "{path}: {}",
            answer.text().await.unwrap()
        );
    }

    /// Switches product admins and user access admins on or off (as the org admin).
    pub async fn allow_limited_admins(&self, on: bool, scope: &str) {
        let answer = self
            .stack
            .send(
                reqwest::Method::PUT,
                "/api/v1/settings/access",
                Some(json!({"productAdmins": on, "userAccessAdmins": on, "scope": scope})),
            )
            .await;
        assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
    }

    /// Creates an API token as `account` and returns `(id, secret)`.
    pub async fn token(&self, account: &str, scopes: &[&str]) -> (i64, String) {
        let answer = self
            .stack
            .send_as(
                account,
                reqwest::Method::POST,
                "/api/v1/tokens",
                Some(json!({"name": format!("ci {scopes:?}"), "scopes": scopes})),
            )
            .await;
        assert_eq!(answer.status(), 201);
        let body: Value = answer.json().await.unwrap();
        (
            body["id"].as_i64().unwrap(),
            body["token"].as_str().unwrap().to_owned(),
        )
    }

    /// A call with an API token.
    pub async fn with_token(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let name = method.as_str().to_owned();
        let mut request = self
            .stack
            .http
            .request(method, format!("{}{path}", self.stack.url))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        crate::conformance::checked(&name, path, request.send().await.unwrap()).await
    }
}

/// The sorted `accountIds` of a select answer.
pub fn sorted_ids(answer: &Value) -> Vec<String> {
    let mut ids: Vec<String> = answer["accountIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

impl People {
    /// A call as `account` answered with JSON.
    pub async fn json_as(
        &self,
        account: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        self.stack
            .send_as(account, method, path, body)
            .await
            .json()
            .await
            .unwrap()
    }
}
