//! What an update changed, field by field, with secrets masked.

use serde_json::{Map, Value};

/// The fields of `old` and `new` (JSON objects) that differ, as `{field: {old, new}}`; the
/// values of fields named in `secret` are masked with [`mask_secret`].
pub fn changes(old: &Value, new: &Value, secret: &[&str]) -> Value {
    let empty = Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let new = new.as_object().unwrap_or(&empty);
    let mut changed = Map::new();
    let mut fields: Vec<&String> = old.keys().chain(new.keys()).collect();
    fields.sort();
    fields.dedup();
    for field in fields {
        let (before, after) = (
            old.get(field).unwrap_or(&Value::Null),
            new.get(field).unwrap_or(&Value::Null),
        );
        if before == after {
            continue;
        }
        let shown = |v: &Value| {
            if secret.contains(&field.as_str()) {
                v.as_str()
                    .map_or(Value::Null, |s| Value::from(mask_secret(s)))
            } else {
                v.clone()
            }
        };
        changed.insert(
            field.clone(),
            serde_json::json!({"old": shown(before), "new": shown(after)}),
        );
    }
    Value::Object(changed)
}

/// A secret as audit entries show it: `…` and its last four characters (nothing of a secret
/// shorter than 12 characters).
pub fn mask_secret(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    if chars.len() < 12 {
        return "…".to_owned();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_fields_appear_and_secrets_are_masked() {
        let old = json!({"a": 1, "b": "x", "key": "ATCTT3xFfGN0aaaaaaaa1234"});
        let new = json!({"a": 1, "b": "y", "key": "ATCTT3xFfGN0bbbbbbbb5678", "c": true});
        let changed = changes(&old, &new, &["key"]);
        assert_eq!(
            changed,
            json!({
                "b": {"old": "x", "new": "y"},
                "c": {"old": null, "new": true},
                "key": {"old": "…1234", "new": "…5678"},
            })
        );
        assert_eq!(mask_secret("short"), "…");
    }
}
