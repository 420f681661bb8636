//! The product and site part of a filter: which access rows `a` it is about, and inactivity
//! judged on those rows.

use chrono::{Duration, NaiveDateTime};

use super::filter::Filter;
use super::places::{scope_rows, Places};
use super::where_clause::same_mirror;
use crate::access::Administered;
use crate::sql::{like_escaped, Bind, Sql};

/// The access rows `a` of one product on one site that satisfy the filter's activity;
/// `with_user`: the row's user is at hand as `u`.
pub(super) fn pair_rows(
    sql: &mut Sql,
    (tenant_id, generation): (&str, i64),
    (site, product): (&str, &str),
    filter: &Filter,
    with_user: bool,
    now: NaiveDateTime,
) {
    pair_only(sql, (tenant_id, generation), (site, product));
    pair_activity(sql, (tenant_id, generation), filter, with_user, now);
}

fn pair_only(sql: &mut Sql, (tenant_id, generation): (&str, i64), (site, product): (&str, &str)) {
    same_mirror(sql, "a", tenant_id, generation);
    sql.push(" AND a.site_id = ")
        .bind(Bind::Text(site.to_owned()))
        .push(" AND a.product_key = ")
        .bind(Bind::Text(product.to_owned()));
}

/// `SELECT … AS n`: the access rows of one product on one site inactive since `cutoff`, as two
/// disjoint ranges of the scope index added up (used before the cutoff; never used, by users
/// who joined before it). Written as one `OR`, SQLite would collect both ranges' primary keys
/// to remove duplicates that cannot exist.
pub(super) fn count_pair_inactive(
    sql: &mut Sql,
    mirror: (&str, i64),
    pair: (&str, &str),
    cutoff: NaiveDateTime,
) {
    sql.push("SELECT (SELECT COUNT(*) FROM user_access a WHERE ");
    pair_only(sql, mirror, pair);
    sql.push(" AND a.last_active < ")
        .bind(Bind::Time(cutoff))
        .push(") + (SELECT COUNT(*) FROM user_access a WHERE ");
    pair_only(sql, mirror, pair);
    sql.push(" AND a.last_active IS NULL AND ");
    joined_before(sql, mirror, false, cutoff);
    sql.push(") AS n");
}

/// The user of access row `a` joined before `cutoff`. Without the user at hand (`with_user`
/// false), that is "not among those who joined since", a short range of the joining index, so
/// counting needs no lookup of each row's user.
fn joined_before(
    sql: &mut Sql,
    (tenant_id, generation): (&str, i64),
    with_user: bool,
    cutoff: NaiveDateTime,
) {
    if with_user {
        sql.push("(u.added_to_org IS NULL OR u.added_to_org < ")
            .bind(Bind::Time(cutoff))
            .push(")");
        return;
    }
    sql.push("a.account_id NOT IN (SELECT j.account_id FROM org_users j WHERE ");
    same_mirror(sql, "j", tenant_id, generation);
    sql.push(" AND j.added_to_org >= ")
        .bind(Bind::Time(cutoff))
        .push(")");
}

/// The one (site, product) the filter's scope is, when it is exactly one.
pub(super) fn single_pair(filter: &Filter) -> Option<(&str, &str)> {
    match filter.products.as_slice() {
        [product] => {
            let site = product.site_id.as_deref()?;
            (filter.sites.is_empty() || filter.sites.iter().any(|s| s == site))
                .then_some((site, product.product_key.as_str()))
        }
        _ => None,
    }
}

/// The one (site, product) whose access rows a query may read as the filter's own (see
/// [`pair_rows`]): the filter's single pair, when a limited caller administers it; for a limited
/// caller who administers exactly one product of one site and filters by no product or site,
/// that product (the same users, judged on the same rows). `None` otherwise: a pair outside what
/// a limited caller administers is judged with [`Places`], where it holds nobody.
pub(super) fn usable_pair(filter: &Filter) -> Option<(&str, &str)> {
    match (filter.within.as_deref(), filter.is_scoped()) {
        (None, _) => single_pair(filter),
        (Some([only]), false) => only
            .product_key
            .as_deref()
            .map(|product| (only.site_id.as_str(), product)),
        (Some(_), false) => None,
        (Some(within), true) => single_pair(filter)
            .filter(|(site, product)| Administered::any_covers(within, site, product)),
    }
}

