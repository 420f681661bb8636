//! What the Jira host contributes to every Connect exchange: the Connect version it reports, its
//! clock for token times, and the path of an app's base URL (the base its QSH is computed from).

/// Version of Connect reported to apps (`pluginsVersion`, `cv`).
pub const CONNECT_VERSION: &str = "1001.0.0-SNAPSHOT";

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
