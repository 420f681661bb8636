//! Claims of Connect tokens and the time and `qsh` rules applied to them.

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::error::JwtError;
use crate::qsh::CONTEXT_QSH;

/// Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds (Atlassian's Java library value).
pub const LEEWAY_SECS: i64 = 30;

/// Verified (or to-be-signed) claims of a Connect JWT. Field order is the serialization order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer: the tenant `clientKey` on product → app tokens, the app key on app → product ones.
    pub iss: String,
    /// Atlassian account id of the acting user; absent for anonymous requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// Audience: the app base URL on install tokens, `[clientKey]` on outgoing tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<Audience>,
    /// Query string hash of the request, or [`CONTEXT_QSH`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qsh: Option<String>,
    /// Issued at, seconds since the epoch.
    pub iat: i64,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Legacy context object, usually `{}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<serde_json::Value>,
}

/// The `aud` claim, which may be a single string or an array of strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    /// `"aud": "value"`
    One(String),
    /// `"aud": ["value", ...]`
    Many(Vec<String>),
}

impl Audience {
    /// Whether `value` is (exactly) one of the audiences.
    pub fn contains(&self, value: &str) -> bool {
        self.iter().any(|aud| aud == value)
    }

    /// All audiences, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let items: &[String] = match self {
            Audience::One(one) => std::slice::from_ref(one),
            Audience::Many(many) => many,
        };
        items.iter().map(String::as_str)
    }
}

/// Which `qsh` claim values an endpoint accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QshPolicy {
    /// The claim must equal the request's hash (page loads, webhooks, lifecycle).
    Request,
    /// The request's hash or the literal [`CONTEXT_QSH`] (API routes only).
    RequestOrContext,
    /// Only [`CONTEXT_QSH`] (context-token-only endpoints).
    Context,
}

/// Claims as they arrive: everything optional, so absence is reported by name.
#[derive(Deserialize)]
pub(crate) struct RawClaims {
    iss: Option<String>,
    sub: Option<String>,
    aud: Option<Audience>,
    qsh: Option<String>,
    iat: Option<i64>,
    exp: Option<i64>,
    nbf: Option<i64>,
    context: Option<serde_json::Value>,
}

impl RawClaims {
    /// The unverified `iss`, if present.
    pub(crate) fn issuer_ref(&self) -> Option<&str> {
        self.iss.as_deref()
    }

    /// The unverified `qsh`, if present.
    pub(crate) fn qsh_ref(&self) -> Option<&str> {
        self.qsh.as_deref()
    }

    /// Requires `iss`, `iat` and `exp`, then applies the time rules with [`LEEWAY_SECS`].
    pub(crate) fn check_times(self, now: i64) -> Result<Claims, JwtError> {
        let iss = self
            .iss
            .filter(|iss| !iss.is_empty())
            .ok_or(JwtError::MissingClaim("iss"))?;
        let iat = self.iat.ok_or(JwtError::MissingClaim("iat"))?;
        let exp = self.exp.ok_or(JwtError::MissingClaim("exp"))?;
        if now > exp.saturating_add(LEEWAY_SECS) {
            return Err(JwtError::Expired);
        }
        if iat > now.saturating_add(LEEWAY_SECS) {
            return Err(JwtError::IssuedInFuture);
        }
        if self
            .nbf
            .is_some_and(|nbf| nbf > now.saturating_add(LEEWAY_SECS))
        {
            return Err(JwtError::NotYetValid);
        }
        Ok(Claims {
            iss,
            sub: self.sub,
            aud: self.aud,
            qsh: self.qsh,
            iat,
            exp,
            context: self.context,
        })
    }
}

/// Checks the `qsh` claim against the request's hash under `policy`, in constant time.
pub(crate) fn check_qsh(
    claim: Option<&str>,
    request_qsh: &str,
    policy: QshPolicy,
) -> Result<(), JwtError> {
    let claim = claim.ok_or(JwtError::MissingClaim("qsh"))?;
    let is_request = bool::from(claim.as_bytes().ct_eq(request_qsh.as_bytes()));
    let is_context = bool::from(claim.as_bytes().ct_eq(CONTEXT_QSH.as_bytes()));
    let accepted = match policy {
        QshPolicy::Request => is_request,
        QshPolicy::RequestOrContext => is_request || is_context,
        QshPolicy::Context => is_context,
    };
    if accepted {
        Ok(())
    } else {
        Err(JwtError::QshMismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audience_accepts_string_or_array() {
        let one: Audience = serde_json::from_str(r#""https://a""#).unwrap();
        let many: Audience = serde_json::from_str(r#"["x","https://a"]"#).unwrap();
        assert!(one.contains("https://a") && many.contains("https://a"));
        assert!(!one.contains("https://a/") && !many.contains("y"));
    }

    #[test]
    fn request_policy_never_accepts_context_qsh() {
        let hash = "ab".repeat(32);
        assert_eq!(
            check_qsh(Some(CONTEXT_QSH), &hash, QshPolicy::Request),
            Err(JwtError::QshMismatch)
        );
        assert_eq!(
            check_qsh(Some(&hash), &hash, QshPolicy::Context),
            Err(JwtError::QshMismatch)
        );
        assert!(check_qsh(Some(CONTEXT_QSH), &hash, QshPolicy::RequestOrContext).is_ok());
        assert!(check_qsh(Some(&hash), &hash, QshPolicy::RequestOrContext).is_ok());
        assert_eq!(
            check_qsh(None, &hash, QshPolicy::Context),
            Err(JwtError::MissingClaim("qsh"))
        );
    }

    #[test]
    fn claims_serialize_in_declared_order_without_absent_fields() {
        let claims = Claims {
            iss: "i".into(),
            sub: None,
            aud: None,
            qsh: Some("q".into()),
            iat: 1,
            exp: 2,
            context: Some(serde_json::json!({})),
        };
        let json = serde_json::to_string(&claims).unwrap();
        assert_eq!(
            json,
            r#"{"iss":"i","qsh":"q","iat":1,"exp":2,"context":{}}"#
        );
    }
}
