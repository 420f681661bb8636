//! Dashboard tiles: per product and site, billable users active and inactive for a threshold.
//! Counts come from the per-day activity summary plus an exact count of the cutoff's own day,
//! so they equal counting every access row at the exact cutoff.

use orgwarden_ids::TenantId;
use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime, NaiveTime};
use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use serde::Serialize;

use crate::sql::{Bind, Sql};
use crate::{DbConnection, StoreError};

/// Seat counts of one product on one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, QueryableByName)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ProductCounts {
    /// Product key.
    #[diesel(sql_type = Text)]
    pub product_key: String,
    /// Cloud id.
    #[diesel(sql_type = Text)]
    pub site_id: String,
    /// Site name.
    #[diesel(sql_type = Text)]
    pub site_name: String,
    /// Billable users active within the threshold.
    #[diesel(sql_type = BigInt)]
    pub active: i64,
    /// Billable users inactive for at least the threshold (never-active users count from
    /// when they joined the organization).
    #[diesel(sql_type = BigInt)]
    pub inactive: i64,
    /// Billable users with access.
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

#[derive(QueryableByName)]
struct Boundary {
    #[diesel(sql_type = Text)]
    site_id: String,
    #[diesel(sql_type = Text)]
    product_key: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Tiles for every product of every site (or of `site_id`), for `inactive_days`.
pub fn dashboard(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: i64,
    site_id: Option<&str>,
    inactive_days: i64,
    now: NaiveDateTime,
) -> Result<Vec<ProductCounts>, StoreError> {
    let cutoff = now - Duration::days(inactive_days);
    if !crate::mirror::activity_summary::is_current(conn, tenant_id, generation)? {
        return exact(conn, tenant_id, generation, site_id, cutoff);
    }
    // Whole days after the cutoff's day come from the summary; the cutoff's own day is counted
    // exactly from the access rows.
    let next_day = cutoff.date().and_time(NaiveTime::MIN) + Duration::days(1);
    let mut sql = Sql::for_conn(conn);
    sql.push(
        "SELECT p.product_key, p.site_id, s.name AS site_name, \
         CAST(COALESCE(SUM(CASE WHEN d.day >= ",
    )
    .bind(Bind::Time(next_day))
    .push(
        " THEN d.users ELSE 0 END), 0) AS BIGINT) AS active, \
         CAST(COALESCE(SUM(d.users), 0) AS BIGINT) AS total, CAST(0 AS BIGINT) AS inactive \
         FROM site_products p \
         JOIN sites s ON s.tenant_id = p.tenant_id AND s.generation = p.generation AND s.site_id = p.site_id \
         LEFT JOIN access_activity_days d ON d.tenant_id = p.tenant_id AND d.generation = p.generation AND d.site_id = p.site_id AND d.product_key = p.product_key",
    );
    tiles_of(&mut sql, tenant_id, generation, site_id);
    let mut tiles = sql.load::<ProductCounts>(conn)?;
    let mut boundary: HashMap<(String, String), i64> = HashMap::new();
    for row in boundary_counts(conn, tenant_id, generation, site_id, cutoff, next_day)? {
        *boundary.entry((row.site_id, row.product_key)).or_default() += row.n;
    }
    for tile in &mut tiles {
        tile.active += boundary
            .get(&(tile.site_id.clone(), tile.product_key.clone()))
            .copied()
            .unwrap_or(0);
        tile.inactive = tile.total - tile.active;
    }
    Ok(tiles)
}

/// `WHERE` (tenant, generation, optional site), grouping and order of the tiles over `p` and `s`.
fn tiles_of(sql: &mut Sql, tenant_id: &str, generation: i64, site_id: Option<&str>) {
    sql.push(" WHERE p.tenant_id = ")
        .bind(Bind::Text(tenant_id.to_string()))
        .push(" AND p.generation = ")
        .bind(Bind::Int(generation));
    if let Some(site) = site_id {
        sql.push(" AND p.site_id = ")
            .bind(Bind::Text(site.to_owned()));
    }
    sql.push(" GROUP BY p.product_key, p.site_id, s.name ORDER BY s.name, p.product_key");
}

/// Billable access rows whose last activity (or joining, when never active) falls in
/// `[cutoff, next_day)`, per tile: activity from the access index, joining from the users'.
fn boundary_counts(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    site_id: Option<&str>,
    cutoff: NaiveDateTime,
    next_day: NaiveDateTime,
) -> Result<Vec<Boundary>, StoreError> {
    let mut sql = Sql::for_conn(conn);
    sql.push("SELECT a.site_id, a.product_key, CAST(COUNT(*) AS BIGINT) AS n FROM site_products p JOIN user_access a ON a.tenant_id = p.tenant_id AND a.generation = p.generation AND a.site_id = p.site_id AND a.product_key = p.product_key AND a.last_active >= ")
        .bind(Bind::Time(cutoff))
        .push(" AND a.last_active < ")
        .bind(Bind::Time(next_day))
        .push(" JOIN org_users u ON u.tenant_id = a.tenant_id AND u.generation = a.generation AND u.account_id = a.account_id AND u.billable = ")
        .bind(Bind::Bool(true))
        .push(" WHERE p.tenant_id = ")
        .bind(Bind::Text(tenant_id.to_string()))
        .push(" AND p.generation = ")
        .bind(Bind::Int(generation));
    if let Some(site) = site_id {
        sql.push(" AND p.site_id = ")
            .bind(Bind::Text(site.to_owned()));
    }
    // Never-active access is found through the users who joined that day; the NULL test sits in
    // the SUM so that no planner walks the access index for NULLs instead.
    sql.push(" GROUP BY a.site_id, a.product_key UNION ALL SELECT a.site_id, a.product_key, CAST(SUM(CASE WHEN a.last_active IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS n FROM org_users u JOIN user_access a ON a.tenant_id = u.tenant_id AND a.generation = u.generation AND a.account_id = u.account_id WHERE u.tenant_id = ")
        .bind(Bind::Text(tenant_id.to_string()))
        .push(" AND u.generation = ")
        .bind(Bind::Int(generation))
        .push(" AND u.billable = ")
        .bind(Bind::Bool(true))
        .push(" AND u.added_to_org >= ")
        .bind(Bind::Time(cutoff))
        .push(" AND u.added_to_org < ")
        .bind(Bind::Time(next_day));
    if let Some(site) = site_id {
        sql.push(" AND a.site_id = ")
            .bind(Bind::Text(site.to_owned()));
    }
    sql.push(" GROUP BY a.site_id, a.product_key");
    sql.load::<Boundary>(conn)
}

/// The tiles counted from every access row (a generation other than the published one).
fn exact(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    site_id: Option<&str>,
    cutoff: NaiveDateTime,
) -> Result<Vec<ProductCounts>, StoreError> {
    let mut sql = Sql::for_conn(conn);
    sql.push(
        "SELECT p.product_key, p.site_id, s.name AS site_name, \
         CAST(COALESCE(SUM(CASE WHEN u.account_id IS NOT NULL AND COALESCE(a.last_active, u.added_to_org) >= ",
    )
    .bind(Bind::Time(cutoff))
    .push(
        " THEN 1 ELSE 0 END), 0) AS BIGINT) AS active, \
         CAST(COUNT(u.account_id) AS BIGINT) AS total, CAST(0 AS BIGINT) AS inactive \
         FROM site_products p \
         JOIN sites s ON s.tenant_id = p.tenant_id AND s.generation = p.generation AND s.site_id = p.site_id \
         LEFT JOIN user_access a ON a.tenant_id = p.tenant_id AND a.generation = p.generation AND a.site_id = p.site_id AND a.product_key = p.product_key \
         LEFT JOIN org_users u ON u.tenant_id = a.tenant_id AND u.generation = a.generation AND u.account_id = a.account_id AND u.billable = ",
    )
    .bind(Bind::Bool(true));
    tiles_of(&mut sql, tenant_id, generation, site_id);
    let mut tiles = sql.load::<ProductCounts>(conn)?;
    for tile in &mut tiles {
        tile.inactive = tile.total - tile.active;
    }
    Ok(tiles)
}
