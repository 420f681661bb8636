//! The vocabulary of the audit trail: what happened, as a dotted name.

use serde::{Deserialize, Serialize};

macro_rules! kinds {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// What an audit entry records. `task.*` and `webhook.*` are reserved for automated
        /// tasks and webhooks.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Kind {
            $($(#[$doc])* #[serde(rename = $name)] $variant,)*
        }

        impl Kind {
            /// Every kind, in the order of the documentation.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            /// The stored and published dotted name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)*
                }
            }

            /// Parses a dotted name.
            pub fn parse(value: &str) -> Option<Self> {
                match value {
                    $($name => Some(Kind::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

// The OpenAPI schema lists the dotted names (a derive would see the variants' names).
#[cfg(feature = "schema")]
impl utoipa::PartialSchema for Kind {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(Kind::ALL.iter().map(|k| k.as_str())))
            .description(Some(
                "What an audit entry records; `task.*` and `webhook.*` are reserved.",
            ))
            .into()
    }
}

#[cfg(feature = "schema")]
impl utoipa::ToSchema for Kind {}

kinds! {
    /// The app was installed (or reinstalled) on the site.
    LifecycleInstalled => "lifecycle.installed",
    /// The app was enabled.
    LifecycleEnabled => "lifecycle.enabled",
    /// The app was disabled.
    LifecycleDisabled => "lifecycle.disabled",
    /// The app was uninstalled.
    LifecycleUninstalled => "lifecycle.uninstalled",
    /// An Organization API key was saved where none was.
    ApiKeySaved => "apiKey.saved",
    /// The saved Organization API key was replaced.
    ApiKeyReplaced => "apiKey.replaced",
    /// The saved Organization API key was removed.
    ApiKeyDeleted => "apiKey.deleted",
    /// A key was checked or saved and Atlassian refused it.
    ApiKeyCheckFailed => "apiKey.checkFailed",
    /// Settings changed.
    SettingsUpdated => "settings.updated",
    /// App access control changed.
    AccessUpdated => "access.updated",
    /// A caller was refused with `access_denied` (at most one entry per caller and hour).
    AccessDenied => "access.denied",
    /// Users were added to the exemption list.
    ExemptionAdded => "exemption.added",
    /// Users were removed from the exemption list.
    ExemptionRemoved => "exemption.removed",
    /// A saved filter was created.
    FilterCreated => "filter.created",
    /// A saved filter was changed.
    FilterUpdated => "filter.updated",
    /// A saved filter was deleted.
    FilterDeleted => "filter.deleted",
    /// An API token was created.
    TokenCreated => "token.created",
    /// An API token was revoked.
    TokenRevoked => "token.revoked",
    /// A bulk operation was created.
    OperationCreated => "operation.created",
    /// A cancel of a bulk operation was asked.
    OperationCancelled => "operation.cancelled",
    /// A revert of a bulk operation was created.
    OperationReverted => "operation.reverted",
    /// A bulk operation ended (with its counts).
    OperationFinished => "operation.finished",
    /// A sync started.
    SyncStarted => "sync.started",
    /// A sync succeeded.
    SyncSucceeded => "sync.succeeded",
    /// A sync failed.
    SyncFailed => "sync.failed",
    /// Personal data was downloaded (users export, operation results, audit export).
    ExportDownloaded => "export.downloaded",
    /// Retention deleted old entries, operations, sync runs and webhook deliveries.
    RetentionApplied => "retention.applied",
    /// The hourly seal check found the trail broken: which entry and why (once per break).
    AuditBroken => "audit.broken",
    /// Reserved: an automated task was created.
    TaskCreated => "task.created",
    /// Reserved: an automated task was changed.
    TaskUpdated => "task.updated",
    /// Reserved: an automated task was deleted.
    TaskDeleted => "task.deleted",
    /// Reserved: an automated task ran.
    TaskRun => "task.run",
    /// Reserved: a webhook was created.
    WebhookCreated => "webhook.created",
    /// Reserved: a webhook was changed.
    WebhookUpdated => "webhook.updated",
    /// Reserved: a webhook was deleted.
    WebhookDeleted => "webhook.deleted",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_serialize_as_themselves() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(*kind));
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::json!(kind.as_str())
            );
        }
        assert_eq!(Kind::parse("nope"), None);
    }
}
