//! `GET/PUT /api/v1/settings/access`: App access control — whether product admins and user
//! access admins may use the app, and what they see. Only organization admins may change it.

use actix_web::web;
use chrono::Utc;
use orgwarden_store::access::control::{self, AccessControl, Scope};
use orgwarden_store::access::Administered;
use orgwarden_store::audit::Kind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::{OrgAdmin, Reader};
use crate::audit_log::{changes, in_transaction, Note, Who};
use crate::error::{ApiError, ErrorEnvelope};
use crate::state::AppState;

/// What limited admins see and touch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum AccessScope {
    /// The whole organization.
    Organization,
    /// Only the sites and products they administer.
    Administered,
}

/// App access control.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccessSettings {
    /// Product admins (`atlassian/admin` on a product, or site admins) may use the app.
    pub product_admins: bool,
    /// User access admins may use the app.
    pub user_access_admins: bool,
    /// What product admins and user access admins see and touch.
    pub scope: AccessScope,
}

/// A site, or one product of a site, that a limited caller administers.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdministeredView {
    /// Cloud id of the site.
    pub site_id: String,
    /// Product key; absent = every product of the site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_key: Option<String>,
}

impl From<&Administered> for AdministeredView {
    fn from(a: &Administered) -> Self {
        Self {
            site_id: a.site_id.clone(),
            product_key: a.product_key.clone(),
        }
    }
}

impl From<AccessControl> for AccessSettings {
    fn from(c: AccessControl) -> Self {
        Self {
            product_admins: c.product_admins,
            user_access_admins: c.user_access_admins,
            scope: match c.scope {
                Scope::Organization => AccessScope::Organization,
                Scope::Administered => AccessScope::Administered,
            },
        }
    }
}

/// Who besides organization admins may use the app.
#[utoipa::path(operation_id = "access_get", get, path = "/api/v1/settings/access", tag = "settings",
    security(("connect_jwt" = []), ("api_token" = [])),
    responses((status = 200, body = AccessSettings), (status = 403, description = "access_denied", body = ErrorEnvelope)))]
pub async fn get(
    caller: Reader,
    state: web::Data<AppState>,
) -> Result<web::Json<AccessSettings>, ApiError> {
    let tenant = caller.tenant.client_key.clone();
    let found = crate::db::run(&state.db, move |conn| control::get(conn, &tenant)).await?;
    Ok(web::Json(found.into()))
}

/// Changes who besides organization admins may use the app (organization admins only).
#[utoipa::path(operation_id = "access_put", put, path = "/api/v1/settings/access", tag = "settings",
    security(("connect_jwt" = []), ("api_token" = [])), request_body = AccessSettings,
    responses((status = 200, body = AccessSettings), (status = 400, body = ErrorEnvelope),
        (status = 403, description = "access_denied: not an organization admin", body = ErrorEnvelope)))]
pub async fn put(
    caller: OrgAdmin,
    state: web::Data<AppState>,
    body: web::Json<AccessSettings>,
) -> Result<web::Json<AccessSettings>, ApiError> {
    let body = body.into_inner();
    let control = AccessControl {
        product_admins: body.product_admins,
        user_access_admins: body.user_access_admins,
        scope: match body.scope {
            AccessScope::Organization => Scope::Organization,
            AccessScope::Administered => Scope::Administered,
        },
    };
    let (tenant, by, who) = (
        caller.tenant.client_key.clone(),
        caller.account_id.clone(),
        Who::from(&*caller),
    );
    let new = body.clone();
    crate::db::try_run(&state.db, move |conn| {
        in_transaction(conn, &who, |conn| {
            let old = AccessSettings::from(control::get(conn, &tenant)?);
            control::save(conn, &tenant, control, &by, Utc::now().naive_utc())?;
            let details = serde_json::json!({"changes": changes(&old, &new, &[])});
            let note = Note::new(Kind::AccessUpdated, access_summary(&new), details);
            Ok(((), Some(note)))
        })
    })
    .await?;
    state.access.invalidate_tenant(&caller.tenant.client_key);
    tracing::info!(
        product_admins = control.product_admins,
        user_access_admins = control.user_access_admins,
        scope = control.scope.as_str(),
        "access control saved"
    );
    Ok(web::Json(body))
}

fn access_summary(new: &AccessSettings) -> String {
    let yes_no = |b: bool| if b { "allowed" } else { "not allowed" };
    format!(
        "App access control: product admins {}, user access admins {}, scope {}",
        yes_no(new.product_admins),
        yes_no(new.user_access_admins),
        match new.scope {
            AccessScope::Organization => "organization",
            AccessScope::Administered => "what they administer",
        }
    )
}
