//! The `/__sim/` control surface for tests and benchmarks (never part of the real API), one
//! module per resource: counters and faults, the organization, people, API keys.

use actix_web::web;

mod api_keys;
mod json;
mod org;
mod stats;
mod users;

pub(crate) use json::body;

/// Registers the control routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/__sim/stats", web::get().to(stats::stats))
        .route("/__sim/faults", web::get().to(stats::get_faults))
        .route("/__sim/faults", web::post().to(stats::set_faults))
        .route("/__sim/org", web::get().to(org::org_state))
        .route("/__sim/reset", web::post().to(org::reset))
        .route("/__sim/users", web::post().to(users::add_user))
        .route(
            "/__sim/users/{accountId}/activity",
            web::post().to(users::activity),
        )
        .route("/__sim/api-keys", web::get().to(api_keys::list_keys))
        .route("/__sim/api-keys", web::post().to(api_keys::add_key))
        .route(
            "/__sim/api-keys/{key}",
            web::delete().to(api_keys::delete_key),
        );
}
