//! The signed lifecycle end to end, on SQLite and PostgreSQL.

use crate::common::*;
use orgwarden_ids::TenantId;
use orgwarden_store::audit;
use orgwarden_store::on_both_backends;
use orgwarden_store::tenants::{self, TenantState};
use orgwarden_store::{Backend, Cipher};
use serde_json::Value;

on_both_backends!(install_use_reinstall_uninstall);

async fn install_use_reinstall_uninstall(backend: Backend) {
    let app = TestApp::start(backend).await;
    let one = app.install(SITES[0]).await;

    let me = app
        .api_get(
            "/api/v1/me",
            Some(&app.context_token(&one.client_key, &one.secret, ADMIN)),
        )
        .await;
    assert_eq!(me.status(), 200, "{backend:?}");
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["tenant"]["clientKey"], one.client_key.as_str());
    assert_eq!(
        me["tenant"]["baseUrl"],
        format!("{}/jira/{}", app.sim_url, SITES[0])
    );
    assert_eq!(me["accountId"], ADMIN);
    assert_eq!(me["role"], "admin");

    let user = app
        .api_get(
            "/api/v1/me",
            Some(&app.context_token(&one.client_key, &one.secret, USER)),
        )
        .await;
    let user: Value = user.json().await.unwrap();
    assert_eq!(user["role"], "user");

    // Reinstall overwrites the secret: the old one stops working at once.
    let two = app.install(SITES[0]).await;
    assert_eq!(two.client_key, one.client_key);
    let old = app
        .api_get(
            "/api/v1/me",
            Some(&app.context_token(&one.client_key, &one.secret, ADMIN)),
        )
        .await;
    assert_eq!(envelope(old, 401).await, "invalid_token");
    let new = app
        .api_get(
            "/api/v1/me",
            Some(&app.context_token(&two.client_key, &two.secret, ADMIN)),
        )
        .await;
    assert_eq!(new.status(), 200);

    // Uninstall stops all access at once and schedules the purge.
    assert_eq!(app.uninstall(SITES[0]).await, 204);
    let after = app
        .api_get(
            "/api/v1/me",
            Some(&app.context_token(&two.client_key, &two.secret, ADMIN)),
        )
        .await;
    assert_eq!(envelope(after, 401).await, "unauthorized");
    let mut conn = app.db.db.get().unwrap();
    let tenant = tenants::find(&mut conn, &TenantId::from(&one.client_key))
        .unwrap()
        .unwrap();
    assert_eq!(tenant.state(), TenantState::Uninstalled);
    let days = (tenant.purge_after.unwrap() - tenant.uninstalled_at.unwrap()).num_days();
    assert_eq!(days, 30);

    // Reinstall within retention restores the tenant.
    let three = app.install(SITES[0]).await;
    let back = app
        .api_get(
            "/api/v1/me",
            Some(&app.context_token(&three.client_key, &three.secret, ADMIN)),
        )
        .await;
    assert_eq!(back.status(), 200, "{backend:?}");
}

/// `enabled` or `disabled` as Jira signs it, sent by the test: Jira may deliver them late or
/// out of order.
async fn hs256_lifecycle(app: &TestApp, tenant: &Tenant, event: &str) -> reqwest::Response {
    let path = format!("/lifecycle/{event}");
    let qsh = orgwarden_connect::query_string_hash("POST", &path, "", "").unwrap();
    let token = app.hs256(&tenant.client_key, &tenant.secret, None, &qsh);
    app.post_lifecycle(&path, Some(&token), &app.payload(tenant, event))
        .await
}

/// Switches the app off or on in Jira's Manage apps; the app's answer to the callback.
async fn switch(app: &TestApp, verb: &str, event: &str) -> u64 {
    let body = serde_json::json!({"appKey": APP_KEY, "site": SITES[0]});
    let answer = sim_call(
        &app.http,
        &app.sim_url,
        &format!("/__sim/{verb}"),
        Some(body),
    )
    .await;
    answer["callbacks"][event].as_u64().unwrap()
}

