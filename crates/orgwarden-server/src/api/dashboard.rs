//! `GET /api/v1/dashboard`: seats per product and site, active and inactive.

use actix_web::web;
use chrono::{DateTime, Utc};
use orgwarden_store::settings;
use orgwarden_store::users::dashboard as tiles;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::mirror::with_mirror;
use crate::access::Reader;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;
use orgwarden_atlassian::product_name;

/// Dashboard parameters.
#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
pub struct DashboardQuery {
    /// One site (cloud id); absent = all sites.
    pub site_id: Option<String>,
    /// Inactivity threshold in days (default: the Settings threshold).
    pub inactive_days: Option<i64>,
}

/// One tile.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductTile {
    /// Product key.
    pub product_key: String,
    /// Product display name.
    pub product_name: String,
    /// Cloud id.
    pub site_id: String,
    /// Site name.
    pub site_name: String,
    /// Billable users active within the threshold.
    pub active: i64,
    /// Billable users inactive for at least the threshold.
    pub inactive: i64,
    /// Billable users with access.
    pub total: i64,
    /// Monthly price of one seat (Settings), if set.
    pub seat_price: Option<f64>,
    /// Inactive seats × seat price: what removing them saves per month.
    pub monthly_savings: Option<f64>,
}

/// The dashboard.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    /// The threshold used.
    pub inactive_days: i64,
    /// The site shown, if one.
    pub site_id: Option<String>,
    /// When the mirror was last synced.
    pub synced_at: DateTime<Utc>,
    /// Tiles, by site then product.
    pub products: Vec<ProductTile>,
    /// Currency of the seat prices and savings (ISO 4217, Settings).
    pub currency: String,
    /// The sum of the tiles' savings, when any seat price is set.
    pub total_monthly_savings: Option<f64>,
}

/// Seats per product and site.
#[utoipa::path(operation_id = "dashboard_dashboard", get, path = "/api/v1/dashboard", tag = "dashboard", security(("connect_jwt" = [])), params(DashboardQuery),
    responses((status = 200, body = Dashboard), (status = 400, body = ErrorEnvelope), (status = 409, description = "Not synced yet", body = ErrorEnvelope)))]
pub async fn dashboard(
    caller: Reader,
    state: web::Data<AppState>,
    query: web::Query<DashboardQuery>,
) -> Result<web::Json<Dashboard>, ApiError> {
    if let Some(days) = query.inactive_days {
        if !(1..=36500).contains(&days) {
            return Err(ApiError::field(
                "inactiveDays",
                "inactiveDays: must be between 1 and 36500",
            ));
        }
    }
    let asked_days = query.inactive_days;
    let site_id = query.into_inner().site_id.filter(|s| !s.is_empty());
    let site = site_id.clone();
    let (synced_at, inactive_days, settings, counts) =
        with_mirror(&state, &caller.tenant.client_key, move |conn, mirror| {
            let settings = settings::get(conn, &mirror.tenant_id)?;
            let inactive_days = asked_days.unwrap_or(settings.inactive_days);
            let counts = tiles(
                conn,
                &mirror.tenant_id,
                mirror.generation,
                site.as_deref(),
                inactive_days,
                Utc::now().naive_utc(),
            )?;
            Ok((mirror.synced_at.and_utc(), inactive_days, settings, counts))
        })
        .await?;
    let products: Vec<ProductTile> = counts
        .into_iter()
        .filter(|c| caller.sees(&c.site_id, &c.product_key))
        .map(|c| {
            let seat_price = settings.seat_prices.get(&c.product_key).copied();
            ProductTile {
                product_name: product_name(&c.product_key),
                monthly_savings: seat_price.map(|p| round_cents(p * c.inactive as f64)),
                seat_price,
                product_key: c.product_key,
                site_id: c.site_id,
                site_name: c.site_name,
                active: c.active,
                inactive: c.inactive,
                total: c.total,
            }
        })
        .collect();
    let total_monthly_savings = products
        .iter()
        .filter_map(|p| p.monthly_savings)
        .reduce(|a, b| a + b)
        .map(round_cents);
    Ok(web::Json(Dashboard {
        inactive_days,
        site_id,
        synced_at,
        products,
        total_monthly_savings,
        currency: settings.currency,
    }))
}

fn round_cents(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}
