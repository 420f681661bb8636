//! The descriptor and the pages Jira loads in its iframe. A page load must carry a valid
//! page-load JWT whose `qsh` matches this exact request (context tokens are refused here).

use std::path::PathBuf;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use orgwarden_connect::QshPolicy;
use serde::Deserialize;

use crate::auth::{header_token, verify_request};
use crate::error::ApiError;
use crate::error_code::ErrorCode;
use crate::security_headers::page_html;
use crate::state::AppState;

/// `GET /atlassian-connect.json`.
pub async fn descriptor(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(state.descriptor.as_ref())
}

#[derive(Deserialize)]
struct PageQuery {
    jwt: Option<String>,
}

/// `GET /admin` and `GET /app`: verify the page-load JWT, then serve the SPA.
pub async fn spa_page(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let query = web::Query::<PageQuery>::from_query(req.query_string())
        .map_err(|_| ApiError::validation("The query string cannot be read."))?;
    let token = match (query.jwt.as_deref(), header_token(&req)?) {
        (Some(_), Some(_)) => {
            return Err(ApiError::unauthorized(
                "Send the token once, not in both query and header.",
            ))
        }
        (Some(token), None) | (None, Some(token)) => token.to_owned(),
        (None, None) => {
            return Err(ApiError::unauthorized(
                "This page opens inside Jira: use the orgwarden entry in Jira's Apps menu.",
            ))
        }
    };
    verify_request(&state, &req, &token, QshPolicy::Request).await?;
    let index = PathBuf::from(&state.config.frontend_dir).join("index.html");
    let html = tokio::fs::read(&index).await.map_err(|_| {
        ApiError::new(
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::FrontendNotBuilt,
            "The web interface is not built: run `make run` (or `npm run build --prefix frontend`).",
        )
    })?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        // The page URL carries the JWT: never let it leak through Referer.
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(page_html(&html, state.security.all_js_url())))
}
