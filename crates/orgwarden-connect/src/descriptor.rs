//! Rendering the `atlassian-connect.json` descriptor template.
//!
//! Policy: substituted values are JSON-string-escaped, so a value can never change the
//! document's structure; the rendered descriptor must keep the security-relevant settings
//! (JWT authentication, signed install, context QSH).

use serde_json::Value;

/// The repository's descriptor template (`atlassian-connect.json` at the workspace root).
pub const DESCRIPTOR_TEMPLATE: &str = include_str!("../../../atlassian-connect.json");

/// Values substituted into the descriptor template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescriptorVars {
    /// Public base URL of the app (`{{baseUrl}}`); a trailing `/` is dropped.
    pub base_url: String,
    /// The app key (`{{appKey}}`).
    pub app_key: String,
}

/// Why a descriptor could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DescriptorError {
    /// The template still contains `{{` after substitution.
    #[error("descriptor template has an unknown placeholder")]
    UnknownPlaceholder,
    /// The rendered text is not a JSON object.
    #[error("descriptor is not valid JSON: {0}")]
    InvalidJson(String),
    /// A required field is absent or has the wrong value.
    #[error("descriptor field {0} is missing or invalid")]
    InvalidField(&'static str),
}

/// Renders the template: replaces `{{baseUrl}}` and `{{appKey}}`, parses the JSON and checks
/// `key`, `baseUrl`, `authentication.type == "jwt"`, `lifecycle.installed`, and
/// `apiMigrations` `signed-install` and `context-qsh` both `true`.
pub fn render_descriptor(template: &str, vars: &DescriptorVars) -> Result<Value, DescriptorError> {
    let base_url = vars.base_url.trim_end_matches('/');
    let rendered = template
        .replace("{{baseUrl}}", &json_string_content(base_url))
        .replace("{{appKey}}", &json_string_content(&vars.app_key));
    if rendered.contains("{{") {
        return Err(DescriptorError::UnknownPlaceholder);
    }
    let descriptor: Value =
        serde_json::from_str(&rendered).map_err(|e| DescriptorError::InvalidJson(e.to_string()))?;
    check(&descriptor)?;
    Ok(descriptor)
}

/// The text between the quotes of `value` serialized as a JSON string.
fn json_string_content(value: &str) -> String {
    let quoted = Value::String(value.to_owned()).to_string();
    let inner = quoted
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'));
    inner.unwrap_or(&quoted).to_owned()
}

fn check(descriptor: &Value) -> Result<(), DescriptorError> {
    let non_empty = |pointer: &str| {
        descriptor
            .pointer(pointer)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    if !descriptor.is_object() {
        return Err(DescriptorError::InvalidJson("not an object".into()));
    }
    let required: [(&str, &'static str); 3] = [
        ("/key", "key"),
        ("/baseUrl", "baseUrl"),
        ("/lifecycle/installed", "lifecycle.installed"),
    ];
    for (pointer, name) in required {
        if !non_empty(pointer) {
            return Err(DescriptorError::InvalidField(name));
        }
    }
    if descriptor
        .pointer("/authentication/type")
        .and_then(Value::as_str)
        != Some("jwt")
    {
        return Err(DescriptorError::InvalidField("authentication.type"));
    }
    for (pointer, name) in [
        (
            "/apiMigrations/signed-install",
            "apiMigrations.signed-install",
        ),
        ("/apiMigrations/context-qsh", "apiMigrations.context-qsh"),
    ] {
        if descriptor.pointer(pointer) != Some(&Value::Bool(true)) {
            return Err(DescriptorError::InvalidField(name));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_content_is_escaped() {
        assert_eq!(json_string_content(r#"a"b\c"#), r#"a\"b\\c"#);
        assert_eq!(json_string_content("plain"), "plain");
    }
}
