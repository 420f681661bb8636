//! Who is calling. The tenant comes only from a verified token: `iss` names the tenant, its
//! shared secret verifies the signature, and nothing else in the request is trusted for it.

use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;
use orgwarden_atlassian::{JiraClient, JiraTenant};
use orgwarden_connect::{query_string_hash, unverified_issuer, verify_hs256, JwtError, QshPolicy};
use orgwarden_store::tenants;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;
use crate::tenant_cache::CachedTenant;

/// What the caller may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// Holds Jira's global *Administer* permission on the installation site.
    Admin,
    /// Signed in, but not a Jira administrator.
    User,
}

/// An authenticated caller of `/api/v1`.
pub struct ApiCaller {
    /// The caller's tenant.
    pub tenant: Arc<CachedTenant>,
    /// The caller's Atlassian account id.
    pub account_id: String,
    /// What the caller may do.
    pub role: Role,
}

impl ApiCaller {
    /// Refuses callers who are not administrators.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        match self.role {
            Role::Admin => Ok(()),
            Role::User => Err(ApiError::forbidden(
                "Only Jira administrators may use orgwarden. Ask a site admin for access.",
            )),
        }
    }
}

impl FromRequest for ApiCaller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate_api(&req).await })
    }
}

async fn authenticate_api(req: &HttpRequest) -> Result<ApiCaller, ApiError> {
    let state = app_state(req)?;
    let token = header_token(req)?.ok_or_else(|| {
        ApiError::unauthorized("Missing credentials: send `Authorization: JWT <context token>`.")
    })?;
    let (tenant, account_id) =
        verify_request(&state, req, token, QshPolicy::RequestOrContext).await?;
    let account_id = account_id.ok_or_else(|| {
        ApiError::unauthorized("The token names no user (`sub`); sign in to Jira and reload.")
    })?;
    let role = resolve_role(&state, &tenant, &account_id).await?;
    Ok(ApiCaller {
        tenant,
        account_id,
        role,
    })
}

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
        &state.base_path(),
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
    let issuer = unverified_issuer(token).map_err(token_error)?;
    let tenant = load_tenant(state, &issuer).await?.ok_or_else(|| {
        ApiError::unauthorized("Unknown tenant: install the app on the site first.")
    })?;
    let qsh = request_qsh(state, req)?;
    let claims = verify_hs256(
        token,
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
    client_key: &str,
) -> Result<Option<Arc<CachedTenant>>, ApiError> {
    if let Some(tenant) = state.tenants.get(client_key) {
        return Ok(Some(tenant));
    }
    let db = state.db.clone();
    let cipher = state.cipher.clone();
    let key = client_key.to_owned();
    let loaded = web::block(move || -> Result<Option<CachedTenant>, ApiError> {
        let mut conn = db.get()?;
        let Some(tenant) = tenants::find(&mut conn, &key)? else {
            return Ok(None);
        };
        Ok(Some(CachedTenant {
            shared_secret: tenant.shared_secret(&cipher)?,
            state: tenant.state()?,
            client_key: tenant.client_key,
            base_url: tenant.base_url,
        }))
    })
    .await??;
    Ok(loaded.map(|tenant| {
        let tenant = Arc::new(tenant);
        state.tenants.insert(tenant.clone());
        tenant
    }))
}

async fn resolve_role(
    state: &AppState,
    tenant: &CachedTenant,
    account_id: &str,
) -> Result<Role, ApiError> {
    let is_admin = match state.permissions.get(&tenant.client_key, account_id) {
        Some(answer) => answer,
        None => {
            let jira = JiraClient::new(state.http.clone(), state.config.app_key.clone());
            let target = JiraTenant {
                client_key: &tenant.client_key,
                base_url: &tenant.base_url,
                shared_secret: &tenant.shared_secret,
            };
            let answer = jira
                .has_global_permission(&target, account_id, "ADMINISTER")
                .await
                .map_err(|e| {
                    tracing::warn!(error = %e, "Jira permission check failed");
                    ApiError::new(
                        actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                        "jira_unavailable",
                        format!(
                            "Your Jira permissions could not be checked ({e}). Try again shortly."
                        ),
                    )
                })?;
            state
                .permissions
                .insert(&tenant.client_key, account_id, answer);
            answer
        }
    };
    Ok(if is_admin { Role::Admin } else { Role::User })
}

/// A refused token: 401 with a message that names the problem but never echoes the token.
pub fn token_error(err: JwtError) -> ApiError {
    ApiError::new(
        actix_web::http::StatusCode::UNAUTHORIZED,
        "invalid_token",
        format!("Invalid token: {err}"),
    )
}
