//! The access model through the real server and cloudsim, on each backend: every route of the
//! route table × every kind of caller, API tokens, the bootstrap and key rules, and the guards
//! that hold whoever acts.

use orgwarden_server::Policy;
use orgwarden_server::{RouteSpec, ROUTES};
use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::access_support::People;
use crate::operations_support::error;
use orgwarden_store::on_both_backends;

on_both_backends!(
    every_route_admits_exactly_the_callers_its_policy_names,
    tokens_act_as_their_creator_until_revoked_expired_or_the_creator_loses_access,
    keys_are_set_up_by_jira_admins_then_guarded_by_org_admins,
    an_escaped_path_meets_its_policy_at_the_gate,
);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    Refused,
    Limited,
    /// A limited admin confined to the sites and products they administer.
    Confined,
    OrgAdmin,
    ReadToken,
    WriteToken,
}

/// What `who` must get from a route with `policy`: `None` = admitted, else (status, code).
fn expected(who: Who, policy: Policy) -> Option<(u16, &'static str)> {
    use Policy::*;
    match (who, policy) {
        (Who::Anonymous, _) => Some((401, "unauthorized")),
        (_, Anyone) => None,
        (Who::Refused, _) => Some((403, "access_denied")),
        (Who::OrgAdmin, _) => None,
        (Who::Limited, KeySetup | OrgAdmin) => Some((403, "access_denied")),
        (Who::Limited, _) => None,
        (Who::Confined, KeySetup | OrgAdmin | ReadWhole | WriteWhole) => {
            Some((403, "access_denied"))
        }
        (Who::Confined, _) => None,
        (Who::ReadToken, Read | ReadWhole) => None,
        (Who::ReadToken, _) => Some((403, "insufficient_scope")),
        (Who::WriteToken, Interactive) => Some((403, "access_denied")),
        (Who::WriteToken, _) => None,
    }
}

fn concrete(route: &RouteSpec) -> (Method, String) {
    let path = route
        .path
        .replace("{id}", "999999")
        .replace("{accountId}", "557058:nobody")
        .replace("{deliveryId}", "msg_none");
    (route.method.parse().unwrap(), format!("/api/v1{path}"))
}

/// Deleting the saved key would end the test's setup; it runs last, once.
fn ends_setup(route: &RouteSpec) -> bool {
    route.method == "DELETE" && route.path == "/settings/api-key"
}

async fn call(p: &People, who: Who, caller: &str, route: &RouteSpec) -> reqwest::Response {
    let (method, path) = concrete(route);
    let body = (method != Method::GET).then(|| json!({}));
    match who {
        Who::Anonymous => {
            let mut request = p
                .stack
                .http
                .request(method, format!("{}{path}", p.stack.url));
            if let Some(body) = body {
                request = request.json(&body);
            }
            request.send().await.unwrap()
        }
        Who::ReadToken | Who::WriteToken => p.with_token(caller, method, &path, body).await,
        _ => p.stack.send_as(caller, method, &path, body).await,
    }
}

async fn check_all(p: &People, who: Who, caller: &str) {
    for route in ROUTES {
        let want = expected(who, route.policy);
        if ends_setup(route) && want.is_none() {
            continue;
        }
        let answer = call(p, who, caller, route).await;
        let status = answer.status().as_u16();
        let body: Value = answer.json().await.unwrap_or(Value::Null);
        let what = format!("{who:?} {} {}: {status} {body}", route.method, route.path);
        match want {
            Some((want_status, want_code)) => {
                assert_eq!(status, want_status, "{what}");
                assert_eq!(body["error"]["code"], want_code, "{what}");
            }
            None => assert!(status != 401 && status != 403, "{what}"),
        }
    }
}

