//! Dashboard tiles: per product and site, billable users active and inactive for a threshold.

use chrono::{Duration, NaiveDateTime};
use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use serde::Serialize;
use utoipa::ToSchema;

use crate::sql::{Bind, Sql};
use crate::{DbConnection, StoreError};

/// Seat counts of one product on one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, QueryableByName, ToSchema)]
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

/// Tiles for every product of every site (or of `site_id`), for `inactive_days`.
pub fn dashboard(
    conn: &mut DbConnection,
    tenant_id: &str,
    generation: i64,
    site_id: Option<&str>,
    inactive_days: i64,
    now: NaiveDateTime,
) -> Result<Vec<ProductCounts>, StoreError> {
    let cutoff = now - Duration::days(inactive_days);
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
    .bind(Bind::Bool(true))
    .push(" WHERE p.tenant_id = ")
    .bind(Bind::Text(tenant_id.to_owned()))
    .push(" AND p.generation = ")
    .bind(Bind::Int(generation));
    if let Some(site) = site_id {
        sql.push(" AND p.site_id = ")
            .bind(Bind::Text(site.to_owned()));
    }
    sql.push(" GROUP BY p.product_key, p.site_id, s.name ORDER BY s.name, p.product_key");
    let mut tiles = sql.load::<ProductCounts>(conn)?;
    for tile in &mut tiles {
        tile.inactive = tile.total - tile.active;
    }
    Ok(tiles)
}
