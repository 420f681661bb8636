//! Every error code the API answers with: one enum, published in the OpenAPI document, so that
//! REST clients can rely on the list.

use serde::Serialize;
use utoipa::ToSchema;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)*) => {
        /// A stable, snake_case error code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// The code as sent.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)*
                }
            }

            /// Every code (for tests).
            pub const ALL: &'static [ErrorCode] = &[$(Self::$variant,)*];
        }
    };
}

error_codes! {
    /// A field or parameter is invalid; `details.field` names it.
    ValidationFailed = "validation_failed",
    /// The JSON body could not be read.
    InvalidJson = "invalid_json",
    /// The body could not be read.
    InvalidBody = "invalid_body",
    /// The request could not be processed (refused before it reached the API).
    BadRequest = "bad_request",
    /// The body is not JSON.
    UnsupportedMediaType = "unsupported_media_type",
    /// The body is too large.
    PayloadTooLarge = "payload_too_large",
    /// The headers are too large.
    HeadersTooLarge = "headers_too_large",
    /// No credentials, or unreadable ones.
    Unauthorized = "unauthorized",
    /// The JWT or API token is invalid, expired or revoked.
    InvalidToken = "invalid_token",
    /// The caller may not use the app, or not this route; the message says who can grant it.
    AccessDenied = "access_denied",
    /// A `read` API token on a route that changes something.
    InsufficientScope = "insufficient_scope",
    /// Refused for another reason the message gives.
    Forbidden = "forbidden",
    /// No such resource.
    NotFound = "not_found",
    /// No such route or method.
    MethodNotAllowed = "method_not_allowed",
    /// No Organization API key is saved yet.
    ApiKeyNotSet = "api_key_not_set",
    /// Atlassian refused the key.
    InvalidApiKey = "invalid_api_key",
    /// The key has expired.
    ExpiredApiKey = "expired_api_key",
    /// The key may not manage the organization.
    ForbiddenApiKey = "forbidden_api_key",
    /// The key belongs to another organization than the saved one.
    DifferentOrganization = "different_organization",
    /// The key's organization does not own the Jira site the app is installed on.
    SiteNotInOrganization = "site_not_in_organization",
    /// The webhook is switched off: nothing but a test is sent to it.
    WebhookInactive = "webhook_inactive",
    /// A task's saved filter changed since the admin reviewed it.
    FilterChanged = "filter_changed",
    /// A run of the task is still queued or running.
    TaskRunning = "task_running",
    /// A revert of the operation is still queued or running.
    RevertUnderWay = "revert_under_way",
    /// The Admin API could not be reached.
    AdminApiUnreachable = "admin_api_unreachable",
    /// The Admin API answered unexpectedly.
    AdminApiError = "admin_api_error",
    /// Jira could not be asked (permission check).
    JiraUnavailable = "jira_unavailable",
    /// The mirror is not synced yet.
    NotSynced = "not_synced",
    /// No sync has run yet.
    NoSyncYet = "no_sync_yet",
    /// A name is taken.
    DuplicateName = "duplicate_name",
    /// A saved filter is used by automated tasks; `details.tasks` names them.
    FilterInUse = "filter_in_use",
    /// The tenant holds the most API tokens it may.
    TooManyTokens = "too_many_tokens",
    /// Too many exports are streaming already; try again when one has finished.
    TooManyExports = "too_many_exports",
    /// The operation has finished already.
    OperationFinished = "operation_finished",
    /// The operation has not finished yet.
    OperationNotFinished = "operation_not_finished",
    /// Nothing of the operation can be reverted.
    NothingToRevert = "nothing_to_revert",
    /// The app's license is past its grace period.
    LicenseExceeded = "license_exceeded",
    /// The Marketplace license is inactive.
    LicenseInactive = "license_inactive",
    /// The license has not been evaluated within the first period.
    LicenseUnevaluated = "license_unevaluated",
    /// The license could not be evaluated.
    LicenseUnavailable = "license_unavailable",
    /// The server is not ready (readiness).
    NotReady = "not_ready",
    /// The SPA was not built.
    FrontendNotBuilt = "frontend_not_built",
    /// The database is busy (another writer held it too long) or unreachable; retry after the
    /// `Retry-After` seconds.
    DatabaseUnavailable = "database_unavailable",
    /// Something failed on our side; it is logged.
    InternalError = "internal_error",
}

impl ErrorCode {
    /// The code of a license refusal.
    pub fn of_license(refusal: &orgwarden_license::LicenseRefusal) -> Self {
        match refusal.code() {
            "license_inactive" => Self::LicenseInactive,
            "license_unevaluated" => Self::LicenseUnevaluated,
            _ => Self::LicenseExceeded,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_serialize_as_themselves() {
        let mut seen = std::collections::BTreeSet::new();
        for code in ErrorCode::ALL {
            let text = code.as_str();
            assert!(
                text.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{text}"
            );
            assert!(seen.insert(text), "{text} twice");
            assert_eq!(
                serde_json::to_value(code).ok(),
                Some(serde_json::json!(text))
            );
        }
    }
}
