//! Query string hash (QSH): the canonical request Atlassian binds into every request JWT.
//!
//! Policy: Java/Python ordering (parameters sorted by their *encoded* name, repeated values by
//! their *decoded* value), because Jira is the side that signs. The npm `atlassian-jwt` package
//! sorts names by their decoded form and differs for exotic names (vector C10 vs C10').
//! Malformed percent-encoding or invalid UTF-8 in the query is rejected rather than guessed at.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

/// The literal `qsh` claim of context tokens minted by `AP.context.getToken()`.
pub const CONTEXT_QSH: &str = "context-qsh";

/// Why a request could not be canonicalized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QshError {
    /// A `%` in the query was not followed by two hexadecimal digits.
    #[error("query string contains an invalid percent-encoding")]
    InvalidPercentEncoding,
    /// A decoded query parameter name or value is not valid UTF-8.
    #[error("query string does not decode to valid UTF-8")]
    InvalidUtf8,
}

/// Builds the canonical request `METHOD&canonical-uri&canonical-query`.
///
/// `raw_path` is the path exactly as on the wire (never decoded), `raw_query` the query without
/// its leading `?` (`""` if none) and `base_path` the path part of the relevant base URL (`""` or
/// e.g. `/connect`), removed only when `raw_path` starts with it. The parameter named exactly
/// `jwt` is ignored.
pub fn canonical_request(
    method: &str,
    raw_path: &str,
    raw_query: &str,
    base_path: &str,
) -> Result<String, QshError> {
    let query = canonical_query(raw_query)?;
    Ok(format!(
        "{}&{}&{}",
        method.to_uppercase(),
        canonical_uri(raw_path, base_path),
        query
    ))
}

/// Lowercase hex SHA-256 of [`canonical_request`]: the value of a request token's `qsh` claim.
pub fn query_string_hash(
    method: &str,
    raw_path: &str,
    raw_query: &str,
    base_path: &str,
) -> Result<String, QshError> {
    let canonical = canonical_request(method, raw_path, raw_query, base_path)?;
    Ok(hex::encode(Sha256::digest(canonical.as_bytes())))
}

fn canonical_uri(raw_path: &str, base_path: &str) -> String {
    let relative = match raw_path.strip_prefix(base_path) {
        Some(rest) if !base_path.is_empty() => rest,
        _ => raw_path,
    };
    if relative.is_empty() {
        return "/".to_owned();
    }
    let mut path = relative.replace('&', "%26");
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    path
}

fn canonical_query(raw_query: &str) -> Result<String, QshError> {
    // Keyed by encoded name: encoding is injective, so this groups by decoded name too.
    let mut params: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for piece in raw_query.split('&').filter(|piece| !piece.is_empty()) {
        let (raw_name, raw_value) = piece.split_once('=').unwrap_or((piece, ""));
        let name = form_decode(raw_name)?;
        if name == "jwt" {
            continue;
        }
        let value = form_decode(raw_value)?;
        params.entry(encode(&name)).or_default().push(value);
    }
    let mut out = String::new();
    for (name, mut values) in params {
        // `String`'s order is UTF-8 byte order, which equals code-point order.
        values.sort_unstable();
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&name);
        out.push('=');
        let encoded: Vec<String> = values.iter().map(|value| encode(value)).collect();
        out.push_str(&encoded.join(","));
    }
    Ok(out)
}

/// Form decoding: `+` is a space, `%XX` a byte; the bytes must be UTF-8.
fn form_decode(raw: &str) -> Result<String, QshError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let high = bytes.get(i + 1).and_then(|b| hex_value(*b));
                let low = bytes.get(i + 2).and_then(|b| hex_value(*b));
                match (high, low) {
                    (Some(high), Some(low)) => out.push(high << 4 | low),
                    _ => return Err(QshError::InvalidPercentEncoding),
                }
                i += 2;
            }
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| QshError::InvalidUtf8)
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// RFC 3986 encoding: unreserved `A-Z a-z 0-9 - . _ ~` kept, every other UTF-8 byte as `%XX`.
fn encode(decoded: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(decoded.len());
    for &byte in decoded.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_treats_plus_as_space_and_percent_plus_as_plus() {
        assert_eq!(form_decode("a+b%2Bc").unwrap(), "a b+c");
    }

    #[test]
    fn truncated_or_non_hex_escapes_are_rejected() {
        for raw in ["%", "%2", "%zz", "a%2g", "%%41"] {
            assert_eq!(
                form_decode(raw),
                Err(QshError::InvalidPercentEncoding),
                "{raw}"
            );
        }
    }

    #[test]
    fn invalid_utf8_is_rejected() {
        assert_eq!(form_decode("%C3%28"), Err(QshError::InvalidUtf8));
        assert_eq!(form_decode("%FF"), Err(QshError::InvalidUtf8));
    }

    #[test]
    fn encoding_keeps_only_unreserved_characters() {
        assert_eq!(
            encode("aZ09-._~ +*!'(),%é"),
            "aZ09-._~%20%2B%2A%21%27%28%29%2C%25%C3%A9"
        );
    }

    #[test]
    fn canonical_uri_rules() {
        assert_eq!(canonical_uri("", ""), "/");
        assert_eq!(canonical_uri("/", ""), "/");
        assert_eq!(canonical_uri("/connect", "/connect"), "/");
        assert_eq!(canonical_uri("/connect/", "/connect"), "/");
        assert_eq!(
            canonical_uri("/connect/installed", "/connect"),
            "/installed"
        );
        assert_eq!(
            canonical_uri("/other/installed", "/connect"),
            "/other/installed"
        );
        assert_eq!(canonical_uri("/a//", ""), "/a/");
        assert_eq!(canonical_uri("/a&b", ""), "/a%26b");
        assert_eq!(canonical_uri("relative", ""), "/relative");
    }

    #[test]
    fn method_is_uppercased() {
        assert_eq!(canonical_request("post", "/x", "", "").unwrap(), "POST&/x&");
    }
}
