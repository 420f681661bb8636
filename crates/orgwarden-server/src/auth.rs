//! Verifying Connect JWTs. The tenant comes only from a verified token: `iss` names the
//! tenant, its shared secret verifies the signature, and nothing else in the request is trusted
//! for it. An unknown tenant and a bad signature get the same answer, so a caller cannot probe
//! which tenants exist.

use orgwarden_ids::TenantId;
use std::sync::Arc;

use actix_web::{web, HttpRequest};
use orgwarden_connect::{query_string_hash, Hs256Token, JwtError, QshPolicy};
use orgwarden_store::tenants;

use crate::db;
use crate::error::ApiError;
use crate::error_code::ErrorCode;
use crate::state::AppState;
use crate::tenant_cache::CachedTenant;

/// The shared state, or a 500 when the app was built without it.
pub fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, ApiError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("application state missing"))
}

/// The token of `Authorization: JWT <token>`, if that header is present.
pub fn header_token(req: &HttpRequest) -> Result<Option<&str>, ApiError> {
    let Some(value) = req.headers().get("Authorization") else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthorized("The Authorization header is not readable."))?;
    match value.strip_prefix("JWT ") {
        Some(token) => Ok(Some(token.trim())),
        None => Err(ApiError::unauthorized(
            "Unsupported Authorization scheme: send `Authorization: JWT <token>`.",
        )),
    }
}

/// The QSH of this request, relative to our base URL.
pub fn request_qsh(state: &AppState, req: &HttpRequest) -> Result<String, ApiError> {
    let uri = req.uri();
    query_string_hash(
        req.method().as_str(),
        uri.path(),
        uri.query().unwrap_or(""),
        state.base_path(),
    )
    .map_err(|e| ApiError::validation(format!("The request URL cannot be canonicalized: {e}")))
}

/// Verifies an HS256 token from the product against its tenant; returns the tenant and `sub`.
/// Refuses unknown tenants and tenants that are disabled or uninstalled.
pub async fn verify_request(
    state: &AppState,
    req: &HttpRequest,
    token: &str,
    policy: QshPolicy,
) -> Result<(Arc<CachedTenant>, Option<String>), ApiError> {
    let token = Hs256Token::parse(token).map_err(token_error)?;
    let tenant = load_tenant(state, &TenantId::from(token.issuer()))
        .await?
        .ok_or_else(|| token_error(JwtError::BadSignature))?;
    // A context token's `qsh` is the literal `context-qsh`: where the policy accepts it, the
    // request need not be hashed (verify still compares the claim in constant time).
    let context_only = token.has_context_qsh() && policy != QshPolicy::Request;
    let qsh = if context_only {
        String::new()
    } else {
        request_qsh(state, req)?
    };
    let claims = token
        .verify(
            &tenant.shared_secret,
            &qsh,
            policy,
            chrono::Utc::now().timestamp(),
        )
        .map_err(token_error)?;
    if !tenant.state.allows_access() {
        return Err(ApiError::unauthorized(
            "The app is disabled or uninstalled on this site; an admin must enable or reinstall it.",
        ));
    }
    Ok((tenant, claims.sub))
}

/// The tenant for `client_key`, from the cache or the database.
pub async fn load_tenant(
    state: &AppState,
    client_key: &TenantId,
) -> Result<Option<Arc<CachedTenant>>, ApiError> {
    if let Some(tenant) = state.tenants.get(client_key) {
        return Ok(Some(tenant));
    }
    let db = state.db.clone();
    let cipher = state.cipher.clone();
    let key = client_key.to_owned();
    let loaded = db::try_run(&db, move |conn| -> Result<Option<CachedTenant>, ApiError> {
        let Some(tenant) = tenants::find(conn, &key)? else {
            return Ok(None);
        };
        Ok(Some(CachedTenant {
            shared_secret: tenant.shared_secret(&cipher)?,
            state: tenant.state(),
            client_key: tenant.client_key,
            base_url: tenant.base_url,
        }))
    })
    .await?;
    Ok(loaded.map(|tenant| {
        let tenant = Arc::new(tenant);
        state.tenants.insert(tenant.clone());
        tenant
    }))
}

/// A refused token: 401 with a message that names the problem but never echoes the token.
/// An unknown issuer reads as a bad signature.
pub fn token_error(err: JwtError) -> ApiError {
    ApiError::new(
        actix_web::http::StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidToken,
        format!("Invalid token: {err}. Reload the page in Jira to get a fresh one."),
    )
}
