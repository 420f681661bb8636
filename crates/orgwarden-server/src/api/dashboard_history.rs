//! `GET /api/v1/dashboard/history`: the daily snapshots of the dashboard's counts (trend charts).

use actix_web::web;
use chrono::{Duration, Utc};
use orgwarden_store::{mirror, settings};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::access::Reader;
use crate::db;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use orgwarden_atlassian::product_name;

/// Days of history when none are asked for.
const DEFAULT_DAYS: i64 = 90;

/// History parameters.
#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct HistoryQuery {
    /// One site (cloud id); absent = all sites.
    pub site_id: Option<String>,
    /// How many days back, 1 to 366 (default 90).
    pub days: Option<i64>,
}

/// One day's counts of one product on one site.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HistoryPoint {
    /// `YYYY-MM-DD` (UTC).
    pub day: String,
    /// Cloud id.
    pub site_id: String,
    /// Site name (as of the last sync).
    pub site_name: String,
    /// Product key.
    pub product_key: String,
    /// Product display name.
    pub product_name: String,
    /// The threshold the day was counted with.
    pub inactive_days: i64,
    /// Active billable users.
    pub active: i64,
    /// Inactive billable users.
    pub inactive: i64,
    /// Billable users.
    pub total: i64,
}

/// The series, oldest day first.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct History {
    /// One point per day, site and product (recorded after each sync).
    pub points: Vec<HistoryPoint>,
}

/// Daily snapshots of seats per product and site.
#[utoipa::path(operation_id = "dashboard_history", get, path = "/api/v1/dashboard/history", tag = "dashboard", security(("connect_jwt" = [])), params(HistoryQuery),
    responses((status = 200, body = History), (status = 400, body = ErrorEnvelope)))]
pub async fn history(
    caller: Reader,
    state: web::Data<AppState>,
    query: web::Query<HistoryQuery>,
) -> Result<web::Json<History>, ApiError> {
    let query = query.into_inner();
    let days = query.days.unwrap_or(DEFAULT_DAYS);
    if !(1..=366).contains(&days) {
        return Err(ApiError::field("days", "days: must be between 1 and 366"));
    }
    let from = (Utc::now() - Duration::days(days - 1))
        .format("%Y-%m-%d")
        .to_string();
    let (db, tenant) = (state.db.clone(), caller.tenant.client_key.clone());
    let site = query.site_id.filter(|s| !s.is_empty());
    let points = db::try_run(&db, move |conn| -> Result<_, ApiError> {
        let names = orgwarden_store::snapshot::in_published(conn, &tenant, |conn, m| {
            mirror::site_names(conn, &tenant, m.generation)
        })?
        .unwrap_or_default();
        let snapshots = settings::snapshots(conn, &tenant, &from, site.as_deref())?;
        Ok(snapshots
            .into_iter()
            .filter(|s| caller.sees(&s.site_id, &s.product_key))
            .map(|s| HistoryPoint {
                site_name: names
                    .get(&s.site_id)
                    .cloned()
                    .unwrap_or_else(|| s.site_id.clone()),
                product_name: product_name(&s.product_key),
                day: s.day,
                site_id: s.site_id,
                product_key: s.product_key,
                inactive_days: s.inactive_days,
                active: s.active,
                inactive: s.inactive,
                total: s.total,
            })
            .collect())
    })
    .await?;
    Ok(web::Json(History { points }))
}
