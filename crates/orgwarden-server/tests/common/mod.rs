//! `TestApp`: the real server on a free port, over a fresh database, beside a fake Atlassian
//! (install-keys server and the installation site's permission check, verifying our JWTs).
#![allow(dead_code)]

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use orgwarden_connect::{
    query_string_hash, sign_hs256, sign_rs256, verify_hs256, Audience, Claims, QshPolicy,
};
use orgwarden_server::{build_state, http_server, Config};
use orgwarden_store::testing::{fresh_database, TestDatabase};
use orgwarden_store::{Backend, Cipher};
use serde_json::{json, Value};

pub const APP_KEY: &str = "io.orgwarden.app";
pub const KID: &str = "test-kid";
pub const INSTALL_KEY: &str = include_str!("../fixtures/install-key.pem");
pub const INSTALL_PUBLIC_KEY: &str = include_str!("../fixtures/install-key.pub.pem");
pub const FOREIGN_KEY: &str = include_str!("../fixtures/foreign-key.pem");
pub const ADMIN: &str = "557058:admin";
pub const USER: &str = "557058:user";

/// Shared secrets the fake Jira knows, by clientKey.
pub type Secrets = Arc<Mutex<Vec<(String, String)>>>;

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The fake Atlassian side: serves install keys and the Jira permission check.
pub struct FakeAtlassian {
    pub url: String,
    /// Secrets Jira knows per clientKey (set when the test installs).
    pub secrets: Secrets,
}

impl FakeAtlassian {
    pub fn start() -> Self {
        let secrets: Secrets = Arc::default();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let data = web::Data::new(secrets.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route("/install-keys/{kid}", web::get().to(install_key))
                .route(
                    "/jira/{site}/rest/api/3/permissions/check",
                    web::post().to(permission_check),
                )
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        actix_web::rt::spawn(server);
        Self { url, secrets }
    }

    pub fn site_url(&self, site: &str) -> String {
        format!("{}/jira/{site}", self.url)
    }
}

async fn install_key(kid: web::Path<String>) -> HttpResponse {
    if kid.as_str() == KID {
        HttpResponse::Ok()
            .content_type("application/x-pem-file")
            .body(INSTALL_PUBLIC_KEY)
    } else {
        HttpResponse::NotFound().finish()
    }
}

/// Verifies the app's JWT exactly as Jira would, then answers ADMINISTER for `ADMIN` only.
async fn permission_check(
    secrets: web::Data<Secrets>,
    req: HttpRequest,
    site: web::Path<String>,
    body: web::Json<Value>,
) -> HttpResponse {
    let Some(token) = req
        .headers()
        .get("Authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("JWT "))
    else {
        return HttpResponse::Unauthorized().finish();
    };
    let base_path = format!("/jira/{site}");
    let qsh = query_string_hash(
        "POST",
        req.uri().path(),
        req.uri().query().unwrap_or(""),
        &base_path,
    )
    .unwrap();
    let known = secrets.lock().unwrap().clone();
    let verified = known.iter().any(|(client_key, secret)| {
        verify_hs256(token, secret, &qsh, QshPolicy::Request, now())
            .map(|c| c.iss == APP_KEY && c.aud.is_some_and(|a| a.contains(client_key)))
            .unwrap_or(false)
    });
    if !verified {
        return HttpResponse::Unauthorized().finish();
    }
    let is_admin = body["accountId"] == ADMIN;
    HttpResponse::Ok().json(json!({
        "globalPermissions": if is_admin { vec!["ADMINISTER"] } else { vec![] },
        "projectPermissions": []
    }))
}

pub struct TestApp {
    pub url: String,
    pub http: reqwest::Client,
    pub atlassian: FakeAtlassian,
    pub db: TestDatabase,
    pub config: Config,
}

pub fn config(base_url: &str, database_url: &str, install_keys_url: &str) -> Config {
    Config {
        bind: "127.0.0.1:0".parse().unwrap(),
        metrics_bind: None,
        base_url: base_url.to_owned(),
        database_url: database_url.to_owned(),
        master_key: Some(Cipher::generate_master_key()),
        master_key_file: None,
        app_key: APP_KEY.to_owned(),
        install_keys_url: install_keys_url.to_owned(),
        admin_api_url: "http://127.0.0.1:9".to_owned(),
        admin_api_rate: 50.0,
        full_sync_every_days: orgwarden_jobs::FULL_SYNC_EVERY_DAYS,
        license_edition: orgwarden_license::Edition::Standard,
        uninstall_retention_days: 30,
        retention_days: None,
        frontend_dir: "/nonexistent".to_owned(),
        log: "warn".to_owned(),
        log_format: "text".to_owned(),
        http_workers: 1,
        workers: true,
        tasks_tick_secs: 5,
        roles_cache_secs: 60,
        webhooks_allow_private: true,
        clock: orgwarden_jobs::Clock::default(),
        demo_host_origin: None,
    }
}

impl TestApp {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, |_| {}).await
    }

