//! Where a filter judges activity ([`Places`]): its products and sites, and a limited caller's
//! places, as conditions on access rows `a`.

use super::detail::UserProduct;
use super::filter::Filter;
use super::where_clause::same_mirror;
use crate::access::Administered;
use crate::sql::{Bind, Sql};

/// Where a filter judges activity (and a row's "Last active"): on its own products and sites,
/// and for a limited caller only on what they administer of them; `None` from [`Places::of`]:
/// the organization-wide date.
#[derive(Clone, Copy)]
pub(super) struct Places<'a> {
    /// A filter naming products or sites.
    pub(super) filter: Option<&'a Filter>,
    /// The sites and products a limited caller administers.
    pub(super) within: Option<&'a [Administered]>,
}

impl<'a> Places<'a> {
    /// Where `filter` judges activity.
    pub(super) fn of(filter: &'a Filter) -> Option<Self> {
        let places = Self {
            filter: Some(filter).filter(|f| f.is_scoped()),
            within: filter.within.as_deref(),
        };
        (places.filter.is_some() || places.within.is_some()).then_some(places)
    }

    /// The user's access `p` is in these places.
    pub(super) fn hold(self, p: &UserProduct) -> bool {
        let in_filter = self.filter.is_none_or(|filter| {
            (filter.sites.is_empty() || filter.sites.contains(&p.site_id))
                && (filter.products.is_empty()
                    || filter.products.iter().any(|f| {
                        f.product_key == p.product_key
                            && f.site_id.as_ref().is_none_or(|s| *s == p.site_id)
                    }))
        });
        in_filter
            && self
                .within
                .is_none_or(|within| Administered::any_covers(within, &p.site_id, &p.product_key))
    }
}

/// `(SELECT MAX(a.last_active) …)`: when user `u` last used something in `places` (what a
/// product-filtered list shows and sorts by as "Last active").
pub(super) fn scoped_last_active(sql: &mut Sql, mirror: (&str, i64), places: Places<'_>) {
    sql.push("(SELECT MAX(a.last_active) FROM user_access a WHERE ");
    same_mirror(sql, "a", mirror.0, mirror.1);
    sql.push(" AND a.account_id = u.account_id");
    scope_rows(sql, mirror, places);
    sql.push(")");
}

/// ` AND` access row `a` is in `places`.
pub(super) fn scope_rows(sql: &mut Sql, mirror: (&str, i64), places: Places<'_>) {
    if let Some(within) = places.within {
        within_rows(sql, "a", within);
    }
    if let Some(filter) = places.filter {
        filter_rows(sql, mirror, filter);
    }
}

/// ` AND` access row `a` is on one of the filter's sites and products.
fn filter_rows(sql: &mut Sql, (tenant_id, generation): (&str, i64), filter: &Filter) {
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
            // Sites first, so the scope index is read by (site, product) ranges: a product on
            // every site means on each site that has it.
            if let Some(site) = &product.site_id {
                sql.push("(a.site_id = ").bind(Bind::Text(site.clone()));
            } else {
                sql.push("(a.site_id IN (SELECT p.site_id FROM site_products p WHERE ");
                same_mirror(sql, "p", tenant_id, generation);
                sql.push(" AND p.product_key = ")
                    .bind(Bind::Text(product.product_key.clone()))
                    .push(")");
            }
            sql.push(" AND a.product_key = ")
                .bind(Bind::Text(product.product_key.clone()))
                .push(")");
        }
        sql.push(")");
    }
}

/// ` AND` access row `alias` is on a site, or a product of a site, in `within` (none when
/// empty).
pub(crate) fn within_rows(sql: &mut Sql, alias: &str, within: &[Administered]) {
    if within.is_empty() {
        sql.push(" AND 1 = 0");
        return;
    }
    sql.push(" AND (");
    for (i, place) in within.iter().enumerate() {
        if i > 0 {
            sql.push(" OR ");
        }
        sql.push(&format!("({alias}.site_id = "))
            .bind(Bind::Text(place.site_id.clone()));
        if let Some(product) = &place.product_key {
            sql.push(&format!(" AND {alias}.product_key = "))
                .bind(Bind::Text(product.clone()));
        }
        sql.push(")");
    }
    sql.push(")");
}
