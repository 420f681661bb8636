//! `GET /api/v1/license`: the app's own license — limit, managed users, state.

use actix_web::web;
use chrono::{Duration, Utc};
use orgwarden_jobs::{current_license, refresh_license, LicenseSettings};
use orgwarden_license::LicenseEvaluation;
use orgwarden_store::license_states;

use crate::access::Reader;
use crate::error::{ApiError, ErrorEnvelope};
use crate::error_code::ErrorCode;
use crate::state::AppState;

/// Inputs older than this are read again from Jira when the license is asked for.
const MAX_AGE_HOURS: i64 = 1;

/// The app's license: edition, multiplier, limit, managed users, state and grace end.
#[utoipa::path(operation_id = "license_license", get, path = "/api/v1/license", tag = "license", security(("connect_jwt" = [])),
    responses((status = 200, body = LicenseEvaluation),
        (status = 502, body = ErrorEnvelope)))]
pub async fn license(
    caller: Reader,
    state: web::Data<AppState>,
) -> Result<web::Json<LicenseEvaluation>, ApiError> {
    let tenant = caller.tenant.client_key.clone();
    let (db, key) = (state.db.clone(), tenant.clone());
    let stored = web::block(move || -> Result<_, ApiError> {
        Ok(license_states::find(&mut *db.get()?, &key)?)
    })
    .await??;
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
    let evaluation = web::block(move || -> Result<_, ApiError> {
        Ok(current_license(&mut *db.get()?, &tenant, Utc::now())?)
    })
    .await??;
    evaluation.map(web::Json).ok_or_else(|| {
        ApiError::new(
            actix_web::http::StatusCode::BAD_GATEWAY,
            ErrorCode::LicenseUnavailable,
            "The license could not be evaluated: Jira did not answer. Try again shortly.",
        )
    })
}
