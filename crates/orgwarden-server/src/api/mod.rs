//! The JSON API under `/api/v1`, one module per resource.

pub mod api_key;
pub mod dashboard;
pub mod exemptions;
pub mod export;
pub mod export_formats;
pub mod export_summary;
pub mod filters;
pub mod history;
pub mod import;
pub mod license;
pub mod me;
pub mod mirror;
pub mod operation_results;
pub mod operation_revert;
pub mod operation_types;
pub mod operation_views;
pub mod operations;
pub mod settings;
pub mod sync;
pub mod users;

use actix_web::{web, Resource};

use crate::error::method_not_allowed;

fn resource(path: &str) -> Resource {
    web::resource(path).default_service(web::to(method_not_allowed))
}

/// Routes of `/api/v1`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .service(resource("/me").route(web::get().to(me::me)))
            .service(resource("/settings/api-key/check").route(web::post().to(api_key::check)))
            .service(
                resource("/settings/api-key")
                    .route(web::get().to(api_key::get))
                    .route(web::put().to(api_key::save))
                    .route(web::delete().to(api_key::delete)),
            )
            .service(
                resource("/sync")
                    .route(web::get().to(sync::latest))
                    .route(web::post().to(sync::start)),
            )
            .service(resource("/sync/runs").route(web::get().to(sync::runs)))
            .service(
                resource("/settings")
                    .route(web::get().to(settings::get))
                    .route(web::put().to(settings::put)),
            )
            .service(
                resource("/filters")
                    .route(web::get().to(filters::list))
                    .route(web::post().to(filters::create)),
            )
            .service(
                resource("/filters/{id}")
                    .route(web::patch().to(filters::update))
                    .route(web::delete().to(filters::delete)),
            )
            .service(resource("/license").route(web::get().to(license::license)))
            .service(resource("/dashboard").route(web::get().to(dashboard::dashboard)))
            .service(resource("/dashboard/history").route(web::get().to(history::history)))
            .service(resource("/users").route(web::get().to(users::list)))
            .service(resource("/groups").route(web::get().to(users::groups)))
            .service(resource("/users/search").route(web::post().to(users::search)))
            .service(resource("/users/select").route(web::post().to(users::select)))
            .service(resource("/users/export").route(web::post().to(export::export)))
            .service(
                resource("/users/import-selection").route(web::post().to(import::import_selection)),
            )
            .service(resource("/users/{accountId}").route(web::get().to(users::detail)))
            .service(
                resource("/settings/exemptions")
                    .route(web::get().to(exemptions::list))
                    .route(web::post().to(exemptions::add))
                    .route(web::delete().to(exemptions::remove)),
            )
            .service(
                resource("/operations")
                    .route(web::get().to(operation_views::list))
                    .route(web::post().to(operations::create)),
            )
            .service(resource("/operations/preview").route(web::post().to(operations::preview)))
            .service(resource("/operations/{id}").route(web::get().to(operation_views::detail)))
            .service(resource("/operations/{id}/cancel").route(web::post().to(operations::cancel)))
            .service(
                resource("/operations/{id}/results")
                    .route(web::get().to(operation_results::results)),
            )
            .service(
                resource("/operations/{id}/revert").route(web::post().to(operation_revert::revert)),
            )
            .service(
                resource("/users/{accountId}/history")
                    .route(web::get().to(operation_results::history)),
            )
            .default_service(web::to(crate::error::not_found)),
    );
}
