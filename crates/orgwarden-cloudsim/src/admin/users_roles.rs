//! U8 `GET …/users/{accountId}/role-assignments`: a user's roles per resource and how each is held.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::errors;
use super::paging::{self, clamp_limit, V2_MAX};
use super::query::QueryParams;
use super::request::check_dir;
use crate::answer::{done, Answer, Fail};
use crate::model::{parse_site_ari, PLATFORM};
use crate::org::Org;
use crate::state::Sim;

/// Filters of U8 and G8, carried in their cursors.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct RoleFilter {
    pub directory_ids: Option<Vec<String>>,
    pub resource_owners: Option<Vec<String>>,
    pub resource_ids: Option<Vec<String>>,
    pub role_ids: Option<Vec<String>>,
    pub limit: usize,
    pub offset: usize,
}

impl RoleFilter {
    /// Reads the filters (or the cursor) from the query.
    pub fn from_params(p: &QueryParams) -> Result<RoleFilter, Fail> {
        if let Some(c) = p.one("cursor") {
            return paging::decode(c).ok_or_else(|| errors::invalid_cursor().into());
        }
        Ok(RoleFilter {
            directory_ids: p.list("directoryIds"),
            resource_owners: p.list("resourceOwners"),
            resource_ids: p.list("resourceIds"),
            role_ids: p.list("roleIds"),
            limit: clamp_limit(p.int("limit").map_err(errors::bad_request)?, 50, V2_MAX),
            offset: 0,
        })
    }

    /// True when the resource passes the owner and id filters.
    pub fn keeps_resource(&self, resource: &str, owner: &str) -> bool {
        self.resource_ids
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|i| i == resource))
            && self
                .resource_owners
                .as_ref()
                .is_none_or(|o| o.iter().any(|x| x.eq_ignore_ascii_case(owner)))
    }

    /// True when the role passes the role filter.
    pub fn keeps_role(&self, role: &str) -> bool {
        self.role_ids
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|i| i == role))
    }

    /// Slices a full list into this page and its links.
    pub fn page(&self, items: Vec<Value>) -> Value {
        let total = items.len();
        let data: Vec<Value> = items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect();
        let mut links = json!({"self": paging::encode(self)});
        if self.offset + self.limit < total {
            let next = RoleFilter {
                offset: self.offset + self.limit,
                ..self.clone()
            };
            links["next"] = json!(paging::encode(&next));
        }
        json!({"data": data, "links": links})
    }
}

/// U8 handler.
pub async fn role_assignments(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
) -> HttpResponse {
    let org = sim.org.read();
    let (org_id, dir, account) = path.into_inner();
    done(user_roles(
        &org,
        &org_id,
        &dir,
        &account,
        &QueryParams::parse(req.query_string()),
    ))
}

fn user_roles(org: &Org, org_id: &str, dir: &str, account: &str, params: &QueryParams) -> Answer {
    check_dir(org, org_id, dir)?;
    let filter = RoleFilter::from_params(params)?;
    let user = org
        .user(account)
        .ok_or_else(|| errors::user_not_found(account))?;
    // resource → role → methods
    let mut by_resource: BTreeMap<String, BTreeMap<String, Vec<&'static str>>> = BTreeMap::new();
    if user.org_admin {
        by_resource
            .entry(format!("ari:cloud:platform::org/{}", org.org_id))
            .or_default()
            .insert("atlassian/org-admin".into(), vec!["direct"]);
    }
    for r in org.effective_roles(user) {
        let methods = by_resource
            .entry(r.resource)
            .or_default()
            .entry(r.role)
            .or_default();
        if !methods.contains(&r.method.as_str()) {
            methods.push(r.method.as_str());
        }
    }
    let mut items = Vec::new();
    for (resource, roles) in by_resource {
        let owner = parse_site_ari(&resource)
            .map(|(o, _)| o.to_string())
            .unwrap_or_else(|| PLATFORM.to_string());
        if !filter.keeps_resource(&resource, &owner) {
            continue;
        }
        let platform = owner == PLATFORM;
        if let Some(ids) = &filter.directory_ids {
            if platform || !ids.iter().any(|d| d == &org.directory_id || d == "-") {
                continue;
            }
        }
        let assignments: Vec<Value> = roles
            .iter()
            .filter(|(role, _)| filter.keeps_role(role))
            .map(|(role, methods)| json!({"role": role, "roleAssignmentMethods": methods}))
            .collect();
        if assignments.is_empty() {
            continue;
        }
        let names: Vec<&String> = roles.keys().filter(|r| filter.keeps_role(r)).collect();
        items.push(json!({
            "resourceId": resource,
            "resourceOwner": owner,
            "roles": names,
            "roleAssignments": assignments,
            "directoryId": if platform { Value::Null } else { json!(org.directory_id) },
            "userDirectoryStatus": if platform { Value::Null } else { json!(user.membership_str()) },
        }));
    }
    Ok(HttpResponse::Ok().json(filter.page(items)))
}
