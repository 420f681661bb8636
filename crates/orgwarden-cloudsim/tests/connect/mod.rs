//! The Connect side against a fake app: signed install and lifecycle, Jira REST as the app
//! calls it (JWT, QSH, license, permissions), the host page with its context tokens and all.js.

mod host_page;
mod install;
mod install_key;
mod jira_rest;

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use crate::common::Sim;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use orgwarden_connect::{
    query_string_hash, sign_outgoing, verify_hs256, verify_install, HttpInstallKeys, QshPolicy,
};
use reqwest::Method;
use serde_json::{json, Value};

const APP_KEY: &str = "io.test.app";

#[derive(Clone, Debug)]
struct Call {
    path: String,
    auth: String,
    body: Value,
}

struct FakeApp {
    base: String,
    calls: Arc<Mutex<Vec<Call>>>,
}

async fn descriptor(base: web::Data<String>) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "key": APP_KEY, "name": "Test app", "baseUrl": base.as_str(),
        "authentication": {"type": "jwt"}, "enableLicensing": true, "scopes": ["READ", "ADMIN"],
        "lifecycle": {"installed": "/lifecycle/installed", "uninstalled": "/lifecycle/uninstalled",
                      "enabled": "/lifecycle/enabled", "disabled": "/lifecycle/disabled"},
        "modules": {
            "adminPages": [{"key": "admin-page", "name": {"value": "Admin"}, "url": "/admin?view=settings"}],
            "generalPages": [{"key": "general", "name": {"value": "App"}, "url": "/page/{project.key}"}]
        }
    }))
}

async fn lifecycle(
    req: HttpRequest,
    body: web::Bytes,
    calls: web::Data<Arc<Mutex<Vec<Call>>>>,
) -> HttpResponse {
    let auth = req
        .headers()
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    calls.lock().unwrap().push(Call {
        path: req.path().to_string(),
        auth,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    });
    HttpResponse::NoContent().finish()
}

fn start_app() -> FakeApp {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/app", listener.local_addr().unwrap());
    let calls: Arc<Mutex<Vec<Call>>> = Arc::default();
    let (b, c) = (base.clone(), calls.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(b.clone()))
            .app_data(web::Data::new(c.clone()))
            .route("/app/atlassian-connect.json", web::get().to(descriptor))
            .route("/app/lifecycle/{event}", web::post().to(lifecycle))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    FakeApp { base, calls }
}

fn token_of(call: &Call) -> &str {
    call.auth.strip_prefix("JWT ").expect("JWT authorization")
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

struct Installed {
    sim: Sim,
    app: FakeApp,
    site: String,
    client_key: String,
    secret: String,
    jira_base: String,
}

/// Installs a fake app through cloudsim's signed lifecycle; returns it with cloudsim's answer.
async fn install_app(sim: &Sim) -> (FakeApp, Value) {
    let app = start_app();
    let (status, body) = sim
        .sim(
            Method::POST,
            "/__sim/install",
            Some(json!({"descriptorUrl": format!("{}/atlassian-connect.json", app.base)})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    (app, body)
}

async fn install() -> Installed {
    let sim = Sim::start().await;
    let (app, body) = install_app(&sim).await;
    Installed {
        site: body["site"].as_str().unwrap().to_string(),
        client_key: body["clientKey"].as_str().unwrap().to_string(),
        secret: body["sharedSecret"].as_str().unwrap().to_string(),
        jira_base: body["baseUrl"].as_str().unwrap().to_string(),
        sim,
        app,
    }
}

impl Installed {
    async fn jira(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        token: Option<String>,
    ) -> (u16, Value) {
        let token = token.unwrap_or_else(|| {
            sign_outgoing(
                APP_KEY,
                &self.client_key,
                &self.secret,
                method,
                path,
                &self.jira_base,
                now(),
            )
            .unwrap()
        });
        let url = format!("{}{path}", self.jira_base);
        let mut req = self
            .sim
            .http
            .request(method.parse().unwrap(), url)
            .header("Authorization", format!("JWT {token}"));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}
