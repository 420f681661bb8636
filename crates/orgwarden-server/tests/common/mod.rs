//! `TestApp`: the real server on a free port, over a fresh database, beside cloudsim (install
//! keys, the installation sites' Jira with its permission check, the Admin API). Tenants are
//! installed through cloudsim's signed lifecycle and their shared secrets learned from it;
//! cloudsim signs installs with the fixture key `INSTALL_KEY` (kid `KID`), so tests forge and
//! tamper installs with it (or with `FOREIGN_KEY`).
#![allow(dead_code)]

use std::net::TcpListener;

use orgwarden_cloudsim::{spawn, InstallKey, RunningSim, SimConfig};
use orgwarden_connect::{query_string_hash, sign_hs256, sign_rs256, Audience, Claims};
use orgwarden_server::{build_state, http_server, Config};
use orgwarden_store::testing::{fresh_database, TestDatabase};
use orgwarden_store::{Backend, Cipher};
use serde_json::{json, Value};

pub const APP_KEY: &str = "io.orgwarden.app";
pub const KID: &str = "test-kid";
pub const INSTALL_KEY: &str = include_str!("../fixtures/install-key.pem");
pub const FOREIGN_KEY: &str = include_str!("../fixtures/foreign-key.pem");
/// A site admin of every site in cloudsim: ADMINISTER in each site's Jira.
pub const ADMIN: &str = "557058:admin";
/// An active member of the organization with no admin role.
pub const USER: &str = "557058:user";
/// The sites of [`sim_config`]'s organization; each is a tenant of its own.
pub const SITES: [&str; 3] = ["acme", "acme-eng", "acme-support"];

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A small organization of three sites whose installs are signed with the fixture key.
pub fn sim_config() -> SimConfig {
    SimConfig {
        users: 10,
        sites: SITES.len(),
        groups: 2,
        workers: 1,
        install_key: Some(InstallKey {
            kid: Some(KID.to_owned()),
            private_pem: INSTALL_KEY.to_owned(),
        }),
        ..SimConfig::default()
    }
}

/// An installation as Jira reported it to the app.
#[derive(Clone, Debug)]
pub struct Tenant {
    pub client_key: String,
    pub secret: String,
    /// The site's Jira, `{sim}/jira/{site}`.
    pub base_url: String,
}

pub struct TestApp {
    pub url: String,
    pub http: reqwest::Client,
    /// The cloudsim the app talks to.
    pub sim_url: String,
    /// The simulator started for this app (`None` when the test brought its own).
    pub sim: Option<RunningSim>,
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
        daily_sync_tick_secs: 300,
        roles_cache_secs: 60,
        webhooks_allow_private: true,
        clock: orgwarden_jobs::Clock::default(),
        demo_host_origin: None,
    }
}

/// The tests' HTTP client: a pooled connection idle for 2 s is dropped, before the servers
/// (actix's 5 s keep-alive) close it; reusing one they closed fails the request
/// (`IncompleteMessage`) after a long step of a test.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap()
}