/// Inactivity on the single access row `a` (see [`activity`] for the meaning).
fn pair_activity(
    sql: &mut Sql,
    mirror: (&str, i64),
    filter: &Filter,
    with_user: bool,
    now: NaiveDateTime,
) {
    let cutoff = filter.inactive_days.map(|days| now - Duration::days(days));
    let joined_before = |sql: &mut Sql, cutoff| joined_before(sql, mirror, with_user, cutoff);
    if filter.never_active == Some(true) {
        sql.push(" AND a.last_active IS NULL");
        if let Some(cutoff) = cutoff {
            sql.push(" AND ");
            joined_before(sql, cutoff);
        }
    } else if let Some(cutoff) = cutoff {
        sql.push(" AND (a.last_active < ")
            .bind(Bind::Time(cutoff))
            .push(" OR (a.last_active IS NULL AND ");
        joined_before(sql, cutoff);
        sql.push("))");
    }
}

/// What [`scoped_ids`] reads.
#[derive(Clone, Copy)]
pub(super) struct Scope<'a> {
    pub(super) tenant_id: &'a str,
    pub(super) generation: i64,
    pub(super) filter: &'a Filter,
    pub(super) correlated: bool,
}

/// `u.account_id [NOT] IN (account ids of the access rows the filter is about …` (products and
/// sites), with `extra` conditions on `a`.
/// `correlated`: as `[NOT] EXISTS (… a.account_id = u.account_id …`, a primary-key probe per
/// user, for queries that walk the users (a page walking the name index stops after a page).
fn scoped_ids(
    sql: &mut Sql,
    scope: Scope<'_>,
    places: Places<'_>,
    holds: bool,
    extra: impl FnOnce(&mut Sql),
) {
    let Scope {
        tenant_id,
        generation,
        correlated,
        ..
    } = scope;
    sql.push(match (correlated, holds) {
        (false, true) => "u.account_id IN (SELECT a.account_id",
        (false, false) => "u.account_id NOT IN (SELECT a.account_id",
        (true, true) => "EXISTS (SELECT 1",
        (true, false) => "NOT EXISTS (SELECT 1",
    })
    .push(" FROM user_access a WHERE ");
    same_mirror(sql, "a", tenant_id, generation);
    if correlated {
        sql.push(" AND a.account_id = u.account_id");
    }
    scope_rows(sql, (tenant_id, generation), places);
    extra(sql);
    close_probe(sql, scope.correlated);
}

/// Closes a subquery; a correlated probe gets `OFFSET 0` on PostgreSQL, which keeps the planner
/// from turning it into a hash join over every matching row (a page then probes only the users
/// its name-index walk visits).
pub(super) fn close_probe(sql: &mut Sql, correlated: bool) {
    if correlated && sql.is_postgres() {
        sql.push(" OFFSET 0");
    }
    sql.push(")");
}

/// Product/site membership and inactivity. With a product or site filter, activity is judged
/// on those products only, and for a limited caller without one on what they administer: a
/// user is inactive when no such product was used since the cutoff (a never-used product counts
/// from when the user joined).
pub(super) fn activity(sql: &mut Sql, scope: Scope<'_>, now: NaiveDateTime) {
    let filter = scope.filter;
    let cutoff = filter.inactive_days.map(|days| now - Duration::days(days));
    let never = filter.never_active == Some(true);
    if let Some(places) = Places::of(filter) {
        match places.filter {
            // The users of what a limited caller administers are selected already.
            None => {}
            Some(filter)
                if places.within.is_none()
                    && filter.sites.is_empty()
                    && filter.products.iter().all(|p| p.site_id.is_none()) =>
            {
                sql.push(" AND ");
                holds_products(sql, filter);
            }
            Some(_) => {
                sql.push(" AND ");
                scoped_ids(sql, scope, places, true, |_| {});
            }
        }
        if let Some(cutoff) = cutoff {
            sql.push(" AND ");
            scoped_ids(sql, scope, places, false, |sql| {
                sql.push(" AND a.last_active >= ").bind(Bind::Time(cutoff));
            });
            sql.push(" AND (u.added_to_org IS NULL OR u.added_to_org < ")
                .bind(Bind::Time(cutoff))
                .push(" OR ");
            scoped_ids(sql, scope, places, false, |sql| {
                sql.push(" AND a.last_active IS NULL");
            });
            sql.push(")");
        }
        if never {
            sql.push(" AND ");
            scoped_ids(sql, scope, places, false, |sql| {
                sql.push(" AND a.last_active IS NOT NULL");
            });
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

/// The user can reach one of the filter's products on some site: their `products` column
/// (`,key,key,`) names it.
fn holds_products(sql: &mut Sql, filter: &Filter) {
    sql.push("(");
    for (i, product) in filter.products.iter().enumerate() {
        if i > 0 {
            sql.push(" OR ");
        }
        let pattern = format!("%,{},%", like_escaped(&product.product_key));
        sql.push("u.products LIKE ")
            .bind(Bind::Text(pattern))
            .push(" ESCAPE '\\'");
    }
    sql.push(")");
}
