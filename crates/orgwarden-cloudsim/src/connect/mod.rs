//! The Jira side of Connect: the installation site's REST API (JWT-verified), the lifecycle
//! driver, the Jira-like host page with its `all.js`, context tokens, and the install-keys
//! server.

use actix_web::web;

mod driver;
mod host;
mod host_page;
mod install_keys;
mod jira;

/// Registers the Connect routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    jira::configure(cfg);
    driver::configure(cfg);
    host_page::configure(cfg);
    cfg.route("/install-keys/{kid}", web::get().to(install_keys::get_key));
}
