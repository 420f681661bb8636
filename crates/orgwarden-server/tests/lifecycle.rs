//! The signed lifecycle end to end, on SQLite and PostgreSQL.

use crate::common::*;
use orgwarden_ids::TenantId;
use orgwarden_store::on_both_backends;
use orgwarden_store::tenants::{self, TenantState};
use orgwarden_store::Backend;
use serde_json::Value;

on_both_backends!(install_use_reinstall_uninstall);

async fn install_use_reinstall_uninstall(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.install("tenant-a", "secret-one").await;

    let me = app
        .api_get(
            "/api/v1/me",
            Some(&app.context_token("tenant-a", "secret-one", ADMIN)),
        )
        .await;
    assert_eq!(me.status(), 200, "{backend:?}");
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["tenant"]["clientKey"], "tenant-a");
    assert_eq!(me["tenant"]["baseUrl"], app.atlassian.site_url("tenant-a"));
    assert_eq!(me["accountId"], ADMIN);
    assert_eq!(me["role"], "admin");

    let user = app
        .api_get(
            "/api/v1/me",
            Some(&app.context_token("tenant-a", "secret-one", USER)),
        )
        .await;
    let user: Value = user.json().await.unwrap();
    assert_eq!(user["role"], "user");

    // Reinstall overwrites the secret: the old one stops working at once.
    app.install("tenant-a", "secret-two").await;
    let old = app
        .api_get(
            "/api/v1/me",
            Some(&app.context_token("tenant-a", "secret-one", ADMIN)),
        )
        .await;
    assert_eq!(envelope(old, 401).await, "invalid_token");
    let new = app
        .api_get(
            "/api/v1/me",
            Some(&app.context_token("tenant-a", "secret-two", ADMIN)),
        )
        .await;
    assert_eq!(new.status(), 200);

    // Uninstall stops all access at once and schedules the purge.
    assert_eq!(app.uninstall("tenant-a").await.status(), 204);
    let after = app
        .api_get(
            "/api/v1/me",
            Some(&app.context_token("tenant-a", "secret-two", ADMIN)),
        )
        .await;
    assert_eq!(envelope(after, 401).await, "unauthorized");
    let mut conn = app.db.db.get().unwrap();
    let tenant = tenants::find(&mut conn, &TenantId::from("tenant-a"))
        .unwrap()
        .unwrap();
    assert_eq!(tenant.state(), TenantState::Uninstalled);
    let days = (tenant.purge_after.unwrap() - tenant.uninstalled_at.unwrap()).num_days();
    assert_eq!(days, 30);

    // Reinstall within retention restores the tenant.
    app.install("tenant-a", "secret-three").await;
    let back = app
        .api_get(
            "/api/v1/me",
            Some(&app.context_token("tenant-a", "secret-three", ADMIN)),
        )
        .await;
    assert_eq!(back.status(), 200, "{backend:?}");
}

async fn hs256_lifecycle(
    app: &TestApp,
    client_key: &str,
    secret: &str,
    event: &str,
) -> reqwest::Response {
    let path = format!("/lifecycle/{event}");
    let qsh = orgwarden_connect::query_string_hash("POST", &path, "", "").unwrap();
    let token = app.hs256(client_key, secret, None, &qsh);
    app.post_lifecycle(&path, Some(&token), &app.payload(client_key, secret, event))
        .await
}

#[actix_web::test]
async fn enable_disable_and_racing_uninstall() {
    let app = TestApp::start(orgwarden_store::Backend::Sqlite).await;
    app.install("tenant-b", "s").await;
    let token = || app.context_token("tenant-b", "s", ADMIN);

    assert_eq!(
        hs256_lifecycle(&app, "tenant-b", "s", "disabled")
            .await
            .status(),
        204
    );
    assert_eq!(
        envelope(app.api_get("/api/v1/me", Some(&token())).await, 401).await,
        "unauthorized"
    );
    assert_eq!(
        hs256_lifecycle(&app, "tenant-b", "s", "enabled")
            .await
            .status(),
        204
    );
    assert_eq!(
        app.api_get("/api/v1/me", Some(&token())).await.status(),
        200
    );

    // `disabled` and `uninstalled` arrive together, in either order: the end is uninstalled.
    let (a, b) = futures::join!(
        hs256_lifecycle(&app, "tenant-b", "s", "disabled"),
        app.uninstall("tenant-b")
    );
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (204, 204));
    assert_eq!(
        hs256_lifecycle(&app, "tenant-b", "s", "disabled")
            .await
            .status(),
        204
    );
    assert_eq!(
        hs256_lifecycle(&app, "tenant-b", "s", "enabled")
            .await
            .status(),
        204
    );
    let mut conn = app.db.db.get().unwrap();
    let tenant = tenants::find(&mut conn, &TenantId::from("tenant-b"))
        .unwrap()
        .unwrap();
    assert_eq!(tenant.state(), TenantState::Uninstalled);
    assert_eq!(
        envelope(app.api_get("/api/v1/me", Some(&token())).await, 401).await,
        "unauthorized"
    );
}

#[actix_web::test]
async fn zero_retention_purges_at_once() {
    let app = TestApp::start_with(orgwarden_store::Backend::Sqlite, |c| {
        c.uninstall_retention_days = 0
    })
    .await;
    app.install("tenant-c", "s").await;
    assert_eq!(app.uninstall("tenant-c").await.status(), 204);
    let mut conn = app.db.db.get().unwrap();
    assert!(tenants::find(&mut conn, &TenantId::from("tenant-c"))
        .unwrap()
        .is_none());
}

#[actix_web::test]
async fn page_load_checks_the_query_bound_token() {
    let app = TestApp::start(orgwarden_store::Backend::Sqlite).await;
    app.install("tenant-d", "s").await;
    let query =
        "lic=active&xdm_e=https%3A%2F%2Fexample.atlassian.net&xdm_c=channel&cp=&cv=1001.0.0";
    for path in ["/admin", "/app"] {
        let url = app.page_url("tenant-d", "s", path, query);
        // The token is valid; the SPA is not built in this test, which the answer says.
        let response = app.http.get(&url).send().await.unwrap();
        assert_eq!(envelope(response, 503).await, "frontend_not_built");
        let altered = url.replace("lic=active", "lic=none");
        assert_eq!(
            envelope(app.http.get(&altered).send().await.unwrap(), 401).await,
            "invalid_token"
        );
    }
}

#[actix_web::test]
async fn spa_is_served_after_a_valid_page_load() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><div id=root></div>",
    )
    .unwrap();
    let frontend = dir.path().display().to_string();
    let app = TestApp::start_with(orgwarden_store::Backend::Sqlite, |c| {
        c.frontend_dir = frontend
    })
    .await;
    app.install("tenant-e", "s").await;
    let response = app
        .http
        .get(app.page_url("tenant-e", "s", "/admin", "view=settings&lic=active"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    assert!(response.text().await.unwrap().contains("id=root"));
}
