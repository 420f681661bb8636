//! `POST /jira/{site}/rest/api/3/permissions/check`: who has Jira's global permissions.

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

use super::auth::{authenticate, has_scope, jira_error};
use crate::control::body;
use crate::model::{site_ari, Site, PLATFORM};
use crate::org::Org;
use crate::state::Sim;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PermissionCheck {
    #[serde(default)]
    global_permissions: Vec<String>,
    #[serde(default)]
    project_permissions: Vec<Value>,
    account_id: Option<String>,
}

/// Who has Jira's ADMINISTER on a site: org admins, site admins, and Jira product admins.
fn is_jira_admin(org: &Org, site: &Site, account_id: &str) -> bool {
    let Some(u) = org.user(account_id).filter(|u| u.status() == "active") else {
        return false;
    };
    if u.org_admin {
        return true;
    }
    let site_admin = site_ari(PLATFORM, &site.site_id);
    let jira: BTreeSet<String> = site
        .jira_products()
        .iter()
        .map(|p| site_ari(p.key(), &site.site_id))
        .collect();
    org.effective_roles(u).iter().any(|r| {
        (r.role == "atlassian/site-admin" && r.resource == site_admin)
            || (r.role == "atlassian/admin" && jira.contains(&r.resource))
    })
}

/// Grants each asked global permission or not: ADMINISTER and SYSTEM_ADMIN to Jira admins (or,
/// without `accountId`, an app with the `ADMIN` scope), the others also to users with Jira access.
pub(super) async fn permissions_check(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<String>,
    bytes: web::Bytes,
) -> HttpResponse {
    let inst = match authenticate(&sim, &req, &path) {
        Ok(i) => i,
        Err(e) => return e.into(),
    };
    let body: PermissionCheck = match body(&bytes) {
        Ok(b) => b,
        Err(_) => return jira_error(StatusCode::BAD_REQUEST, "Invalid request payload"),
    };
    let org = sim.org.read();
    let Some(site) = org.site_by_name(&path) else {
        return jira_error(StatusCode::NOT_FOUND, "Site not found");
    };
    let admin = match &body.account_id {
        Some(a) => is_jira_admin(&org, site, a),
        None => has_scope(&inst, "ADMIN"),
    };
    let user_has_jira = body
        .account_id
        .as_deref()
        .and_then(|a| org.user(a))
        .is_some_and(|u| {
            org.active_access(u)
                .iter()
                .any(|(s, p)| *s == site.site_id && p.is_jira())
        });
    let granted: Vec<&String> = body
        .global_permissions
        .iter()
        .filter(|p| match p.as_str() {
            "ADMINISTER" | "SYSTEM_ADMIN" => admin,
            _ => admin || user_has_jira,
        })
        .collect();
    let projects: Vec<Value> = body
        .project_permissions
        .iter()
        .map(|p| json!({"permission": p["permissions"], "issues": [], "projects": []}))
        .collect();
    HttpResponse::Ok().json(json!({"globalPermissions": granted, "projectPermissions": projects}))
}
