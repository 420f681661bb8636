//! API tokens as credentials: `Authorization: Bearer owt_…` is looked up by its SHA-256, must be
//! live, and acts as its creator — refused as soon as the creator may no longer use the app.

use actix_web::http::StatusCode;
use chrono::Utc;
use orgwarden_ids::AccountId;
use orgwarden_store::access::tokens::{self, ApiToken};
use orgwarden_store::access::Standing;

use super::caller::{Caller, Via};
use crate::auth::load_tenant;
use crate::error::ApiError;
use crate::error_code::ErrorCode;
use crate::state::AppState;

fn bad_token() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        ErrorCode::InvalidToken,
        "This API token is unknown, revoked or expired: create a new one in orgwarden Settings → API tokens.",
    )
}

/// The caller an API token stands for.
pub(super) async fn token_caller(state: &AppState, secret: &str) -> Result<Caller, ApiError> {
    if !secret.starts_with(tokens::TOKEN_PREFIX) {
        return Err(bad_token());
    }
    let token = state
        .access
        .token(&state.db, &tokens::hash(secret))
        .await?
        .ok_or_else(bad_token)?;
    let now = Utc::now().naive_utc();
    if !token.is_live(now) {
        return Err(bad_token());
    }
    let tenant = load_tenant(state, &token.tenant_id)
        .await?
        .filter(|t| t.state.allows_access())
        .ok_or_else(|| {
            ApiError::unauthorized(
                "The app is disabled or uninstalled on this site; an admin must enable or reinstall it.",
            )
        })?;
    let creator = AccountId::from(&token.created_by);
    let access = super::resolve::resolve(state, &tenant, &creator).await?;
    if !access.allowed || access.standing == Some(Standing::JiraAdmin) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::InvalidToken,
            "This API token's creator may no longer use orgwarden, so the token no longer works.",
        ));
    }
    note_use(state, &token, now);
    Ok(Caller {
        tenant,
        account_id: creator,
        via: Via::Token {
            id: token.id,
            write: token.can_write(),
        },
        access,
    })
}

/// Records the token's use, at most once a minute, without holding up the request.
fn note_use(state: &AppState, token: &ApiToken, now: chrono::NaiveDateTime) {
    if token
        .last_used_at
        .is_some_and(|at| now - at < chrono::Duration::minutes(1))
        || !state.access.first_use_this_minute(token.id)
    {
        return;
    }
    let (db, id) = (state.db.clone(), token.id);
    actix_web::rt::spawn(async move {
        if let Err(e) = crate::db::run(&db, move |conn| tokens::touch(conn, id, now)).await {
            tracing::warn!(error = %e, "could not record an API token's use");
        }
    });
}
