//! The audit entries of lifecycle callbacks: Atlassian tells us, so the actor is the system
//! (with the installing user's account id when the install names one).

use orgwarden_store::audit::{Actor, Kind};
use orgwarden_store::tenants::Installation;

use super::Note;

fn atlassian(account_id: Option<&str>) -> Actor {
    Actor {
        account_id: account_id.unwrap_or_default().to_owned(),
        ..Actor::system("Atlassian (lifecycle)")
    }
}

/// `lifecycle.installed`.
pub fn installed(install: &Installation) -> (Actor, Note) {
    (
        atlassian(install.installed_by.as_deref()),
        Note::new(
            Kind::LifecycleInstalled,
            format!("The app was installed on {}", install.base_url),
            serde_json::json!({"baseUrl": install.base_url, "productType": install.product_type,
                "installedBy": install.installed_by}),
        ),
    )
}

/// `lifecycle.uninstalled`.
pub fn uninstalled(retention_days: i64) -> (Actor, Note) {
    (
        atlassian(None),
        Note::new(
            Kind::LifecycleUninstalled,
            format!("The app was uninstalled; its data is deleted after {retention_days} days"),
            serde_json::json!({"retentionDays": retention_days}),
        ),
    )
}

/// `lifecycle.enabled` or `lifecycle.disabled`.
pub fn switched(enabled: bool) -> (Actor, Note) {
    let (kind, summary) = if enabled {
        (Kind::LifecycleEnabled, "The app was enabled")
    } else {
        (Kind::LifecycleDisabled, "The app was disabled")
    };
    (
        atlassian(None),
        Note::new(kind, summary, serde_json::json!({})),
    )
}
