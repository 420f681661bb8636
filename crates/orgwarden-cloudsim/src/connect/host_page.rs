//! The Jira-like host page `/jira/{site}/plugins/servlet/ac/{appKey}/{moduleKey}?as=ACCOUNT`,
//! `/connect/all.js`, and `POST /__sim/context-token`.
//!
//! The iframe URL is the module's URL under the app's baseUrl, its own query kept, the host
//! page's `ac.` parameters passed on (as Jira does for deep links), plus `lic`, `xdm_e`,
//! `xdm_c`, `cp`, `cv` and a page-load `jwt` (HS256, `qsh` over exactly that request, `sub` =
//! the viewing account, 180 s).

use actix_web::{web, HttpRequest, HttpResponse};
use orgwarden_connect::{query_string_hash, sign_hs256, Claims, CONTEXT_QSH};
use serde::Deserialize;
use serde_json::{json, Value};

use super::host::{base_path, now, CONNECT_VERSION};
use crate::answer::base_url;
use crate::state::{Installation, Sim};

const HOST_HTML: &str = include_str!("../../assets/host.html");
const HOST_JS: &str = include_str!("../../assets/host.js");
const ALL_JS: &str = include_str!("../../assets/all.js");

/// Registers the host page routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/jira/{site}/plugins/servlet/ac/{appKey}/{moduleKey}",
        web::get().to(host_page),
    )
    .route("/connect/all.js", web::get().to(all_js))
    .route("/connect/host.js", web::get().to(host_js))
    .route("/__sim/context-token", web::post().to(context_token));
}

async fn all_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/javascript; charset=utf-8")
        .body(ALL_JS)
}

async fn host_js() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/javascript; charset=utf-8")
        .body(HOST_JS)
}

fn html_page(status: actix_web::http::StatusCode, title: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(format!(
            "<!doctype html><title>{0}</title><h1>{0}</h1><p>{1}</p>",
            escape(title),
            escape(message)
        ))
}

/// Minimal HTML escaping for text and attribute values.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Finds a module's `url` by key among the descriptor's modules (arrays or single objects).
fn module_url(descriptor: &Value, module_key: &str) -> Option<String> {
    let modules = descriptor["modules"].as_object()?;
    modules.values().find_map(|m| {
        let candidates: Vec<&Value> = match m {
            Value::Array(a) => a.iter().collect(),
            obj @ Value::Object(_) => vec![obj],
            _ => vec![],
        };
        candidates
            .into_iter()
            .find(|c| c["key"] == module_key)
            .and_then(|c| c["url"].as_str())
            .map(str::to_string)
    })
}

