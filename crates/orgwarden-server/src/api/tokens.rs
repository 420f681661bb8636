//! `/api/v1/tokens`: API tokens for REST clients. A token is shown once, stored as a hash,
//! acts as its creator, and stops working when revoked, expired, or when its creator may no
//! longer use the app.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use orgwarden_store::access::tokens::{self, ApiToken, NewToken, MAX_TOKENS};
use orgwarden_store::audit::{Actor, Kind};
use orgwarden_store::{mirror, users};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::{Interactive, Reader, Writer};
use crate::audit_log::{in_transaction, record_now, Note, Who};
use crate::error::{ApiError, ErrorEnvelope};
use crate::error_code::ErrorCode;
use crate::state::AppState;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum TokenScope {
    /// GET routes and read-only POSTs (search, select, preview, export).
    Read,
    /// Everything its creator may do.
    Write,
}

/// A token to create.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewTokenInput {
    /// A name that says where it is used (1–100 characters).
    pub name: String,
    /// `["read"]` or `["read", "write"]`.
    pub scopes: Vec<TokenScope>,
    /// Last day it works, `YYYY-MM-DD` (absent: until revoked).
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// Who created a token.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenCreator {
    /// Account id.
    pub account_id: String,
    /// Name when the token was created.
    pub name: String,
}

/// A token as listed (never its secret).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenView {
    /// Token id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// `owt_` and the first six characters, to recognise it.
    pub prefix: String,
    /// What it may do.
    pub scopes: Vec<TokenScope>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// Who created it (the token acts as them).
    pub created_by: TokenCreator,
    /// Last use (recorded at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<&ApiToken> for TokenView {
    fn from(t: &ApiToken) -> Self {
        Self {
            id: t.id,
            name: t.name.clone(),
            prefix: t.prefix.clone(),
            scopes: if t.can_write() {
                vec![TokenScope::Read, TokenScope::Write]
            } else {
                vec![TokenScope::Read]
            },
            expires_at: t.expires_at.map(|e| e.and_utc()),
            created_at: t.created_at.and_utc(),
            created_by: TokenCreator {
                account_id: t.created_by.clone(),
                name: t.created_by_name.clone(),
            },
            last_used_at: t.last_used_at.map(|e| e.and_utc()),
        }
    }
}

/// A new token, with its secret (shown this once).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedToken {
    /// Token id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// The secret: send it as `Authorization: Bearer <token>`. Not shown again.
    pub token: String,
    /// `owt_` and the first six characters.
    pub prefix: String,
    /// What it may do.
    pub scopes: Vec<TokenScope>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// The tenant's tokens.
#[derive(Serialize, ToSchema)]
pub struct TokenList {
    /// Unrevoked tokens, newest first.
    pub items: Vec<TokenView>,
}

/// Creates a token (from the Jira page only); its secret is in this answer only.
#[utoipa::path(operation_id = "tokens_create", post, path = "/api/v1/tokens", tag = "tokens",
    security(("connect_jwt" = [])), request_body = NewTokenInput,
    responses((status = 201, body = CreatedToken), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 409, description = "too many tokens", body = ErrorEnvelope)))]
