//! User filters of U3/U4/U6 (`MultiDirectoryUserSearchRequest`): AND across filters, OR within
//! one filter's values.

use serde::{Deserialize, Serialize};

use super::query::QueryParams;
use crate::model::User;
use crate::org::Org;

/// One `sortBy` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SortBy {
    /// Only `nick_name` is supported, as documented.
    pub field: String,
    /// `asc` (default) or `desc`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
}

/// Filters, expands, sort and limit of a user search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub directory_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_status: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership_status: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_ids: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_domains: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search_term: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emails: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expand: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_by: Option<Vec<SortBy>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
}

const STATUSES: [&str; 5] = [
    "active",
    "suspended",
    "not_invited",
    "deactivated",
    "for_deletion",
];
const ACCOUNT_STATUSES: [&str; 3] = ["active", "inactive", "closed"];
const MEMBERSHIP_STATUSES: [&str; 3] = ["active", "suspended", "no_membership"];
const EXPANDS: [&str; 4] = [
    "platformRoles",
    "counts.resources",
    "productAccess",
    "groups",
];

fn check_enum(name: &str, values: &Option<Vec<String>>, allowed: &[&str]) -> Result<(), String> {
    for v in values.iter().flatten() {
        if !allowed.contains(&v.as_str()) {
            return Err(format!("{name}: unsupported value {v:?}"));
        }
    }
    Ok(())
}

impl UserQuery {
    /// Reads the U4/U6 query parameters.
    pub fn from_params(p: &QueryParams) -> Result<UserQuery, String> {
        let sort_by = p.one("sortBy").map(|s| {
            let (field, direction) = s.split_once(':').unwrap_or((s, "asc"));
            vec![SortBy {
                field: field.to_string(),
                direction: Some(direction.to_string()),
            }]
        });
        Ok(UserQuery {
            account_ids: p.list("accountIds"),
            directory_ids: p.list("directoryIds"),
            resource_ids: p.list("resourceIds"),
            group_ids: p.list("groupIds"),
            mfa_enabled: p.bool("mfaEnabled")?,
            claim_status: p.one("claimStatus").map(str::to_string),
            status: p.list("status"),
            account_status: p.list("accountStatus"),
            membership_status: p.list("membershipStatus"),
            role_ids: p.list("roleIds"),
            email_domains: p.list("emailDomains"),
            search_term: p.one("searchTerm").map(str::to_string),
            emails: None,
            expand: p.list("expand"),
            sort_by,
            limit: p.int("limit")?,
        })
    }

    /// Rejects contradictory or unknown values, as the API answers 400.
    pub fn validate(&self) -> Result<(), String> {
        if self.search_term.is_some() && self.emails.is_some() {
            return Err("searchTerm and emails are mutually exclusive".into());
        }
        check_enum("status", &self.status, &STATUSES)?;
        check_enum("accountStatus", &self.account_status, &ACCOUNT_STATUSES)?;
        check_enum(
            "membershipStatus",
            &self.membership_status,
            &MEMBERSHIP_STATUSES,
        )?;
        check_enum("expand", &self.expand, &EXPANDS)?;
        if let Some(c) = &self.claim_status {
            if c != "managed" && c != "unmanaged" {
                return Err(format!("claimStatus: unsupported value {c:?}"));
            }
        }
        if let Some(sort) = &self.sort_by {
            if sort.len() > 1 {
                return Err("sortBy takes one entry".into());
            }
            for s in sort {
                if s.field != "nick_name" {
                    return Err(format!("sortBy: unsupported field {:?}", s.field));
                }
                if let Some(d) = &s.direction {
                    if d != "asc" && d != "desc" {
                        return Err(format!("sortBy: unsupported direction {d:?}"));
                    }
                }
            }
        }
        Ok(())
    }

    /// `Some(desc)` when sorted by nickname.
    pub fn name_sort(&self) -> Option<bool> {
        let s = self.sort_by.as_ref()?.first()?;
        Some(s.direction.as_deref() == Some("desc"))
    }

    /// True when `expand` asks for `name`.
    pub fn expands(&self, name: &str) -> bool {
        self.expand.iter().flatten().any(|e| e == name)
    }

    /// True when the user passes every filter.
    pub fn matches(&self, org: &Org, u: &User) -> bool {
        let any = |list: &Option<Vec<String>>, f: &dyn Fn(&str) -> bool| match list {
            None => true,
            Some(values) => values.iter().any(|v| f(v)),
        };
        if !any(&self.account_ids, &|v| v == u.account_id) {
            return false;
        }
        if !any(&self.directory_ids, &|v| v == org.directory_id || v == "-") {
            return false;
        }
        if !any(&self.status, &|v| v == u.status())
            || !any(&self.account_status, &|v| v == u.account_status_str())
            || !any(&self.membership_status, &|v| v == u.membership_str())
        {
            return false;
        }
        if self.mfa_enabled.is_some_and(|m| m != u.mfa_enabled) {
            return false;
        }
        if let Some(c) = &self.claim_status {
            if (c == "managed") != u.managed {
                return false;
            }
        }
        if !any(&self.group_ids, &|v| u.group_ids.contains(v)) {
            return false;
        }
        let domain = u.email_domain();
        if !any(&self.email_domains, &|v| {
            domain.as_deref() == Some(v.to_ascii_lowercase().as_str())
        }) {
            return false;
        }
        if !any(&self.emails, &|v| {
            u.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(v))
        }) {
            return false;
        }
        if let Some(term) = &self.search_term {
            let term = term.to_lowercase();
            let hit = u.name.to_lowercase().contains(&term)
                || u.nickname.to_lowercase().contains(&term)
                || u.email
                    .as_deref()
                    .is_some_and(|e| e.to_lowercase().contains(&term));
            if !hit {
                return false;
            }
        }
        if self.resource_ids.is_some() || self.role_ids.is_some() {
            let roles = org.effective_roles(u);
            if !any(&self.resource_ids, &|v| {
                roles.iter().any(|r| r.resource == v)
            }) {
                return false;
            }
            let has_role = |v: &str| {
                (v == "atlassian/org-admin" && u.org_admin) || roles.iter().any(|r| r.role == v)
            };
            if !any(&self.role_ids, &has_role) {
                return false;
            }
        }
        true
    }
}
