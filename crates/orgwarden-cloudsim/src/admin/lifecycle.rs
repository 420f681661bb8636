//! Suspend, restore and remove: v2 L1–L3 (204, no body) and legacy v1 L4–L6.

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

use super::errors;
use super::request::{actor, check_dir, check_org};
use crate::answer::{done, Answer};
use crate::ops::OrgError;
use crate::org::Org;
use crate::state::Sim;

type Op = fn(&mut Org, &str, &str) -> Result<(), OrgError>;

fn v2(sim: &Sim, req: &HttpRequest, path: (String, String, String), op: Op) -> Answer {
    let (org_id, dir, account) = path;
    let mut org = sim.org.write();
    check_dir(&org, &org_id, &dir)?;
    op(&mut org, &actor(req), &account).map_err(|e| errors::org_error(&e, &account))?;
    sim.touch();
    Ok(HttpResponse::NoContent().finish())
}

fn v1(sim: &Sim, req: &HttpRequest, path: (String, String), op: Op, message: &str) -> Answer {
    let (org_id, account) = path;
    let mut org = sim.org.write();
    check_org(&org, &org_id)?;
    op(&mut org, &actor(req), &account).map_err(|e| errors::org_error(&e, &account))?;
    sim.touch();
    if message.is_empty() {
        return Ok(HttpResponse::NoContent().finish());
    }
    Ok(HttpResponse::Ok().json(json!({"message": message})))
}

/// L1 `POST …/users/{accountId}/suspend`.
pub async fn suspend(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    done(v2(&sim, &req, path.into_inner(), Org::suspend))
}

/// L2 `POST …/users/{accountId}/restore`.
pub async fn restore(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    done(v2(&sim, &req, path.into_inner(), Org::restore))
}

/// L3 `DELETE …/users/{accountId}`.
pub async fn remove(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    done(v2(
        &sim,
        &req,
        path.into_inner(),
        Org::remove_from_directory,
    ))
}

/// L4 `POST /admin/v1/orgs/{orgId}/directory/users/{accountId}/suspend-access` → 200 `{message}`.
pub async fn suspend_v1(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    done(v1(
        &sim,
        &req,
        path.into_inner(),
        Org::suspend,
        "User access suspended",
    ))
}

/// L5 `POST /admin/v1/orgs/{orgId}/directory/users/{accountId}/restore-access` → 200 `{message}`.
pub async fn restore_v1(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    done(v1(
        &sim,
        &req,
        path.into_inner(),
        Org::restore,
        "User access restored",
    ))
}

/// L6 `DELETE /admin/v1/orgs/{orgId}/directory/users/{accountId}` → 204.
pub async fn remove_v1(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    done(v1(
        &sim,
        &req,
        path.into_inner(),
        Org::remove_from_directory,
        "",
    ))
}