    pub async fn start_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> Self {
        let atlassian = FakeAtlassian::start();
        let db = fresh_database(backend);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut config = config(&url, &db.url, &format!("{}/install-keys", atlassian.url));
        tweak(&mut config);
        let state = build_state(config.clone(), config.workers).unwrap();
        actix_web::rt::spawn(http_server(state, listener).unwrap());
        Self {
            url,
            http: reqwest::Client::new(),
            atlassian,
            db,
            config,
        }
    }

    /// A payload for `event` of tenant `client_key`.
    pub fn payload(&self, client_key: &str, secret: &str, event: &str) -> Value {
        json!({
            "key": APP_KEY,
            "clientKey": client_key,
            "sharedSecret": secret,
            "baseUrl": self.atlassian.site_url(client_key),
            "productType": "jira",
            "description": "Atlassian Jira",
            "pluginsVersion": "1001.0.0",
            "eventType": event,
        })
    }

    /// RS256 claims as Atlassian signs them for `path` of this app.
    pub fn install_claims(&self, client_key: &str, path: &str) -> Claims {
        Claims {
            iss: client_key.to_owned(),
            sub: Some(ADMIN.to_owned()),
            aud: Some(Audience::One(self.url.clone())),
            qsh: Some(query_string_hash("POST", path, "", "").unwrap()),
            iat: now(),
            exp: now() + 900,
            context: Some(json!({})),
        }
    }

    pub fn rs256(&self, claims: &Claims) -> String {
        sign_rs256(claims, KID, INSTALL_KEY).unwrap()
    }

    pub async fn post_lifecycle(
        &self,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> reqwest::Response {
        let mut request = self.http.post(format!("{}{path}", self.url)).json(body);
        if let Some(token) = token {
            request = request.header("Authorization", format!("JWT {token}"));
        }
        request.send().await.unwrap()
    }

    /// Installs `client_key` with `secret` through the signed lifecycle and tells the fake Jira.
    pub async fn install(&self, client_key: &str, secret: &str) {
        let token = self.rs256(&self.install_claims(client_key, "/lifecycle/installed"));
        let response = self
            .post_lifecycle(
                "/lifecycle/installed",
                Some(&token),
                &self.payload(client_key, secret, "installed"),
            )
            .await;
        assert_eq!(
            response.status(),
            204,
            "install: {}",
            response.text().await.unwrap()
        );
        self.atlassian
            .secrets
            .lock()
            .unwrap()
            .push((client_key.to_owned(), secret.to_owned()));
    }

    pub async fn uninstall(&self, client_key: &str) -> reqwest::Response {
        let token = self.rs256(&self.install_claims(client_key, "/lifecycle/uninstalled"));
        self.post_lifecycle(
            "/lifecycle/uninstalled",
            Some(&token),
            &self.payload(client_key, "", "uninstalled"),
        )
        .await
    }

    /// An HS256 product → app token.
    pub fn hs256(&self, client_key: &str, secret: &str, sub: Option<&str>, qsh: &str) -> String {
        let claims = Claims {
            iss: client_key.to_owned(),
            sub: sub.map(str::to_owned),
            aud: None,
            qsh: Some(qsh.to_owned()),
            iat: now(),
            exp: now() + 180,
            context: Some(json!({})),
        };
        sign_hs256(&claims, secret).unwrap()
    }

    pub fn context_token(&self, client_key: &str, secret: &str, sub: &str) -> String {
        self.hs256(client_key, secret, Some(sub), "context-qsh")
    }

    /// The page-load URL of `path?query` with a correct page token appended.
    pub fn page_url(&self, client_key: &str, secret: &str, path: &str, query: &str) -> String {
        let qsh = query_string_hash("GET", path, query, "").unwrap();
        let token = self.hs256(client_key, secret, Some(ADMIN), &qsh);
        format!("{}{path}?{query}&jwt={token}", self.url)
    }

    pub async fn api_get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.http.get(format!("{}{path}", self.url));
        if let Some(token) = token {
            request = request.header("Authorization", format!("JWT {token}"));
        }
        request.send().await.unwrap()
    }
}

/// Asserts a response is the error envelope with this status and returns its code.
pub async fn envelope(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status().as_u16(), status);
    let body: Value = response.json().await.expect("error body is JSON");
    let code = body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_owned();
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    code
}

pub fn foreign_rs256(claims: &Claims) -> String {
    sign_rs256(claims, KID, FOREIGN_KEY).unwrap()
}
