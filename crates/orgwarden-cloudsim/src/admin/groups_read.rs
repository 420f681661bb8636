//! Reading groups: G1 (search), G2 (list), G4 (one), G8 (role assignments), G11 (count, stats).

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::errors;
use super::group_query::GroupQuery;
use super::paging::{self, clamp_limit, GROUPS_DEFAULT, V2_MAX};
use super::query::QueryParams;
use super::request::{check_dir, parse_body};
use super::user_json::group_json;
use super::users_roles::RoleFilter;
use crate::answer::{done, Answer};
use crate::model::{parse_site_ari, Group};
use crate::org::Org;
use crate::state::Sim;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct GroupCursor {
    q: GroupQuery,
    after: Option<(String, String)>,
}

fn page(org: &Org, cursor: GroupCursor) -> Answer {
    let q = &cursor.q;
    q.validate().map_err(errors::bad_request)?;
    let limit = clamp_limit(q.limit, GROUPS_DEFAULT, V2_MAX);
    let desc = q.descending();
    let key = |g: &Group| (g.name.to_lowercase(), g.id.clone());
    let ordered: Box<dyn Iterator<Item = &Group>> = if desc {
        Box::new(org.groups_by_name().rev())
    } else {
        Box::new(org.groups_by_name())
    };
    let after = cursor.after.clone();
    let mut groups: Vec<&Group> = ordered
        .filter(|g| match &after {
            None => true,
            Some(a) if desc => key(g) < *a,
            Some(a) => key(g) > *a,
        })
        .filter(|g| q.matches(org, g))
        .take(limit + 1)
        .collect();
    let more = groups.len() > limit;
    groups.truncate(limit);
    let (users, resources) = (q.expands("counts.users"), q.expands("counts.resources"));
    let data: Vec<Value> = groups
        .iter()
        .map(|g| group_json(org, g, users, resources))
        .collect();
    let mut links = json!({"self": paging::encode(&cursor)});
    if let (true, Some(last)) = (more, groups.last()) {
        links["next"] = json!(paging::encode(&GroupCursor {
            q: cursor.q.clone(),
            after: Some(key(last))
        }));
    }
    Ok(HttpResponse::Ok().json(json!({"data": data, "links": links})))
}

#[derive(Debug, Default, Deserialize)]
struct SearchBody {
    cursor: Option<String>,
    #[serde(flatten)]
    query: GroupQuery,
}

/// G1 `POST …/groups/search`.
pub async fn search(
    sim: web::Data<Sim>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> HttpResponse {
    let org = sim.org.read();
    done((|| -> Answer {
        check_dir(&org, &path.0, &path.1)?;
        let body: SearchBody = parse_body(&body)?;
        let cursor = match body.cursor {
            Some(c) => paging::decode(&c).ok_or_else(errors::invalid_cursor)?,
            None => GroupCursor {
                q: body.query,
                after: None,
            },
        };
        page(&org, cursor)
    })())
}

/// G2 `GET …/groups` (deprecated).
pub async fn list(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let org = sim.org.read();
    done((|| -> Answer {
        check_dir(&org, &path.0, &path.1)?;
        let params = QueryParams::parse(req.query_string());
        let cursor = match params.one("cursor") {
            Some(c) => paging::decode(c).ok_or_else(errors::invalid_cursor)?,
            None => GroupCursor {
                q: GroupQuery::from_params(&params).map_err(errors::bad_request)?,
                after: None,
            },
        };
        page(&org, cursor)
    })())
}

/// G4 `GET …/groups/{groupId}` (with counts).
pub async fn get_group(
    sim: web::Data<Sim>,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    let org = sim.org.read();
    let (org_id, dir, gid) = path.into_inner();
    done((|| -> Answer {
        check_dir(&org, &org_id, &dir)?;
        let g = org
            .group(&gid)
            .ok_or_else(|| errors::group_not_found(&gid))?;
        Ok(HttpResponse::Ok().json(json!({"data": group_json(&org, g, true, true)})))
    })())
}

/// G8 `GET …/groups/{groupId}/role-assignments`: `{resourceId, resourceOwner, defaultRole, roles}`.
pub async fn role_assignments(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    let org = sim.org.read();
    let (org_id, dir, gid) = path.into_inner();
    done((|| -> Answer {
        check_dir(&org, &org_id, &dir)?;
        let filter = RoleFilter::from_params(&QueryParams::parse(req.query_string()))?;
        let g = org
            .group(&gid)
            .ok_or_else(|| errors::group_not_found(&gid))?;
        let mut by_resource: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for r in &g.roles {
            by_resource.entry(&r.resource).or_default().push(&r.role);
        }
        let items: Vec<Value> = by_resource
            .into_iter()
            .filter_map(|(resource, roles)| {
                let owner = parse_site_ari(resource).map(|(o, _)| o).unwrap_or("platform");
                let roles: Vec<&str> = roles.into_iter().filter(|r| filter.keeps_role(r)).collect();
                if roles.is_empty() || !filter.keeps_resource(resource, owner) {
                    return None;
                }
                let default_role = (g.default_for.as_deref() == Some(resource)).then_some("atlassian/user");
                Some(json!({"resourceId": resource, "resourceOwner": owner, "defaultRole": default_role, "roles": roles}))
            })
            .collect();
        Ok(HttpResponse::Ok().json(filter.page(items)))
    })())
}

/// G11 `GET …/groups/count`.
pub async fn count(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let org = sim.org.read();
    done((|| -> Answer {
        check_dir(&org, &path.0, &path.1)?;
        let q = GroupQuery::from_params(&QueryParams::parse(req.query_string()))
            .map_err(errors::bad_request)?;
        let n = org.groups.iter().filter(|g| q.matches(&org, g)).count();
        Ok(HttpResponse::Ok().json(json!({"count": n})))
    })())
}

/// G11 `GET …/groups/stats`.
pub async fn stats(sim: web::Data<Sim>, path: web::Path<(String, String)>) -> HttpResponse {
    let org = sim.org.read();
    done((|| -> Answer {
        check_dir(&org, &path.0, &path.1)?;
        let all = org.groups.len();
        let synced = org.groups.iter().filter(|g| g.is_external()).count();
        Ok(HttpResponse::Ok().json(json!({
            "types": [{"type": "GROUP", "count": all}],
            "totals": {"all": all, "synced": synced, "managed": all - synced},
        })))
    })())
}
