//! The lifecycle driver: `POST /__sim/install` and `/__sim/uninstall` `{descriptorUrl, site}`
//! fetch the descriptor and call the app's lifecycle routes as Atlassian does (`app`), `disable`
//! and `enable` as Manage apps does. Each install gets a fresh secret. Also the installations'
//! control routes (`installations`).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::answer::{base_url, Fail};
use crate::model::Site;
use crate::state::{Installation, License, Sim};

mod app;
mod installations;

use app::{callback, fetch_descriptor};

/// Registers the driver's control routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/__sim/install", web::post().to(install))
        .route("/__sim/uninstall", web::post().to(uninstall))
        .route(
            "/__sim/disable",
            web::post().to(|sim, req, bytes| switch(sim, req, bytes, "disabled")),
        )
        .route(
            "/__sim/enable",
            web::post().to(|sim, req, bytes| switch(sim, req, bytes, "enabled")),
        )
        .route("/__sim/installations", web::get().to(installations::list))
        .route("/__sim/license", web::post().to(installations::set_license));
}

/// The control surface's error envelope `{"error": {code, message, details}}`.
fn error(status: u16, code: &str, message: impl Into<String>, details: Value) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::BAD_GATEWAY);
    HttpResponse::build(status)
        .json(json!({"error": {"code": code, "message": message.into(), "details": details}}))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DriverBody {
    descriptor_url: Option<String>,
    site: Option<String>,
    app_key: Option<String>,
}

/// The site named `name` (`None`: the first), or the 404 naming the sites there are.
fn site_named(sim: &Sim, name: Option<&str>) -> Result<Site, Fail> {
    let org = sim.org.read();
    let site = match name {
        Some(name) => org.site_by_name(name),
        None => org.sites.first(),
    };
    site.cloned().ok_or_else(|| {
        let sites: Vec<&str> = org.sites.iter().map(|s| s.name.as_str()).collect();
        error(
            404,
            "unknown_site",
            format!("no site {name:?}; the sites are {}", sites.join(", ")),
            json!({"site": name, "sites": sites}),
        )
        .into()
    })
}

/// `POST /__sim/install` `{descriptorUrl, site?}`: installs (or reinstalls, with a fresh secret)
/// the app on the site, sends `installed` then `enabled`, and answers the installation.
async fn install(sim: web::Data<Sim>, req: HttpRequest, bytes: web::Bytes) -> HttpResponse {
    let body: DriverBody = match crate::control::body(&bytes) {
        Ok(b) => b,
        Err(e) => return e.into(),
    };
    let Some(url) = body.descriptor_url else {
        return error(400, "bad_request", "descriptorUrl is required", json!({}));
    };
    let descriptor = match fetch_descriptor(&sim, &url).await {
        Ok(d) => d,
        Err(e) => return e.into(),
    };
    let site = match site_named(&sim, body.site.as_deref()) {
        Ok(site) => site,
        Err(e) => return e.into(),
    };
    let app_key = descriptor["key"].as_str().unwrap_or_default().to_string();
    let previous = sim.installation(&site.name, &app_key);
    let licensing = descriptor["enableLicensing"].as_bool().unwrap_or(false);
    let inst = Installation {
        app_key: app_key.clone(),
        site_id: site.site_id.clone(),
        site_name: site.name.clone(),
        client_key: site.client_key.clone(),
        shared_secret: crate::ids::hex_token(&mut rand::thread_rng(), 32),
        app_base_url: descriptor["baseUrl"]
            .as_str()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_string(),
        license: match &previous {
            Some(p) => p.license.clone(),
            None => licensing.then(License::default),
        },
        descriptor,
        installed: true,
        installed_at: chrono::Utc::now(),
    };
    let jira_base = format!("{}/jira/{}", base_url(&req), site.name);
    let installed = match callback(&sim, &inst, "installed", &jira_base, true).await {
        Ok(s) if (200..300).contains(&s) => s,
        Ok(s) => {
            return error(
                502,
                "install_rejected",
                format!("the app answered {s} to installed"),
                json!({"status": s}),
            )
        }
        Err(e) => return error(502, "install_failed", e, json!({})),
    };
    {
        let mut all = sim.installations.write();
        all.retain(|i| !(i.site_id == inst.site_id && i.app_key == inst.app_key));
        all.push(inst.clone());
    }
    sim.touch();
    let enabled = callback(&sim, &inst, "enabled", &jira_base, false).await;
    HttpResponse::Ok().json(json!({
        "appKey": inst.app_key, "site": inst.site_name, "siteId": inst.site_id,
        "clientKey": inst.client_key, "sharedSecret": inst.shared_secret, "baseUrl": jira_base,
        "appBaseUrl": inst.app_base_url,
        "callbacks": {"installed": installed, "enabled": enabled.unwrap_or(0)},
    }))
}

