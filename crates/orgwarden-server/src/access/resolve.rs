//! Deciding about one account: the tenant's key and access control, then the account's
//! organization roles (or, before a key is saved, Jira's ADMINISTER permission).

use actix_web::http::StatusCode;
use orgwarden_atlassian::{JiraClient, JiraTenant};
use orgwarden_ids::AccountId;

use super::decide::{self, Access};
use super::identity::Lookup;
use crate::error::ApiError;
use crate::error_code::ErrorCode;
use crate::state::AppState;
use crate::tenant_cache::CachedTenant;

/// Whether and why this account may use the app on this tenant.
pub(super) async fn resolve(
    state: &AppState,
    tenant: &CachedTenant,
    account_id: &AccountId,
) -> Result<Access, ApiError> {
    let context = state
        .access
        .tenant(&state.db, &state.cipher, &tenant.client_key)
        .await?;
    let Some(org) = &context.org else {
        return Ok(decide::bootstrap(
            jira_admin(state, tenant, account_id).await?,
        ));
    };
    let lookup = Lookup {
        http: &state.http,
        admin_api_url: &state.config.admin_api_url,
        db: &state.db,
        tenant_id: &tenant.client_key,
        org,
    };
    let roles = state.access.roles.roles(&lookup, account_id).await?;
    Ok(decide::with_key(&roles, context.control))
}

/// Jira's global ADMINISTER permission (the bootstrap check), cached a minute.
async fn jira_admin(
    state: &AppState,
    tenant: &CachedTenant,
    account_id: &AccountId,
) -> Result<bool, ApiError> {
    if let Some(answer) = state.permissions.get(&tenant.client_key, account_id) {
        return Ok(answer);
    }
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
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::JiraUnavailable,
                format!("Your Jira permissions could not be checked ({e}). Try again shortly."),
            )
        })?;
    state
        .permissions
        .insert(&tenant.client_key, account_id, answer);
    Ok(answer)
}