#[actix_web::test]
async fn enable_disable_and_racing_uninstall() {
    let app = TestApp::start(orgwarden_store::Backend::Sqlite).await;
    let b = app.install(SITES[0]).await;
    let token = || app.context_token(&b.client_key, &b.secret, ADMIN);

    assert_eq!(switch(&app, "disable", "disabled").await, 204);
    assert_eq!(
        envelope(app.api_get("/api/v1/me", Some(&token())).await, 401).await,
        "unauthorized"
    );
    assert_eq!(switch(&app, "enable", "enabled").await, 204);
    assert_eq!(
        app.api_get("/api/v1/me", Some(&token())).await.status(),
        200
    );

    // `disabled` and `uninstalled` arrive together, in either order: the end is uninstalled.
    let (disabled, uninstalled) = futures::join!(
        hs256_lifecycle(&app, &b, "disabled"),
        app.signed_uninstall(&b)
    );
    let answers = (disabled.status().as_u16(), uninstalled.status().as_u16());
    assert_eq!(answers, (204, 204));
    assert_eq!(hs256_lifecycle(&app, &b, "disabled").await.status(), 204);
    assert_eq!(hs256_lifecycle(&app, &b, "enabled").await.status(), 204);
    let mut conn = app.db.db.get().unwrap();
    let tenant = tenants::find(&mut conn, &TenantId::from(&b.client_key))
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
    let c = app.install(SITES[0]).await;
    let tenant = TenantId::from(&c.client_key);
    let mut conn = app.db.db.get().unwrap();
    let cipher = Cipher::from_base64(app.config.master_key.as_deref().unwrap()).unwrap();
    let now = chrono::Utc::now().naive_utc();
    let verified = audit::verify(&mut conn, &tenant, cipher.audit_seal_key(), Some(now)).unwrap();
    assert!(verified.sealed_through.is_some(), "{verified:?}");
    assert!(!rows_of(&mut conn, &c.client_key).is_empty());
    assert_eq!(app.uninstall(SITES[0]).await, 204);
    assert!(tenants::find(&mut conn, &tenant).unwrap().is_none());
    assert_eq!(rows_of(&mut conn, &c.client_key), Vec::<String>::new());
}

/// The tables (of every table with a `tenant_id` column) that hold rows of `client_key`.
fn rows_of(conn: &mut orgwarden_store::DbConnection, client_key: &str) -> Vec<String> {
    use diesel::{sql_types::Text, QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Table {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let tables: Vec<Table> = diesel::sql_query(
        "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c \
         WHERE m.type = 'table' AND c.name = 'tenant_id'",
    )
    .load(conn)
    .unwrap();
    assert!(tables.len() > 10, "every tenant-owned table is listed");
    tables
        .into_iter()
        .filter(|t| {
            let sql = format!(
                "SELECT name FROM (SELECT '{0}' AS name FROM {0} WHERE tenant_id = ?)",
                t.name
            );
            let found: Vec<Table> = diesel::sql_query(sql)
                .bind::<Text, _>(client_key)
                .load(conn)
                .unwrap();
            !found.is_empty()
        })
        .map(|t| t.name)
        .collect()
}

#[actix_web::test]
async fn page_load_checks_the_query_bound_token() {
    let app = TestApp::start(orgwarden_store::Backend::Sqlite).await;
    let d = app.install(SITES[0]).await;
    let query =
        "lic=active&xdm_e=https%3A%2F%2Fexample.atlassian.net&xdm_c=channel&cp=&cv=1001.0.0";
    for path in ["/admin", "/app"] {
        let url = app.page_url(&d.client_key, &d.secret, path, query);
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
    let e = app.install(SITES[0]).await;
    let response = app
        .http
        .get(app.page_url(
            &e.client_key,
            &e.secret,
            "/admin",
            "view=settings&lic=active",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    assert!(response.text().await.unwrap().contains("id=root"));
}