/// The installation a driver call names, with its Jira base URL.
async fn named_installation(
    sim: &Sim,
    req: &HttpRequest,
    bytes: &[u8],
) -> Result<(Installation, String, String), HttpResponse> {
    let body: DriverBody = crate::control::body(bytes).map_err(HttpResponse::from)?;
    let app_key = match (&body.app_key, &body.descriptor_url) {
        (Some(k), _) => k.clone(),
        (None, Some(url)) => fetch_descriptor(sim, url)
            .await
            .map_err(HttpResponse::from)?["key"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        (None, None) => {
            return Err(error(
                400,
                "bad_request",
                "descriptorUrl or appKey is required",
                json!({}),
            ))
        }
    };
    let site = body
        .site
        .clone()
        .or_else(|| sim.org.read().sites.first().map(|s| s.name.clone()))
        .unwrap_or_default();
    let Some(inst) = sim.installation(&site, &app_key).filter(|i| i.installed) else {
        return Err(error(
            404,
            "not_installed",
            "the app is not installed on that site",
            json!({"site": site, "appKey": app_key}),
        ));
    };
    let jira_base = format!("{}/jira/{}", base_url(req), inst.site_name);
    Ok((inst, app_key, jira_base))
}

/// `POST /__sim/disable` and `/__sim/enable` `{descriptorUrl | appKey, site?}`: an admin
/// switches the app off or on in Jira's Manage apps; the HS256 callback is sent.
async fn switch(
    sim: web::Data<Sim>,
    req: HttpRequest,
    bytes: web::Bytes,
    event: &'static str,
) -> HttpResponse {
    let (inst, app_key, jira_base) = match named_installation(&sim, &req, &bytes).await {
        Ok(found) => found,
        Err(e) => return e,
    };
    let status = callback(&sim, &inst, event, &jira_base, false).await;
    HttpResponse::Ok().json(json!({
        "appKey": app_key, "site": inst.site_name, "callbacks": {event: status.unwrap_or(0)},
    }))
}

/// `POST /__sim/uninstall` `{descriptorUrl | appKey, site?}`: sends `disabled` then
/// `uninstalled`; the installation stays listed, uninstalled.
async fn uninstall(sim: web::Data<Sim>, req: HttpRequest, bytes: web::Bytes) -> HttpResponse {
    let (inst, app_key, jira_base) = match named_installation(&sim, &req, &bytes).await {
        Ok(found) => found,
        Err(e) => return e,
    };
    let disabled = callback(&sim, &inst, "disabled", &jira_base, false).await;
    let uninstalled = callback(&sim, &inst, "uninstalled", &jira_base, true).await;
    for i in sim.installations.write().iter_mut() {
        if i.site_id == inst.site_id && i.app_key == inst.app_key {
            i.installed = false;
        }
    }
    sim.touch();
    HttpResponse::Ok().json(json!({
        "appKey": app_key, "site": inst.site_name,
        "callbacks": {"disabled": disabled.unwrap_or(0), "uninstalled": uninstalled.unwrap_or(0)},
    }))
}
