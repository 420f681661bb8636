//! `GET /api/v1/me`: who the verified token says is calling, and whether they may use the app.

use actix_web::web;
use orgwarden_store::access::Standing;
use serde::Serialize;
use utoipa::ToSchema;

use crate::access::{Caller, Via};

/// The caller.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    /// The caller's tenant.
    pub tenant: MeTenant,
    /// The caller's Atlassian account id (a token's creator for API tokens).
    pub account_id: String,
    /// `admin` when the caller may use the app, else `user` (kept for older clients; read
    /// `access`).
    pub role: CallerRole,
    /// Whether and why the caller may use the app.
    pub access: MeAccess,
    /// How the caller authenticated: `jwt` or `token`.
    pub via: ViaKind,
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

/// The old two-valued role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum CallerRole {
    /// May use the app.
    Admin,
    /// May not.
    User,
}

/// Why a caller may use the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(
    clippy::enum_variant_names,
    reason = "the variants spell the published values (orgAdmin, productAdmin, jiraAdmin)"
)]
pub enum AccessStanding {
    /// Organization admin.
    OrgAdmin,
    /// Product admin (or site admin), admitted by App access control.
    ProductAdmin,
    /// User access admin, admitted by App access control.
    UserAccessAdmin,
    /// Jira administrator, before an API key is saved (to set the app up).
    JiraAdmin,
}

impl From<Standing> for AccessStanding {
    fn from(s: Standing) -> Self {
        match s {
            Standing::OrgAdmin => Self::OrgAdmin,
            Standing::ProductAdmin => Self::ProductAdmin,
            Standing::UserAccessAdmin => Self::UserAccessAdmin,
            Standing::JiraAdmin => Self::JiraAdmin,
        }
    }
}

/// How a caller authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ViaKind {
    /// A Connect context JWT.
    Jwt,
    /// An API token.
    Token,
}

/// The access decision.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeAccess {
    /// The caller may use the app.
    pub allowed: bool,
    /// The standing that lets them in (when refused: the admin role they hold, if any).
    #[serde(rename = "as")]
    pub standing: Option<AccessStanding>,
    /// Why, in a sentence, and who can grant access.
    pub reason: String,
    /// Limited callers only: the sites (and products) they see and touch; absent = the whole
    /// organization.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<Vec<crate::api::access::AdministeredView>>,
    /// Atlassian rejects the saved Organization API key: the caller may only replace it
    /// (`PUT /api/v1/settings/api-key`); every other route answers `access_denied`.
    pub key_rejected: bool,
}

/// Who is calling, and whether they may use the app.
#[utoipa::path(operation_id = "me_me",
    get,
    path = "/api/v1/me",
    tag = "me",
    security(("connect_jwt" = []), ("api_token" = [])),
    responses(
        (status = 200, body = Me),
        (status = 401, description = "Missing or invalid token", body = crate::error::ErrorEnvelope),
    )
)]
pub async fn me(caller: Caller) -> web::Json<Me> {
    let access = &caller.access;
    web::Json(Me {
        tenant: MeTenant {
            client_key: caller.tenant.client_key.to_string(),
            base_url: caller.tenant.base_url.clone(),
        },
        role: if access.allowed {
            CallerRole::Admin
        } else {
            CallerRole::User
        },
        access: MeAccess {
            allowed: access.allowed,
            standing: access.standing.map(Into::into),
            reason: access.reason.to_owned(),
            scope: access
                .scope
                .as_ref()
                .map(|s| s.iter().map(Into::into).collect()),
            key_rejected: access.key_only,
        },
        via: match caller.via {
            Via::Jwt => ViaKind::Jwt,
            Via::Token { .. } => ViaKind::Token,
        },
        account_id: String::from(caller.account_id),
    })
}
