//! Prometheus metrics of the Admin API client: every HTTP attempt by endpoint class and status,
//! and every retry by reason. Labels come from small fixed sets (never an id, key or URL).
//!
//! The collectors live once per process; [`register`] adds them to a registry (call it once at
//! start, with each registry that should show them). Until then nothing is recorded.

use std::sync::OnceLock;

use prometheus::{IntCounterVec, Opts, Registry};

struct AdminApiMetrics {
    requests: IntCounterVec,
    retries: IntCounterVec,
}

static METRICS: OnceLock<AdminApiMetrics> = OnceLock::new();

/// Path words and the endpoint class they mean, most specific first.
const CLASSES: [(&str, &str); 10] = [
    ("events-stream", "events"),
    ("last-active-dates", "last_active"),
    ("role-assignments", "roles"),
    ("roles", "roles"),
    ("groups", "groups"),
    ("suspend", "lifecycle"),
    ("restore", "lifecycle"),
    ("users", "users"),
    ("workspaces", "workspaces"),
    ("directories", "directories"),
];
const RETRY_REASONS: [&str; 3] = ["rate_limited", "server_error", "transport_error"];

impl AdminApiMetrics {
    fn new() -> Result<Self, prometheus::Error> {
        Ok(Self {
            requests: IntCounterVec::new(
                Opts::new(
                    "orgwarden_admin_api_requests_total",
                    "Admin API HTTP attempts (retries included) by endpoint class and status \
                     (the HTTP status code, or `transport_error` when no answer came)",
                ),
                &["class", "status"],
            )?,
            retries: IntCounterVec::new(
                Opts::new(
                    "orgwarden_admin_api_retries_total",
                    "Admin API attempts repeated after a failure, by endpoint class and reason \
                     (rate_limited = 429, server_error = 5xx, transport_error)",
                ),
                &["class", "reason"],
            )?,
        })
    }
}

/// Adds the Admin API metrics to `registry` (they are created on the first call).
pub fn register(registry: &Registry) -> Result<(), prometheus::Error> {
    let metrics = match METRICS.get() {
        Some(metrics) => metrics,
        None => {
            let created = AdminApiMetrics::new()?;
            // Every retry series at 0, so the family shows before the first retry.
            let classes = CLASSES.iter().map(|(_, class)| *class);
            for class in classes.chain(["orgs", "other"]) {
                for reason in RETRY_REASONS {
                    created.retries.with_label_values(&[class, reason]);
                }
            }
            METRICS.get_or_init(|| created)
        }
    };
    registry.register(Box::new(metrics.requests.clone()))?;
    registry.register(Box::new(metrics.retries.clone()))
}

/// Counts one attempt on `path` that got `status` (`None`: no answer).
pub(crate) fn request(path: &str, status: Option<u16>) {
    if let Some(metrics) = METRICS.get() {
        let status = status.map_or_else(|| "transport_error".to_owned(), |s| s.to_string());
        metrics
            .requests
            .with_label_values(&[endpoint_class(path), &status])
            .inc();
    }
}

/// Counts one retry on `path` for `reason` (one of the fixed reasons in the help text).
pub(crate) fn retry(path: &str, reason: &'static str) {
    if let Some(metrics) = METRICS.get() {
        metrics
            .retries
            .with_label_values(&[endpoint_class(path), reason])
            .inc();
    }
}

/// The endpoint class of an Admin API path: the most specific fixed resource word the path
/// names. Only these words are ever returned, so ids in the path never reach a label.
pub fn endpoint_class(path: &str) -> &'static str {
    let path = path.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').collect();
    CLASSES
        .iter()
        .find(|(word, _)| segments.contains(word))
        .map_or_else(
            || {
                if segments.contains(&"orgs") {
                    "orgs"
                } else {
                    "other"
                }
            },
            |(_, class)| *class,
        )
}

#[cfg(test)]
mod tests {
    use super::endpoint_class;

    #[test]
    fn classes_come_from_resource_words_never_ids() {
        let cases = [
            ("/admin/v1/orgs?cursor=abc", "orgs"),
            ("/admin/v1/orgs/o-1", "orgs"),
            ("/admin/v2/orgs/o/directories", "directories"),
            ("/admin/v2/orgs/o/workspaces", "workspaces"),
            ("/admin/v2/orgs/o/directories/d/users/search", "users"),
            ("/admin/v2/orgs/o/directories/d/users/count", "users"),
            (
                "/admin/v2/orgs/o/directories/d/users/a/suspend",
                "lifecycle",
            ),
            (
                "/admin/v2/orgs/o/directories/d/users/a/restore",
                "lifecycle",
            ),
            (
                "/admin/v2/orgs/o/directories/d/users/a/role-assignments",
                "roles",
            ),
            ("/admin/v1/orgs/o/users/a/roles/assign", "roles"),
            (
                "/admin/v2/orgs/o/directories/d/groups/g/memberships",
                "groups",
            ),
            (
                "/admin/v1/orgs/o/directory/users/a/last-active-dates",
                "last_active",
            ),
            ("/admin/v1/orgs/o/events-stream?cursor=x", "events"),
            ("/elsewhere/5b10ac8d82e05b22cc7d4ef5", "other"),
        ];
        for (path, class) in cases {
            assert_eq!(endpoint_class(path), class, "{path}");
        }
    }
}