/// Drops `{context.variables}` the simulator cannot resolve (Jira makes them empty).
fn strip_templates(url: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in url.chars() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Builds the iframe URL with its page-load token; `passed` are the host page's `ac.` parameters.
fn iframe_url(
    inst: &Installation,
    module: &str,
    module_key: &str,
    account: &str,
    host_base: &str,
    passed: &[(String, String)],
) -> Result<String, String> {
    let module = strip_templates(module);
    let (path, own_query) = module.split_once('?').unwrap_or((&module, ""));
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(own_query.as_bytes()) {
        query.append_pair(&k, &v);
    }
    for (k, v) in passed {
        query.append_pair(k, v);
    }
    let lic = if inst.license.as_ref().is_some_and(|l| l.active) {
        "active"
    } else {
        "none"
    };
    query
        .append_pair("lic", lic)
        .append_pair("xdm_e", host_base)
        .append_pair("xdm_c", &format!("channel-{}__{module_key}", inst.app_key))
        .append_pair("cp", "")
        .append_pair("cv", CONNECT_VERSION);
    let query = query.finish();
    let full = format!("{}{}", inst.app_base_url.trim_end_matches('/'), path);
    let parsed = url::Url::parse(&full).map_err(|e| format!("bad module URL {full}: {e}"))?;
    let qsh = query_string_hash("GET", parsed.path(), &query, &base_path(&inst.app_base_url))
        .map_err(|e| e.to_string())?;
    let t = now();
    let claims = Claims {
        iss: inst.client_key.clone(),
        sub: Some(account.to_string()),
        aud: None,
        qsh: Some(qsh),
        iat: t,
        exp: t + 180,
        context: Some(json!({})),
    };
    let jwt = sign_hs256(&claims, &inst.shared_secret).map_err(|e| e.to_string())?;
    Ok(format!("{full}?{query}&jwt={jwt}"))
}

async fn host_page(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    use actix_web::http::StatusCode;
    let (site, app_key, module_key) = path.into_inner();
    let Some(inst) = sim.installation(&site, &app_key).filter(|i| i.installed) else {
        return html_page(
            StatusCode::NOT_FOUND,
            "App not installed",
            &format!("{app_key} is not installed on {site}."),
        );
    };
    let Some(module) = module_url(&inst.descriptor, &module_key) else {
        return html_page(
            StatusCode::NOT_FOUND,
            "Module not found",
            &format!("{app_key} has no module {module_key}."),
        );
    };
    let host_query: Vec<(String, String)> = form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect();
    let requested = host_query
        .iter()
        .find(|(k, _)| k == "as")
        .map(|(_, v)| v.clone());
    let passed: Vec<(String, String)> = host_query
        .into_iter()
        .filter(|(k, _)| k.starts_with("ac."))
        .collect();
    let (account, user_name, users) = {
        let org = sim.org.read();
        let account = requested.or_else(|| {
            org.users_by_id_after(None, false)
                .find(|u| u.org_admin && u.status() == "active")
                .map(|u| u.account_id.clone())
        });
        let Some(account) = account.filter(|a| org.user(a).is_some()) else {
            return html_page(
                StatusCode::NOT_FOUND,
                "Unknown user",
                "No such account in the organization.",
            );
        };
        let name = org
            .user(&account)
            .map(|u| u.name.clone())
            .unwrap_or_default();
        let admins: Vec<Value> = org
            .users_by_id_after(None, false)
            .filter(|u| u.org_admin || u.account_id == account)
            .take(20)
            .map(|u| json!({"accountId": u.account_id, "name": u.name}))
            .collect();
        (account, name, admins)
    };
    let host_base = format!("{}/jira/{site}", base_url(&req));
    let src = match iframe_url(&inst, &module, &module_key, &account, &host_base, &passed) {
        Ok(s) => s,
        Err(e) => return html_page(StatusCode::BAD_GATEWAY, "Bad module", &e),
    };
    let context = json!({
        "site": site, "appKey": app_key, "moduleKey": module_key, "accountId": account,
        "userName": user_name, "users": users, "hostBase": host_base,
    });
    let context = context.to_string().replace('<', "\\u003c");
    let page = HOST_HTML
        .replace("{{title}}", &escape(&format!("{module_key} - {site}")))
        .replace("{{site}}", &escape(&site))
        .replace("{{user}}", &escape(&user_name))
        .replace("{{src}}", &escape(&src))
        .replace("{{context}}", &context);
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContextTokenBody {
    account_id: Option<String>,
    app_key: Option<String>,
    site: Option<String>,
}

/// `POST /__sim/context-token` `{accountId, appKey?, site?}` → `{token}`: what
/// `AP.context.getToken()` returns (HS256, `qsh` = `context-qsh`, `sub` = account, 300 s).
async fn context_token(sim: web::Data<Sim>, bytes: web::Bytes) -> HttpResponse {
    let body: ContextTokenBody = match crate::control::body(&bytes) {
        Ok(b) => b,
        Err(e) => return e.into(),
    };
    let Some(account) = body.account_id else {
        return HttpResponse::BadRequest()
            .json(json!({"error": {"code": "bad_request", "message": "accountId is required"}}));
    };
    let inst = sim
        .installations
        .read()
        .iter()
        .filter(|i| i.installed)
        .find(|i| {
            body.site
                .as_ref()
                .is_none_or(|s| i.site_name.eq_ignore_ascii_case(s))
                && body.app_key.as_ref().is_none_or(|k| &i.app_key == k)
        })
        .cloned();
    let Some(inst) = inst else {
        return HttpResponse::NotFound().json(
            json!({"error": {"code": "not_installed", "message": "no installed app matches"}}),
        );
    };
    let t = now();
    let claims = Claims {
        iss: inst.client_key.clone(),
        sub: Some(account),
        aud: None,
        qsh: Some(CONTEXT_QSH.to_string()),
        iat: t,
        exp: t + 300,
        context: Some(json!({})),
    };
    match sign_hs256(&claims, &inst.shared_secret) {
        Ok(token) => HttpResponse::Ok().json(json!({"token": token})),
        Err(e) => HttpResponse::InternalServerError()
            .json(json!({"error": {"code": "signing_failed", "message": e.to_string()}})),
    }
}
