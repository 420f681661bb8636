//! JSON renderings of users (`MultiDirectoryUser`) and groups (`MultiDirectoryGroup`).

use std::collections::BTreeSet;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::model::{parse_site_ari, site_ari, AccountType, Group, User};
use crate::org::Org;

/// ISO-8601 with milliseconds and `Z`.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

const AVATAR: &str =
    "https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/default-avatar.png";

/// Which expand-only fields to include.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expand {
    /// `platformRoles`.
    pub platform_roles: bool,
    /// `productAccess`.
    pub product_access: bool,
    /// `groups`.
    pub groups: bool,
    /// `counts.resources`.
    pub counts: bool,
    /// U5 extras (`deactivatedOn`, `counts`).
    pub single: bool,
}

/// `links` of an item: `{"self": …}`.
#[derive(Serialize)]
struct SelfLink {
    #[serde(rename = "self")]
    this: String,
}

/// One `productAccess[]` entry.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccessOut {
    key: &'static str,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_active_timestamp: Option<String>,
}

/// One `groups[]` entry.
#[derive(Serialize)]
struct GroupRef<'a> {
    id: &'a str,
    name: &'a str,
    description: Option<&'a str>,
}

/// `counts`.
#[derive(Serialize)]
struct Counts {
    resources: usize,
}

/// A `MultiDirectoryUser`, borrowed from the org and serialized without intermediate values.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserOut<'a> {
    account_id: &'a str,
    account_type: &'static str,
    status: &'static str,
    account_status: &'static str,
    membership_status: &'static str,
    added_to_org: String,
    name: &'a str,
    nickname: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    email_verified: bool,
    claim_status: &'static str,
    management_source: Option<&'static str>,
    mfa_enabled: bool,
    job_title: &'a str,
    department: Option<&'a str>,
    organization: &'a str,
    location: Option<&'a str>,
    time_zone: Option<&'a str>,
    picture: &'static str,
    avatar: &'static str,
    deactivated_on: Option<String>,
    for_deletion: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    platform_roles: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_access: Option<Vec<AccessOut>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    groups: Option<Vec<GroupRef<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counts: Option<Counts>,
    links: SelfLink,
}

/// A `MultiDirectoryUser`.
pub fn user_json<'a>(org: &'a Org, u: &'a User, expand: Expand) -> UserOut<'a> {
    let source = match u.account_type {
        AccountType::Atlassian if u.synced => Some("synced"),
        AccountType::Atlassian => Some("invited"),
        _ => None,
    };
    let groups = expand.groups.then(|| {
        u.group_ids
            .iter()
            .filter_map(|g| org.group(g))
            .map(|g| GroupRef {
                id: &g.id,
                name: &g.name,
                description: g.description.as_deref(),
            })
            .collect()
    });
    let counts = (expand.counts || expand.single).then(|| {
        let resources: BTreeSet<String> = org
            .effective_roles(u)
            .into_iter()
            .map(|r| r.resource)
            .collect();
        Counts {
            resources: resources.len(),
        }
    });
    UserOut {
        account_id: &u.account_id,
        account_type: u.account_type_str(),
        status: u.status(),
        account_status: u.account_status_str(),
        membership_status: u.membership_str(),
        added_to_org: iso(u.added_to_org),
        name: &u.name,
        nickname: &u.nickname,
        email: u.email.as_deref(),
        email_verified: u.email.is_some(),
        claim_status: if u.managed { "managed" } else { "unmanaged" },
        management_source: source,
        mfa_enabled: u.mfa_enabled,
        job_title: u.job_title.as_deref().unwrap_or_default(),
        department: u.department.as_deref(),
        organization: &org.name,
        location: None,
        time_zone: None,
        picture: AVATAR,
        avatar: AVATAR,
        deactivated_on: u.deactivated_on.map(iso),
        for_deletion: false,
        platform_roles: expand.platform_roles.then(|| org.platform_roles(u)),
        product_access: expand.product_access.then(|| product_access(org, u)),
        groups,
        counts,
        links: SelfLink {
            this: super::paging::encode(&u.account_id),
        },
    }
}

/// `productAccess[]`: products in effect now, with the last-active time when known.
fn product_access(org: &Org, u: &User) -> Vec<AccessOut> {
    org.active_access(u)
        .into_iter()
        .map(|(site, product)| AccessOut {
            key: product.key(),
            id: site_ari(product.key(), &site),
            last_active_timestamp: u
                .activity
                .iter()
                .find(|a| a.site_id == site && a.product == product)
                .map(|a| iso(a.at)),
        })
        .collect()
}

/// A `MultiDirectoryGroup`; `counts` when asked for (always on G4).
pub fn group_json(org: &Org, g: &Group, users: bool, resources: bool) -> Value {
    let external = g.is_external();
    let mut v = json!({
        "id": g.id,
        "name": g.name,
        "description": g.description,
        "directoryId": org.directory_id,
        "managementAccess": {"deletable": g.deletable(), "modifiable": !external, "readable": true},
        "externalSynced": external,
        "managedBy": g.managed_by,
        "links": {"self": super::paging::encode(&g.id)},
    });
    if users || resources {
        let mut counts = Map::new();
        if users {
            counts.insert("users".into(), json!(g.member_ids.len()));
        }
        if resources {
            let res: BTreeSet<&str> = g
                .roles
                .iter()
                .filter(|r| parse_site_ari(&r.resource).is_some())
                .map(|r| r.resource.as_str())
                .collect();
            counts.insert("resources".into(), json!(res.len()));
        }
        v["counts"] = Value::Object(counts);
    }
    v
}
