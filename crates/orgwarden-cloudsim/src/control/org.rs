//! The organization as tests see it: `GET /__sim/org` (everything as one document, granted
//! access regardless of suspension) and `POST /__sim/reset` (regenerated from the start flags).

use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

use crate::admin::user_json::iso;
use crate::answer::base_url;
use crate::config::ApiKey;
use crate::limits::FaultSettings;
use crate::model::User;
use crate::org::Org;
use crate::state::Sim;

/// One user as `/__sim/org` shows it.
pub(super) fn user_state(org: &Org, u: &User) -> Value {
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
fn org_json(org: &Org, keys: &[ApiKey], base: &str) -> Value {
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

/// The organization, its API keys and its sites' Jira base URLs.
pub(super) async fn org_state(sim: web::Data<Sim>, req: HttpRequest) -> HttpResponse {
    let org = sim.org.read();
    let keys = sim.api_keys.read();
    HttpResponse::Ok().json(org_json(&org, &keys, &base_url(&req)))
}

/// Regenerates the organization from the start configuration and zeroes stats and faults.
pub(super) async fn reset(sim: web::Data<Sim>) -> HttpResponse {
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
