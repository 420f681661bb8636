//! Security hardening of the HTTP surface and of start-up: the pages' and assets'
//! Content-Security-Policy and `all.js` URL (Atlassian's CDN, cloudsim's only in demo mode), HSTS
//! over https, `/metrics` on a private listener, the master key from a file, and stored secrets
//! upgraded to the bound `v2:` form at start.

use orgwarden_ids::TenantId;
use std::net::TcpListener;

use crate::common::*;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use orgwarden_server::{build_state, http_server, ATLASSIAN_ALL_JS};
use orgwarden_store::testing::legacy_v1_ciphertext;
use orgwarden_store::{Backend, Cipher};

const QUERY: &str = "lic=active&xdm_e=https%3A%2F%2Fexample.atlassian.net&xdm_c=channel&cp=";

/// A built SPA: an index with a head, and one asset.
fn frontend() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html>\n<html>\n  <head>\n    <title>orgwarden</title>\n  </head>\n  \
         <body><div id=\"root\"></div></body>\n</html>\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("assets")).unwrap();
    std::fs::write(dir.path().join("assets/app.js"), "console.log(1)").unwrap();
    dir
}

fn csp(response: &reqwest::Response) -> String {
    response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned()
}

async fn page_and_asset(app: &TestApp) -> (reqwest::Response, reqwest::Response) {
    let tenant = app.install(SITES[0]).await;
    let page = app
        .http
        .get(app.page_url(&tenant.client_key, &tenant.secret, "/admin", QUERY))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let asset = app
        .http
        .get(format!("{}/assets/app.js", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(asset.status(), 200);
    (page, asset)
}

#[actix_web::test]
async fn pages_and_assets_allow_atlassian_only() {
    let dir = frontend();
    let path = dir.path().display().to_string();
    let app = TestApp::start_with(Backend::Sqlite, |c| c.frontend_dir = path).await;
    let (page, asset) = page_and_asset(&app).await;
    let policy = csp(&page);
    assert_eq!(csp(&asset), policy);
    for directive in [
        "default-src 'self';",
        "script-src 'self' https://connect-cdn.atl-paas.net;",
        "style-src 'self' 'unsafe-inline';",
        "connect-src 'self';",
        "frame-ancestors https://*.atlassian.net https://*.jira.com;",
        "object-src 'none';",
        "base-uri 'none';",
    ] {
        assert!(
            policy.contains(directive),
            "{directive} missing in {policy}"
        );
    }
    assert!(!policy.contains("127.0.0.1"), "{policy}");
    assert!(page.headers().get("strict-transport-security").is_none());
    let html = page.text().await.unwrap();
    let meta = format!(r#"<meta name="orgwarden-all-js" content="{ATLASSIAN_ALL_JS}" />"#);
    assert!(html.contains(&meta), "{html}");
    assert!(html.find(&meta) < html.find("</head>"));

    // The JSON API and the ops endpoints are not pages: no page policy there.
    let health = app.api_get("/healthz", None).await;
    assert!(health.headers().get("content-security-policy").is_none());
}

#[actix_web::test]
async fn demo_mode_lets_cloudsim_frame_the_pages_and_serve_all_js() {
    let dir = frontend();
    let path = dir.path().display().to_string();
    let app = TestApp::start_with(Backend::Sqlite, |c| {
        c.frontend_dir = path;
        c.demo_host_origin = Some("http://127.0.0.1:8090/".into());
    })
    .await;
    let (page, _) = page_and_asset(&app).await;
    let policy = csp(&page);
    assert!(
        policy
            .contains("script-src 'self' https://connect-cdn.atl-paas.net http://127.0.0.1:8090;"),
        "{policy}"
    );
    assert!(
        policy.contains(
            "frame-ancestors https://*.atlassian.net https://*.jira.com http://127.0.0.1:8090;"
        ),
        "{policy}"
    );
    let html = page.text().await.unwrap();
    assert!(
        html.contains(r#"content="http://127.0.0.1:8090/connect/all.js""#),
        "{html}"
    );
}

#[actix_web::test]
async fn a_demo_host_origin_must_be_an_origin() {
    let db = orgwarden_store::testing::fresh_database(Backend::Sqlite);
    let mut config = config("http://127.0.0.1:9", &db.url, "http://127.0.0.1:9");
    config.demo_host_origin = Some("http://sim.example/jira; script-src *".into());
    let error = build_state(config, false).err().expect("refused");
    assert!(
        error.to_string().contains("ORGWARDEN_DEMO_HOST_ORIGIN"),
        "{error}"
    );
}

#[actix_web::test]
async fn https_base_urls_get_hsts_on_every_response() {
    let app = TestApp::start_with(Backend::Sqlite, |c| {
        c.base_url = "https://orgwarden.example".into()
    })
    .await;
    for path in ["/healthz", "/api/v1/me", "/nowhere"] {
        let response = app.api_get(path, None).await;
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000",
            "{path}"
        );
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[actix_web::test]
async fn metrics_bind_serves_metrics_privately_and_nothing_else() {
    let db = orgwarden_store::testing::fresh_database(Backend::Sqlite);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let main = format!("http://{}", listener.local_addr().unwrap());
    let metrics_port = free_port();
    let mut config = config(&main, &db.url, "http://127.0.0.1:9");
    config.metrics_bind = Some(([127, 0, 0, 1], metrics_port).into());
    let state = build_state(config, false).unwrap();
    actix_web::rt::spawn(http_server(state, listener).unwrap());
    let private = format!("http://127.0.0.1:{metrics_port}");
    let http = crate::common::http_client();
    let get = |url: String| {
        let http = http.clone();
        async move { http.get(url).send().await.unwrap() }
    };

    assert_eq!(get(format!("{main}/healthz")).await.status(), 200);
    let metrics = get(format!("{private}/metrics")).await;
    assert_eq!(metrics.status(), 200);
    assert!(metrics
        .text()
        .await
        .unwrap()
        .contains("orgwarden_http_requests_total"));
    for path in ["/metrics", "/%6Detrics", "/%6d%65trics"] {
        assert_eq!(
            envelope(get(format!("{main}{path}")).await, 404).await,
            "not_found",
            "{path}"
        );
    }
    for path in ["/healthz", "/admin", "/api/v1/me", "/metrics/x"] {
        let response = get(format!("{private}{path}")).await;
        assert_eq!(response.status(), 404, "{path}");
    }
}

#[actix_web::test]
async fn without_metrics_bind_metrics_stay_on_the_main_listener() {
    let app = TestApp::start(Backend::Sqlite).await;
    assert_eq!(app.api_get("/metrics", None).await.status(), 200);
}

#[actix_web::test]
async fn the_master_key_can_come_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("master.key");
    std::fs::write(&file, format!("{}\n", Cipher::generate_master_key())).unwrap();
    let app = TestApp::start_with(Backend::Sqlite, |c| {
        c.master_key = None;
        c.master_key_file = Some(file.clone());
    })
    .await;
    app.install(SITES[0]).await;

    let mut both = app.config.clone();
    both.master_key = Some(Cipher::generate_master_key());
    let error = build_state(both, false).err().expect("refused");
    assert!(error.to_string().contains("keep only one"), "{error}");
}

#[actix_web::test]
async fn a_process_with_another_master_key_is_refused_at_start_on_postgres() {
    let app = TestApp::start(Backend::Postgres).await;
    app.install(SITES[0]).await;
    let mut other = app.config.clone();
    other.master_key = Some(Cipher::generate_master_key());
    other.master_key_file = None;
    let error = build_state(other, false).err().expect("refused");
    assert!(
        format!("{error:#}").contains("does not open the secrets"),
        "{error:#}"
    );
    // The right key starts.
    assert!(build_state(app.config.clone(), false).is_ok());
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[actix_web::test]
async fn v1_secrets_are_upgraded_at_start_on_postgres() {
    // PostgreSQL: a second state over a SQLite file that a running one holds is refused.
    let app = TestApp::start(Backend::Postgres).await;
    let tenant = app.install(SITES[0]).await;
    let client_key = &tenant.client_key;
    let cipher = Cipher::from_base64(app.config.master_key.as_deref().unwrap()).unwrap();
    let mut conn = app.db.db.get().unwrap();
    let legacy = legacy_v1_ciphertext(&cipher, &tenant.secret);
    diesel::sql_query(format!(
        "UPDATE tenants SET shared_secret_enc = '{legacy}' WHERE client_key = '{client_key}'"
    ))
    .execute(&mut conn)
    .unwrap();

    // A restart over the same database upgrades the row before anything reads it.
    build_state(app.config.clone(), false).unwrap();
    let v2 = diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM tenants WHERE client_key = '{client_key}' \
         AND shared_secret_enc LIKE 'v2:%'"
    ))
    .get_result::<Count>(&mut conn)
    .unwrap();
    assert_eq!(v2.n, 1);
    let row = orgwarden_store::tenants::find(&mut conn, &TenantId::from(client_key))
        .unwrap()
        .unwrap();
    assert_eq!(row.shared_secret(&cipher).unwrap(), tenant.secret);
}