async fn every_route_admits_exactly_the_callers_its_policy_names(backend: Backend) {
    let p = People::start(backend).await;
    let (_, read) = p.token(&p.stack.admin, &["read"]).await;
    let (_, write) = p.token(&p.stack.admin, &["read", "write"]).await;
    check_all(&p, Who::Anonymous, "").await;
    // Only organization admins by default: a product admin who is a Jira admin is refused.
    for refused in [&p.plain, &p.product_admin, &p.user_access_admin] {
        check_all(&p, Who::Refused, refused).await;
    }
    check_all(&p, Who::OrgAdmin, &p.stack.admin.clone()).await;
    check_all(&p, Who::ReadToken, &read).await;
    check_all(&p, Who::WriteToken, &write).await;

    p.allow_limited_admins(true, "organization").await;
    check_all(&p, Who::Limited, &p.product_admin).await;
    check_all(&p, Who::Limited, &p.user_access_admin).await;
    check_all(&p, Who::Refused, &p.plain).await;
    p.allow_limited_admins(true, "administered").await;
    check_all(&p, Who::Confined, &p.product_admin).await;
    p.allow_limited_admins(true, "organization").await;

    let me: Value = p
        .json_as(&p.product_admin, Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(me["access"]["allowed"], true);
    assert_eq!(me["access"]["as"], "productAdmin");
    assert_eq!(me["role"], "admin");
    let me: Value = p.json_as(&p.plain, Method::GET, "/api/v1/me", None).await;
    assert_eq!(
        (me["access"]["allowed"].clone(), me["role"].clone()),
        (json!(false), json!("user"))
    );
    assert!(me["access"]["reason"]
        .as_str()
        .unwrap()
        .contains("organization admin"));

    let removed = p
        .with_token(&write, Method::DELETE, "/api/v1/settings/api-key", None)
        .await;
    assert_eq!(removed.status(), 204);
}

async fn tokens_act_as_their_creator_until_revoked_expired_or_the_creator_loses_access(
    backend: Backend,
) {
    let p = People::start(backend).await;
    let creator = p.second_org_admin.clone();
    let (id, token) = p.token(&creator, &["read", "write"]).await;
    assert!(token.starts_with("owt_") && token.len() > 40);
    let me: Value = p
        .with_token(&token, Method::GET, "/api/v1/me", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me["accountId"].as_str(), me["via"].as_str()),
        (Some(creator.as_str()), Some("token"))
    );
    // Listed with its prefix, never its secret.
    let list: Value = p.stack.get("/api/v1/tokens").await.json().await.unwrap();
    let listed = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap();
    assert!(token.starts_with(listed["prefix"].as_str().unwrap()));
    assert!(!list.to_string().contains(&token));
    assert_eq!(listed["createdBy"]["accountId"], creator.as_str());

    // A token cannot make tokens; an unknown token is 401.
    let minted = p
        .with_token(
            &token,
            Method::POST,
            "/api/v1/tokens",
            Some(json!({"name": "x", "scopes": ["read"]})),
        )
        .await;
    assert_eq!(error(minted, 403).await.0, "access_denied");
    let forged = p
        .with_token("owt_forged", Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(error(forged, 401).await.0, "invalid_token");

    // The creator stops being an org admin: the token stops at once (roles are not cached here).
    p.set_org_admin(&creator, false).await;
    let lost = p
        .with_token(&token, Method::GET, "/api/v1/license", None)
        .await;
    assert_eq!(error(lost, 401).await.0, "invalid_token");
    p.set_org_admin(&creator, true).await;
    let back = p
        .with_token(&token, Method::GET, "/api/v1/license", None)
        .await;
    assert_eq!(back.status(), 200);

    // Revoked: refused at once.
    let revoked = p
        .stack
        .send(Method::DELETE, &format!("/api/v1/tokens/{id}"), None)
        .await;
    assert_eq!(revoked.status(), 204);
    let after = p.with_token(&token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(error(after, 401).await.0, "invalid_token");

    // Expired: a token whose last day has passed.
    let (expiring_id, expiring) = p.token(&creator, &["read"]).await;
    {
        use diesel::RunQueryDsl;
        let mut conn = p.app.db.db.get().unwrap();
        diesel::sql_query(format!(
            "UPDATE api_tokens SET expires_at = '2020-01-01 00:00:00' WHERE id = {expiring_id}"
        ))
        .execute(&mut *conn)
        .unwrap();
    }
    let expired = p
        .with_token(&expiring, Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(error(expired, 401).await.0, "invalid_token");

    // Bad input names the field.
    let bad = p
        .stack
        .post("/api/v1/tokens", json!({"name": " ", "scopes": ["read"]}))
        .await;
    assert_eq!(error(bad, 400).await.1["field"], "name");
    let bad = p
        .stack
        .post("/api/v1/tokens", json!({"name": "x", "scopes": ["write"]}))
        .await;
    assert_eq!(error(bad, 400).await.1["field"], "scopes");
}

async fn keys_are_set_up_by_jira_admins_then_guarded_by_org_admins(backend: Backend) {
    let p = People::start(backend).await;
    let expires = (chrono::Utc::now() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string();
    // A key of an organization that does not own the site is refused with a message that says so.
    let foreign: Value = p
        .stack
        .http
        .post(format!("{}/__sim/api-keys", p.stack.sim_url))
        .json(&json!({"foreignOrg": "Globex"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let other = p
        .stack
        .send(
            Method::PUT,
            "/api/v1/settings/api-key",
            Some(json!({"key": foreign["key"], "expiresAt": expires})),
        )
        .await;
    let body: Value = other.json().await.unwrap();
    assert_eq!(body["error"]["code"], "site_not_in_organization", "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Globex"));

    // A product admin (a Jira admin too) may neither replace nor delete the key, even when
    // product admins are let in.
    p.allow_limited_admins(true, "organization").await;
    let key = json!({"key": p.stack.api_key, "expiresAt": expires});
    let replace = p
        .stack
        .send_as(
            &p.product_admin,
            Method::PUT,
            "/api/v1/settings/api-key",
            Some(key.clone()),
        )
        .await;
    assert_eq!(error(replace, 403).await.0, "access_denied");

    // Without a key, the bootstrap: a Jira admin who is no org admin may save one...
    let removed = p
        .stack
        .send(Method::DELETE, "/api/v1/settings/api-key", None)
        .await;
    assert_eq!(removed.status(), 204);
    let me: Value = p
        .json_as(&p.product_admin, Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(me["access"]["as"], "jiraAdmin", "{me}");
    let plain_me: Value = p.json_as(&p.plain, Method::GET, "/api/v1/me", None).await;
    assert_eq!(plain_me["access"]["allowed"], false);
    // ...but not read what the removed key synced.
    for path in ["/api/v1/users", "/api/v1/audit", "/api/v1/settings"] {
        let read = p
            .stack
            .send_as(&p.product_admin, Method::GET, path, None)
            .await;
        assert_eq!(error(read, 403).await.0, "access_denied", "{path}");
    }
    let saved = p
        .stack
        .send_as(
            &p.product_admin,
            Method::PUT,
            "/api/v1/settings/api-key",
            Some(key.clone()),
        )
        .await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    // ...and from then on the organization rules hold: with limited admins switched off, the
    // same person is refused.
    p.allow_limited_admins(false, "organization").await;
    let again = p
        .stack
        .send_as(
            &p.product_admin,
            Method::GET,
            "/api/v1/settings/api-key",
            None,
        )
        .await;
    assert_eq!(error(again, 403).await.0, "access_denied");
}

async fn an_escaped_path_meets_its_policy_at_the_gate(backend: Backend) {
    let p = People::start(backend).await;
    // `%75sers` is `users` to the router: the gate refuses it, and records the refusal, as it
    // does for the plain path.
    let refused = p
        .stack
        .send_as(&p.plain, Method::GET, "/api/v1/%75sers", None)
        .await;
    assert_eq!(error(refused, 403).await.0, "access_denied");
    // The refusal is recorded in the background, after the answer: wait for it.
    let recorded = |denied: &Value| {
        denied["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor"]["accountId"].as_str() == Some(p.plain.as_str()))
    };
    let mut denied = Value::Null;
    for _ in 0..100 {
        denied = p
            .stack
            .send(Method::GET, "/api/v1/audit?kind=access.denied", None)
            .await
            .json()
            .await
            .unwrap();
        if recorded(&denied) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no access.denied entry for the refused caller: {denied}");
}
