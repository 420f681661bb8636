//! Turns a [`Filter`] into the `FROM … WHERE` of a query over `org_users u`. Tenant and generation
//! are always the first conditions, so no query can read another tenant's rows.
//!
//! A filter on one product of one site (the dashboard tile's filter) reads that product's access
//! rows `a` directly: a user has at most one access row per product and site, so joining yields
//! each user once and activity is judged on that row ([`Drive`] says which side leads).

use chrono::{Duration, NaiveDateTime};

use super::filter::{Filter, Role};
use super::places::within_rows;
use super::scope_clause::{
    activity, close_probe, count_pair_inactive, pair_rows, usable_pair, Scope,
};
use crate::sql::{contains_pattern, Bind, Sql};

/// How a query whose filter is one product on one site reads its rows (other filters always
/// read `org_users u`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Drive {
    /// Walk the users (by the index the caller orders by) and probe each one's access row by
    /// primary key: pages of broad filters, exports, explicit id lists.
    Users,
    /// Read the scope index and join the matching users: pages of narrow filters.
    Scope,
    /// Counting: like `Scope`, without reading the users at all when no condition needs them.
    Count,
}

/// Appends `FROM … WHERE …` for `filter` over `org_users u` (joined to `user_access a` for one
/// product on one site, see [`Drive`]); callers select and order by `u` columns only, except a
/// [`Drive::Count`], which may select only `COUNT(*)`, and a [`Drive::Scope`] page whose filter
/// reads one product of one site ([`usable_pair`]), which may order by `a.last_active`.
pub(crate) fn from_where(
    sql: &mut Sql,
    tenant_id: &str,
    generation: i64,
    filter: &Filter,
    drive: Drive,
    now: NaiveDateTime,
) {
    let pair = usable_pair(filter);
    match (pair, drive) {
        (Some(pair), Drive::Count) if !has_user_conditions(filter) => {
            sql.push(" FROM user_access a WHERE ");
            pair_rows(sql, (tenant_id, generation), pair, filter, false, now);
            return;
        }
        (Some(pair), Drive::Scope | Drive::Count) => {
            sql.push(" FROM user_access a JOIN org_users u ON u.tenant_id = a.tenant_id AND u.generation = a.generation AND u.account_id = a.account_id WHERE ");
            pair_rows(sql, (tenant_id, generation), pair, filter, true, now);
            sql.push(" AND ");
        }
        _ => {
            sql.push(" FROM org_users u WHERE ");
        }
    }
    same_mirror(sql, "u", tenant_id, generation);
    if let Some(within) = needed_within(filter) {
        within_clause(sql, tenant_id, generation, within);
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        // The sync lower-cased name and email into one column; the pattern is lower-cased the
        // same way, so neither backend folds case per row.
        sql.push(" AND u.search_text LIKE ")
            .bind(Bind::Text(contains_pattern(search)))
            .push(" ESCAPE '\\'");
    }
    if !filter.statuses.is_empty() {
        sql.push(" AND u.status IN ")
            .bind_list(filter.statuses.iter().map(|s| s.as_api()));
    }
    if !filter.account_types.is_empty() {
        sql.push(" AND u.account_type IN ")
            .bind_list(filter.account_types.iter().map(|t| t.as_api()));
    }
    if !filter.email_domains.is_empty() {
        let domains: Vec<String> = filter
            .email_domains
            .iter()
            .map(|d| d.trim().to_lowercase())
            .collect();
        sql.push(" AND u.email_domain IN ")
            .bind_list(domains.iter().map(String::as_str));
    }
    if let Some(billable) = filter.billable {
        sql.push(" AND u.billable = ").bind(Bind::Bool(billable));
    }
    if !filter.groups.is_empty() {
        // Walking the users (a page of a broad filter), probe each one's memberships by primary
        // key and stop after a page; else collect the members once.
        let correlated = drive == Drive::Users;
        sql.push(if correlated {
            " AND EXISTS (SELECT 1 FROM group_members m WHERE "
        } else {
            " AND u.account_id IN (SELECT m.account_id FROM group_members m WHERE "
        });
        same_mirror(sql, "m", tenant_id, generation);
        if correlated {
            sql.push(" AND m.account_id = u.account_id");
        }
        sql.push(" AND m.group_id IN ")
            .bind_list(filter.groups.iter().map(String::as_str));
        close_probe(sql, correlated);
    }
    if !filter.roles.is_empty() {
        sql.push(" AND (");
        for (i, role) in filter.roles.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            role_condition(sql, tenant_id, generation, *role);
        }
        sql.push(")");
    }
    match pair {
        Some(pair) if drive == Drive::Users => {
            sql.push(" AND EXISTS (SELECT 1 FROM user_access a WHERE ");
            pair_rows(sql, (tenant_id, generation), pair, filter, true, now);
            sql.push(" AND a.account_id = u.account_id");
            close_probe(sql, true);
        }
        Some(_) => {}
        None => {
            let scope = Scope {
                tenant_id,
                generation,
                filter,
                correlated: drive == Drive::Users,
            };
            activity(sql, scope, now);
        }
    }
}

