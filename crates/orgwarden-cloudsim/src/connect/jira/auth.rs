//! Verifies the app's HS256 JWT on Jira REST calls exactly as Jira does: `iss` names the app,
//! the signature uses the shared secret of the site's installation, and `qsh` covers the
//! request relative to the site's base URL (`{sim}/jira/{site}`). Any failure is a 401.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use orgwarden_connect::{query_string_hash, unverified_issuer, verify_hs256, QshPolicy};
use serde_json::json;

use crate::answer::Fail;
use crate::connect::host::now;
use crate::state::{Installation, Sim};

/// A Jira-style error body.
pub(crate) fn jira_error(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"errorMessages": [message], "errors": {}}))
}

fn token(req: &HttpRequest) -> Option<String> {
    if let Some(h) = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
    {
        if let Some(t) = h.strip_prefix("JWT ") {
            return Some(t.trim().to_string());
        }
    }
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "jwt")
        .map(|(_, v)| v.into_owned())
}

/// The verified installation calling this site's REST API, or the 401/404 to answer.
pub(crate) fn authenticate(sim: &Sim, req: &HttpRequest, site: &str) -> Result<Installation, Fail> {
    if sim.org.read().site_by_name(site).is_none() {
        return Err(jira_error(StatusCode::NOT_FOUND, "Site not found").into());
    }
    let unauthorized = |why: &str| {
        jira_error(
            StatusCode::UNAUTHORIZED,
            &format!("Authentication failed: {why}"),
        )
    };
    let token = token(req).ok_or_else(|| unauthorized("no JWT"))?;
    let iss = unverified_issuer(&token).map_err(|e| unauthorized(&e.to_string()))?;
    let inst = sim
        .installation(site, &iss)
        .filter(|i| i.installed)
        .ok_or_else(|| unauthorized("unknown issuer"))?;
    let qsh = query_string_hash(
        req.method().as_str(),
        req.uri().path(),
        req.query_string(),
        &format!("/jira/{site}"),
    )
    .map_err(|e| unauthorized(&e.to_string()))?;
    verify_hs256(&token, &inst.shared_secret, &qsh, QshPolicy::Request, now())
        .map_err(|e| unauthorized(&e.to_string()))?;
    Ok(inst)
}

/// True when the descriptor's scopes include `needed` (ADMIN ⇒ PROJECT_ADMIN ⇒ DELETE ⇒ WRITE ⇒ READ).
pub(crate) fn has_scope(inst: &Installation, needed: &str) -> bool {
    const ORDER: [&str; 5] = ["READ", "WRITE", "DELETE", "PROJECT_ADMIN", "ADMIN"];
    let rank = |s: &str| ORDER.iter().position(|o| o.eq_ignore_ascii_case(s));
    let Some(need) = rank(needed) else {
        return false;
    };
    inst.descriptor["scopes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str())
        .filter_map(rank)
        .any(|have| have >= need)
}
