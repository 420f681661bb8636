//! O1 and O2 (orgs, v1 URL paging) and D1 (directories, v2 cursor paging).

use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::errors;
use super::paging::{self, clamp_limit};
use super::query::QueryParams;
use super::request::check_org;
use crate::answer::{base_url, done, Answer};
use crate::caller::{token_id, ForeignOrg};
use crate::org::Org;
use crate::state::Sim;

fn org_model(org: &Org, base: &str) -> Value {
    let me = format!("{base}/admin/v1/orgs/{}", org.org_id);
    json!({
        "id": org.org_id,
        "type": "orgs",
        "attributes": {"name": org.name},
        "relationships": {
            "domains": {"links": {"related": format!("{me}/domains")}},
            "users": {"links": {"related": format!("{me}/users")}},
        },
        "links": {"self": me},
    })
}

/// O1 `GET /admin/v1/orgs`: the key's organization (one page; `cursor` must be one of ours).
pub async fn list_orgs(sim: web::Data<Sim>, req: HttpRequest) -> HttpResponse {
    let params = QueryParams::parse(req.query_string());
    if let Some(c) = params.one("cursor") {
        if paging::decode::<usize>(c).is_none() {
            return errors::invalid_cursor();
        }
    }
    let base = base_url(&req);
    let foreign = req.extensions().get::<ForeignOrg>().cloned();
    if let Some(ForeignOrg(name)) = foreign {
        let id = format!("foreign-{}", token_id(&name));
        return HttpResponse::Ok().json(json!({
            "data": [{"id": id, "type": "orgs", "attributes": {"name": name},
                "links": {"self": format!("{base}/admin/v1/orgs/{id}")}}],
            "links": {"self": format!("{base}/admin/v1/orgs")},
        }));
    }
    let org = sim.org.read();
    HttpResponse::Ok().json(json!({
        "data": [org_model(&org, &base)],
        "links": {"self": format!("{base}/admin/v1/orgs")},
    }))
}

/// O2 `GET /admin/v1/orgs/{orgId}`.
pub async fn get_org(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let org = sim.org.read();
    done(
        check_org(&org, &path)
            .map(|_| HttpResponse::Ok().json(json!({"data": org_model(&org, &base_url(&req))}))),
    )
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct DirCursor {
    account_id: Option<String>,
    directory_ids: Option<Vec<String>>,
    search_term: Option<String>,
    limit: usize,
    offset: usize,
}

/// D1 `GET /admin/v2/orgs/{orgId}/directories`: the single directory of a centralized-UM org.
pub async fn list_directories(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let org = sim.org.read();
    done(directories(
        &org,
        &path,
        &QueryParams::parse(req.query_string()),
    ))
}

fn directories(org: &Org, org_id: &str, params: &QueryParams) -> Answer {
    check_org(org, org_id)?;
    let q: DirCursor = match params.one("cursor") {
        Some(c) => paging::decode(c).ok_or_else(errors::invalid_cursor)?,
        None => DirCursor {
            account_id: params.one("accountId").map(str::to_string),
            directory_ids: params.list("directoryIds"),
            search_term: params.one("searchTerm").map(str::to_string),
            limit: clamp_limit(
                params.int("limit").map_err(errors::bad_request)?,
                50,
                paging::V2_MAX,
            ),
            offset: 0,
        },
    };
    let mut dirs = vec![json!({
        "directoryId": org.directory_id,
        "name": org.name,
        "icon": "https://admin.atlassian.com/directory-icon.svg",
    })];
    let keep = q.account_id.as_ref().is_none_or(|a| {
        org.user(a)
            .is_some_and(|u| u.membership != crate::model::Membership::NoMembership)
    }) && q
        .directory_ids
        .as_ref()
        .is_none_or(|ids| ids.contains(&org.directory_id))
        && q.search_term
            .as_ref()
            .is_none_or(|t| org.name.to_lowercase().contains(&t.to_lowercase()));
    if !keep {
        dirs.clear();
    }
    let page: Vec<Value> = dirs.iter().skip(q.offset).take(q.limit).cloned().collect();
    let mut links = json!({"self": paging::encode(&q)});
    if q.offset + q.limit < dirs.len() {
        links["next"] = json!(paging::encode(&DirCursor {
            offset: q.offset + q.limit,
            ..q
        }));
    }
    Ok(HttpResponse::Ok().json(json!({"data": page, "links": links})))
}
