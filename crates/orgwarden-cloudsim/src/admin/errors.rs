//! Admin API error bodies: `{"errors":[{id,status,code,title,detail}]}` for the services and
//! `{"code":n,"message":…}` (`ProxyError`) for the gateway (401, and 429 on the v1 role endpoints).

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde_json::json;

use crate::ops::OrgError;

/// An `Errors` body with one application error.
pub fn app_error(
    status: StatusCode,
    code: &str,
    title: &str,
    detail: impl Into<String>,
) -> HttpResponse {
    let id = crate::ids::uuid(&mut rand::thread_rng());
    HttpResponse::build(status).json(json!({
        "errors": [{
            "id": id,
            "status": status.as_u16().to_string(),
            "code": code,
            "title": title,
            "detail": detail.into(),
        }]
    }))
}

/// A gateway `ProxyError` body.
pub fn proxy_error(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"code": status.as_u16(), "message": message}))
}

/// 400 `ADMIN-400-24` invalid request body / parameters.
pub fn bad_request(detail: impl Into<String>) -> HttpResponse {
    app_error(
        StatusCode::BAD_REQUEST,
        "ADMIN-400-24",
        "Invalid request body",
        detail,
    )
}

/// 400 `ADMIN-400-1` invalid page cursor.
pub fn invalid_cursor() -> HttpResponse {
    app_error(
        StatusCode::BAD_REQUEST,
        "ADMIN-400-1",
        "Invalid page cursor",
        "The cursor is invalid or was issued for another request",
    )
}

/// 404 `ADMIN-404-2` organization not found.
pub fn org_not_found(org_id: &str) -> HttpResponse {
    app_error(
        StatusCode::NOT_FOUND,
        "ADMIN-404-2",
        "Organization not found",
        format!("Organization {org_id} was not found"),
    )
}

/// 404 `ADMIN-404-1` unknown directory.
pub fn directory_not_found(directory_id: &str) -> HttpResponse {
    app_error(
        StatusCode::NOT_FOUND,
        "ADMIN-404-1",
        "Unknown resource",
        format!("Directory {directory_id} was not found"),
    )
}

/// 404 `ADMIN-404-8` user not found.
pub fn user_not_found(account_id: &str) -> HttpResponse {
    app_error(
        StatusCode::NOT_FOUND,
        "ADMIN-404-8",
        "User not found",
        format!("User {account_id} was not found"),
    )
}

/// 404 `ADMIN-404-10` group not found.
pub fn group_not_found(group_id: &str) -> HttpResponse {
    app_error(
        StatusCode::NOT_FOUND,
        "ADMIN-404-10",
        "Group not found",
        format!("Group {group_id} was not found"),
    )
}

/// 401 for an unknown or missing key.
pub fn unauthorized() -> HttpResponse {
    proxy_error(StatusCode::UNAUTHORIZED, "Unauthorized")
}

/// 401 for a key past its expiry date. Atlassian does not document this text; cloudsim names
/// the expiry so clients can tell the admin what to do.
pub fn key_expired() -> HttpResponse {
    proxy_error(
        StatusCode::UNAUTHORIZED,
        "Unauthorized: the API key has expired",
    )
}

/// Maps a refused mutation to its documented answer.
pub fn org_error(err: &OrgError, subject: &str) -> HttpResponse {
    let detail = err.to_string();
    match err {
        OrgError::UserNotFound | OrgError::NotInDirectory => app_error(
            StatusCode::NOT_FOUND,
            "ADMIN-404-8",
            "User not found",
            format!("{detail}: {subject}"),
        ),
        OrgError::GroupNotFound => group_not_found(subject),
        OrgError::GroupSynced | OrgError::GroupSyncedDelete => app_error(
            StatusCode::FORBIDDEN,
            "ADMIN-403-5",
            "Not allowed to manage the group",
            detail,
        ),
        OrgError::GroupDefault => {
            app_error(StatusCode::FORBIDDEN, "ADMIN-403-6", "Forbidden", detail)
        }
        OrgError::GroupAdmin => {
            app_error(StatusCode::FORBIDDEN, "ADMIN-403-7", "Forbidden", detail)
        }
        OrgError::DuplicateGroupName => {
            app_error(StatusCode::CONFLICT, "ADMIN-409-28", "Conflict", detail)
        }
        OrgError::InvalidRole(_) => app_error(
            StatusCode::BAD_REQUEST,
            "ADMIN-UAM-400-3",
            "Invalid Role for Resource",
            detail,
        ),
        OrgError::UnknownResource(_) => app_error(
            StatusCode::NOT_FOUND,
            "ADMIN-404-1",
            "Unknown resource",
            detail,
        ),
        OrgError::InactiveUser => app_error(
            StatusCode::BAD_REQUEST,
            "ADMIN-UAM-400-2",
            "Inactive user",
            detail,
        ),
        OrgError::BadRequest(_) => bad_request(detail),
    }
}
