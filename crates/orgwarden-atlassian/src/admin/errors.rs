//! Typed Admin API failures and how answers map onto them.
//!
//! Atlassian uses several error bodies (`{"errors":[{code,title,detail}]}`, the gateway's
//! `{"code":n,"message":…}`, `NoPermsError`); all are read leniently. Every text taken from an
//! answer is scrubbed of the API key before it is stored in an error.

use std::time::Duration;

use serde_json::Value;

use super::key::ApiKey;

/// Why an Admin API call failed. Never contains the API key.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// 401: the key is unknown, revoked or malformed.
    #[error("Atlassian rejected the Organization API key: check the key and the organization id in orgwarden's Settings")]
    InvalidKey,
    /// 401 whose answer says the key expired.
    #[error("the Organization API key has expired: create a new key in Atlassian Administration (Settings → API keys) and save it in orgwarden's Settings")]
    ExpiredKey,
    /// 403: the key is valid but not allowed to do this (e.g. a scoped key, `ADMIN-403-3`).
    #[error("the Organization API key is not allowed to do this{}: {detail}", code_suffix(.code))]
    Forbidden {
        /// Atlassian's error code, e.g. `ADMIN-403-3`.
        code: Option<String>,
        /// Atlassian's explanation.
        detail: String,
    },
    /// 404: the organization, directory, user, group or resource does not exist.
    #[error("not found{}: {detail}", code_suffix(.code))]
    NotFound {
        /// Atlassian's error code, e.g. `ADMIN-404-8`.
        code: Option<String>,
        /// Atlassian's explanation.
        detail: String,
    },
    /// The group is synced from an identity provider (or otherwise not manageable) and refuses
    /// the change (`ADMIN-403-5`).
    #[error("the group is managed by an identity provider and cannot be changed here; change it in the identity provider: {detail}")]
    ReadOnlyGroup {
        /// Atlassian's explanation.
        detail: String,
    },
    /// 409: e.g. a duplicate group name or a license limit.
    #[error("Atlassian refused the change as a conflict{}: {detail}", code_suffix(.code))]
    Conflict {
        /// Atlassian's error code, e.g. `ADMIN-409-3`.
        code: Option<String>,
        /// Atlassian's explanation.
        detail: String,
    },
    /// 400 and any other 4xx not listed above.
    #[error("Atlassian rejected the request{}: {detail}", code_suffix(.code))]
    BadRequest {
        /// Atlassian's error code, e.g. `ADMIN-400-24`.
        code: Option<String>,
        /// Atlassian's explanation (prefixed with the status when it is not 400).
        detail: String,
    },
    /// 429 on every attempt.
    #[error("Atlassian kept rate limiting the requests; try again in {} s", .retry_after.as_secs())]
    RateLimited {
        /// How long the last answer asked us to wait.
        retry_after: Duration,
    },
    /// 5xx on every attempt (or an unexpected non-4xx status).
    #[error("the Admin API kept failing (HTTP {status})")]
    Server {
        /// The last status.
        status: u16,
    },
    /// Connection failures, timeouts or resets on every attempt.
    #[error("the Admin API could not be reached: {0}")]
    Unreachable(String),
    /// A 2xx answer did not have the expected shape.
    #[error("the Admin API's answer could not be read at `{path}`: {message}")]
    Decode {
        /// JSON path of the offending value, e.g. `data[3].addedToOrg`.
        path: String,
        /// What was wrong with it.
        message: String,
    },
}

fn code_suffix(code: &Option<String>) -> String {
    code.as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default()
}

/// Code and human text of an error body, whichever shape it has.
#[derive(Debug, Default, PartialEq)]
struct ErrorBody {
    code: Option<String>,
    detail: Option<String>,
    /// Everything textual, lowercased, for keyword checks.
    haystack: String,
}

fn text(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|s| !s.is_empty())
}

