//! The OpenAPI 3.1 document (committed as `openapi/openapi.json`; a test keeps them equal).

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::{Modify, OpenApi};

use crate::access::Policy;
use crate::api::ROUTES;

/// The whole HTTP API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "orgwarden",
        description = "User management and license optimizer for Atlassian Cloud organizations. \
            Every `/api/v1` call carries `Authorization: JWT <context token>` from `AP.context.getToken()` \
            or, for REST clients, `Authorization: Bearer <API token>` (Settings → API tokens). \
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
        crate::api::dashboard_history::history,
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
        crate::api::operations::results::history,
        crate::api::operations::preview,
        crate::api::operations::create,
        crate::api::operations::views::list,
        crate::api::operations::views::detail,
        crate::api::operations::cancel,
        crate::api::operations::results::results,
        crate::api::operations::steps::steps,
        crate::api::operations::revert::revert,
        crate::api::exemptions::list,
        crate::api::exemptions::add,
        crate::api::exemptions::remove,
        crate::api::access::get,
        crate::api::access::put,
        crate::api::tasks::list,
        crate::api::tasks::create,
        crate::api::tasks::get,
        crate::api::tasks::update,
        crate::api::tasks::delete,
        crate::api::tasks::duplicate,
        crate::api::task_runs::run,
        crate::api::task_runs::runs,
        crate::api::task_runs::detail,
        crate::api::task_runs::preview,
        crate::api::tokens::create,
        crate::api::tokens::list,
        crate::api::tokens::revoke,
        crate::api::audit::list,
        crate::api::audit_export::export,
        crate::api::audit::verify,
        crate::api::audit::entry,
        crate::api::webhooks::create,
        crate::api::webhooks::list,
        crate::api::webhooks::get,
        crate::api::webhooks::update,
        crate::api::webhooks::delete,
        crate::api::webhook_deliveries::test,
        crate::api::webhook_deliveries::list,
        crate::api::webhook_deliveries::detail,
        crate::api::webhook_deliveries::redeliver,
        crate::health::healthz,
        crate::health::readyz
    ),
    components(schemas(crate::error::ErrorEnvelope, crate::error::ErrorBody)),
    modifiers(&Security)
)]
pub struct ApiDoc;

/// Declares both security schemes and, from the route table, what each operation accepts.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "connect_jwt",
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                    "Authorization",
                    "`JWT <token>`: a Connect context token (qsh `context-qsh`) from AP.context.getToken()",
                ))),
            );
            components.add_security_scheme(
                "api_token",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .description(Some(
                            "`Bearer owt_…`: an API token from Settings → API tokens; `read` tokens may \
call GET routes and the read-only POSTs (search, select, preview, export)",
                        ))
                        .build(),
                ),
            );
        }
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                ("GET", &mut item.get),
                ("POST", &mut item.post),
                ("PUT", &mut item.put),
                ("PATCH", &mut item.patch),
                ("DELETE", &mut item.delete),
            ];
            for (method, operation) in operations {
                if let Some(operation) = operation.as_mut() {
                    declare_security(path, method, operation);
                }
            }
        }
    }
}

fn declare_security(path: &str, method: &str, operation: &mut Operation) {
    let Some(route) = ROUTES
        .iter()
        .find(|r| r.method == method && path.strip_prefix("/api/v1") == Some(r.path))
    else {
        return;
    };
    let mut accepted = vec![SecurityRequirement::new(
        "connect_jwt",
        Vec::<String>::new(),
    )];
    if route.policy != Policy::Interactive {
        accepted.push(SecurityRequirement::new("api_token", Vec::<String>::new()));
    }
    operation.security = Some(accepted);
}

/// The document as pretty JSON, as committed.
pub fn document_json() -> String {
    let mut json = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}
