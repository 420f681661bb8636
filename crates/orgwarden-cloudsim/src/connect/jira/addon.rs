//! The app's own record as Jira has it (`atlassian-connect/1/addons/{appKey}`): version, state,
//! the site's contacts, and its license when the descriptor enables licensing.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::auth::{authenticate, has_scope, jira_error};
use crate::state::Sim;

/// The app `path.1` installed on the site `path.0`, or 404; needs the caller's `READ` scope.
pub(super) async fn addon(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let caller = match authenticate(&sim, &req, &path.0) {
        Ok(i) => i,
        Err(e) => return e.into(),
    };
    if !has_scope(&caller, "READ") {
        return jira_error(
            StatusCode::FORBIDDEN,
            "The app is not allowed to read this resource",
        );
    }
    let Some(inst) = sim.installation(&path.0, &path.1).filter(|i| i.installed) else {
        return jira_error(
            StatusCode::NOT_FOUND,
            &format!("Add-on {} is not installed", path.1),
        );
    };
    let org = sim.org.read();
    let contacts: Vec<Value> = org
        .users
        .iter()
        .filter(|u| u.org_admin && u.status() == "active")
        .take(3)
        .map(|u| json!({"name": u.name, "email": u.email}))
        .collect();
    let mut body = json!({
        "key": inst.app_key,
        "version": inst.descriptor["version"].as_str().unwrap_or("1.0.0"),
        "state": "ENABLED",
        "host": {"product": "JIRA", "contacts": contacts},
    });
    let licensing = inst.descriptor["enableLicensing"]
        .as_bool()
        .unwrap_or(false);
    if let (true, Some(l)) = (licensing, &inst.license) {
        body["license"] = json!({"active": l.active, "type": l.kind, "evaluation": l.evaluation,
                                 "supportEntitlementNumber": format!("SEN-{}", &inst.client_key[..8.min(inst.client_key.len())])});
    }
    HttpResponse::Ok().json(body)
}
