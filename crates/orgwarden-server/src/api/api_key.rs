//! Settings → Organization API key: check, save (encrypted), masked view, remove.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::Utc;
use orgwarden_atlassian::Org;
use orgwarden_store::access::Standing;
use orgwarden_store::org_connections::{self, NewOrgConnection, OrgConnection};
use orgwarden_store::webhooks;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::key_check::validate_key;
use crate::access::{Caller, KeyAdmin, OrgAdmin, Reader};
use crate::audit_log::{in_transaction, record_alone, Who};
use crate::db;
use crate::error::{ApiError, ErrorEnvelope};
use crate::error_code::ErrorCode;
use crate::state::AppState;

/// An API key and the expiry date the admin chose for it at admin.atlassian.com.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiKeyInput {
    /// The Organization API key (never returned, never logged).
    pub key: String,
    /// Expiry date, `YYYY-MM-DD`.
    pub expires_at: String,
}

/// The result of checking a key.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyCheck {
    /// Always true (an invalid key is answered with an error).
    pub valid: bool,
    /// Organization id.
    pub org_id: String,
    /// Organization name.
    pub org_name: String,
}

/// The saved key, masked.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyView {
    /// Organization id.
    pub org_id: String,
    /// Organization name.
    pub org_name: String,
    /// The key with all but its last four characters hidden.
    pub masked_key: String,
    /// Expiry date, `YYYY-MM-DD`.
    pub expires_at: String,
    /// When it was saved.
    pub updated_at: chrono::DateTime<Utc>,
    /// Who saved it.
    pub updated_by: String,
}

impl From<OrgConnection> for ApiKeyView {
    fn from(c: OrgConnection) -> Self {
        Self {
            masked_key: c.masked_key(),
            org_id: String::from(c.org_id),
            org_name: c.org_name,
            expires_at: c.expires_on,
            updated_at: c.updated_at.and_utc(),
            updated_by: c.updated_by,
        }
    }
}

/// Checks a key against the Admin API without saving anything.
#[utoipa::path(operation_id = "api_key_check", post, path = "/api/v1/settings/api-key/check", tag = "settings", security(("connect_jwt" = [])),
    request_body = ApiKeyInput,
    responses((status = 200, body = ApiKeyCheck), (status = 400, description = "Invalid, expired or scoped key, or bad input", body = ErrorEnvelope),
        (status = 502, description = "The Admin API could not be reached", body = ErrorEnvelope)))]
pub async fn check(
    caller: KeyAdmin,
    state: web::Data<AppState>,
    input: web::Json<ApiKeyInput>,
) -> Result<web::Json<ApiKeyCheck>, ApiError> {
    let org = checked_key(&state, &caller, &input).await?;
    Ok(web::Json(ApiKeyCheck {
        valid: true,
        org_id: String::from(org.id),
        org_name: org.name.unwrap_or_default(),
    }))
}

/// Checks and saves (or replaces) the key, encrypted at rest.
#[utoipa::path(operation_id = "api_key_save", put, path = "/api/v1/settings/api-key", tag = "settings", security(("connect_jwt" = [])),
    request_body = ApiKeyInput,
    responses((status = 200, body = ApiKeyView), (status = 400, body = ErrorEnvelope), (status = 502, body = ErrorEnvelope)))]
