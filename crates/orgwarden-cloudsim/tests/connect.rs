//! The Connect side: signed install, Jira REST JWT verification, licence, permissions,
//! context tokens, the host page and all.js, uninstall.

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

async fn install() -> Installed {
    let sim = Sim::start().await;
    let app = start_app();
    let (status, body) = sim
        .sim(
            Method::POST,
            "/__sim/install",
            Some(json!({"descriptorUrl": format!("{}/atlassian-connect.json", app.base)})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
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

#[tokio::test]
async fn signed_install_and_enabled() {
    let i = install().await;
    let calls = i.app.calls.lock().unwrap().clone();
    assert_eq!(
        calls.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(),
        ["/app/lifecycle/installed", "/app/lifecycle/enabled"]
    );
    let installed = &calls[0];
    assert_eq!(installed.body["eventType"], "installed");
    assert_eq!(installed.body["key"], APP_KEY);
    assert_eq!(installed.body["clientKey"], i.client_key.as_str());
    assert_eq!(installed.body["sharedSecret"], i.secret.as_str());
    assert_eq!(
        installed.body["baseUrl"],
        format!("{}/jira/{}", i.sim.running.url, i.site)
    );
    assert_eq!(installed.body["productType"], "jira");
    let keys = HttpInstallKeys::new(&i.sim.url("/install-keys"));
    let qsh = query_string_hash("POST", "/app/lifecycle/installed", "", "/app").unwrap();
    let claims = verify_install(
        token_of(installed),
        &keys,
        &i.app.base,
        &i.client_key,
        &qsh,
        now(),
    )
    .await
    .unwrap();
    assert!(claims.exp - claims.iat >= 900);

    let enabled = &calls[1];
    assert_eq!(enabled.body["eventType"], "enabled");
    assert!(enabled.body.get("sharedSecret").is_none());
    let qsh = query_string_hash("POST", "/app/lifecycle/enabled", "", "/app").unwrap();
    let claims = verify_hs256(
        token_of(enabled),
        &i.secret,
        &qsh,
        QshPolicy::Request,
        now(),
    )
    .unwrap();
    assert_eq!(claims.iss, i.client_key);

    let res = i
        .sim
        .http
        .get(i.sim.url("/install-keys/unknown-kid"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // a re-install keeps the clientKey and issues a fresh secret
    let (_, again) = i
        .sim
        .sim(
            Method::POST,
            "/__sim/install",
            Some(json!({"descriptorUrl": format!("{}/atlassian-connect.json", i.app.base)})),
        )
        .await;
    assert_eq!(again["clientKey"], i.client_key.as_str());
    assert_ne!(again["sharedSecret"], i.secret.as_str());
}

#[tokio::test]
async fn jira_rest_verifies_jwt_and_qsh() {
    let i = install().await;
    let (status, roles) = i
        .jira("GET", "/rest/api/3/applicationrole", None, None)
        .await;
    assert_eq!(status, 200, "{roles}");
    let sw = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "jira-software")
        .unwrap();
    assert!(sw["userCount"].as_u64().unwrap() > 0);
    assert!(sw["numberOfSeats"].as_u64().unwrap() >= sw["userCount"].as_u64().unwrap());
    assert!(!sw["defaultGroups"].as_array().unwrap().is_empty());
    assert!(roles
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["key"] == "jira-core" && r["platform"] == true));

    let (status, one_role) = i
        .jira(
            "GET",
            "/rest/api/3/applicationrole/jira-software",
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(one_role["userCount"], sw["userCount"]);
    let (status, _) = i
        .jira("GET", "/rest/api/3/applicationrole/nope", None, None)
        .await;
    assert_eq!(status, 404);
    let (status, count) = i
        .jira(
            "GET",
            "/rest/api/3/license/approximateLicenseCount",
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(count["key"], "license.totalApproximateUserCount");
    assert!(count["value"].as_str().unwrap().parse::<u64>().unwrap() > 0);
    let (status, one) = i
        .jira(
            "GET",
            "/rest/api/3/license/approximateLicenseCount/product/jira-software",
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(one["value"], sw["userCount"].to_string());

    // bad tokens
    let path = "/rest/api/3/applicationrole";
    let other_path = sign_outgoing(
        APP_KEY,
        &i.client_key,
        &i.secret,
        "GET",
        "/rest/api/3/license/approximateLicenseCount",
        &i.jira_base,
        now(),
    )
    .unwrap();
    let wrong_secret = sign_outgoing(
        APP_KEY,
        &i.client_key,
        "not-the-secret",
        "GET",
        path,
        &i.jira_base,
        now(),
    )
    .unwrap();
    let unknown_app = sign_outgoing(
        "other.app",
        &i.client_key,
        &i.secret,
        "GET",
        path,
        &i.jira_base,
        now(),
    )
    .unwrap();
    let expired = sign_outgoing(
        APP_KEY,
        &i.client_key,
        &i.secret,
        "GET",
        path,
        &i.jira_base,
        now() - 3600,
    )
    .unwrap();
    for (name, token) in [
        ("qsh", other_path),
        ("secret", wrong_secret),
        ("issuer", unknown_app),
        ("expired", expired),
        ("garbage", "a.b.c".to_string()),
    ] {
        let (status, body) = i.jira("GET", path, None, Some(token)).await;
        assert_eq!(status, 401, "{name}: {body}");
        assert!(body["errorMessages"].is_array());
    }
    let res = i
        .sim
        .http
        .get(format!("{}{path}", i.jira_base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // query parameters are covered by the hash
    let with_query = sign_outgoing(
        APP_KEY,
        &i.client_key,
        &i.secret,
        "GET",
        "/rest/api/3/instance/license?x=1",
        &i.jira_base,
        now(),
    )
    .unwrap();
    let (status, _) = i
        .jira(
            "GET",
            "/rest/api/3/instance/license?x=2",
            None,
            Some(with_query.clone()),
        )
        .await;
    assert_eq!(status, 401);
    let (status, lic) = i
        .jira(
            "GET",
            "/rest/api/3/instance/license?x=1",
            None,
            Some(with_query),
        )
        .await;
    assert_eq!(status, 200);
    assert!(lic["applications"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["id"] == "jira-software"));
}

#[tokio::test]
async fn licence_and_permission_check() {
    let i = install().await;
    let addon = format!("/rest/atlassian-connect/1/addons/{APP_KEY}");
    let (status, body) = i.jira("GET", &addon, None, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["key"], APP_KEY);
    assert_eq!(body["license"]["active"], true);
    assert_eq!(body["license"]["type"], "COMMERCIAL");
    assert_eq!(body["license"]["evaluation"], false);

    let (status, _) = i
        .sim
        .sim(
            Method::POST,
            "/__sim/license",
            Some(json!({"license": {"active": false, "type": "COMMERCIAL", "evaluation": true}})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, body) = i.jira("GET", &addon, None, None).await;
    assert_eq!(body["license"]["active"], false);
    assert_eq!(body["license"]["evaluation"], true);
    i.sim
        .sim(
            Method::POST,
            "/__sim/license",
            Some(json!({"license": null})),
        )
        .await;
    let (_, body) = i.jira("GET", &addon, None, None).await;
    assert!(body.get("license").is_none());

    let state = i.sim.state().await;
    let users = state["users"].as_array().unwrap();
    let admin = users
        .iter()
        .find(|u| {
            u["status"] == "active"
                && u["platformRoles"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("atlassian/org-admin"))
        })
        .unwrap();
    let plain =
        users
            .iter()
            .find(|u| {
                u["status"] == "active"
                    && u["platformRoles"].as_array().unwrap().is_empty()
                    && u["directRoles"].as_array().unwrap().is_empty()
                    && !u["groupIds"].as_array().unwrap().iter().any(|g| {
                        state["groups"].as_array().unwrap().iter().any(|x| {
                            x["id"] == *g && x["name"].as_str().unwrap().contains("admins")
                        })
                    })
            })
            .unwrap();
    let check = "/rest/api/3/permissions/check";
    let (status, body) = i
        .jira(
            "POST",
            check,
            Some(json!({"globalPermissions": ["ADMINISTER"], "accountId": admin["accountId"]})),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["globalPermissions"], json!(["ADMINISTER"]));
    let (_, body) = i
        .jira(
            "POST",
            check,
            Some(json!({"globalPermissions": ["ADMINISTER"], "accountId": plain["accountId"]})),
            None,
        )
        .await;
    assert_eq!(body["globalPermissions"], json!([]));
    // a suspended org admin loses it
    let id = admin["accountId"].as_str().unwrap();
    i.sim
        .post(&i.sim.v2(&format!("/users/{id}/suspend")), Value::Null)
        .await;
    let (_, body) = i
        .jira(
            "POST",
            check,
            Some(json!({"globalPermissions": ["ADMINISTER"], "accountId": id})),
            None,
        )
        .await;
    assert_eq!(body["globalPermissions"], json!([]));
}

#[tokio::test]
async fn context_token_host_page_and_all_js() {
    let i = install().await;
    let admin = i
        .sim
        .find_user(|u| {
            u["status"] == "active"
                && u["platformRoles"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("atlassian/org-admin"))
        })
        .await;
    let account = admin["accountId"].as_str().unwrap();
    let (status, body) = i
        .sim
        .sim(
            Method::POST,
            "/__sim/context-token",
            Some(json!({"accountId": account})),
        )
        .await;
    assert_eq!(status, 200);
    let claims = verify_hs256(
        body["token"].as_str().unwrap(),
        &i.secret,
        "",
        QshPolicy::Context,
        now(),
    )
    .unwrap();
    assert_eq!(claims.sub.as_deref(), Some(account));
    assert_eq!(claims.iss, i.client_key);
    assert_eq!(claims.qsh.as_deref(), Some("context-qsh"));

    let (html, url, params) = admin_page(&i, &format!("as={}", urlencode(account))).await;
    assert_eq!(url.path(), "/app/admin");
    assert_eq!(params["view"], "settings");
    assert_eq!(params["lic"], "active");
    assert_eq!(params["xdm_e"], i.jira_base);
    assert_eq!(params["cp"], "");
    assert!(params.contains_key("xdm_c") && params.contains_key("cv"));
    let qsh = query_string_hash("GET", url.path(), url.query().unwrap(), "/app").unwrap();
    let claims = verify_hs256(&params["jwt"], &i.secret, &qsh, QshPolicy::Request, now()).unwrap();
    assert_eq!(claims.sub.as_deref(), Some(account));
    assert!(claims.exp - claims.iat <= 180);
    assert!(html.contains("/connect/host.js"));

    // a deep link's `ac.` parameters reach the iframe, signed with the rest; others do not
    let query = format!("as={}&ac.view=tasks&ac.task=3&other=x", urlencode(account));
    let (_, url, params) = admin_page(&i, &query).await;
    assert_eq!(
        (params["ac.view"].as_str(), params["ac.task"].as_str()),
        ("tasks", "3")
    );
    assert!(!params.contains_key("other") && !params.contains_key("as"));
    let qsh = query_string_hash("GET", url.path(), url.query().unwrap(), "/app").unwrap();
    verify_hs256(&params["jwt"], &i.secret, &qsh, QshPolicy::Request, now()).unwrap();

    // templates in module URLs resolve to empty strings; the default viewer is an org admin
    let html = host_html(&i, "general", "").await;
    assert!(html.contains("/app/page/?lic="), "{html}");
    let missing = i
        .sim
        .http
        .get(i.sim.url(&format!(
            "/jira/{}/plugins/servlet/ac/{APP_KEY}/nope",
            i.site
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    let js = i
        .sim
        .http
        .get(i.sim.url("/connect/all.js"))
        .send()
        .await
        .unwrap();
    assert!(js.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    let js = js.text().await.unwrap();
    for api in [
        "getToken",
        "resize",
        "sizeToParent",
        "navigator",
        "flag",
        "postMessage",
    ] {
        assert!(js.contains(api), "{api}");
    }
}

/// The HTML of module `module`'s host page with `query`.
async fn host_html(i: &Installed, module: &str, query: &str) -> String {
    let page_url = i.sim.url(&format!(
        "/jira/{}/plugins/servlet/ac/{APP_KEY}/{module}?{query}",
        i.site
    ));
    let page = i.sim.http.get(page_url).send().await.unwrap();
    page.text().await.unwrap()
}

/// The admin page's host page with `query`: its HTML, the app iframe's URL and that URL's query.
async fn admin_page(
    i: &Installed,
    query: &str,
) -> (String, url::Url, std::collections::BTreeMap<String, String>) {
    let html = host_html(i, "admin-page", query).await;
    let src = html
        .split("src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");
    let url = url::Url::parse(&src).unwrap();
    let params = url.query_pairs().into_owned().collect();
    (html, url, params)
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn uninstall_sends_disabled_then_uninstalled() {
    let i = install().await;
    let (status, body) = i
        .sim
        .sim(
            Method::POST,
            "/__sim/uninstall",
            Some(json!({"descriptorUrl": format!("{}/atlassian-connect.json", i.app.base)})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let calls = i.app.calls.lock().unwrap().clone();
    let paths: Vec<&str> = calls.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(
        paths[2..],
        ["/app/lifecycle/disabled", "/app/lifecycle/uninstalled"]
    );
    let keys = HttpInstallKeys::new(&i.sim.url("/install-keys"));
    let qsh = query_string_hash("POST", "/app/lifecycle/uninstalled", "", "/app").unwrap();
    verify_install(
        token_of(&calls[3]),
        &keys,
        &i.app.base,
        &i.client_key,
        &qsh,
        now(),
    )
    .await
    .unwrap();
    assert_eq!(calls[3].body["eventType"], "uninstalled");
    let (status, _) = i
        .jira("GET", "/rest/api/3/applicationrole", None, None)
        .await;
    assert_eq!(status, 401);
    let (status, _) = i
        .sim
        .sim(
            Method::POST,
            "/__sim/context-token",
            Some(json!({"accountId": "x"})),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn install_reports_unreachable_descriptor() {
    let sim = Sim::start().await;
    let (status, body) = sim
        .sim(
            Method::POST,
            "/__sim/install",
            Some(json!({"descriptorUrl": "http://127.0.0.1:9/none.json"})),
        )
        .await;
    assert_eq!(status, 502);
    assert_eq!(body["error"]["code"], "descriptor_unavailable");
    let (status, _) = sim
        .sim(Method::POST, "/__sim/install", Some(json!({})))
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn cli_install_and_uninstall_drive_a_running_sim() {
    let sim = Sim::start().await;
    let app = start_app();
    let descriptor = format!("{}/atlassian-connect.json", app.base);
    let run = |cmd: &'static str, sim_url: String, descriptor: String| {
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_cloudsim"))
                .args([cmd, "--sim", &sim_url, "--app", &descriptor])
                .output()
                .unwrap()
        })
    };
    let out = run("install", sim.running.url.clone(), descriptor.clone())
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["appKey"], APP_KEY);
    let (_, installs) = sim.sim(Method::GET, "/__sim/installations", None).await;
    assert_eq!(installs[0]["installed"], true);
    assert_eq!(installs[0]["appKey"], APP_KEY);
    let out = run("uninstall", sim.running.url.clone(), descriptor)
        .await
        .unwrap();
    assert!(out.status.success());
    let (_, installs) = sim.sim(Method::GET, "/__sim/installations", None).await;
    assert_eq!(installs[0]["installed"], false);
    let paths: Vec<String> = app
        .calls
        .lock()
        .unwrap()
        .iter()
        .map(|c| c.path.clone())
        .collect();
    assert_eq!(paths.len(), 4);
}
