//! Reading users: U1 (v1 managed accounts), U2 (last-active dates), U3/U4 (search and list,
//! v2 cursor paging), U5 (one user), U6 (count), U7 (stats).

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::errors;
use super::paging::{self, clamp_limit, USERS_DEFAULT, V2_MAX};
use super::query::QueryParams;
use super::request::{check_dir, check_org, parse_body};
use super::user_json::{iso, user_json, Expand, UserOut};
use super::user_query::UserQuery;
use crate::answer::{base_url, done, Answer};
use crate::model::User;
use crate::org::Org;
use crate::state::Sim;

/// Position after which a page starts.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum Pos {
    Id(String),
    Name(String, String),
}

/// `{data, links}` without building an intermediate JSON value.
#[derive(Serialize)]
struct Page<T> {
    data: T,
    #[serde(skip_serializing_if = "Option::is_none")]
    links: Option<Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct UserCursor {
    q: UserQuery,
    after: Option<Pos>,
}

#[derive(Debug, Default, Deserialize)]
struct SearchBody {
    cursor: Option<String>,
    #[serde(flatten)]
    query: UserQuery,
}

/// U3 `POST …/users/search`.
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
            Some(c) => paging::decode::<UserCursor>(&c).ok_or_else(errors::invalid_cursor)?,
            None => UserCursor {
                q: body.query,
                after: None,
            },
        };
        page(&org, cursor)
    })())
}

/// U4 `GET …/users` (deprecated): the same filters as query parameters, no `emails`.
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
            Some(c) => paging::decode::<UserCursor>(c).ok_or_else(errors::invalid_cursor)?,
            None => UserCursor {
                q: UserQuery::from_params(&params).map_err(errors::bad_request)?,
                after: None,
            },
        };
        page(&org, cursor)
    })())
}

fn position(org: &Org, u: &User, by_name: bool) -> Pos {
    if by_name {
        Pos::Name(org.nickname_key(u), u.account_id.clone())
    } else {
        Pos::Id(u.account_id.clone())
    }
}

fn page(org: &Org, cursor: UserCursor) -> Answer {
    let q = &cursor.q;
    q.validate().map_err(errors::bad_request)?;
    let limit = clamp_limit(q.limit, USERS_DEFAULT, V2_MAX);
    let sort = q.name_sort();
    let iter: Box<dyn Iterator<Item = &User>> = match (sort, &cursor.after) {
        (None, None) => org.users_by_id_after(None, false),
        (None, Some(Pos::Id(a))) => org.users_by_id_after(Some(a), false),
        (Some(desc), None) => org.users_by_name_after(None, desc),
        (Some(desc), Some(Pos::Name(n, id))) => {
            org.users_by_name_after(Some((n.clone(), id.clone())), desc)
        }
        _ => return Err(errors::invalid_cursor().into()),
    };
    let mut users: Vec<&User> = iter.filter(|u| q.matches(org, u)).take(limit + 1).collect();
    let more = users.len() > limit;
    users.truncate(limit);
    let expand = Expand {
        platform_roles: q.expands("platformRoles"),
        product_access: q.expands("productAccess"),
        groups: q.expands("groups"),
        counts: q.expands("counts.resources"),
        single: false,
    };
    let data: Vec<UserOut> = users.iter().map(|u| user_json(org, u, expand)).collect();
    let mut links = json!({"self": paging::encode(&cursor)});
    if more {
        if let Some(last) = users.last() {
            let next = UserCursor {
                q: cursor.q.clone(),
                after: Some(position(org, last, sort.is_some())),
            };
            links["next"] = json!(paging::encode(&next));
        }
    }
    Ok(HttpResponse::Ok().json(Page {
        data,
        links: Some(links),
    }))
}

/// U5 `GET …/users/{accountId}`.
pub async fn get_user(
    sim: web::Data<Sim>,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    let org = sim.org.read();
    let (org_id, dir, account) = path.into_inner();
    done((|| -> Answer {
        check_dir(&org, &org_id, &dir)?;
        let user = org
            .user(&account)
            .ok_or_else(|| errors::user_not_found(&account))?;
        let expand = Expand {
            single: true,
            ..Expand::default()
        };
        Ok(HttpResponse::Ok().json(Page {
            data: user_json(&org, user, expand),
            links: None,
        }))
    })())
}

/// U6 `GET …/users/count`.
pub async fn count(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let org = sim.org.read();
    done((|| -> Answer {
        check_dir(&org, &path.0, &path.1)?;
        let q = UserQuery::from_params(&QueryParams::parse(req.query_string()))
            .map_err(errors::bad_request)?;
        q.validate().map_err(errors::bad_request)?;
        let n = org.users.iter().filter(|u| q.matches(&org, u)).count();
        Ok(HttpResponse::Ok().json(json!({"count": n})))
    })())
}