pub async fn save(
    caller: KeyAdmin,
    state: web::Data<AppState>,
    input: web::Json<ApiKeyInput>,
) -> Result<web::Json<ApiKeyView>, ApiError> {
    let org = checked_key(&state, &caller, &input).await?;
    let who = Who::from(&*caller);
    let cipher = state.cipher.clone();
    let tenant_id = caller.tenant.client_key.clone();
    let (by, bootstrap) = (
        caller.account_id.clone(),
        caller.standing() == Some(Standing::JiraAdmin),
    );
    let input = input.into_inner();
    let now = state.config.clock.now();
    let saved = crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let current = org_connections::find(conn, &tenant_id)?;
            if let Some(current) = &current {
                may_replace(current, &org, bootstrap)?;
            }
            let new = NewOrgConnection {
                tenant_id: &tenant_id,
                org_id: &org.id,
                org_name: org.name.as_deref().unwrap_or_default(),
                api_key: input.key.trim(),
                expires_on: input.expires_at.trim(),
                updated_by: &by,
            };
            let saved = org_connections::save(conn, &cipher, &new, Utc::now().naive_utc())?;
            let note = super::api_key_audit::saved(current.as_ref(), &saved);
            // A key that expires within a week is announced at once, with the save.
            webhooks::check_key_expiry(
                conn,
                &cipher,
                &tenant_id,
                now.date_naive(),
                now.naive_utc(),
            )?;
            Ok((saved, Some(note)))
        })
    })
    .await?;
    state.access.invalidate_tenant(&caller.tenant.client_key);
    tracing::info!(org_id = %saved.org_id, "organization API key saved");
    // The initial sync starts at once (or the running one continues).
    super::sync::start_sync(
        &state,
        &saved.tenant_id,
        orgwarden_jobs::SyncKind::Initial,
        Some(&saved.updated_by),
    )
    .await?;
    Ok(web::Json(saved.into()))
}

/// Whether a key of `org` may replace the saved one: not by the bootstrap Jira admin, and only
/// a key of the same organization (another one owns this site only if the site moved to it).
fn may_replace(current: &OrgConnection, org: &Org, bootstrap: bool) -> Result<(), ApiError> {
    if bootstrap {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            ErrorCode::AccessDenied,
            "A key has just been saved: only organization admins may replace it.",
        ));
    }
    if current.org_id != org.id {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::DifferentOrganization,
            format!(
                "This key belongs to another organization ({}), not to {} that orgwarden manages. \
Use a key of {}; if this site has moved to that organization, an organization admin removes the saved key first.",
                org.name.as_deref().unwrap_or(&org.id),
                current.org_name,
                current.org_name
            ),
        )
        .with_details(serde_json::json!({"field": "key", "orgId": org.id})));
    }
    Ok(())
}

/// The saved key, masked.
#[utoipa::path(operation_id = "api_key_get", get, path = "/api/v1/settings/api-key", tag = "settings", security(("connect_jwt" = [])),
    responses((status = 200, body = ApiKeyView), (status = 404, description = "No key saved (code api_key_not_set)", body = ErrorEnvelope)))]
pub async fn get(
    caller: Reader,
    state: web::Data<AppState>,
) -> Result<web::Json<ApiKeyView>, ApiError> {
    let db = state.db.clone();
    let tenant_id = caller.tenant.client_key.clone();
    let found = db::try_run(
        &db,
        move |conn| -> Result<Option<OrgConnection>, ApiError> {
            Ok(org_connections::find(conn, &tenant_id)?)
        },
    )
    .await?;
    found.map(|c| web::Json(c.into())).ok_or_else(not_set)
}

/// Removes the saved key.
#[utoipa::path(operation_id = "api_key_delete", delete, path = "/api/v1/settings/api-key", tag = "settings", security(("connect_jwt" = [])),
    responses((status = 204, description = "Removed"), (status = 404, body = ErrorEnvelope)))]
pub async fn delete(
    caller: OrgAdmin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (tenant_id, who) = (caller.tenant.client_key.clone(), Who::from(&*caller));
    let removed = crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let current = org_connections::find(conn, &tenant_id)?;
            org_connections::delete(conn, &tenant_id)?;
            Ok((
                current.is_some(),
                current.as_ref().map(super::api_key_audit::deleted),
            ))
        })
    })
    .await?;
    state.access.invalidate_tenant(&caller.tenant.client_key);
    if removed {
        tracing::info!("organization API key removed");
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(not_set())
    }
}

fn not_set() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::ApiKeyNotSet,
        "No Organization API key is saved yet: add one in Settings.",
    )
}

/// [`validate_key`], recording a refused key in the audit trail.
async fn checked_key(
    state: &AppState,
    caller: &Caller,
    input: &ApiKeyInput,
) -> Result<Org, ApiError> {
    let outcome = validate_key(state, &caller.tenant.client_key, input).await;
    if let Err(e) = &outcome {
        let note = super::api_key_audit::check_failed(e.code().as_str(), e.message());
        record_alone(&state.db, Who::from(caller), note).await?;
    }
    outcome
}
