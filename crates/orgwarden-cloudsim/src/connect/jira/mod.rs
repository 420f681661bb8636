//! Jira REST of a site under `/jira/{site}/rest/...`, every call verified like Jira does
//! (`auth`): licenses and application roles, the app's own record, the permission check.

use actix_web::web;

mod addon;
mod auth;
mod licenses;
mod permissions;

/// Registers the Jira REST routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let r = "/jira/{site}/rest";
    cfg.route(
        &format!("{r}/api/3/applicationrole"),
        web::get().to(licenses::application_roles),
    )
    .route(
        &format!("{r}/api/3/applicationrole/{{key}}"),
        web::get().to(licenses::application_role),
    )
    .route(
        &format!("{r}/api/3/license/approximateLicenseCount"),
        web::get().to(licenses::license_count),
    )
    .route(
        &format!("{r}/api/3/license/approximateLicenseCount/product/{{key}}"),
        web::get().to(licenses::product_license_count),
    )
    .route(
        &format!("{r}/api/3/instance/license"),
        web::get().to(licenses::instance_license),
    )
    .route(
        &format!("{r}/atlassian-connect/1/addons/{{appKey}}"),
        web::get().to(addon::addon),
    )
    .route(
        &format!("{r}/api/3/permissions/check"),
        web::post().to(permissions::permissions_check),
    );
}