/// U7 `GET …/users/stats`: users per role (platform roles included) and per account status.
pub async fn stats(sim: web::Data<Sim>, path: web::Path<(String, String)>) -> HttpResponse {
    let org = sim.org.read();
    done((|| -> Answer {
        check_dir(&org, &path.0, &path.1)?;
        let mut roles: BTreeMap<String, u64> = BTreeMap::new();
        let mut statuses: BTreeMap<&str, u64> = BTreeMap::new();
        for u in &org.users {
            *statuses.entry(u.account_status_str()).or_default() += 1;
            let mut held: Vec<String> =
                org.effective_roles(u).into_iter().map(|r| r.role).collect();
            if u.org_admin {
                held.push("atlassian/org-admin".into());
            }
            held.sort();
            held.dedup();
            for r in held {
                *roles.entry(r).or_default() += 1;
            }
        }
        Ok(HttpResponse::Ok().json(json!({
            "roles": roles.iter().map(|(r, c)| json!({"roleId": r, "count": c})).collect::<Vec<_>>(),
            "accountStatus": statuses.iter().map(|(s, c)| json!({"status": s, "count": c})).collect::<Vec<_>>(),
        })))
    })())
}

/// U2 `GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates` (one page).
pub async fn last_active_dates(
    sim: web::Data<Sim>,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let org = sim.org.read();
    let (org_id, account) = path.into_inner();
    done((|| -> Answer {
        check_org(&org, &org_id)?;
        let u = org
            .user(&account)
            .ok_or_else(|| errors::user_not_found(&account))?;
        let mut activity: Vec<_> = u.activity.iter().collect();
        activity.sort_by_key(|a| std::cmp::Reverse(a.at));
        let access: Vec<Value> = activity
            .iter()
            .map(|a| {
                json!({
                    "id": crate::model::site_ari(a.product.key(), &a.site_id),
                    "key": a.product.v1_key(),
                    "last_active": a.at.format("%Y-%m-%d").to_string(),
                    "last_active_timestamp": a.at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                })
            })
            .collect();
        Ok(HttpResponse::Ok().json(json!({
            "data": {
                "product_access": access,
                "added_to_org": u.added_to_org.format("%Y-%m-%d").to_string(),
                "added_to_org_timestamp": u.added_to_org.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            },
            "links": {"next": null},
        })))
    })())
}

/// Page size of U1 (the API has no `limit` there).
const V1_PAGE: usize = 100;

/// U1 `GET /admin/v1/orgs/{orgId}/users`: managed accounts, snake_case, v1 URL paging, `meta.total`.
pub async fn list_v1(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let org = sim.org.read();
    done((|| -> Answer {
        check_org(&org, &path)?;
        let params = QueryParams::parse(req.query_string());
        let after: Option<String> = match params.one("cursor") {
            Some(c) => Some(paging::decode(c).ok_or_else(errors::invalid_cursor)?),
            None => None,
        };
        let managed = |u: &&User| u.managed;
        let total = org.users.iter().filter(managed).count();
        let mut users: Vec<&User> = org
            .users_by_id_after(after.as_deref(), false)
            .filter(managed)
            .take(V1_PAGE + 1)
            .collect();
        let more = users.len() > V1_PAGE;
        users.truncate(V1_PAGE);
        let base = format!("{}/admin/v1/orgs/{}/users", base_url(&req), org.org_id);
        let data: Vec<Value> = users.iter().map(|u| v1_user(&org, u, &base)).collect();
        let mut links = json!({"self": base});
        if let (true, Some(last)) = (more, users.last()) {
            links["next"] = json!(format!(
                "{base}?cursor={}",
                paging::encode(&last.account_id)
            ));
        }
        Ok(
            HttpResponse::Ok()
                .json(json!({"data": data, "meta": {"total": total}, "links": links})),
        )
    })())
}

fn v1_user(org: &Org, u: &User, base: &str) -> Value {
    let access: Vec<Value> = org
        .active_access(u)
        .into_iter()
        .map(|(site, p)| {
            let last = u
                .activity
                .iter()
                .find(|a| a.site_id == site && a.product == p);
            let url = org
                .site(&site)
                .map(|s| format!("https://{}.atlassian.net", s.name));
            json!({"key": p.v1_key(), "name": p.name(), "url": url,
                   "last_active": last.map(|a| a.at.format("%Y-%m-%d").to_string())})
        })
        .collect();
    let last_active = u.activity.iter().map(|a| a.at).max();
    json!({
        "account_id": u.account_id,
        "account_type": u.account_type_str(),
        "account_status": u.account_status_str(),
        "name": u.name,
        "picture": "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/default-avatar.png",
        "email": u.email,
        "access_billable": !org.active_access(u).is_empty(),
        "last_active": last_active.map(|t| t.format("%Y-%m-%d").to_string()),
        "product_access": access,
        "links": {"self": format!("{base}/{}", u.account_id)},
        "added_to_org": iso(u.added_to_org),
    })
}
