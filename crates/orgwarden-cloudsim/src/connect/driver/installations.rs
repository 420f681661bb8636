//! The installations as the control surface shows and changes them: `GET /__sim/installations`
//! (with their secrets) and `POST /__sim/license`, the app license Jira reports.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::error;
use crate::state::{License, Sim};

/// `GET /__sim/installations`: every installation, uninstalled ones too.
pub(super) async fn list(sim: web::Data<Sim>) -> HttpResponse {
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
pub(super) async fn set_license(sim: web::Data<Sim>, bytes: web::Bytes) -> HttpResponse {
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
