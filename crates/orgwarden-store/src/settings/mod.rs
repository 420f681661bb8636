//! Per-tenant settings (inactivity threshold, daily sync slot and time zone, seat prices and
//! their currency), the daily-sync claim, and the daily dashboard snapshots.

mod snapshots;
mod upsert;

use orgwarden_ids::TenantId;
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::audit;
use crate::connection::{first_for_update, with_backend};
use crate::schema::{dashboard_snapshots, org_connections, tenant_settings, tenants};
use crate::{DbConnection, StoreError};
pub use snapshots::{record_snapshot, snapshot_today, snapshots, Snapshot};
use upsert::Upsert;

/// A tenant's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    /// Default inactivity threshold of the dashboard, in days.
    pub inactive_days: i64,
    /// Hour of the daily sync (0–23) in `time_zone`.
    pub sync_hour: i32,
    /// IANA time zone, e.g. `Europe/Berlin`.
    pub time_zone: String,
    /// Price per seat per month, by product key (for "potential savings").
    #[serde(default)]
    pub seat_prices: BTreeMap<String, f64>,
    /// Currency of the seat prices, an ISO 4217 code such as `USD` (the default) or `EUR`.
    #[serde(default = "default_currency")]
    pub currency: String,
}

fn default_currency() -> String {
    "USD".into()
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            inactive_days: 90,
            sync_hour: 2,
            time_zone: "UTC".into(),
            seat_prices: BTreeMap::new(),
            currency: default_currency(),
        }
    }
}

impl Settings {
    /// Checks ranges; the error names the field.
    pub fn validate(&self) -> Result<(), (String, String)> {
        if !(1..=36500).contains(&self.inactive_days) {
            return Err(("inactiveDays".into(), "must be between 1 and 36500".into()));
        }
        if !(0..=23).contains(&self.sync_hour) {
            return Err(("syncHour".into(), "must be between 0 and 23".into()));
        }
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return Err((
                "timeZone".into(),
                "must be an IANA time zone such as Europe/Berlin".into(),
            ));
        }
        if self
            .seat_prices
            .iter()
            .any(|(k, v)| k.is_empty() || !v.is_finite() || *v < 0.0 || *v > 100_000.0)
        {
            return Err((
                "seatPrices".into(),
                "prices must be between 0 and 100000 per product key".into(),
            ));
        }
        if !(self.currency.len() == 3 && self.currency.bytes().all(|b| b.is_ascii_uppercase())) {
            return Err((
                "currency".into(),
                "must be an ISO 4217 currency code such as USD or EUR".into(),
            ));
        }
        Ok(())
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = tenant_settings)]
struct Row {
    inactive_days: i64,
    sync_hour: i32,
    time_zone: String,
    seat_prices: String,
    currency: String,
}

/// The tenant's settings (defaults when never saved).
pub fn get(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<Settings, StoreError> {
    let row = tenant_settings::table
        .find(tenant_id)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    Ok(from_row(row))
}

/// [`get`] inside the write transaction that saves them: the row stays held until it ends, so
/// the audit entry's old values are the ones replaced.
pub fn get_for_update(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
) -> Result<Settings, StoreError> {
    Ok(from_row(first_for_update!(
        conn,
        tenant_settings::table
            .find(tenant_id)
            .select(Row::as_select())
    )?))
}

fn from_row(row: Option<Row>) -> Settings {
    row.map_or_else(Settings::default, |r| Settings {
        inactive_days: r.inactive_days,
        sync_hour: r.sync_hour,
        time_zone: r.time_zone,
        seat_prices: serde_json::from_str(&r.seat_prices).unwrap_or_default(),
        currency: r.currency,
    })
}

fn prices_json(s: &Settings) -> String {
    serde_json::to_string(&s.seat_prices).unwrap_or_else(|_| "{}".into())
}

/// Saves the tenant's settings.
pub fn save(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    s: &Settings,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let prices = prices_json(s);
    let upsert = || Upsert {
        tenant_id,
        settings: s,
        prices: &prices,
        by,
        now,
    };
    with_backend!(&mut *conn, |c| upsert().execute(c))?;
    Ok(())
}

/// Saves the tenant's settings with `entry`, their audit entry, in the caller's transaction: on
/// PostgreSQL the save's own statement carries it ([`audit::execute_carrying`]; link it with
/// [`audit::link_pending`] once the transaction has committed).
pub fn save_recorded(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    s: &Settings,
    by: &str,
    entry: &audit::NewEntry,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let prices = prices_json(s);
    let upsert = Upsert {
        tenant_id,
        settings: s,
        prices: &prices,
        by,
        now,
    };
    audit::execute_carrying(conn, tenant_id, entry, now, upsert)?;
    Ok(())
}

/// Tenants whose daily sync is due now (their hour, in their time zone, not yet run today),
/// each claimed with a compare-and-set so that several instances start it exactly once. Tenants
/// that disabled or uninstalled the app are left alone.
pub fn claim_daily_syncs(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
) -> Result<Vec<TenantId>, StoreError> {
    let tenants: Vec<TenantId> = org_connections::table
        .inner_join(tenants::table.on(tenants::client_key.eq(org_connections::tenant_id)))
        .filter(tenants::state.eq_any(crate::tenants::ACTIVE_STATES))
        .select(org_connections::tenant_id)
        .load(conn)?;
    let mut due = Vec::new();
    for tenant in tenants {
        let settings = get(conn, &tenant)?;
        let zone: chrono_tz::Tz = settings.time_zone.parse().unwrap_or(chrono_tz::UTC);
        let local = now.with_timezone(&zone);
        if i32::try_from(local.hour()).unwrap_or(-1) != settings.sync_hour {
            continue;
        }
        let today = local.date_naive().format("%Y-%m-%d").to_string();
        let defaults = Settings::default();
        with_backend!(&mut *conn, |c| diesel::insert_into(tenant_settings::table)
            .values((
                tenant_settings::tenant_id.eq(&tenant),
                tenant_settings::inactive_days.eq(defaults.inactive_days),
                tenant_settings::sync_hour.eq(defaults.sync_hour),
                tenant_settings::time_zone.eq(&defaults.time_zone),
                tenant_settings::seat_prices.eq("{}"),
                tenant_settings::updated_by.eq("orgwarden"),
                tenant_settings::updated_at.eq(now.naive_utc()),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
        let claimed = diesel::update(tenant_settings::table.find(&tenant))
            .filter(
                tenant_settings::last_daily_sync_on
                    .is_null()
                    .or(tenant_settings::last_daily_sync_on.ne(&today)),
            )
            .set(tenant_settings::last_daily_sync_on.eq(&today))
            .execute(conn)?;
        if claimed > 0 {
            due.push(tenant);
        }
    }
    Ok(due)
}

/// Gives back today's daily-sync claim of `tenant_id` (its sync could not start): the next
/// check inside its hour claims it again.
pub fn unclaim_daily_sync(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<(), StoreError> {
    diesel::update(tenant_settings::table.find(tenant_id))
        .set(tenant_settings::last_daily_sync_on.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}

/// Deletes the tenant's rows (purge).
pub(crate) fn purge(conn: &mut DbConnection, tenant_id: &TenantId) -> Result<(), StoreError> {
    diesel::delete(dashboard_snapshots::table.filter(dashboard_snapshots::tenant_id.eq(tenant_id)))
        .execute(conn)?;
    diesel::delete(tenant_settings::table.find(tenant_id)).execute(conn)?;
    Ok(())
}
