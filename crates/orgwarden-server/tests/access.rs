//! The access model through the real server and cloudsim, on each backend: every route of the
//! route table × every kind of caller, API tokens, the bootstrap and key rules, and the guards
//! that hold whoever acts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use orgwarden_server::api::{RouteSpec, ROUTES};
use orgwarden_server::Policy;
use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::access_support::People;
use crate::operations_support::error;

/// One test per backend, so each runs (and fails) alone.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[actix_web::test]
            async fn $name() {
                super::$name(orgwarden_store::Backend::Sqlite).await;
            })*
        }
        mod postgres {
            $(#[actix_web::test]
            async fn $name() {
                super::$name(orgwarden_store::Backend::Postgres).await;
            })*
        }
    };
}

on_both_backends!(
    every_route_admits_exactly_the_callers_its_policy_names,
    tokens_act_as_their_creator_until_revoked_expired_or_the_creator_loses_access,
    keys_are_set_up_by_jira_admins_then_guarded_by_org_admins,
    guards_hold_for_every_allowed_caller,
    scripts_walk_every_user_with_cursors,
    limited_admins_see_only_what_they_administer,
);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    Refused,
    Limited,
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
        (Who::ReadToken, Read) => None,
        (Who::ReadToken, _) => Some((403, "insufficient_scope")),
        (Who::WriteToken, Interactive) => Some((403, "access_denied")),
        (Who::WriteToken, _) => None,
    }
}

fn concrete(route: &RouteSpec) -> (Method, String) {
    let path = route
        .path
        .replace("{id}", "999999")
        .replace("{accountId}", "557058:nobody");
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

    let me: Value = p
        .stack
        .send_as(&p.product_admin, Method::GET, "/api/v1/me", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["access"]["allowed"], true);
    assert_eq!(me["access"]["as"], "productAdmin");
    assert_eq!(me["role"], "admin");
    let me: Value = p
        .stack
        .send_as(&p.plain, Method::GET, "/api/v1/me", None)
        .await
        .json()
        .await
        .unwrap();
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
    // A key of another organization is refused with a message that says so.
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
    assert_eq!(body["error"]["code"], "different_organization", "{body}");
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
        .stack
        .send_as(&p.product_admin, Method::GET, "/api/v1/me", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["access"]["as"], "jiraAdmin", "{me}");
    let plain_me: Value = p
        .stack
        .send_as(&p.plain, Method::GET, "/api/v1/me", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plain_me["access"]["allowed"], false);
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

async fn guards_hold_for_every_allowed_caller(backend: Backend) {
    let p = People::start(backend).await;
    p.allow_limited_admins(true, "organization").await;
    let org = p.stack.sim("/__sim/org").await;
    let admin_group = org["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["managedBy"] != "external"
                && g["roles"].as_array().unwrap().iter().any(|r| {
                    matches!(
                        r["role"].as_str(),
                        Some("atlassian/admin" | "atlassian/site-admin")
                    )
                })
        })
        .expect("a group granting an admin role")["id"]
        .clone();
    let preview = |who: String, action: Value, target: String| {
        let p = &p;
        async move {
            let answer = p
                .stack
                .send_as(
                    &who,
                    Method::POST,
                    "/api/v1/operations/preview",
                    Some(json!({"selection": {"accountIds": [target]}, "actions": [action]})),
                )
                .await;
            assert_eq!(answer.status(), 200);
            let body: Value = answer.json().await.unwrap();
            body["items"][0].clone()
        }
    };
    // A product admin cannot add anyone to an admin-granting group; an org admin can.
    let add = json!({"type": "addToGroups", "groupIds": [admin_group]});
    let item = preview(p.product_admin.clone(), add.clone(), p.plain.clone()).await;
    assert_eq!(item["outcome"], "skip", "{item}");
    assert!(
        item["reason"].as_str().unwrap().contains("admin rights"),
        "{item}"
    );
    let item = preview(p.stack.admin.clone(), add, p.plain.clone()).await;
    assert_eq!(item["outcome"], "act", "{item}");
    // Nobody suspends themselves.
    for who in [p.product_admin.clone(), p.user_access_admin.clone()] {
        let item = preview(who.clone(), json!({"type": "suspend"}), who).await;
        assert_eq!(item["outcome"], "skip", "{item}");
        assert!(
            item["reason"].as_str().unwrap().contains("yourself"),
            "{item}"
        );
    }
    // Administered scope: a product admin of one Jira sees suspend refused and other
    // products skipped.
    p.allow_limited_admins(true, "administered").await;
    let me: Value = p
        .stack
        .send_as(&p.product_admin, Method::GET, "/api/v1/me", None)
        .await
        .json()
        .await
        .unwrap();
    let (site, product) = &p.administered;
    assert_eq!(
        me["access"]["scope"],
        json!([{"siteId": site, "productKey": product}]),
        "{me}"
    );
    let item = preview(
        p.product_admin.clone(),
        json!({"type": "suspend"}),
        p.plain.clone(),
    )
    .await;
    assert_eq!(item["outcome"], "skip", "{item}");
}

