//! The daily dashboard snapshots: each product's counts on each site, one row per day.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;
use serde::Serialize;

use crate::schema::dashboard_snapshots;
use crate::users::ProductCounts;
use crate::{DbConnection, StoreError};

/// One day's counts of one product on one site.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[diesel(table_name = dashboard_snapshots)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    /// Cloud id.
    pub site_id: String,
    /// Product key.
    pub product_key: String,
    /// Threshold used.
    pub inactive_days: i64,
    /// Active billable users.
    pub active: i64,
    /// Inactive billable users.
    pub inactive: i64,
    /// Billable users.
    pub total: i64,
}

/// Records (or replaces) today's snapshot of the tiles.
pub fn record_snapshot(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    day: &str,
    inactive_days: i64,
    tiles: &[ProductCounts],
) -> Result<(), StoreError> {
    crate::transaction(conn, |conn| {
        diesel::delete(
            dashboard_snapshots::table
                .filter(dashboard_snapshots::tenant_id.eq(tenant_id))
                .filter(dashboard_snapshots::day.eq(day)),
        )
        .execute(conn)?;
        for t in tiles {
            diesel::insert_into(dashboard_snapshots::table)
                .values((
                    dashboard_snapshots::tenant_id.eq(tenant_id),
                    dashboard_snapshots::day.eq(day),
                    dashboard_snapshots::site_id.eq(&t.site_id),
                    dashboard_snapshots::product_key.eq(&t.product_key),
                    dashboard_snapshots::inactive_days.eq(inactive_days),
                    dashboard_snapshots::active.eq(t.active),
                    dashboard_snapshots::inactive.eq(t.inactive),
                    dashboard_snapshots::total.eq(t.total),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// Records today's (UTC) snapshot of the published mirror at the tenant's threshold; nothing
/// when no mirror is published yet.
pub fn snapshot_today(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let Some(published) = crate::mirror::current(conn, tenant_id)? else {
        return Ok(());
    };
    let inactive_days = super::get(conn, tenant_id)?.inactive_days;
    let tiles = crate::users::dashboard(
        conn,
        tenant_id,
        published.generation,
        None,
        inactive_days,
        now,
    )?;
    let day = now.format("%Y-%m-%d").to_string();
    record_snapshot(conn, tenant_id, &day, inactive_days, &tiles)
}

/// Snapshots since `from_day` (inclusive), oldest first, optionally of one site.
pub fn snapshots(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    from_day: &str,
    site_id: Option<&str>,
) -> Result<Vec<Snapshot>, StoreError> {
    let mut query = dashboard_snapshots::table
        .filter(dashboard_snapshots::tenant_id.eq(tenant_id))
        .filter(dashboard_snapshots::day.ge(from_day))
        .into_boxed();
    if let Some(site) = site_id {
        query = query.filter(dashboard_snapshots::site_id.eq(site));
    }
    Ok(query
        .order((
            dashboard_snapshots::day.asc(),
            dashboard_snapshots::site_id.asc(),
            dashboard_snapshots::product_key.asc(),
        ))
        .select(Snapshot::as_select())
        .load(conn)?)
}
