//! `GET /api/v1/license`: the app's own license — limit, managed users, state.

use actix_web::web;
use chrono::{Duration, Utc};
use orgwarden_jobs::{current_license, refresh_license, LicenseSettings};
use orgwarden_license::LicenseEvaluation;
use orgwarden_store::license_states::{self, LicenseStateRow};
use serde::Serialize;
use utoipa::ToSchema;

use crate::access::Reader;
use crate::db;
use crate::error::{ApiError, ErrorEnvelope};
use crate::error_code::ErrorCode;
use crate::state::AppState;

/// Inputs older than this are read again from Jira when the license is asked for.
const MAX_AGE_HOURS: i64 = 1;

/// The app's license as evaluated, with the Marketplace license Jira reports beside it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LicenseView {
    /// Edition, multiplier, limit, managed users, state and grace.
    #[serde(flatten)]
    pub evaluation: LicenseEvaluation,
    /// The Marketplace license of the installation site; `null` when Jira reports none.
    pub marketplace_license: Option<MarketplaceLicense>,
}

/// The Marketplace license Jira reports for the app.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MarketplaceLicense {
    /// An active subscription or evaluation.
    pub active: bool,
    /// An evaluation (trial).
    pub evaluation: bool,
    /// Jira's license type, e.g. `COMMERCIAL`.
    #[serde(rename = "type")]
    pub license_type: Option<String>,
}

impl MarketplaceLicense {
    fn of(row: &LicenseStateRow) -> Option<Self> {
        row.marketplace_active.map(|active| Self {
            active,
            evaluation: row.marketplace_evaluation.unwrap_or(false),
            license_type: row.marketplace_type.clone(),
        })
    }
}

/// The app's license: edition, multiplier, limit, managed users, state and grace end, and the
/// Marketplace license.
#[utoipa::path(operation_id = "license_license", get, path = "/api/v1/license", tag = "license", security(("connect_jwt" = [])),
    responses((status = 200, body = LicenseView),
        (status = 502, body = ErrorEnvelope)))]
pub async fn license(
    caller: Reader,
    state: web::Data<AppState>,
) -> Result<web::Json<LicenseView>, ApiError> {
    let tenant = caller.tenant.client_key.clone();
    let (db, key) = (state.db.clone(), tenant.clone());
    let stored = db::try_run(&db, move |conn| -> Result<_, ApiError> {
        Ok(license_states::find(conn, &key)?)
    })
    .await?;
    let fresh = stored
        .is_some_and(|s| Utc::now().naive_utc() - s.evaluated_at < Duration::hours(MAX_AGE_HOURS));
    if !fresh {
        let settings = LicenseSettings {
            app_key: state.config.app_key.clone(),
            edition: state.config.license_edition,
        };
        if let Err(e) = refresh_license(
            &state.db,
            &state.cipher,
            &state.http,
            &settings,
            &tenant,
            Utc::now(),
        )
        .await
        {
            tracing::warn!(error = %e, "license inputs could not be read");
        }
    }
    let db = state.db.clone();
    let view = db::try_run(&db, move |conn| -> Result<_, ApiError> {
        let now = Utc::now();
        let Some(mut evaluation) = current_license(conn, &tenant, now)? else {
            return Ok(None);
        };
        // `mayAct` says what starting an operation would meet: the limit's state, and also an
        // inactive Marketplace license, with the refusal's words.
        if let Err(refusal) = orgwarden_jobs::license_gate(conn, &tenant, now)? {
            evaluation.may_act = false;
            evaluation.message = refusal.message;
        }
        let marketplace_license = license_states::find(conn, &tenant)?
            .as_ref()
            .and_then(MarketplaceLicense::of);
        Ok(Some(LicenseView {
            evaluation,
            marketplace_license,
        }))
    })
    .await?;
    view.map(web::Json).ok_or_else(|| {
        ApiError::new(
            actix_web::http::StatusCode::BAD_GATEWAY,
            ErrorCode::LicenseUnavailable,
            "The license could not be evaluated: Jira did not answer. Try again shortly.",
        )
    })
}
