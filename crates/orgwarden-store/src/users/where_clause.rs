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
        sql.push(" AND EXISTS (SELECT 1 FROM group_members m WHERE m.tenant_id = u.tenant_id AND m.generation = u.generation AND m.account_id = u.account_id AND m.group_id IN ")
            .bind_list(filter.groups.iter().map(String::as_str))
            .push(")");
    }
    if !filter.roles.is_empty() {
        sql.push(" AND (");
        for (i, role) in filter.roles.iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            role_condition(sql, *role);
        }
        sql.push(")");
    }
    activity(sql, filter, now);
}

fn granted_role(sql: &mut Sql, role: &str) {
    sql.push("EXISTS (SELECT 1 FROM group_members m JOIN group_grants g ON g.tenant_id = m.tenant_id AND g.generation = m.generation AND g.group_id = m.group_id WHERE m.tenant_id = u.tenant_id AND m.generation = u.generation AND m.account_id = u.account_id AND g.role = ")
        .bind(Bind::Text(role.to_owned()))
        .push(")");
}

fn role_condition(sql: &mut Sql, role: Role) {
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
        Role::ProductAdmin => granted_role(sql, "atlassian/admin"),
        Role::Guest => granted_role(sql, "atlassian/guest"),
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
                .push(" AND NOT ");
            granted_role(sql, "atlassian/admin");
            sql.push(")");
        }
    }
}

/// The access rows the filter is about (products and sites), as a condition on `a`.
fn scope_condition(sql: &mut Sql, filter: &Filter) {
    sql.push(
        "a.tenant_id = u.tenant_id AND a.generation = u.generation AND a.account_id = u.account_id",
    );
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
/// on those products only: a user is inactive when no scoped product was used since the cutoff.
fn activity(sql: &mut Sql, filter: &Filter, now: NaiveDateTime) {
    let scoped = !filter.products.is_empty() || !filter.sites.is_empty();
    let cutoff = filter
        .inactive_days
        .map(|days| Bind::Time(now - Duration::days(days)));
    let never = filter.never_active == Some(true);
    if scoped {
        sql.push(" AND EXISTS (SELECT 1 FROM user_access a WHERE ");
        scope_condition(sql, filter);
        sql.push(")");
        if let Some(cutoff) = cutoff {
            sql.push(" AND NOT EXISTS (SELECT 1 FROM user_access a WHERE ");
            scope_condition(sql, filter);
            sql.push(" AND COALESCE(a.last_active, u.added_to_org) >= ")
                .bind(cutoff)
                .push(")");
        }
        if never {
            sql.push(" AND NOT EXISTS (SELECT 1 FROM user_access a WHERE ");
            scope_condition(sql, filter);
            sql.push(" AND a.last_active IS NOT NULL)");
        }
    } else {
        if let Some(cutoff) = cutoff {
            sql.push(" AND COALESCE(u.last_active, u.added_to_org) < ")
                .bind(cutoff);
        }
        if never {
            sql.push(" AND u.last_active IS NULL");
        }
    }
}