fn parse_body(bytes: &[u8]) -> ErrorBody {
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        let raw = String::from_utf8_lossy(bytes);
        let raw: String = raw.chars().take(200).collect();
        let detail = Some(raw.trim().to_owned()).filter(|s| !s.is_empty());
        return ErrorBody {
            code: None,
            haystack: raw.to_lowercase(),
            detail,
        };
    };
    let first = value.get("errors").and_then(|e| e.get(0));
    let source = first.unwrap_or(&value);
    // The gateway's `code` is the HTTP status as a number: only string codes are kept.
    let code = text(source.get("code"));
    let detail = ["detail", "message", "title", "error"]
        .iter()
        .find_map(|k| text(source.get(*k)));
    let mut haystack = String::new();
    for k in ["code", "title", "detail", "message", "error"] {
        if let Some(t) = text(source.get(k)) {
            haystack.push_str(&t.to_lowercase());
            haystack.push(' ');
        }
    }
    ErrorBody {
        code,
        detail,
        haystack,
    }
}

/// Maps a non-retryable 4xx (or unexpected) answer onto a typed error.
pub(crate) fn classify(status: u16, bytes: &[u8], key: &ApiKey) -> AdminError {
    let body = parse_body(bytes);
    let code = body.code.map(|c| key.scrub(&c));
    let detail = key.scrub(body.detail.as_deref().unwrap_or("no details given"));
    match status {
        401 if body.haystack.contains("expired") => AdminError::ExpiredKey,
        401 => AdminError::InvalidKey,
        403 if is_read_only_group(code.as_deref(), &body.haystack) => {
            AdminError::ReadOnlyGroup { detail }
        }
        403 => AdminError::Forbidden { code, detail },
        404 => AdminError::NotFound { code, detail },
        409 => AdminError::Conflict { code, detail },
        400 => AdminError::BadRequest { code, detail },
        402..=499 => AdminError::BadRequest {
            code,
            detail: format!("HTTP {status}: {detail}"),
        },
        _ => AdminError::Server { status },
    }
}

fn is_read_only_group(code: Option<&str>, haystack: &str) -> bool {
    code == Some("ADMIN-403-5")
        || haystack.contains("identity provider")
        || haystack.contains("synced")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> ApiKey {
        ApiKey::new("k3y")
    }

    #[test]
    fn reads_every_error_shape() {
        let app = br#"{"errors":[{"status":"404","code":"ADMIN-404-8","title":"User not found","detail":"no such user"}]}"#;
        let err = classify(404, app, &key());
        assert!(
            matches!(err, AdminError::NotFound { code: Some(ref c), ref detail } if c == "ADMIN-404-8" && detail == "no such user")
        );
        let proxy = br#"{"code":401,"message":"Unauthorized"}"#;
        assert!(matches!(
            classify(401, proxy, &key()),
            AdminError::InvalidKey
        ));
        let expired = br#"{"code":401,"message":"API key expired"}"#;
        assert!(matches!(
            classify(401, expired, &key()),
            AdminError::ExpiredKey
        ));
        let no_perms = br#"{"timestamp":"x","status":"403","error":"Forbidden","message":"nope"}"#;
        assert!(
            matches!(classify(403, no_perms, &key()), AdminError::Forbidden { code: None, ref detail } if detail == "nope")
        );
        let html = b"<html>Bad</html>";
        assert!(matches!(
            classify(405, html, &key()),
            AdminError::BadRequest { .. }
        ));
    }

    #[test]
    fn detects_read_only_groups() {
        let body = br#"{"errors":[{"code":"ADMIN-403-5","detail":"You can't add a user to a group synced from an identity provider."}]}"#;
        assert!(matches!(
            classify(403, body, &key()),
            AdminError::ReadOnlyGroup { .. }
        ));
    }

    #[test]
    fn scrubs_an_echoed_key() {
        let body = br#"{"errors":[{"code":"ADMIN-400-24","detail":"bad header Bearer k3y"}]}"#;
        let shown = classify(400, body, &key()).to_string();
        assert!(!shown.contains("k3y"), "{shown}");
    }
}