async fn walk(p: &People, token: &str, descending: bool) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/users?pageSize=7&descending={descending}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page: Value = p
            .with_token(token, Method::GET, &path, None)
            .await
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 7, "{page}");
        seen.extend(
            items
                .iter()
                .map(|u| u["accountId"].as_str().unwrap().to_owned()),
        );
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return seen,
        }
    }
}

async fn scripts_walk_every_user_with_cursors(backend: Backend) {
    let p = People::start(backend).await;
    let (_, read) = p.token(&p.stack.admin, &["read"]).await;
    let all: Value = p
        .with_token(
            &read,
            Method::POST,
            "/api/v1/users/select",
            Some(json!({"filter": {}})),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut expected: Vec<String> = all["accountIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    expected.sort();
    for descending in [false, true] {
        let walked = walk(&p, &read, descending).await;
        let mut sorted = walked.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), walked.len(), "no user twice");
        assert_eq!(
            sorted, expected,
            "every user once (descending: {descending})"
        );
    }
    // Page sizes from 1 to 1000; a forged cursor names the field.
    for (size, ok) in [(0, false), (1, true), (1000, true), (1001, false)] {
        let answer = p
            .with_token(
                &read,
                Method::GET,
                &format!("/api/v1/users?pageSize={size}"),
                None,
            )
            .await;
        assert_eq!(answer.status().is_success(), ok, "pageSize {size}");
    }
    let forged = p
        .with_token(&read, Method::GET, "/api/v1/users?cursor=bm9wZQ", None)
        .await;
    assert_eq!(error(forged, 400).await.1["field"], "cursor");
}

async fn limited_admins_see_only_what_they_administer(backend: Backend) {
    let p = People::start(backend).await;
    p.allow_limited_admins(true, "administered").await;
    let (site, product) = p.administered.clone();
    let org = p.stack.sim("/__sim/org").await;
    let holds = |u: &Value| {
        u["productAccess"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["siteId"] == site.as_str() && a["productKey"] == product.as_str())
    };
    // What the organization admin sees filtering by that product is what the limited admin
    // sees unfiltered.
    let by_product: Value = p
        .stack
        .post(
            "/api/v1/users/select",
            json!({"filter": {"products": [{"productKey": product, "siteId": site}]}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut expected: Vec<String> = by_product["accountIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    expected.sort();
    assert!(!expected.is_empty());
    let outsider = org["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| !holds(u))
        .expect("someone without that product")["accountId"]
        .as_str()
        .unwrap()
        .to_owned();
    let seen: Value = p
        .stack
        .send_as(
            &p.product_admin,
            Method::POST,
            "/api/v1/users/select",
            Some(json!({"filter": {}})),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut seen: Vec<String> = seen["accountIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    seen.sort();
    assert_eq!(
        seen, expected,
        "a product admin of one Jira sees that Jira's users"
    );
    let page: Value = p
        .stack
        .send_as(
            &p.product_admin,
            Method::POST,
            "/api/v1/users/search",
            Some(json!({"pageSize": 100})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["total"].as_u64().unwrap() as usize, expected.len());
    let detail = p
        .stack
        .send_as(
            &p.product_admin,
            Method::GET,
            &format!("/api/v1/users/{outsider}"),
            None,
        )
        .await;
    assert_eq!(detail.status(), 404);
    let tiles: Value = p
        .stack
        .send_as(&p.product_admin, Method::GET, "/api/v1/dashboard", None)
        .await
        .json()
        .await
        .unwrap();
    let tiles = tiles["products"].as_array().unwrap();
    assert!(!tiles.is_empty());
    assert!(tiles
        .iter()
        .all(|t| t["siteId"] == site.as_str() && t["productKey"] == product.as_str()));
    // The organization admin still sees everyone.
    let everyone: Value = p
        .stack
        .post("/api/v1/users/select", json!({"filter": {}}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        everyone["accountIds"].as_array().unwrap().len(),
        org["users"].as_array().unwrap().len()
    );
}

#[actix_web::test]
async fn unknown_tenants_and_bad_signatures_get_the_same_answer() {
    let app = crate::common::TestApp::start(Backend::Sqlite).await;
    app.install("client-1", "secret-1").await;
    let forged = app.context_token("client-1", "not-the-secret", "557058:admin");
    let unknown = app.context_token("client-nobody", "secret-1", "557058:admin");
    let mut answers = Vec::new();
    for token in [forged, unknown] {
        let answer = app.api_get("/api/v1/license", Some(&token)).await;
        answers.push((answer.status(), answer.text().await.unwrap()));
    }
    assert_eq!(answers[0].0, 401);
    assert_eq!(
        answers[0], answers[1],
        "a caller cannot tell which tenants exist"
    );
}
