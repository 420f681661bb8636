//! Lifecycle payload parsing, validation and secret redaction.
// Helpers outside #[test] functions unwrap too; a panic is a test failure here.

use orgwarden_connect::{LifecycleError, LifecycleEvent, LifecyclePayload};
use serde_json::{json, Value};

/// The reference document's `installed` example, plus fields we must ignore.
fn installed() -> Value {
    json!({
        "key": "com.example.seat-admin",
        "clientKey": "clientKey-test-0001",
        "sharedSecret": "test-shared-secret-0123456789abcdef",
        "serverVersion": "server-version",
        "pluginsVersion": "1001.0.0-SNAPSHOT",
        "baseUrl": "https://example.atlassian.net",
        "displayUrl": "https://issues.example.com",
        "productType": "jira",
        "description": "Atlassian Jira at https://example.atlassian.net",
        "serviceEntitlementNumber": "SEN-number",
        "entitlementId": "Entitlement-Id",
        "entitlementNumber": "Entitlement-Number",
        "oauthClientId": "oauth-client-id",
        "eventType": "installed",
        "publicKey": "legacy, ignored",
        "cloudId": "8a3f5c1e-0b7d-4e2a-9c61-2f4d8e7b9a10"
    })
}

fn parse(value: Value) -> LifecyclePayload {
    serde_json::from_value(value).unwrap()
}

fn with(field: &str, value: Value) -> LifecyclePayload {
    let mut body = installed();
    body[field] = value;
    parse(body)
}

#[test]
fn documented_installed_payload_parses_and_validates() {
    let payload = parse(installed());
    assert_eq!(payload.validate(), Ok(LifecycleEvent::Installed));
    assert_eq!(payload.client_key, "clientKey-test-0001");
    assert_eq!(
        payload.shared_secret.as_deref(),
        Some("test-shared-secret-0123456789abcdef")
    );
    assert_eq!(
        payload.display_url.as_deref(),
        Some("https://issues.example.com")
    );
    assert_eq!(
        payload.service_entitlement_number.as_deref(),
        Some("SEN-number")
    );
    assert_eq!(payload.oauth_client_id.as_deref(), Some("oauth-client-id"));
    assert_eq!(
        payload.cloud_id.as_deref(),
        Some("8a3f5c1e-0b7d-4e2a-9c61-2f4d8e7b9a10")
    );
    assert_eq!(payload.installation_id, None);
    let round_trip: Value = serde_json::to_value(&payload).unwrap();
    assert_eq!(round_trip["clientKey"], "clientKey-test-0001");
    assert!(
        round_trip.get("installationId").is_none(),
        "absent fields are omitted"
    );
}

#[test]
fn debug_redacts_the_shared_secret() {
    let payload = parse(installed());
    let debug = format!("{payload:?}");
    assert!(!debug.contains("test-shared-secret"), "{debug}");
    assert!(debug.contains("shared_secret: [redacted]"), "{debug}");
    assert!(debug.contains("clientKey-test-0001"));
    let mut no_secret = payload;
    no_secret.shared_secret = None;
    assert!(format!("{no_secret:?}").contains("shared_secret: None"));
}

#[test]
fn all_four_events_are_accepted() {
    for (name, event) in [
        ("installed", LifecycleEvent::Installed),
        ("uninstalled", LifecycleEvent::Uninstalled),
        ("enabled", LifecycleEvent::Enabled),
        ("disabled", LifecycleEvent::Disabled),
    ] {
        assert_eq!(with("eventType", json!(name)).validate(), Ok(event));
        assert_eq!(event.as_str(), name);
    }
}

#[test]
fn invalid_payloads_are_rejected() {
    let cases = [
        ("key", json!(""), LifecycleError::InvalidKey),
        ("clientKey", json!(""), LifecycleError::InvalidClientKey),
        (
            "clientKey",
            json!("k".repeat(256)),
            LifecycleError::InvalidClientKey,
        ),
        (
            "baseUrl",
            json!("example.atlassian.net"),
            LifecycleError::InvalidBaseUrl,
        ),
        (
            "baseUrl",
            json!("/relative"),
            LifecycleError::InvalidBaseUrl,
        ),
        (
            "baseUrl",
            json!("ftp://example.atlassian.net"),
            LifecycleError::InvalidBaseUrl,
        ),
        (
            "baseUrl",
            json!("javascript:alert(1)"),
            LifecycleError::InvalidBaseUrl,
        ),
        (
            "baseUrl",
            json!("https://user:pw@example.atlassian.net"),
            LifecycleError::InvalidBaseUrl,
        ),
        ("cloudId", json!(""), LifecycleError::InvalidCloudId),
        (
            "cloudId",
            json!("c".repeat(256)),
            LifecycleError::InvalidCloudId,
        ),
        (
            "eventType",
            json!("INSTALLED"),
            LifecycleError::InvalidEventType,
        ),
        (
            "eventType",
            json!("deleted"),
            LifecycleError::InvalidEventType,
        ),
    ];
    for (field, value, error) in cases {
        assert_eq!(
            with(field, value.clone()).validate(),
            Err(error),
            "{field} = {value}"
        );
    }
    assert_eq!(
        with("clientKey", json!("k".repeat(255))).validate(),
        Ok(LifecycleEvent::Installed)
    );
    assert_eq!(
        with("baseUrl", json!("http://127.0.0.1:9000/jira/site")).validate(),
        Ok(LifecycleEvent::Installed)
    );
}

#[test]
fn required_fields_must_be_present() {
    for field in ["key", "clientKey", "baseUrl", "eventType"] {
        let mut body = installed();
        body.as_object_mut().unwrap().remove(field);
        assert!(
            serde_json::from_value::<LifecyclePayload>(body).is_err(),
            "{field}"
        );
    }
}