pub async fn create(
    caller: Interactive,
    state: web::Data<AppState>,
    input: web::Json<NewTokenInput>,
) -> Result<HttpResponse, ApiError> {
    let input = input.into_inner();
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(
            "name",
            "use 1 to 100 characters, no line breaks",
        ));
    }
    let write = match input.scopes.as_slice() {
        [TokenScope::Read] => false,
        [TokenScope::Read, TokenScope::Write] | [TokenScope::Write, TokenScope::Read] => true,
        _ => {
            return Err(ApiError::invalid(
                "scopes",
                "use [\"read\"] or [\"read\", \"write\"]",
            ))
        }
    };
    let today = Utc::now().date_naive();
    let expires_at = match input.expires_at.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(day) => {
            let day = NaiveDate::parse_from_str(day, "%Y-%m-%d")
                .map_err(|_| ApiError::invalid("expiresAt", "use the format YYYY-MM-DD"))?;
            if day < today {
                return Err(ApiError::invalid("expiresAt", "must be today or later"));
            }
            // Works through the whole of its last day (UTC).
            day.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0))
        }
    };
    let (tenant, account, via) = (
        caller.tenant.client_key.clone(),
        caller.account_id.clone(),
        Who::from(&*caller).via,
    );
    let (token, secret) = crate::db::try_run(&state.db, move |conn| {
        if tokens::count_unrevoked(conn, &tenant)? >= MAX_TOKENS {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::TooManyTokens,
                format!("This site has {MAX_TOKENS} API tokens: revoke unused ones first."),
            ));
        }
        let creator_name = match mirror::current(conn, &tenant)? {
            Some(m) => users::names_of(conn, &tenant, m.generation, &[account.to_string()])?
                .remove(account.as_str())
                .map(|n| n.name),
            None => None,
        }
        .unwrap_or_else(|| account.to_string());
        let new = NewToken {
            tenant_id: &tenant,
            name: &name,
            write,
            created_by: &account,
            created_by_name: &creator_name,
            expires_at,
        };
        let actor = Actor {
            account_id: account.to_string(),
            name: creator_name.clone(),
            via,
        };
        orgwarden_store::transaction(conn, |conn| {
            let (token, secret) = tokens::create(conn, &new, Utc::now().naive_utc())?;
            let note = Note::new(
                Kind::TokenCreated,
                format!(
                    "Created the API token \u{201c}{}\u{201d} ({}, {})",
                    token.name, token.prefix, token.scopes
                ),
                serde_json::json!({"tokenId": token.id, "name": token.name, "prefix": token.prefix,
                    "scopes": token.scopes, "expiresAt": token.expires_at.map(|e| e.and_utc())}),
            );
            record_now(conn, &tenant, actor, note)?;
            Ok::<_, ApiError>((token, secret))
        })
    })
    .await?;
    tracing::info!(token_id = token.id, prefix = %token.prefix, "API token created");
    let view = TokenView::from(&token);
    Ok(HttpResponse::Created().json(CreatedToken {
        id: view.id,
        name: view.name,
        token: secret,
        prefix: view.prefix,
        scopes: view.scopes,
        expires_at: view.expires_at,
        created_at: view.created_at,
    }))
}

/// The tenant's unrevoked tokens.
#[utoipa::path(operation_id = "tokens_list", get, path = "/api/v1/tokens", tag = "tokens",
    security(("connect_jwt" = []), ("api_token" = [])),
    responses((status = 200, body = TokenList), (status = 403, body = ErrorEnvelope)))]
pub async fn list(
    caller: Reader,
    state: web::Data<AppState>,
) -> Result<web::Json<TokenList>, ApiError> {
    let tenant = caller.tenant.client_key.clone();
    let found = crate::db::run(&state.db, move |conn| tokens::list(conn, &tenant)).await?;
    Ok(web::Json(TokenList {
        items: found.iter().map(TokenView::from).collect(),
    }))
}

/// Revokes a token at once. Organization admins may revoke any token; others their own.
#[utoipa::path(operation_id = "tokens_revoke", delete, path = "/api/v1/tokens/{id}", tag = "tokens",
    security(("connect_jwt" = []), ("api_token" = [])),
    params(("id" = i64, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn revoke(
    caller: Writer,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (tenant, account, org_admin, who) = (
        caller.tenant.client_key.clone(),
        caller.account_id.clone(),
        caller.is_org_admin(),
        Who::from(&*caller),
    );
    crate::db::try_run(&state.db, move |conn| {
        let mine = tokens::list(conn, &tenant)?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| {
                ApiError::not_found(format!("No API token {id} (it may be revoked already)."))
            })?;
        if !org_admin && mine.created_by != account {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                ErrorCode::AccessDenied,
                "Only organization admins may revoke other people's API tokens.",
            ));
        }
        in_transaction(conn, &who, |conn| {
            if !tokens::revoke(conn, &tenant, id, Utc::now().naive_utc())? {
                // Revoked by someone else meanwhile: their entry stands, this one adds nothing.
                return Err(ApiError::not_found(format!(
                    "No API token {id} (it may be revoked already)."
                )));
            }
            let note = Note::new(
                Kind::TokenRevoked,
                format!(
                    "Revoked the API token \u{201c}{}\u{201d} ({})",
                    mine.name, mine.prefix
                ),
                serde_json::json!({"tokenId": mine.id, "name": mine.name, "prefix": mine.prefix,
                    "createdBy": mine.created_by}),
            );
            Ok(((), Some(note)))
        })
    })
    .await?;
    state.access.invalidate_tokens();
    tracing::info!(token_id = id, "API token revoked");
    Ok(HttpResponse::NoContent().finish())
}
