//! RS256 signed-install tokens on `installed` / `uninstalled` callbacks.
//!
//! Policy: only RS256 is accepted here (an HS256 install token could be signed with the very
//! secret its body delivers), the `kid` is validated before it is used to build a URL, and the
//! token must name this app (`aud`), the body's tenant (`iss`) and this request (`qsh`).

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};

use crate::claims::{check_qsh, Claims, QshPolicy};
use crate::error::JwtError;
use crate::token::{signing_input, OutHeader, Parsed};

/// Source of Atlassian's install public keys, by key id.
#[async_trait::async_trait]
pub trait InstallKeys: Send + Sync {
    /// The PEM (SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`) for `kid`. `kid` has already
    /// passed [`is_valid_kid`].
    async fn public_key_pem(&self, kid: &str) -> Result<String, JwtError>;
}

/// Whether `kid` matches `^[A-Za-z0-9_-]{1,128}$` (so no `/`, `.`, `%` or other URL syntax).
pub fn is_valid_kid(kid: &str) -> bool {
    (1..=128).contains(&kid.len())
        && kid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Verifies the RS256 token of a signed `installed`/`uninstalled` callback.
///
/// Checks, in order: size and shape, header `alg` == `RS256`, `kid` format, the public key from
/// `keys`, the signature, `iss`/`iat`/`exp` present with [`LEEWAY_SECS`](crate::LEEWAY_SECS),
/// `aud` (string or array; one trailing `/` ignored on both sides) names `app_base_url`,
/// `iss` == `body_client_key`, and `qsh` == `request_qsh`.
pub async fn verify_install(
    token: &str,
    keys: &dyn InstallKeys,
    app_base_url: &str,
    body_client_key: &str,
    request_qsh: &str,
    now: i64,
) -> Result<Claims, JwtError> {
    let parsed = Parsed::new(token)?;
    parsed.require_alg("RS256")?;
    let kid = parsed.header.kid.as_deref().ok_or(JwtError::InvalidKeyId)?;
    if !is_valid_kid(kid) {
        return Err(JwtError::InvalidKeyId);
    }
    let pem = keys.public_key_pem(kid).await?;
    let key = rsa_public_key(&pem)?;
    let valid = jsonwebtoken::crypto::verify(
        parsed.signature_b64,
        parsed.signing_input.as_bytes(),
        &key,
        Algorithm::RS256,
    );
    if !matches!(valid, Ok(true)) {
        return Err(JwtError::BadSignature);
    }
    let claims = parsed.claims()?.check_times(now)?;
    let aud = claims.aud.as_ref().ok_or(JwtError::MissingClaim("aud"))?;
    let expected = strip_one_slash(app_base_url);
    if !aud.iter().any(|aud| strip_one_slash(aud) == expected) {
        return Err(JwtError::WrongAudience);
    }
    if claims.iss != body_client_key {
        return Err(JwtError::IssuerMismatch);
    }
    check_qsh(claims.qsh.as_deref(), request_qsh, QshPolicy::Request)?;
    Ok(claims)
}

/// Mints an RS256 token with header `{"typ":"JWT","alg":"RS256","kid":…}` from a PKCS#8
/// (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`) PEM: the simulator's signed install.
pub fn sign_rs256(claims: &Claims, kid: &str, private_key_pem: &str) -> Result<String, JwtError> {
    if !is_valid_kid(kid) {
        return Err(JwtError::InvalidKeyId);
    }
    if !private_key_pem.contains("PRIVATE KEY-----") {
        return Err(JwtError::InvalidKey("expected an RSA private key PEM"));
    }
    let key = EncodingKey::from_rsa_pem(private_key_pem.as_bytes())
        .map_err(|_| JwtError::InvalidKey("expected an RSA private key PEM"))?;
    let header = OutHeader {
        typ: "JWT",
        alg: "RS256",
        kid: Some(kid),
    };
    let input = signing_input(&header, claims)?;
    let signature = jsonwebtoken::crypto::sign(input.as_bytes(), &key, Algorithm::RS256)
        .map_err(|_| JwtError::Signing("RSA signing failed"))?;
    Ok(format!("{input}.{signature}"))
}

/// Parses an RSA public key PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`; private keys are refused).
pub(crate) fn rsa_public_key(pem: &str) -> Result<DecodingKey, JwtError> {
    const NOT_PUBLIC: JwtError = JwtError::InvalidKey("expected an RSA public key PEM");
    let begin = pem.trim_start();
    if !(begin.starts_with("-----BEGIN PUBLIC KEY-----")
        || begin.starts_with("-----BEGIN RSA PUBLIC KEY-----"))
    {
        return Err(NOT_PUBLIC);
    }
    DecodingKey::from_rsa_pem(pem.as_bytes()).map_err(|_| NOT_PUBLIC)
}

fn strip_one_slash(url: &str) -> &str {
    url.strip_suffix('/').unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kid_format() {
        assert!(is_valid_kid("test-kid-0001"));
        assert!(is_valid_kid("A_z-9"));
        assert!(is_valid_kid(&"k".repeat(128)));
        for bad in [
            "", "a/b", "..", "../x", "a.b", "a%2Fb", "a b", "é", "a?b", "a#b",
        ] {
            assert!(!is_valid_kid(bad), "{bad:?}");
        }
        assert!(!is_valid_kid(&"k".repeat(129)));
    }

    #[test]
    fn only_one_trailing_slash_is_ignored() {
        assert_eq!(strip_one_slash("https://a/"), "https://a");
        assert_eq!(strip_one_slash("https://a//"), "https://a/");
    }

    #[test]
    fn private_keys_are_not_public_keys() {
        let pem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        assert!(matches!(rsa_public_key(pem), Err(JwtError::InvalidKey(_))));
        assert!(matches!(
            rsa_public_key("garbage"),
            Err(JwtError::InvalidKey(_))
        ));
    }
}
