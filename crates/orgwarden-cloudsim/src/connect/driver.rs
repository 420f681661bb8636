//! The lifecycle driver: `POST /__sim/install` and `/__sim/uninstall` `{descriptorUrl, site}`
//! fetch the descriptor and call the app's lifecycle routes as Atlassian does — `installed` and
//! `uninstalled` RS256-signed (kid, aud = app baseUrl, iss = clientKey, exp = now + 900),
//! `enabled` and `disabled` HS256 with the shared secret. Each install gets a fresh secret.

use actix_web::{web, HttpRequest, HttpResponse};
use orgwarden_connect::{query_string_hash, sign_hs256, sign_rs256, Audience, Claims};
use serde::Deserialize;
use serde_json::{json, Value};

use super::host::{base_path, now, CONNECT_VERSION};
use crate::answer::{base_url, Fail};
use crate::state::{Installation, License, Sim};

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
        .route("/__sim/installations", web::get().to(list))
        .route("/__sim/license", web::post().to(set_license));
}

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

async fn fetch_descriptor(sim: &Sim, url: &str) -> Result<Value, Fail> {
    let fail = |m: String| {
        error(
            502,
            "descriptor_unavailable",
            m,
            json!({"descriptorUrl": url}),
        )
    };
    let res = sim
        .http
        .get(url)
        .send()
        .await
        .map_err(|e| fail(format!("could not fetch the descriptor: {e}")))?;
    if !res.status().is_success() {
        return Err(fail(format!("descriptor answered {}", res.status())).into());
    }
    let d: Value = res
        .json()
        .await
        .map_err(|e| fail(format!("descriptor is not JSON: {e}")))?;
    for field in ["key", "baseUrl"] {
        if !d[field].is_string() {
            return Err(error(
                400,
                "invalid_descriptor",
                format!("descriptor lacks {field}"),
                json!({}),
            )
            .into());
        }
    }
    Ok(d)
}

/// POSTs one lifecycle callback; returns the status code.
async fn callback(
    sim: &Sim,
    inst: &Installation,
    event: &str,
    jira_base: &str,
    rs256: bool,
) -> Result<u16, String> {
    let Some(path) = inst.descriptor["lifecycle"][event].as_str() else {
        return Ok(0);
    };
    let url = format!("{}{}", inst.app_base_url.trim_end_matches('/'), path);
    let parsed = url::Url::parse(&url).map_err(|e| format!("bad lifecycle URL {url}: {e}"))?;
    let qsh = query_string_hash(
        "POST",
        parsed.path(),
        parsed.query().unwrap_or(""),
        &base_path(&inst.app_base_url),
    )
    .map_err(|e| e.to_string())?;
    let t = now();
    let claims = Claims {
        iss: inst.client_key.clone(),
        sub: None,
        aud: rs256.then(|| Audience::One(inst.app_base_url.clone())),
        qsh: Some(qsh),
        iat: t,
        exp: t + if rs256 { 900 } else { 180 },
        context: Some(json!({})),
    };
    let token = if rs256 {
        sign_rs256(&claims, &sim.signer.kid, &sim.signer.private_pem)
    } else {
        sign_hs256(&claims, &inst.shared_secret)
    }
    .map_err(|e| e.to_string())?;
    let mut payload = json!({
        "key": inst.app_key, "clientKey": inst.client_key,
        "serverVersion": "100000", "pluginsVersion": CONNECT_VERSION,
        "baseUrl": jira_base, "displayUrl": jira_base, "productType": "jira",
        "description": format!("Atlassian Jira at {jira_base}"),
        "oauthClientId": format!("oauth-{}", inst.client_key), "eventType": event,
    });
    if event == "installed" {
        payload["sharedSecret"] = json!(inst.shared_secret);
    }
    if inst.descriptor["enableLicensing"]
        .as_bool()
        .unwrap_or(false)
    {
        payload["serviceEntitlementNumber"] = json!(format!(
            "SEN-{}",
            &inst.client_key[..8.min(inst.client_key.len())]
        ));
        payload["entitlementId"] = json!(format!("ent-{}", inst.client_key));
        payload["entitlementNumber"] = json!(format!(
            "E-{}",
            &inst.client_key[..8.min(inst.client_key.len())]
        ));
    }
    let res = sim
        .http
        .post(&url)
        .header("Authorization", format!("JWT {token}"))
        .json(&payload)
        .send()
        .await
        .map_err(|e| format!("POST {url} failed: {e}"))?;
    Ok(res.status().as_u16())
}

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
    let site = {
        let org = sim.org.read();
        let site = match &body.site {
            Some(name) => org.site_by_name(name),
            None => org.sites.first(),
        };
        match site {
            Some(s) => s.clone(),
            None => {
                let sites: Vec<&str> = org.sites.iter().map(|s| s.name.as_str()).collect();
                return error(
                    404,
                    "unknown_site",
                    format!(
                        "no site {:?}; the sites are {}",
                        body.site,
                        sites.join(", ")
                    ),
                    json!({"site": body.site, "sites": sites}),
                );
            }
        }
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

async fn list(sim: web::Data<Sim>) -> HttpResponse {
    HttpResponse::Ok().json(sim.installations.read().clone())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LicenseBody {
    site: Option<String>,
    app_key: Option<String>,
    /// `null` makes the app unlicensed (`lic=none`, no `license` field).
    license: Option<License>,
}

/// `POST /__sim/license` `{site?, appKey?, license: {active, type, evaluation} | null}`.
async fn set_license(sim: web::Data<Sim>, bytes: web::Bytes) -> HttpResponse {
    let body: LicenseBody = match crate::control::body(&bytes) {
        Ok(b) => b,
        Err(e) => return e.into(),
    };
    let mut all = sim.installations.write();
    let target = all.iter_mut().find(|i| {
        body.site
            .as_ref()
            .is_none_or(|s| i.site_name.eq_ignore_ascii_case(s))
            && body.app_key.as_ref().is_none_or(|k| &i.app_key == k)
    });
    let Some(inst) = target else {
        return error(404, "not_installed", "no matching installation", json!({}));
    };
    inst.license = body.license;
    let answer = inst.clone();
    drop(all);
    sim.touch();
    HttpResponse::Ok().json(answer)
}
