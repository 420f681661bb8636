//! The Organization API key binds the app to the organization that owns its Jira site, and a key
//! Atlassian stops accepting leaves only its replacement, on each backend.

use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::access_support::People;
use crate::audit_support::sim_post;
use crate::operations_support::error;
use orgwarden_store::on_both_backends;

on_both_backends!(
    only_a_key_of_the_sites_organization_is_saved,
    a_rejected_key_leaves_only_its_replacement,
);

fn expires() -> String {
    (chrono::Utc::now() + chrono::Duration::days(30))
        .format("%Y-%m-%d")
        .to_string()
}

/// A new key in cloudsim: of the simulated organization, or of `foreign_org`.
async fn new_key(p: &People, foreign_org: Option<&str>) -> String {
    let body = match foreign_org {
        Some(name) => json!({"foreignOrg": name}),
        None => json!({}),
    };
    let answer = sim_post(&p.stack, "/__sim/api-keys", body).await;
    answer["key"].as_str().unwrap().to_owned()
}

async fn only_a_key_of_the_sites_organization_is_saved(backend: Backend) {
    let p = People::start(backend).await;
    let globex = json!({"key": new_key(&p, Some("Globex")).await, "expiresAt": expires()});
    // With the key removed, a Jira admin who is no org admin sets the app up again: a key of an
    // organization of their own (Globex owns no site of this one) is refused, checked or saved.
    let removed = p
        .stack
        .send(Method::DELETE, "/api/v1/settings/api-key", None)
        .await;
    assert_eq!(removed.status(), 204);
    for (method, path) in [
        (Method::POST, "/api/v1/settings/api-key/check"),
        (Method::PUT, "/api/v1/settings/api-key"),
    ] {
        let refused = p
            .stack
            .send_as(&p.product_admin, method, path, Some(globex.clone()))
            .await;
        let (code, details) = error(refused, 400).await;
        assert_eq!(code, "site_not_in_organization", "{path}");
        assert_eq!(details["field"], "key");
    }
    let settings = p
        .stack
        .send_as(&p.product_admin, Method::GET, "/api/v1/settings", None)
        .await;
    assert_eq!(error(settings, 403).await.0, "access_denied");
    // The key of the organization that owns the site is saved.
    let own = json!({"key": p.stack.api_key, "expiresAt": expires()});
    let saved = p
        .stack
        .send_as(
            &p.product_admin,
            Method::PUT,
            "/api/v1/settings/api-key",
            Some(own),
        )
        .await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let saved: Value = p
        .stack
        .send(Method::GET, "/api/v1/settings/api-key", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(saved["orgId"], p.org_id.as_str());
}

async fn a_rejected_key_leaves_only_its_replacement(backend: Backend) {
    let p = People::start(backend).await;
    p.allow_limited_admins(true, "organization").await;
    let (_, token) = p.token(&p.stack.admin, &["read", "write"]).await;
    // Atlassian no longer knows the key (revoked at admin.atlassian.com).
    let revoked = p
        .stack
        .http
        .delete(format!(
            "{}/__sim/api-keys/{}",
            p.stack.sim_url, p.stack.api_key
        ))
        .send()
        .await
        .unwrap();
    assert!(revoked.status().is_success());

    // The mirror's org admin may only replace the key; nobody else gets in.
    let me: Value = p
        .json_as(&p.stack.admin, Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(me["access"]["allowed"], true, "{me}");
    assert_eq!(me["access"]["keyRejected"], true, "{me}");
    for path in ["/api/v1/users", "/api/v1/settings", "/api/v1/audit"] {
        let read = p.stack.send(Method::GET, path, None).await;
        let refused = read.json::<Value>().await.unwrap();
        assert_eq!(refused["error"]["code"], "access_denied", "{path}");
        let message = refused["error"]["message"].as_str().unwrap();
        assert!(message.contains("does not accept"), "{message}");
    }
    let by_token = p
        .with_token(
            &token,
            Method::POST,
            "/api/v1/users/export",
            Some(json!({})),
        )
        .await;
    assert_eq!(error(by_token, 403).await.0, "access_denied");
    let limited: Value = p
        .json_as(&p.product_admin, Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(limited["access"]["allowed"], false, "{limited}");
    let replace = json!({"key": new_key(&p, None).await, "expiresAt": expires()});
    let by_limited = p
        .stack
        .send_as(
            &p.product_admin,
            Method::PUT,
            "/api/v1/settings/api-key",
            Some(replace.clone()),
        )
        .await;
    assert_eq!(error(by_limited, 403).await.0, "access_denied");

    // A working key of the same organization lets everyone back in.
    let saved = p
        .stack
        .send(Method::PUT, "/api/v1/settings/api-key", Some(replace))
        .await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let me: Value = p
        .json_as(&p.stack.admin, Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(me["access"]["keyRejected"], false, "{me}");
    let settings = p.stack.send(Method::GET, "/api/v1/settings", None).await;
    assert_eq!(settings.status(), 200);
    let limited: Value = p
        .json_as(&p.product_admin, Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(limited["access"]["allowed"], true, "{limited}");
}
