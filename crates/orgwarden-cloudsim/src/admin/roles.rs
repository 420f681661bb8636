//! R1–R4: user roles on resources (product access) and the org-admin role. 204, no body.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::errors;
use super::request::{actor, check_org, parse_body};
use crate::answer::{done, Answer};
use crate::state::Sim;

#[derive(Debug, Default, Deserialize)]
struct RoleRequest {
    role: Option<String>,
    resource: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Assign,
    Revoke,
    OrgAssign,
    OrgRevoke,
}

fn apply(sim: &Sim, req: &HttpRequest, path: (String, String), body: &[u8], kind: Kind) -> Answer {
    let (org_id, account) = path;
    let body: RoleRequest = parse_body(body)?;
    let role = body
        .role
        .ok_or_else(|| errors::bad_request("role is required"))?;
    let mut org = sim.org.write();
    check_org(&org, &org_id)?;
    let who = actor(req);
    let result = match kind {
        Kind::Assign => org.grant_role(&who, &account, &role, body.resource.as_deref()),
        Kind::Revoke => org.revoke_role(&who, &account, &role, body.resource.as_deref()),
        Kind::OrgAssign | Kind::OrgRevoke => {
            if role != "atlassian/org-admin" {
                return Err(errors::app_error(
                    actix_web::http::StatusCode::BAD_REQUEST,
                    "ADMIN-UAM-400-1",
                    "Bad Request",
                    "role must be atlassian/org-admin",
                )
                .into());
            }
            org.set_org_admin(&who, &account, kind == Kind::OrgAssign)
        }
    };
    result.map_err(|e| errors::org_error(&e, &account))?;
    sim.touch();
    Ok(HttpResponse::NoContent().finish())
}

/// R1 `POST /admin/v1/orgs/{orgId}/users/{userId}/roles/assign`.
pub async fn assign(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    done(apply(&sim, &req, path.into_inner(), &body, Kind::Assign))
}

/// R2 `POST /admin/v1/orgs/{orgId}/users/{userId}/roles/revoke`.
pub async fn revoke(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    done(apply(&sim, &req, path.into_inner(), &body, Kind::Revoke))
}

/// R3 `POST /admin/v1/orgs/{orgId}/users/{userId}/role-assignments/assign`.
pub async fn org_assign(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    done(apply(&sim, &req, path.into_inner(), &body, Kind::OrgAssign))
}

/// R4 `POST /admin/v1/orgs/{orgId}/users/{userId}/role-assignments/revoke`.
pub async fn org_revoke(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    done(apply(&sim, &req, path.into_inner(), &body, Kind::OrgRevoke))
}