impl TestApp {
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, |_| {}).await
    }

    /// The app beside a cloudsim of its own ([`sim_config`]) where `ADMIN` administers every
    /// site's Jira and `USER` is a plain member.
    pub async fn start_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> Self {
        let sim = spawn(sim_config()).await.unwrap();
        let http = http_client();
        let org: Value = sim_call(&http, &sim.url, "/__sim/org", None).await;
        let site_admins: Vec<&Value> = org["groups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["name"].as_str().unwrap().starts_with("site-admins-"))
            .map(|g| &g["id"])
            .collect();
        assert_eq!(site_admins.len(), SITES.len());
        let admin = json!({"accountId": ADMIN, "name": "Ada Admin", "groupIds": site_admins});
        sim_call(&http, &sim.url, "/__sim/users", Some(admin)).await;
        let user = json!({"accountId": USER, "name": "Uma User"});
        sim_call(&http, &sim.url, "/__sim/users", Some(user)).await;
        let mut app = Self::start_on(backend, &sim.url, tweak).await;
        app.sim = Some(sim);
        app
    }

    /// The app beside the cloudsim at `sim_url` (its install keys and Admin API).
    pub async fn start_on(
        backend: Backend,
        sim_url: &str,
        tweak: impl FnOnce(&mut Config),
    ) -> Self {
        let db = fresh_database(backend);
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut config = config(&url, &db.url, &format!("{sim_url}/install-keys"));
        config.admin_api_url = sim_url.to_owned();
        tweak(&mut config);
        let state = build_state(config.clone(), config.workers).unwrap();
        actix_web::rt::spawn(http_server(state, listener).unwrap());
        Self {
            url,
            http: http_client(),
            sim_url: sim_url.to_owned(),
            sim: None,
            db,
            config,
        }
    }

    /// Installs (or reinstalls) the app on `site` through cloudsim's signed lifecycle
    /// (`installed`, then `enabled`); the tenant with the fresh shared secret Jira sent.
    pub async fn install(&self, site: &str) -> Tenant {
        let descriptor = format!("{}/atlassian-connect.json", self.url);
        let body = json!({"descriptorUrl": descriptor, "site": site});
        let answer = sim_call(&self.http, &self.sim_url, "/__sim/install", Some(body)).await;
        assert_eq!(answer["callbacks"]["installed"], 204, "{answer}");
        Tenant {
            client_key: answer["clientKey"].as_str().unwrap().to_owned(),
            secret: answer["sharedSecret"].as_str().unwrap().to_owned(),
            base_url: answer["baseUrl"].as_str().unwrap().to_owned(),
        }
    }

    /// Uninstalls the app from `site` through cloudsim (`disabled`, then `uninstalled`);
    /// returns the app's answer to `uninstalled`.
    pub async fn uninstall(&self, site: &str) -> u16 {
        let body = json!({"appKey": APP_KEY, "site": site});
        let answer = sim_call(&self.http, &self.sim_url, "/__sim/uninstall", Some(body)).await;
        answer["callbacks"]["uninstalled"].as_u64().unwrap() as u16
    }

    /// A tenant no Jira installed: an attacker's claim.
    pub fn stranger(&self, client_key: &str, secret: &str) -> Tenant {
        Tenant {
            client_key: client_key.to_owned(),
            secret: secret.to_owned(),
            base_url: format!("{}/jira/{client_key}", self.sim_url),
        }
    }

    /// A lifecycle payload for `event` of `tenant`, as Jira sends it.
    pub fn payload(&self, tenant: &Tenant, event: &str) -> Value {
        json!({
            "key": APP_KEY,
            "clientKey": tenant.client_key,
            "sharedSecret": tenant.secret,
            "baseUrl": tenant.base_url,
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

    /// Signed with the key cloudsim publishes under `KID`.
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

    /// An `uninstalled` callback signed as Atlassian signs it, sent by the test itself.
    pub async fn signed_uninstall(&self, tenant: &Tenant) -> reqwest::Response {
        let path = "/lifecycle/uninstalled";
        let token = self.rs256(&self.install_claims(&tenant.client_key, path));
        self.post_lifecycle(path, Some(&token), &self.payload(tenant, "uninstalled"))
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

/// cloudsim's JSON answer to a control call (`GET` without a body, else `POST`); panics unless
/// it succeeded.
pub async fn sim_call(
    http: &reqwest::Client,
    sim_url: &str,
    path: &str,
    body: Option<Value>,
) -> Value {
    let url = format!("{sim_url}{path}");
    let request = match &body {
        Some(body) => http.post(url).json(body),
        None => http.get(url),
    };
    let answer = request.send().await.unwrap();
    let status = answer.status();
    let answer: Value = answer.json().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {answer}");
    answer
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
