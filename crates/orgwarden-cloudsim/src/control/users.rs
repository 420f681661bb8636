//! People: `POST /__sim/users` adds an account (tests and demos need specific people) and
//! `POST /__sim/users/{accountId}/activity` marks one active on a product now.

use std::collections::BTreeSet;

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;

use super::json::{bad, body, not_found};
use super::org::user_state;
use crate::admin::user_json::iso;
use crate::model::{
    site_ari, AccountStatus, AccountType, Activity, Membership, Product, RoleGrant, User,
};
use crate::state::Sim;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProductSpec {
    site_id: Option<String>,
    product_key: String,
    /// Grant the role directly instead of through the default access group.
    #[serde(default)]
    direct: bool,
    /// Last active time on it (none = never).
    last_active: Option<DateTime<Utc>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewUser {
    account_id: Option<String>,
    name: Option<String>,
    email: Option<String>,
    account_type: Option<AccountType>,
    status: Option<String>,
    #[serde(default)]
    products: Vec<ProductSpec>,
    #[serde(default)]
    group_ids: Vec<String>,
    #[serde(default)]
    org_admin: bool,
    added_to_org: Option<DateTime<Utc>>,
}

/// Adds a user; answers 201 with the user as `/__sim/org` shows it.
pub(super) async fn add_user(sim: web::Data<Sim>, bytes: web::Bytes) -> HttpResponse {
    let b: NewUser = match body(&bytes) {
        Ok(b) => b,
        Err(e) => return e.into(),
    };
    let Some(name) = b.name.filter(|n| !n.trim().is_empty()) else {
        return bad("name is required");
    };
    let (account_status, membership) = match b.status.as_deref().unwrap_or("active") {
        "active" => (AccountStatus::Active, Membership::Active),
        "suspended" => (AccountStatus::Active, Membership::Suspended),
        "not_invited" => (AccountStatus::Active, Membership::NoMembership),
        "deactivated" => (AccountStatus::Inactive, Membership::Active),
        other => return bad(format!("unknown status {other:?}")),
    };
    let mut org = sim.org.write();
    let account_id = b
        .account_id
        .unwrap_or_else(|| format!("712020:{}", crate::ids::uuid(&mut rand::thread_rng())));
    if org.user(&account_id).is_some() {
        return HttpResponse::Conflict()
            .json(json!({"error": {"code": "conflict", "message": "accountId exists"}}));
    }
    let account_type = b.account_type.unwrap_or(AccountType::Atlassian);
    let email = b.email.or_else(|| {
        (account_type != AccountType::App).then(|| {
            let local: String = name
                .to_lowercase()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            format!(
                "{local}@{}",
                org.domains
                    .first()
                    .map(String::as_str)
                    .unwrap_or("example.com")
            )
        })
    });
    let managed = email
        .as_deref()
        .and_then(|e| e.rsplit_once('@'))
        .is_some_and(|(_, d)| org.domains.iter().any(|x| x.eq_ignore_ascii_case(d)));
    let mut user = User {
        account_id: account_id.clone(),
        account_type,
        nickname: name.split(' ').next().unwrap_or(&name).to_string(),
        name: name.clone(),
        email,
        account_status,
        membership,
        added_to_org: b.added_to_org.unwrap_or_else(Utc::now),
        managed,
        synced: false,
        mfa_enabled: false,
        job_title: None,
        department: None,
        org_admin: b.org_admin,
        roles: Vec::new(),
        group_ids: BTreeSet::new(),
        activity: Vec::new(),
        deactivated_on: (account_status == AccountStatus::Inactive).then(Utc::now),
    };
    let mut groups: Vec<String> = Vec::new();
    for spec in &b.products {
        let Some(product) = Product::parse(&spec.product_key) else {
            return bad(format!("unknown productKey {:?}", spec.product_key));
        };
        let site = match &spec.site_id {
            Some(id) => org.site(id),
            None => org.sites.iter().find(|s| s.products.contains(&product)),
        };
        let Some(site) = site.filter(|s| s.products.contains(&product)) else {
            return bad(format!("{} is not on that site", spec.product_key));
        };
        let ari = site_ari(product.key(), &site.site_id);
        let default_group = org
            .groups
            .iter()
            .find(|g| g.default_for.as_deref() == Some(&ari))
            .map(|g| g.id.clone());
        match default_group {
            Some(gid) if !spec.direct => groups.push(gid),
            _ => user.roles.push(RoleGrant {
                resource: ari,
                role: "atlassian/user".into(),
            }),
        }
        if let Some(at) = spec.last_active {
            user.activity.push(Activity {
                site_id: site.site_id.clone(),
                product,
                at,
            });
        }
    }
    for gid in &b.group_ids {
        if org.group(gid).is_none() {
            return bad(format!("unknown group {gid}"));
        }
        groups.push(gid.clone());
    }
    user.group_ids = groups.iter().cloned().collect();
    org.push_user(user);
    for gid in &groups {
        if let Some(g) = org.group_mut(gid) {
            g.member_ids.insert(account_id.clone());
        }
    }
    let subject = org.user_object(&account_id);
    org.record(
        crate::events::action::USER_ADDED_TO_ORG,
        "cloudsim",
        vec![subject],
        "Added user to the organization".into(),
    );
    sim.touch();
    let created = org
        .user(&account_id)
        .map(|u| user_state(&org, u))
        .unwrap_or_default();
    HttpResponse::Created().json(created)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActivityBody {
    product_key: Option<String>,
    site_id: Option<String>,
}

/// Marks a user active on a product of a site now; answers the new last-active date.
pub(super) async fn activity(
    sim: web::Data<Sim>,
    path: web::Path<String>,
    bytes: web::Bytes,
) -> HttpResponse {
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
