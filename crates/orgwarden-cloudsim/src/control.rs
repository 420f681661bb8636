//! The `/__sim/` control surface for tests and benchmarks (never part of the real API).

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::admin::{base_url, user_json::iso, Fail};
use crate::config::ApiKey;
use crate::limits::{FaultSettings, FaultUpdate};
use crate::model::{Activity, Product};
use crate::org::Org;
use crate::state::Sim;

/// Registers the control routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/__sim/stats", web::get().to(stats))
        .route("/__sim/faults", web::get().to(get_faults))
        .route("/__sim/faults", web::post().to(set_faults))
        .route("/__sim/org", web::get().to(org_state))
        .route("/__sim/reset", web::post().to(reset))
        .route(
            "/__sim/users",
            web::post().to(crate::control_users::add_user),
        )
        .route(
            "/__sim/users/{accountId}/activity",
            web::post().to(activity),
        )
        .route("/__sim/api-keys", web::get().to(list_keys))
        .route("/__sim/api-keys", web::post().to(add_key))
        .route("/__sim/api-keys/{key}", web::delete().to(delete_key));
}

fn bad(msg: impl Into<String>) -> HttpResponse {
    HttpResponse::BadRequest()
        .json(json!({"error": {"code": "bad_request", "message": msg.into()}}))
}

fn not_found(msg: impl Into<String>) -> HttpResponse {
    HttpResponse::NotFound().json(json!({"error": {"code": "not_found", "message": msg.into()}}))
}

/// Parses a JSON body (empty = default) or answers 400.
pub(crate) fn body<T: serde::de::DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, Fail> {
    if bytes.iter().all(u8::is_ascii_whitespace) || bytes.trim_ascii() == b"null" {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| bad(format!("invalid JSON body: {e}")).into())
}

async fn stats(sim: web::Data<Sim>) -> HttpResponse {
    let mut snapshot = sim.stats.snapshot();
    snapshot.mutations = sim.org.read().mutations.clone();
    let mut v = serde_json::to_value(snapshot).unwrap_or_default();
    v["settings"] = serde_json::to_value(sim.limits.settings()).unwrap_or_default();
    HttpResponse::Ok().json(v)
}

async fn get_faults(sim: web::Data<Sim>) -> HttpResponse {
    HttpResponse::Ok().json(sim.limits.settings())
}

async fn set_faults(sim: web::Data<Sim>, bytes: web::Bytes) -> HttpResponse {
    match body::<FaultUpdate>(&bytes) {
        Ok(update) => HttpResponse::Ok().json(sim.limits.update(update)),
        Err(e) => e.into(),
    }
}

/// One user as `/__sim/org` shows it.
pub(crate) fn user_state(org: &Org, u: &crate::model::User) -> Value {
    let access: Vec<Value> = org
        .access_grants(u)
        .into_iter()
        .map(|(site, p)| {
            let last = u
                .activity
                .iter()
                .find(|a| a.site_id == site && a.product == p)
                .map(|a| iso(a.at));
            json!({"siteId": site, "productKey": p.key(), "lastActive": last})
        })
        .collect();
    json!({
        "accountId": u.account_id, "name": u.name, "email": u.email,
        "accountType": u.account_type_str(), "status": u.status(),
        "accountStatus": u.account_status_str(), "membershipStatus": u.membership_str(),
        "platformRoles": org.platform_roles(u), "addedToOrg": iso(u.added_to_org),
        "productAccess": access, "groupIds": u.group_ids, "directRoles": u.roles,
        "managed": u.managed,
    })
}

/// The organization as one JSON document (see interfaces.md).
pub(crate) fn org_json(org: &Org, keys: &[ApiKey], base: &str) -> Value {
    let users: Vec<Value> = org.users.iter().map(|u| user_state(org, u)).collect();
    let groups: Vec<Value> = org
        .groups
        .iter()
        .map(|g| {
            json!({"id": g.id, "name": g.name, "managedBy": g.managed_by, "memberIds": g.member_ids,
                        "defaultFor": g.default_for, "roles": g.roles})
        })
        .collect();
    let sites: Vec<Value> = org
        .sites
        .iter()
        .map(|s| {
            json!({"siteId": s.site_id, "name": s.name, "products": s.products,
                        "clientKey": s.client_key, "baseUrl": format!("{base}/jira/{}", s.name)})
        })
        .collect();
    json!({
        "orgId": org.org_id, "name": org.name, "directoryId": org.directory_id, "domains": org.domains,
        "apiKeys": keys, "sites": sites, "users": users, "groups": groups,
    })
}

