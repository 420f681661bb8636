//! Group filters of G1/G2/G11: AND across filters, OR within one filter's values.

use serde::{Deserialize, Serialize};

use super::query::QueryParams;
use crate::model::{parse_site_ari, Group};
use crate::org::Org;

/// One `sortBy` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct SortBy {
    /// Only `name` is supported.
    field: String,
    /// `asc` (default) or `desc`.
    #[serde(default)]
    direction: Option<String>,
}

/// Filters, expands, sort and limit of a group search (G1 body, G2/G11 query parameters).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct GroupQuery {
    #[serde(default)]
    account_ids: Option<Vec<String>>,
    #[serde(default)]
    directory_ids: Option<Vec<String>>,
    #[serde(default)]
    role_ids: Option<Vec<String>>,
    #[serde(default)]
    resource_owners: Option<Vec<String>>,
    #[serde(default)]
    resource_ids: Option<Vec<String>>,
    #[serde(default)]
    search_term: Option<String>,
    #[serde(default)]
    group_ids: Option<Vec<String>>,
    #[serde(default)]
    group_names: Option<Vec<String>>,
    #[serde(default)]
    expand: Option<Vec<String>>,
    #[serde(default)]
    sort_by: Option<Vec<SortBy>>,
    /// Page size asked for.
    #[serde(default)]
    pub(super) limit: Option<i64>,
}

impl GroupQuery {
    /// Reads the G2/G11 query parameters.
    pub(super) fn from_params(p: &QueryParams) -> Result<GroupQuery, String> {
        let flag = |names: [&str; 3]| -> Result<bool, String> {
            for n in names {
                if let Some(v) = p.bool(n)? {
                    return Ok(v);
                }
            }
            Ok(false)
        };
        let mut expand = Vec::new();
        if flag([
            "includeUsers",
            "counts.includeUsers",
            "counts[includeUsers]",
        ])? {
            expand.push("counts.users".to_string());
        }
        if flag([
            "includeResources",
            "counts.includeResources",
            "counts[includeResources]",
        ])? {
            expand.push("counts.resources".to_string());
        }
        Ok(GroupQuery {
            account_ids: p.list("accountIds"),
            directory_ids: p.list("directoryIds"),
            role_ids: p.list("roleIds"),
            resource_owners: p.list("resourceOwners"),
            resource_ids: p.list("resourceIds"),
            search_term: p.one("searchTerm").map(str::to_string),
            group_ids: p.list("groupIds"),
            group_names: None,
            expand: (!expand.is_empty()).then_some(expand),
            sort_by: p.one("sortBy").map(|s| {
                let (field, dir) = s.split_once(':').unwrap_or((s, "asc"));
                vec![SortBy {
                    field: field.into(),
                    direction: Some(dir.into()),
                }]
            }),
            limit: p.int("limit")?,
        })
    }

    /// Rejects contradictory or unknown values, as the API answers 400.
    pub(super) fn validate(&self) -> Result<(), String> {
        if self.group_names.is_some() && (self.search_term.is_some() || self.group_ids.is_some()) {
            return Err("groupNames is mutually exclusive with searchTerm and groupIds".into());
        }
        for s in self.sort_by.iter().flatten() {
            if s.field != "name"
                || !matches!(s.direction.as_deref(), None | Some("asc") | Some("desc"))
            {
                return Err(format!("sortBy: unsupported {s:?}"));
            }
        }
        for e in self.expand.iter().flatten() {
            if e != "counts.users" && e != "counts.resources" {
                return Err(format!("expand: unsupported value {e:?}"));
            }
        }
        Ok(())
    }

    /// True when `expand` asks for `name`.
    pub(super) fn expands(&self, name: &str) -> bool {
        self.expand.iter().flatten().any(|e| e == name)
    }

    /// True when sorted by name descending.
    pub(super) fn descending(&self) -> bool {
        self.sort_by
            .iter()
            .flatten()
            .any(|s| s.direction.as_deref() == Some("desc"))
    }

    /// True when the group passes every filter.
    pub(super) fn matches(&self, org: &Org, g: &Group) -> bool {
        let any = |list: &Option<Vec<String>>, f: &dyn Fn(&str) -> bool| {
            list.as_ref().is_none_or(|v| v.iter().any(|x| f(x)))
        };
        let owner_of = |ari: &str| {
            parse_site_ari(ari)
                .map(|(o, _)| o.to_string())
                .unwrap_or_default()
        };
        any(&self.account_ids, &|a| g.member_ids.contains(a))
            && any(&self.directory_ids, &|d| d == org.directory_id || d == "-")
            && any(&self.role_ids, &|r| g.roles.iter().any(|x| x.role == r))
            && any(&self.resource_ids, &|r| {
                g.roles.iter().any(|x| x.resource == r)
            })
            && any(&self.resource_owners, &|o| {
                g.roles
                    .iter()
                    .any(|x| owner_of(&x.resource).eq_ignore_ascii_case(o))
            })
            && any(&self.group_ids, &|i| g.id == i)
            && any(&self.group_names, &|n| g.name.eq_ignore_ascii_case(n))
            && self
                .search_term
                .as_ref()
                .is_none_or(|t| g.name.to_lowercase().contains(&t.to_lowercase()))
    }
}
