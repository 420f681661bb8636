//! The JSON API under `/api/v1`, one module per resource.

pub mod me;

use actix_web::web;

/// Routes of `/api/v1`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .service(web::resource("/me").route(web::get().to(me::me)).default_service(web::to(crate::error::method_not_allowed)))
            .default_service(web::to(crate::error::not_found)),
    );
}
