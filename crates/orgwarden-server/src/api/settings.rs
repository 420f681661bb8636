//! `GET/PUT /api/v1/settings`: inactivity threshold, daily sync slot and time zone, seat prices.

use actix_web::web;
use chrono::Utc;
use orgwarden_store::audit::Kind;
use orgwarden_store::settings::{self, Settings};

use crate::access::{OrgAdmin, Reader};
use crate::audit_log::{carried_in_transaction, changes, Note, Who};
use crate::db;
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// The tenant's settings (defaults until saved).
#[utoipa::path(operation_id = "settings_get", get, path = "/api/v1/settings", tag = "settings", security(("connect_jwt" = [])),
    responses((status = 200, body = Settings)))]
pub async fn get(
    caller: Reader,
    state: web::Data<AppState>,
) -> Result<web::Json<Settings>, ApiError> {
    let (db, tenant) = (state.db.clone(), caller.tenant.client_key.clone());
    let found = db::try_run(&db, move |conn| -> Result<Settings, ApiError> {
        Ok(settings::get(conn, &tenant)?)
    })
    .await?;
    Ok(web::Json(found))
}

/// Saves the tenant's settings.
#[utoipa::path(operation_id = "settings_put", put, path = "/api/v1/settings", tag = "settings", security(("connect_jwt" = [])), request_body = Settings,
    responses((status = 200, body = Settings), (status = 400, body = ErrorEnvelope)))]
pub async fn put(
    caller: OrgAdmin,
    state: web::Data<AppState>,
    body: web::Json<Settings>,
) -> Result<web::Json<Settings>, ApiError> {
    let new = body.into_inner();
    new.validate()
        .map_err(|(field, message)| ApiError::invalid(&field, &message))?;
    let (tenant, by, who) = (
        caller.tenant.client_key.clone(),
        caller.account_id.clone(),
        Who::from(&*caller),
    );
    let saved = new.clone();
    let linked = tenant.clone();
    crate::db::try_run(&state.db, move |conn| {
        carried_in_transaction(conn, &who, |conn, actor| {
            let old = settings::get_for_update(conn, &tenant)?;
            let entry = note(changes(&old, &saved, &[])).by(actor);
            let now = Utc::now().naive_utc();
            Ok(settings::save_recorded(
                conn, &tenant, &saved, &by, &entry, now,
            )?)
        })
    })
    .await?;
    state.audit_links.soon(&state.db, linked);
    Ok(web::Json(new))
}

/// `settings.updated`, naming the changed fields.
fn note(changed: serde_json::Value) -> Note {
    let fields = changed
        .as_object()
        .map(|o| o.keys().cloned().collect::<Vec<_>>().join(", "))
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| "nothing".to_owned());
    Note::new(
        Kind::SettingsUpdated,
        format!("Changed settings: {fields}"),
        serde_json::json!({"changes": changed}),
    )
}
