//! The JSON API under `/api/v1`, one module per resource, and its route table: the one list
//! that actix serves, the access tests walk and the OpenAPI test compares with the document.

pub mod access;
pub mod api_key;
mod api_key_audit;
pub mod audit;
mod audit_abridge;
pub mod audit_export;
pub mod dashboard;
pub mod dashboard_history;
pub mod exemptions;
pub mod export;
pub mod filters;
pub mod import;
mod key_check;
pub mod license;
pub mod me;
pub mod mirror;
pub mod operations;
mod optional_body;
pub mod result_outcome;
pub mod settings;
pub mod sync;
mod task_checks;
pub mod task_runs;
pub mod task_types;
pub mod tasks;
pub mod tokens;
pub mod users;
pub mod webhook_deliveries;
pub mod webhook_types;
pub mod webhooks;

use actix_web::{web, Resource};

use crate::access::Policy;
use crate::error::method_not_allowed;

fn resource(path: &str) -> Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

/// One route of `/api/v1`.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path under `/api/v1`, with `{placeholders}`.
    pub path: &'static str,
    /// What the route requires of its caller (its handler's extractor enforces it).
    pub policy: Policy,
}

macro_rules! api_routes {
    ($($path:literal => { $($method:ident $handler:path, $policy:ident;)+ })*) => {
        /// Every route of `/api/v1`.
        pub const ROUTES: &[RouteSpec] = &[$($(RouteSpec {
            method: method_name(stringify!($method)),
            path: $path,
            policy: Policy::$policy,
        },)+)*];

        /// Serves [`ROUTES`] under `/api/v1`.
        pub fn configure(cfg: &mut web::ServiceConfig) {
            cfg.service(
                web::scope("/api/v1")
                    .wrap(actix_web::middleware::from_fn(crate::access::authorize))
                    $(.service(resource($path)$(.route(web::$method().to($handler)))+))*
                    .default_service(web::to(crate::error::not_found)),
            );
        }
    };
}

const fn method_name(ident: &str) -> &'static str {
    match ident.as_bytes() {
        b"get" => "GET",
        b"post" => "POST",
        b"put" => "PUT",
        b"patch" => "PATCH",
        _ => "DELETE",
    }
}

api_routes! {
    "/me" => { get me::me, Anyone; }
    "/settings/api-key/check" => { post api_key::check, KeySetup; }
    "/settings/api-key" => {
        get api_key::get, Read;
        put api_key::save, KeySetup;
        delete api_key::delete, OrgAdmin;
    }
    "/settings/access" => { get access::get, Read; put access::put, OrgAdmin; }
    "/settings" => { get settings::get, Read; put settings::put, OrgAdmin; }
    "/settings/exemptions" => {
        get exemptions::list, Read;
        post exemptions::add, OrgAdmin;
        delete exemptions::remove, OrgAdmin;
    }
    "/sync" => { get sync::latest, Read; post sync::start, Write; }
    "/sync/runs" => { get sync::runs, Read; }
    "/filters" => { get filters::list, Read; post filters::create, Write; }
    "/filters/{id}" => { patch filters::update, Write; delete filters::delete, Write; }
    "/license" => { get license::license, Read; }
    "/dashboard" => { get dashboard::dashboard, Read; }
    "/dashboard/history" => { get dashboard_history::history, Read; }
    "/users" => { get users::list, Read; }
    "/groups" => { get users::groups, Read; }
    "/users/search" => { post users::search, Read; }
    "/users/select" => { post users::select, Read; }
    "/users/export" => { post export::export, Read; }
    "/users/import-selection" => { post import::import_selection, Read; }
    "/users/{accountId}" => { get users::detail, Read; }
    "/users/{accountId}/history" => { get operations::results::history, Read; }
    "/operations" => { get operations::views::list, Read; post operations::create, Write; }
    "/operations/preview" => { post operations::preview, Read; }
    "/operations/{id}" => { get operations::views::detail, Read; }
    "/operations/{id}/cancel" => { post operations::cancel, Write; }
    "/operations/{id}/results" => { get operations::results::results, Read; }
    "/operations/{id}/steps" => { get operations::steps::steps, Read; }
    "/operations/{id}/revert" => { post operations::revert::revert, Write; }
    "/tasks" => { get tasks::list, ReadWhole; post tasks::create, OrgAdmin; }
    "/tasks/preview" => { post task_runs::preview, ReadWhole; }
    "/tasks/{id}" => {
        get tasks::get, ReadWhole;
        put tasks::update, OrgAdmin;
        delete tasks::delete, OrgAdmin;
    }
    "/tasks/{id}/duplicate" => { post tasks::duplicate, OrgAdmin; }
    "/tasks/{id}/run" => { post task_runs::run, OrgAdmin; }
    "/tasks/{id}/runs" => { get task_runs::runs, ReadWhole; }
    "/tasks/{id}/runs/{processId}" => { get task_runs::detail, ReadWhole; }
    "/tokens" => { get tokens::list, Read; post tokens::create, Interactive; }
    "/tokens/{id}" => { delete tokens::revoke, Write; }
    "/audit" => { get audit::list, Read; }
    "/audit/export" => { get audit_export::export, Read; }
    "/audit/verify" => { get audit::verify, ReadWhole; }
    "/audit/{id}" => { get audit::entry, Read; }
    "/webhooks" => { get webhooks::list, ReadWhole; post webhooks::create, OrgAdmin; }
    "/webhooks/{id}" => {
        get webhooks::get, ReadWhole;
        put webhooks::update, OrgAdmin;
        delete webhooks::delete, OrgAdmin;
    }
    "/webhooks/{id}/test" => { post webhook_deliveries::test, WriteWhole; }
    "/webhooks/{id}/deliveries" => { get webhook_deliveries::list, ReadWhole; }
    "/webhooks/{id}/deliveries/{deliveryId}" => { get webhook_deliveries::detail, ReadWhole; }
    "/webhooks/{id}/deliveries/{deliveryId}/redeliver" => {
        post webhook_deliveries::redeliver, WriteWhole;
    }
}
