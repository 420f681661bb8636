//! The Admin API under `/admin/...`, as at api.atlassian.com. Authentication, rate limiting,
//! latency and faults happen in [`crate::gate`] before these handlers run.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

pub mod errors;
mod events_api;
mod group_query;
mod groups;
mod groups_read;
mod lifecycle;
mod orgs;
pub mod paging;
mod query;
mod request;
mod roles;
pub(crate) mod user_json;
mod user_query;
mod users;
mod users_roles;
mod users_v1;
mod workspaces;

/// Answer for unknown `/admin` paths.
async fn not_found() -> HttpResponse {
    errors::app_error(
        StatusCode::NOT_FOUND,
        "ADMIN-404-1",
        "Unknown resource",
        "No such endpoint",
    )
}

/// Registers every Admin API route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let v2 = "/admin/v2/orgs/{orgId}/directories/{directoryId}";
    cfg.route("/admin/v1/orgs", web::get().to(orgs::list_orgs))
        .route("/admin/v1/orgs/{orgId}", web::get().to(orgs::get_org))
        .route(
            "/admin/v1/orgs/{orgId}/users",
            web::get().to(users_v1::list_v1),
        )
        .route(
            "/admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates",
            web::get().to(users_v1::last_active_dates),
        )
        .route(
            "/admin/v1/orgs/{orgId}/directory/users/{accountId}/suspend-access",
            web::post().to(lifecycle::suspend_v1),
        )
        .route(
            "/admin/v1/orgs/{orgId}/directory/users/{accountId}/restore-access",
            web::post().to(lifecycle::restore_v1),
        )
        .route(
            "/admin/v1/orgs/{orgId}/directory/users/{accountId}",
            web::delete().to(lifecycle::remove_v1),
        )
        .route(
            "/admin/v1/orgs/{orgId}/users/{accountId}/roles/assign",
            web::post().to(roles::assign),
        )
        .route(
            "/admin/v1/orgs/{orgId}/users/{accountId}/roles/revoke",
            web::post().to(roles::revoke),
        )
        .route(
            "/admin/v1/orgs/{orgId}/users/{accountId}/role-assignments/assign",
            web::post().to(roles::org_assign),
        )
        .route(
            "/admin/v1/orgs/{orgId}/users/{accountId}/role-assignments/revoke",
            web::post().to(roles::org_revoke),
        )
        .route(
            "/admin/v1/orgs/{orgId}/events-stream",
            web::get().to(events_api::stream),
        )
        .route(
            "/admin/v2/orgs/{orgId}/directories",
            web::get().to(orgs::list_directories),
        )
        .route(
            "/admin/v2/orgs/{orgId}/workspaces",
            web::post().to(workspaces::search),
        )
        .route(&format!("{v2}/users/search"), web::post().to(users::search))
        .route(&format!("{v2}/users"), web::get().to(users::list))
        .route(&format!("{v2}/users/count"), web::get().to(users::count))
        .route(&format!("{v2}/users/stats"), web::get().to(users::stats))
        .route(
            &format!("{v2}/users/{{accountId}}"),
            web::get().to(users::get_user),
        )
        .route(
            &format!("{v2}/users/{{accountId}}"),
            web::delete().to(lifecycle::remove),
        )
        .route(
            &format!("{v2}/users/{{accountId}}/role-assignments"),
            web::get().to(users_roles::role_assignments),
        )
        .route(
            &format!("{v2}/users/{{accountId}}/suspend"),
            web::post().to(lifecycle::suspend),
        )
        .route(
            &format!("{v2}/users/{{accountId}}/restore"),
            web::post().to(lifecycle::restore),
        )
        .route(
            &format!("{v2}/groups/search"),
            web::post().to(groups_read::search),
        )
        .route(&format!("{v2}/groups"), web::get().to(groups_read::list))
        .route(&format!("{v2}/groups"), web::post().to(groups::create))
        .route(
            &format!("{v2}/groups/count"),
            web::get().to(groups_read::count),
        )
        .route(
            &format!("{v2}/groups/stats"),
            web::get().to(groups_read::stats),
        )
        .route(
            &format!("{v2}/groups/{{groupId}}"),
            web::get().to(groups_read::get_group),
        )
        .route(
            &format!("{v2}/groups/{{groupId}}"),
            web::delete().to(groups::delete),
        )
        .route(
            &format!("{v2}/groups/{{groupId}}/memberships"),
            web::post().to(groups::add_member),
        )
        .route(
            &format!("{v2}/groups/{{groupId}}/memberships/{{accountId}}"),
            web::delete().to(groups::remove_member),
        )
        .route(
            &format!("{v2}/groups/{{groupId}}/role-assignments"),
            web::get().to(groups_read::role_assignments),
        )
        .route(
            &format!("{v2}/groups/{{groupId}}/role-assignments/assign"),
            web::post().to(groups::assign_role),
        )
        .route(
            &format!("{v2}/groups/{{groupId}}/role-assignments/revoke"),
            web::post().to(groups::revoke_role),
        )
        .route("/admin/{tail:.*}", web::to(not_found));
}
