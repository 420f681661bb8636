//! The JSON body of lifecycle callbacks (`installed`, `uninstalled`, `enabled`, `disabled`).

use serde::{Deserialize, Serialize};
use url::Url;

/// Longest accepted `clientKey` and `key`.
const MAX_KEY_LEN: usize = 255;

/// A lifecycle callback body. Unknown fields are ignored; `Debug` redacts the shared secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LifecyclePayload {
    /// The app key (as in the descriptor).
    pub key: String,
    /// The tenant id: primary key of all tenant data and `iss` of the tenant's tokens.
    pub client_key: String,
    /// HS256 secret for this tenant; trust it only from a verified `installed` callback.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_secret: Option<String>,
    /// Product base URL, prefix of every REST call.
    pub base_url: String,
    /// The site's cloud id (the `site/<cloudId>` of its workspaces' ARIs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloud_id: Option<String>,
    /// URL users see (custom domain), for links only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_url: Option<String>,
    /// Service desk help-center display URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_url_servicedesk_help_center: Option<String>,
    /// `jira` or `confluence`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    /// Host description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Support entitlement number (paid apps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_entitlement_number: Option<String>,
    /// Entitlement id (paid apps on Atlassian's newer billing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entitlement_id: Option<String>,
    /// Entitlement number (paid apps on Atlassian's newer billing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entitlement_number: Option<String>,
    /// OAuth 2.0 client id for acting as a user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth_client_id: Option<String>,
    /// Connect version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugins_version: Option<String>,
    /// Legacy server version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_version: Option<String>,
    /// `installed`, `uninstalled`, `enabled` or `disabled`.
    pub event_type: String,
    /// Forge installation id (Connect-on-Forge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation_id: Option<String>,
    /// Account id of the acting user, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
}

/// The four lifecycle events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LifecycleEvent {
    /// The app was installed (or re-installed) on the tenant.
    Installed,
    /// The app was uninstalled.
    Uninstalled,
    /// The app was enabled.
    Enabled,
    /// The app was disabled.
    Disabled,
}

impl LifecycleEvent {
    /// Parses an `eventType` value (exact, lowercase).
    pub fn parse(event_type: &str) -> Option<Self> {
        match event_type {
            "installed" => Some(Self::Installed),
            "uninstalled" => Some(Self::Uninstalled),
            "enabled" => Some(Self::Enabled),
            "disabled" => Some(Self::Disabled),
            _ => None,
        }
    }

    /// The `eventType` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Installed => "installed",
            Self::Uninstalled => "uninstalled",
            Self::Enabled => "enabled",
            Self::Disabled => "disabled",
        }
    }
}

/// Why a lifecycle payload is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// `key` is empty or longer than 255 bytes.
    #[error("key must be 1 to 255 characters")]
    InvalidKey,
    /// `clientKey` is empty or longer than 255 bytes.
    #[error("clientKey must be 1 to 255 characters")]
    InvalidClientKey,
    /// `baseUrl` is not an absolute http(s) URL with a host and without credentials.
    #[error("baseUrl must be an absolute http(s) URL")]
    InvalidBaseUrl,
    /// `cloudId` is empty or longer than 255 bytes.
    #[error("cloudId must be 1 to 255 characters")]
    InvalidCloudId,
    /// `eventType` is not one of the four lifecycle events.
    #[error("eventType must be installed, uninstalled, enabled or disabled")]
    InvalidEventType,
}

impl LifecyclePayload {
    /// Checks the fields every event needs and returns the event.
    pub fn validate(&self) -> Result<LifecycleEvent, LifecycleError> {
        if self.key.is_empty() || self.key.len() > MAX_KEY_LEN {
            return Err(LifecycleError::InvalidKey);
        }
        if self.client_key.is_empty() || self.client_key.len() > MAX_KEY_LEN {
            return Err(LifecycleError::InvalidClientKey);
        }
        if self
            .cloud_id
            .as_ref()
            .is_some_and(|id| id.is_empty() || id.len() > MAX_KEY_LEN)
        {
            return Err(LifecycleError::InvalidCloudId);
        }
        let base_url = Url::parse(&self.base_url).map_err(|_| LifecycleError::InvalidBaseUrl)?;
        let http = matches!(base_url.scheme(), "http" | "https");
        let credentials = !base_url.username().is_empty() || base_url.password().is_some();
        if !http || base_url.host_str().is_none_or(str::is_empty) || credentials {
            return Err(LifecycleError::InvalidBaseUrl);
        }
        LifecycleEvent::parse(&self.event_type).ok_or(LifecycleError::InvalidEventType)
    }

    /// The event, if `eventType` is valid.
    pub fn event(&self) -> Option<LifecycleEvent> {
        LifecycleEvent::parse(&self.event_type)
    }
}

impl std::fmt::Debug for LifecyclePayload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secret = if self.shared_secret.is_some() {
            "[redacted]"
        } else {
            "None"
        };
        f.debug_struct("LifecyclePayload")
            .field("key", &self.key)
            .field("client_key", &self.client_key)
            .field("shared_secret", &format_args!("{secret}"))
            .field("base_url", &self.base_url)
            .field("cloud_id", &self.cloud_id)
            .field("display_url", &self.display_url)
            .field(
                "display_url_servicedesk_help_center",
                &self.display_url_servicedesk_help_center,
            )
            .field("product_type", &self.product_type)
            .field("description", &self.description)
            .field(
                "service_entitlement_number",
                &self.service_entitlement_number,
            )
            .field("entitlement_id", &self.entitlement_id)
            .field("entitlement_number", &self.entitlement_number)
            .field("oauth_client_id", &self.oauth_client_id)
            .field("plugins_version", &self.plugins_version)
            .field("server_version", &self.server_version)
            .field("event_type", &self.event_type)
            .field("installation_id", &self.installation_id)
            .field("account_id", &self.account_id)
            .finish()
    }
}
