//! The audit entries of the Organization API key: the key itself never appears, only its
//! last four characters.

use orgwarden_store::audit::Kind;
use orgwarden_store::org_connections::OrgConnection;

use crate::audit_log::Note;

/// `apiKey.saved` (no key before) or `apiKey.replaced`.
pub fn saved(before: Option<&OrgConnection>, after: &OrgConnection) -> Note {
    let mut details = serde_json::json!({
        "orgId": after.org_id,
        "orgName": after.org_name,
        "maskedKey": after.masked_key(),
        "expiresAt": after.expires_on,
    });
    match before {
        None => Note::new(
            Kind::ApiKeySaved,
            format!("Saved the Organization API key of {}", after.org_name),
            details,
        ),
        Some(old) => {
            details["changes"] = orgwarden_store::audit::changes(
                &serde_json::json!({"maskedKey": old.masked_key(), "expiresAt": old.expires_on}),
                &serde_json::json!({"maskedKey": after.masked_key(), "expiresAt": after.expires_on}),
                &[],
            );
            Note::new(
                Kind::ApiKeyReplaced,
                format!("Replaced the Organization API key of {}", after.org_name),
                details,
            )
        }
    }
}

/// `apiKey.deleted`.
pub fn deleted(before: &OrgConnection) -> Note {
    Note::new(
        Kind::ApiKeyDeleted,
        format!("Removed the Organization API key of {}", before.org_name),
        serde_json::json!({"orgId": before.org_id, "orgName": before.org_name,
            "maskedKey": before.masked_key()}),
    )
}

/// `apiKey.checkFailed`: Atlassian (or validation) refused a key.
pub fn check_failed(code: &str, message: &str) -> Note {
    Note::new(
        Kind::ApiKeyCheckFailed,
        format!("An Organization API key was refused: {message}"),
        serde_json::json!({"code": code}),
    )
}
