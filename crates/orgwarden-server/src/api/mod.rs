//! The JSON API under `/api/v1`, one module per resource.

pub mod api_key;
pub mod dashboard;
pub mod license;
pub mod me;
pub mod mirror;
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
            .service(resource("/sync").route(web::get().to(sync::latest)).route(web::post().to(sync::start)))
            .service(resource("/sync/runs").route(web::get().to(sync::runs)))
            .service(resource("/license").route(web::get().to(license::license)))
            .service(resource("/dashboard").route(web::get().to(dashboard::dashboard)))
            .service(resource("/users").route(web::get().to(users::list)))
            .service(resource("/users/search").route(web::post().to(users::search)))
            .service(resource("/users/select").route(web::post().to(users::select)))
            .service(resource("/users/{accountId}").route(web::get().to(users::detail)))
            .default_service(web::to(crate::error::not_found)),
    );
}
