//! Reading users through the v2 API: U3/U4 (search and list, cursor paging), U5 (one user), U6
//! (count), U7 (stats). The v1 reads (U1, U2) are in `users_v1`.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::errors;
use super::paging::{self, clamp_limit, USERS_DEFAULT, V2_MAX};
use super::query::QueryParams;
use super::request::{check_dir, parse_body};
use super::user_json::{user_json, Expand, UserOut};
use super::user_query::UserQuery;
use crate::answer::{done, Answer};
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
