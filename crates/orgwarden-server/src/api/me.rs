//! `GET /api/v1/me`: who the verified token says is calling.

use actix_web::web;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{ApiCaller, Role};

/// The caller.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    /// The caller's tenant.
    pub tenant: MeTenant,
    /// The caller's Atlassian account id.
    pub account_id: String,
    /// What the caller may do.
    pub role: Role,
}

/// The tenant of the caller.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeTenant {
    /// Connect `clientKey`.
    pub client_key: String,
    /// The Jira site's base URL.
    pub base_url: String,
}

/// Who is calling.
#[utoipa::path(operation_id = "me_me", 
    get,
    path = "/api/v1/me",
    tag = "me",
    security(("connect_jwt" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, description = "Missing or invalid token", body = crate::error::ErrorEnvelope),
    )
)]
pub async fn me(caller: ApiCaller) -> web::Json<Me> {
    web::Json(Me {
        tenant: MeTenant {
            client_key: caller.tenant.client_key.clone(),
            base_url: caller.tenant.base_url.clone(),
        },
        account_id: caller.account_id,
        role: caller.role,
    })
}
