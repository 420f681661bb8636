//! Errors of token verification and signing.
//!
//! Policy: messages are safe to log and to show: they never contain the token, a secret, a key
//! or any other attacker-chosen text of unbounded length.

use crate::qsh::QshError;

/// Why a token was rejected or could not be minted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    /// Not three base64url parts with JSON header and claims, or a claim of the wrong type.
    #[error("malformed token")]
    Malformed,
    /// The header names an algorithm this endpoint does not accept (the name is sanitized).
    #[error("unsupported token algorithm {0:?}")]
    UnsupportedAlgorithm(String),
    /// The signature does not verify with the expected key.
    #[error("token signature is invalid")]
    BadSignature,
    /// `exp` (plus leeway) has passed.
    #[error("token has expired")]
    Expired,
    /// `nbf` (minus leeway) has not been reached yet.
    #[error("token is not valid yet")]
    NotYetValid,
    /// `iat` lies further in the future than the leeway allows.
    #[error("token was issued in the future")]
    IssuedInFuture,
    /// A required claim (or header field) is absent.
    #[error("token lacks the required {0} claim")]
    MissingClaim(&'static str),
    /// The `qsh` claim does not match the request (or the endpoint's policy).
    #[error("token query string hash does not match the request")]
    QshMismatch,
    /// The `aud` claim does not name this app.
    #[error("token audience does not match this app")]
    WrongAudience,
    /// The `iss` claim does not match the client key of the request body.
    #[error("token issuer does not match the client key")]
    IssuerMismatch,
    /// The header `kid` is absent or not of the form `[A-Za-z0-9_-]{1,128}`.
    #[error("token key id is invalid")]
    InvalidKeyId,
    /// The public key for the token's `kid` could not be obtained.
    #[error("install public key unavailable: {0}")]
    KeyUnavailable(String),
    /// A PEM key could not be parsed as the expected RSA key.
    #[error("invalid RSA key: {0}")]
    InvalidKey(&'static str),
    /// The token is larger than [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN) bytes.
    #[error("token is too large")]
    TooLarge,
    /// The request to sign or verify could not be canonicalized.
    #[error("cannot compute query string hash: {0}")]
    Qsh(#[from] QshError),
    /// The URL given to [`sign_outgoing`](crate::sign_outgoing) is not under the product base URL.
    #[error("request URL is invalid or not under the product base URL")]
    InvalidUrl,
    /// Serializing or signing failed.
    #[error("token could not be signed: {0}")]
    Signing(&'static str),
}

impl JwtError {
    /// `UnsupportedAlgorithm` with the header's `alg`, kept only if short and printable ASCII.
    pub(crate) fn unsupported_algorithm(alg: &str) -> Self {
        let safe = alg.len() <= 16 && alg.bytes().all(|b| b.is_ascii_graphic());
        JwtError::UnsupportedAlgorithm(if safe {
            alg.to_owned()
        } else {
            "<invalid>".to_owned()
        })
    }
}
