//! Turns a [`Filter`] into the `WHERE` of a query over `org_users u`. Tenant and generation are
//! always the first conditions, so no query can read another tenant's rows.

use chrono::{Duration, NaiveDateTime};

use super::filter::{Filter, Role};
use crate::sql::{contains_pattern, Bind, Sql};

/// Appends `FROM org_users u WHERE …` for `filter`.
pub(crate) fn from_where(
    sql: &mut Sql,
    tenant_id: &str,
    generation: i64,
    filter: &Filter,
    now: NaiveDateTime,
) {
    sql.push(" FROM org_users u WHERE u.tenant_id = ")
        .bind(Bind::Text(tenant_id.to_owned()))
        .push(" AND u.generation = ")
        .bind(Bind::Int(generation));
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let pattern = contains_pattern(search);
        sql.push(" AND (LOWER(u.name) LIKE ")
            .bind(Bind::Text(pattern.clone()))
            .push(" ESCAPE '\\' OR LOWER(u.email) LIKE ")
            .bind(Bind::Text(pattern))
            .push(" ESCAPE '\\')");
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
        sql.push(" AND u.account_id IN (SELECT m.account_id FROM group_members m WHERE ");
        same_mirror(sql, "m", tenant_id, generation);
        sql.push(" AND m.group_id IN ")
            .bind_list(filter.groups.iter().map(String::as_str))
            .push(")");
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
    activity(sql, tenant_id, generation, filter, now);
}

/// `x.tenant_id = … AND x.generation = …` for the table aliased `alias`.
fn same_mirror(sql: &mut Sql, alias: &str, tenant_id: &str, generation: i64) {
    sql.push(&format!("{alias}.tenant_id = "))
        .bind(Bind::Text(tenant_id.to_owned()))
        .push(&format!(" AND {alias}.generation = "))
        .bind(Bind::Int(generation));
}

/// Members of a group granting `role` (on any product), as `u.account_id [NOT] IN (…)`.
fn granted_role(sql: &mut Sql, tenant_id: &str, generation: i64, role: &str, holds: bool) {
    sql.push(if holds { "u.account_id IN " } else { "u.account_id NOT IN " })
        .push("(SELECT m.account_id FROM group_grants g JOIN group_members m ON m.tenant_id = g.tenant_id AND m.generation = g.generation AND m.group_id = g.group_id WHERE ");
    same_mirror(sql, "g", tenant_id, generation);
    sql.push(" AND g.role = ")
        .bind(Bind::Text(role.to_owned()))
        .push(")");
}

fn role_condition(sql: &mut Sql, tenant_id: &str, generation: i64, role: Role) {
    match role {
        Role::OrgAdmin => {
            sql.push("u.org_admin = ").bind(Bind::Bool(true));
        }
        Role::SiteAdmin => {
            sql.push("u.site_admin = ").bind(Bind::Bool(true));
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

/// `u.account_id [NOT] IN (account ids of the access rows the filter is about …` (products and
/// sites); the caller adds conditions on `a` and closes the parenthesis.
fn scoped_ids(sql: &mut Sql, tenant_id: &str, generation: i64, filter: &Filter, holds: bool) {
    sql.push(if holds {
        "u.account_id IN "
    } else {
        "u.account_id NOT IN "
    })
    .push("(SELECT a.account_id FROM user_access a WHERE ");
    same_mirror(sql, "a", tenant_id, generation);
    if !filter.sites.is_empty() {
        sql.push(" AND a.site_id IN ")
            .bind_list(filter.sites.iter().map(String::as_str));
    }
    if !filter.products.is_empty() {
        sql.push(" AND (");
        for (i, product) in filter.products.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push("(a.product_key = ")
                .bind(Bind::Text(product.product_key.clone()));
            if let Some(site) = &product.site_id {
                sql.push(" AND a.site_id = ").bind(Bind::Text(site.clone()));
            }
            sql.push(")");
        }
        sql.push(")");
    }
}

/// Product/site membership and inactivity. With a product or site filter, activity is judged
/// on those products only: a user is inactive when no scoped product was used since the cutoff
/// (a never-used product counts from when the user joined).
fn activity(sql: &mut Sql, tenant_id: &str, generation: i64, filter: &Filter, now: NaiveDateTime) {
    let scoped = !filter.products.is_empty() || !filter.sites.is_empty();
    let cutoff = filter.inactive_days.map(|days| now - Duration::days(days));
    let never = filter.never_active == Some(true);
    if scoped {
        sql.push(" AND ");
        scoped_ids(sql, tenant_id, generation, filter, true);
        sql.push(")");
        if let Some(cutoff) = cutoff {
            sql.push(" AND ");
            scoped_ids(sql, tenant_id, generation, filter, false);
            sql.push(" AND a.last_active >= ")
                .bind(Bind::Time(cutoff))
                .push(") AND (u.added_to_org IS NULL OR u.added_to_org < ")
                .bind(Bind::Time(cutoff))
                .push(" OR ");
            scoped_ids(sql, tenant_id, generation, filter, false);
            sql.push(" AND a.last_active IS NULL))");
        }
        if never {
            sql.push(" AND ");
            scoped_ids(sql, tenant_id, generation, filter, false);
            sql.push(" AND a.last_active IS NOT NULL)");
        }
    } else {
        if let Some(cutoff) = cutoff {
            sql.push(" AND COALESCE(u.last_active, u.added_to_org) < ")
                .bind(Bind::Time(cutoff));
        }
        if never {
            sql.push(" AND u.last_active IS NULL");
        }
    }
}
