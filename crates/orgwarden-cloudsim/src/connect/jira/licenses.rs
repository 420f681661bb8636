//! Who counts against Jira's licenses on a site: application roles (`api/3/applicationrole`),
//! approximate license counts (`api/3/license/approximateLicenseCount`) and the instance license
//! (`api/3/instance/license`). Counts and seats need the app's `ADMIN` scope.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use super::auth::{authenticate, has_scope, jira_error};
use crate::answer::{base_url, Fail};
use crate::model::{site_ari, Group, Product, Site};
use crate::org::Org;
use crate::state::Sim;

const TIERS: [usize; 24] = [
    10, 25, 50, 100, 150, 200, 250, 300, 400, 500, 600, 800, 1000, 1500, 2000, 3000, 4000, 5000,
    7500, 10000, 15000, 20000, 25000, 50000,
];

/// The license tier (seats) that fits `count` users.
fn seats(count: usize) -> usize {
    TIERS
        .iter()
        .copied()
        .find(|t| *t >= count)
        .unwrap_or(count.div_ceil(50000) * 50000)
}

/// Users counting against a product's license on a site: active members with access.
fn users_with(org: &Org, site: &Site, products: &[Product]) -> usize {
    org.users
        .iter()
        .filter(|u| {
            org.active_access(u)
                .iter()
                .any(|(s, p)| *s == site.site_id && products.contains(p))
        })
        .count()
}

fn role_json(org: &Org, site: &Site, key: &str, base: &str) -> Value {
    let products: Vec<Product> = match Product::parse(key) {
        Some(p) => vec![p],
        None => site.jira_products(),
    };
    let aris: Vec<String> = products
        .iter()
        .map(|p| site_ari(p.key(), &site.site_id))
        .collect();
    let detail = |g: &Group| json!({"name": g.name, "groupId": g.id, "self": format!("{base}/jira/{}/rest/api/3/group?groupId={}", site.name, g.id)});
    let granting: Vec<&Group> = org
        .groups
        .iter()
        .filter(|g| g.roles.iter().any(|r| aris.contains(&r.resource)))
        .collect();
    let defaults: Vec<&Group> = granting
        .iter()
        .copied()
        .filter(|g| g.default_for.as_ref().is_some_and(|d| aris.contains(d)))
        .collect();
    let count = users_with(org, site, &products);
    let seats = seats(count);
    let name = Product::parse(key).map(|p| p.name()).unwrap_or("Jira");
    json!({
        "key": key, "name": name,
        "groups": granting.iter().map(|g| &g.name).collect::<Vec<_>>(),
        "groupDetails": granting.iter().map(|g| detail(g)).collect::<Vec<_>>(),
        "defaultGroups": defaults.iter().map(|g| &g.name).collect::<Vec<_>>(),
        "defaultGroupsDetails": defaults.iter().map(|g| detail(g)).collect::<Vec<_>>(),
        "selectedByDefault": false, "defined": false,
        "numberOfSeats": seats, "remainingSeats": seats.saturating_sub(count),
        "userCount": count, "userCountDescription": "users",
        "hasUnlimitedSeats": false, "platform": key == "jira-core",
    })
}

fn admin_site(sim: &Sim, req: &HttpRequest, site: &str) -> Result<(), Fail> {
    let inst = authenticate(sim, req, site)?;
    if !has_scope(&inst, "ADMIN") {
        return Err(jira_error(
            StatusCode::FORBIDDEN,
            "Only Jira administrators can access license details.",
        )
        .into());
    }
    Ok(())
}

pub(super) async fn application_roles(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    if let Err(e) = admin_site(&sim, &req, &path) {
        return e.into();
    }
    let org = sim.org.read();
    let Some(site) = org.site_by_name(&path) else {
        return jira_error(StatusCode::NOT_FOUND, "Site not found");
    };
    let base = base_url(&req);
    let mut roles: Vec<Value> = site
        .jira_products()
        .iter()
        .map(|p| role_json(&org, site, p.key(), &base))
        .collect();
    roles.push(role_json(&org, site, "jira-core", &base));
    HttpResponse::Ok().json(roles)
}

pub(super) async fn application_role(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    if let Err(e) = admin_site(&sim, &req, &path.0) {
        return e.into();
    }
    let org = sim.org.read();
    let Some(site) = org.site_by_name(&path.0) else {
        return jira_error(StatusCode::NOT_FOUND, "Site not found");
    };
    let known = path.1 == "jira-core"
        || Product::parse(&path.1).is_some_and(|p| site.products.contains(&p) && p.is_jira());
    if !known {
        return jira_error(
            StatusCode::NOT_FOUND,
            &format!("The application role with key '{}' does not exist.", path.1),
        );
    }
    HttpResponse::Ok().json(role_json(&org, site, &path.1, &base_url(&req)))
}

pub(super) async fn license_count(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    if let Err(e) = admin_site(&sim, &req, &path) {
        return e.into();
    }
    let org = sim.org.read();
    let Some(site) = org.site_by_name(&path) else {
        return jira_error(StatusCode::NOT_FOUND, "Site not found");
    };
    let n = users_with(&org, site, &site.jira_products());
    HttpResponse::Ok()
        .json(json!({"key": "license.totalApproximateUserCount", "value": n.to_string()}))
}

pub(super) async fn product_license_count(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    if let Err(e) = admin_site(&sim, &req, &path.0) {
        return e.into();
    }
    let org = sim.org.read();
    let Some(site) = org.site_by_name(&path.0) else {
        return jira_error(StatusCode::NOT_FOUND, "Site not found");
    };
    let products = match path.1.as_str() {
        "jira-core" => site.jira_products(),
        key => match Product::parse(key).filter(|p| p.is_jira() && site.products.contains(p)) {
            Some(p) => vec![p],
            None => {
                return jira_error(
                    StatusCode::NOT_FOUND,
                    &format!("Unknown application key {key}"),
                )
            }
        },
    };
    let n = users_with(&org, site, &products);
    HttpResponse::Ok().json(
        json!({"key": format!("license.{}.approximateUserCount", path.1), "value": n.to_string()}),
    )
}

pub(super) async fn instance_license(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    if let Err(e) = authenticate(&sim, &req, &path) {
        return e.into();
    }
    let org = sim.org.read();
    let apps: Vec<Value> = org
        .site_by_name(&path)
        .map(Site::jira_products)
        .unwrap_or_default()
        .iter()
        .map(|p| json!({"id": p.key(), "plan": "PAID"}))
        .collect();
    HttpResponse::Ok().json(json!({"applications": apps}))
}
