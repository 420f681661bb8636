//! The OpenAPI 3.1 document (committed as `openapi/openapi.json`; a test keeps them equal).

use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The whole HTTP API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "orgwarden",
        description = "User management and license optimizer for Atlassian Cloud organizations. \
            Every `/api/v1` call carries `Authorization: JWT <context token>` from `AP.context.getToken()`. \
            Errors are `{\"error\": {\"code\", \"message\", \"details\"}}`.",
        license(name = "Apache-2.0")
    ),
    paths(
        crate::api::me::me,
        crate::api::api_key::check,
        crate::api::api_key::save,
        crate::api::api_key::get,
        crate::api::api_key::delete,
        crate::api::sync::start,
        crate::api::sync::latest,
        crate::api::sync::runs,
        crate::api::dashboard::dashboard,
        crate::api::history::history,
        crate::api::license::license,
        crate::api::settings::get,
        crate::api::settings::put,
        crate::api::filters::list,
        crate::api::filters::create,
        crate::api::filters::update,
        crate::api::filters::delete,
        crate::api::users::search,
        crate::api::users::list,
        crate::api::users::select,
        crate::api::export::export,
        crate::api::import::import_selection,
        crate::api::users::detail,
        crate::api::users::groups,
        crate::api::operation_results::history,
        crate::api::operations::preview,
        crate::api::operations::create,
        crate::api::operation_views::list,
        crate::api::operation_views::detail,
        crate::api::operations::cancel,
        crate::api::operation_results::results,
        crate::api::operation_revert::revert,
        crate::api::exemptions::list,
        crate::api::exemptions::add,
        crate::api::exemptions::remove,
        crate::ops::healthz,
        crate::ops::readyz
    ),
    components(schemas(crate::error::ErrorEnvelope, crate::error::ErrorBody)),
    modifiers(&ConnectJwt)
)]
pub struct ApiDoc;

struct ConnectJwt;

impl Modify for ConnectJwt {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "connect_jwt",
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                    "Authorization",
                    "`JWT <token>`: a Connect context token (qsh `context-qsh`) from AP.context.getToken()",
                ))),
            );
        }
    }
}

/// The document as pretty JSON, as committed.
pub fn document_json() -> String {
    let mut json = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
