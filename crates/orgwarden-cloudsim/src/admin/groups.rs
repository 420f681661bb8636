//! Changing groups: G3 create (201), G5 delete (204), G6/G7 memberships (204), G9 assign (200) and
//! G10 revoke (204) group roles. IdP-synced groups refuse membership changes with 403 `ADMIN-403-5`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::errors;
use super::request::{actor, check_dir, parse_body};
use super::user_json::group_json;
use crate::answer::{done, Answer};
use crate::state::Sim;

#[derive(Debug, Default, Deserialize)]
struct CreateBody {
    name: Option<String>,
    description: Option<String>,
}

/// G3 `POST …/groups` `{name, description?}` → 201 with the new group.
pub async fn create(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    done((|| -> Answer {
        let body: CreateBody = parse_body(&body)?;
        let name = body
            .name
            .ok_or_else(|| errors::bad_request("name is required"))?;
        let mut org = sim.org.write();
        check_dir(&org, &path.0, &path.1)?;
        let id = crate::ids::uuid(&mut rand::thread_rng());
        let id = org
            .create_group(&actor(&req), id, &name, body.description)
            .map_err(|e| errors::org_error(&e, &name))?;
        sim.touch();
        let group = org
            .group(&id)
            .map(|g| group_json(&org, g, false, false))
            .unwrap_or_default();
        Ok(HttpResponse::Created().json(group))
    })())
}

/// G5 `DELETE …/groups/{groupId}`.
pub async fn delete(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    let (org_id, dir, gid) = path.into_inner();
    done((|| -> Answer {
        let mut org = sim.org.write();
        check_dir(&org, &org_id, &dir)?;
        org.delete_group(&actor(&req), &gid)
            .map_err(|e| errors::org_error(&e, &gid))?;
        sim.touch();
        Ok(HttpResponse::NoContent().finish())
    })())
}

#[derive(Debug, Default, Deserialize)]
struct MemberBody {
    #[serde(rename = "accountId", alias = "account_id")]
    account_id: Option<String>,
}

fn membership(
    sim: &Sim,
    req: &HttpRequest,
    org_id: &str,
    dir: &str,
    gid: &str,
    account: &str,
    add: bool,
) -> Answer {
    let mut org = sim.org.write();
    check_dir(&org, org_id, dir)?;
    org.set_membership(&actor(req), gid, account, add)
        .map_err(|e| {
            let subject = if e == crate::ops::OrgError::GroupNotFound {
                gid
            } else {
                account
            };
            errors::org_error(&e, subject)
        })?;
    sim.touch();
    Ok(HttpResponse::NoContent().finish())
}

/// G6 `POST …/groups/{groupId}/memberships` `{accountId}`.
pub async fn add_member(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    let (org_id, dir, gid) = path.into_inner();
    done((|| -> Answer {
        let body: MemberBody = parse_body(&body)?;
        let account = body
            .account_id
            .ok_or_else(|| errors::bad_request("accountId is required"))?;
        membership(&sim, &req, &org_id, &dir, &gid, &account, true)
    })())
}

/// G7 `DELETE …/groups/{groupId}/memberships/{accountId}`.
pub async fn remove_member(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String, String, String)>,
) -> HttpResponse {
    let (org_id, dir, gid, account) = path.into_inner();
    done(membership(&sim, &req, &org_id, &dir, &gid, &account, false))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct GroupRoleBody {
    resource_id: Option<String>,
    role_id: Option<String>,
}

fn group_role(
    sim: &Sim,
    req: &HttpRequest,
    path: (String, String, String),
    body: &[u8],
    grant: bool,
) -> Answer {
    let (org_id, dir, gid) = path;
    let body: GroupRoleBody = parse_body(body)?;
    let (Some(resource), Some(role)) = (body.resource_id, body.role_id) else {
        return Err(errors::bad_request("resourceId and roleId are required").into());
    };
    let mut org = sim.org.write();
    check_dir(&org, &org_id, &dir)?;
    org.set_group_role(&actor(req), &gid, &role, &resource, grant)
        .map_err(|e| errors::org_error(&e, &gid))?;
    sim.touch();
    Ok(if grant {
        HttpResponse::Ok().finish()
    } else {
        HttpResponse::NoContent().finish()
    })
}

/// G9 `POST …/groups/{groupId}/role-assignments/assign` `{resourceId, roleId}` → 200.
pub async fn assign_role(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    done(group_role(&sim, &req, path.into_inner(), &body, true))
}

/// G10 `POST …/groups/{groupId}/role-assignments/revoke` `{resourceId, roleId}` → 204.
pub async fn revoke_role(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    done(group_role(&sim, &req, path.into_inner(), &body, false))
}