/// `SELECT … AS n`: how many users match `filter`.
pub(crate) fn count(
    sql: &mut Sql,
    tenant_id: &str,
    generation: i64,
    filter: &Filter,
    now: NaiveDateTime,
) {
    match (usable_pair(filter), filter.inactive_days) {
        (Some(pair), Some(days))
            if !has_user_conditions(filter) && filter.never_active != Some(true) =>
        {
            let cutoff = now - Duration::days(days);
            count_pair_inactive(sql, (tenant_id, generation), pair, cutoff);
        }
        _ if !filter.groups.is_empty() && !sql.is_postgres() => {
            // The users matching everything else, intersected with the groups' members: both
            // come in account-id order from their indexes, so SQLite merges them instead of
            // probing one side for each of tens of thousands of ids (PostgreSQL hash-joins the
            // plain form faster than it intersects).
            let rest = Filter {
                groups: Vec::new(),
                ..filter.clone()
            };
            sql.push("SELECT COUNT(*) AS n FROM (SELECT u.account_id");
            from_where(sql, tenant_id, generation, &rest, Drive::Scope, now);
            sql.push(" INTERSECT SELECT m.account_id FROM group_members m WHERE ");
            same_mirror(sql, "m", tenant_id, generation);
            sql.push(" AND m.group_id IN ")
                .bind_list(filter.groups.iter().map(String::as_str))
                .push(" ORDER BY 1) matching");
        }
        _ => {
            sql.push("SELECT COUNT(*) AS n");
            from_where(sql, tenant_id, generation, filter, Drive::Count, now);
        }
    }
}

/// Whether the filter has a condition on the users themselves (beyond product and activity).
fn has_user_conditions(filter: &Filter) -> bool {
    filter
        .search
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty())
        || !filter.statuses.is_empty()
        || !filter.account_types.is_empty()
        || !filter.email_domains.is_empty()
        || filter.billable.is_some()
        || !filter.groups.is_empty()
        || !filter.roles.is_empty()
        || needed_within(filter).is_some()
}

/// The places a limited caller administers, unless the query reads the access rows of one
/// product of one site they administer ([`usable_pair`]): every matching user has one.
fn needed_within(filter: &Filter) -> Option<&[crate::access::Administered]> {
    filter
        .within
        .as_deref()
        .filter(|_| usable_pair(filter).is_none())
}

/// ` AND` the user has access to one of `within` (nothing when it is empty).
fn within_clause(
    sql: &mut Sql,
    tenant_id: &str,
    generation: i64,
    within: &[crate::access::Administered],
) {
    if within.is_empty() {
        sql.push(" AND 1 = 0");
        return;
    }
    sql.push(" AND EXISTS (SELECT 1 FROM user_access w WHERE ");
    same_mirror(sql, "w", tenant_id, generation);
    sql.push(" AND w.account_id = u.account_id");
    within_rows(sql, "w", within);
    sql.push(")");
}

/// `x.tenant_id = … AND x.generation = …` for the table aliased `alias`.
pub(crate) fn same_mirror(sql: &mut Sql, alias: &str, tenant_id: &str, generation: i64) {
    sql.push(&format!("{alias}.tenant_id = "))
        .bind(Bind::Text(tenant_id.to_string()))
        .push(&format!(" AND {alias}.generation = "))
        .bind(Bind::Int(generation));
}

/// Members of a group granting `role` (on any product), as `u.account_id [NOT] IN (…)`.
/// On PostgreSQL, holders are `= ANY (ARRAY(…))`: the planner cannot know that the groups
/// granting a role are small and would hash every user; the array is read first, then each
/// holder is found by primary key.
fn granted_role(sql: &mut Sql, tenant_id: &str, generation: i64, role: &str, holds: bool) {
    let array = holds && sql.is_postgres();
    sql.push(match (holds, array) {
        (true, true) => "u.account_id = ANY (ARRAY(",
        (true, false) => "u.account_id IN (",
        (false, _) => "u.account_id NOT IN (",
    })
    .push("SELECT m.account_id FROM group_grants g JOIN group_members m ON m.tenant_id = g.tenant_id AND m.generation = g.generation AND m.group_id = g.group_id WHERE ");
    same_mirror(sql, "g", tenant_id, generation);
    // A grant on no site (an organization-level resource) grants no product's role.
    sql.push(" AND g.site_id <> '' AND g.role = ")
        .bind(Bind::Text(role.to_owned()))
        .push(if array { "))" } else { ")" });
}

fn role_condition(sql: &mut Sql, tenant_id: &str, generation: i64, role: Role) {
    match role {
        // Literal TRUE: the partial indexes of these two flags match only a literal predicate.
        Role::OrgAdmin => {
            sql.push("u.org_admin = TRUE");
        }
        Role::SiteAdmin => {
            sql.push("u.site_admin = TRUE");
        }
        Role::UserAccessAdmin => {
            sql.push("u.user_access_admin = ").bind(Bind::Bool(true));
        }
        Role::ProductAdmin => granted_role(sql, tenant_id, generation, "atlassian/admin", true),
        Role::Guest => granted_role(sql, tenant_id, generation, "atlassian/guest", true),
        Role::Customer => {
            sql.push("u.account_type = ")
                .bind(Bind::Text("customer".into()));
        }
        Role::Basic => {
            sql.push("(u.org_admin = ")
                .bind(Bind::Bool(false))
                .push(" AND u.site_admin = ")
                .bind(Bind::Bool(false))
                .push(" AND u.user_access_admin = ")
                .bind(Bind::Bool(false))
                .push(" AND ");
            granted_role(sql, tenant_id, generation, "atlassian/admin", false);
            sql.push(")");
        }
    }
}