async fn org_state(sim: web::Data<Sim>, req: HttpRequest) -> HttpResponse {
    let org = sim.org.read();
    let keys = sim.api_keys.read();
    HttpResponse::Ok().json(org_json(&org, &keys, &base_url(&req)))
}

/// Regenerates the organization from the start configuration and zeroes stats and faults.
async fn reset(sim: web::Data<Sim>) -> HttpResponse {
    let fresh = crate::generator::generate(&sim.config.gen_config());
    *sim.org.write() = fresh;
    sim.stats.reset();
    sim.limits.replace(FaultSettings {
        latency_ms: sim.config.latency_ms,
        rate_limit: sim.config.rate_limit.filter(|r| *r > 0.0),
        burst: sim.config.burst,
        fault_rate: sim.config.fault_rate,
        fail_next: Default::default(),
    });
    sim.touch();
    HttpResponse::NoContent().finish()
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActivityBody {
    product_key: Option<String>,
    site_id: Option<String>,
}

async fn activity(sim: web::Data<Sim>, path: web::Path<String>, bytes: web::Bytes) -> HttpResponse {
    let b: ActivityBody = match body(&bytes) {
        Ok(b) => b,
        Err(e) => return e.into(),
    };
    let Some(product) = b.product_key.as_deref().and_then(Product::parse) else {
        return bad("productKey must be a known product key");
    };
    let mut org = sim.org.write();
    let site = match &b.site_id {
        Some(id) => org.site(id),
        None => org.sites.iter().find(|s| s.products.contains(&product)),
    };
    let Some(site_id) = site
        .filter(|s| s.products.contains(&product))
        .map(|s| s.site_id.clone())
    else {
        return bad("no such product on that site");
    };
    let Some(user) = org.user_mut(&path) else {
        return not_found("unknown accountId");
    };
    let now = Utc::now();
    user.activity
        .retain(|a| !(a.site_id == site_id && a.product == product));
    user.activity.push(Activity {
        site_id: site_id.clone(),
        product,
        at: now,
    });
    sim.touch();
    HttpResponse::Ok().json(json!({"accountId": path.as_str(), "siteId": site_id, "productKey": product.key(), "lastActive": iso(now)}))
}

async fn list_keys(sim: web::Data<Sim>) -> HttpResponse {
    HttpResponse::Ok().json(sim.api_keys.read().clone())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyBody {
    key: Option<String>,
    expires_at: Option<NaiveDate>,
    foreign_org: Option<String>,
}

async fn add_key(sim: web::Data<Sim>, bytes: web::Bytes) -> HttpResponse {
    let b: KeyBody = match body(&bytes) {
        Ok(b) => b,
        Err(e) => return e.into(),
    };
    let today = Utc::now().date_naive();
    let key = ApiKey {
        key: b
            .key
            .unwrap_or_else(|| crate::ids::api_key(&mut rand::thread_rng())),
        expires_at: b.expires_at.unwrap_or(today + chrono::Duration::days(365)),
        foreign_org: b.foreign_org,
    };
    let mut keys = sim.api_keys.write();
    keys.retain(|k| k.key != key.key);
    keys.push(key.clone());
    sim.touch();
    HttpResponse::Created().json(key)
}

async fn delete_key(sim: web::Data<Sim>, path: web::Path<String>) -> HttpResponse {
    let mut keys = sim.api_keys.write();
    let before = keys.len();
    keys.retain(|k| k.key != *path);
    if keys.len() == before {
        return not_found("unknown key");
    }
    sim.touch();
    HttpResponse::NoContent().finish()
}
