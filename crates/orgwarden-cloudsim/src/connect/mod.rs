//! The Jira side of Connect: the installation site's REST API (JWT-verified), the lifecycle
//! driver, the Jira-like host page with its `all.js`, context tokens, and the install-keys
//! server.

use actix_web::web;

use crate::state::{Installation, Sim};

mod driver;
mod host_page;
mod install_keys;
mod jira;
mod jira_auth;
mod jira_permissions;

/// Version of Connect reported to apps (`pluginsVersion`, `cv`).
pub const CONNECT_VERSION: &str = "1001.0.0-SNAPSHOT";

/// Registers the Connect routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    jira::configure(cfg);
    driver::configure(cfg);
    host_page::configure(cfg);
    cfg.route("/install-keys/{kid}", web::get().to(install_keys::get_key));
}

/// The installation of `app_key` on the site named `site` (installed or not).
pub(crate) fn installation(sim: &Sim, site: &str, app_key: &str) -> Option<Installation> {
    sim.installations
        .read()
        .iter()
        .find(|i| i.site_name.eq_ignore_ascii_case(site) && i.app_key == app_key)
        .cloned()
}

/// Seconds since the epoch.
pub(crate) fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The path part of a base URL, without a trailing slash (`""` for a bare origin).
pub(crate) fn base_path(base_url: &str) -> String {
    url::Url::parse(base_url)
        .map(|u| u.path().trim_end_matches('/').to_string())
        .unwrap_or_default()
}
