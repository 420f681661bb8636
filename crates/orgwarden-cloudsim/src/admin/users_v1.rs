//! The v1 Admin API's user reads, snake_case with URL paging: U1 (managed accounts) and U2
//! (last-active dates).

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::errors;
use super::paging;
use super::query::QueryParams;
use super::request::check_org;
use super::user_json::iso;
use crate::answer::{base_url, done, Answer};
use crate::model::User;
use crate::org::Org;
use crate::state::Sim;

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
