//! Compact JWS parsing and HS256 primitives shared by all token checks.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::claims::RawClaims;
use crate::error::JwtError;

/// Largest token accepted, in bytes; larger ones are rejected before any decoding.
pub const MAX_TOKEN_LEN: usize = 8 * 1024;

/// JOSE header fields this crate reads. Unknown fields are ignored, except `crit`.
#[derive(Deserialize)]
pub(crate) struct RawHeader {
    pub(crate) alg: Option<String>,
    pub(crate) kid: Option<String>,
    crit: Option<serde_json::Value>,
}

/// JOSE header written by this crate, in Atlassian's field order.
#[derive(Serialize)]
pub(crate) struct OutHeader<'a> {
    pub(crate) typ: &'static str,
    pub(crate) alg: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) kid: Option<&'a str>,
}

/// A token split into its parts, with the header decoded and the signature not yet checked.
pub(crate) struct Parsed<'t> {
    pub(crate) header: RawHeader,
    /// `base64(header) + "." + base64(claims)`: the signed bytes.
    pub(crate) signing_input: &'t str,
    pub(crate) claims_b64: &'t str,
    pub(crate) signature_b64: &'t str,
}

impl<'t> Parsed<'t> {
    /// Splits and decodes the header; the size limit applies first.
    pub(crate) fn new(token: &'t str) -> Result<Self, JwtError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(JwtError::TooLarge);
        }
        let mut parts = token.split('.');
        let (Some(header_b64), Some(claims_b64), Some(signature_b64), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwtError::Malformed);
        };
        let header: RawHeader = decode_json(header_b64)?;
        if header.crit.is_some() {
            return Err(JwtError::Malformed);
        }
        let signing_input = &token[..header_b64.len() + 1 + claims_b64.len()];
        Ok(Parsed {
            header,
            signing_input,
            claims_b64,
            signature_b64,
        })
    }

    /// Fails unless the header's `alg` is exactly `expected`.
    pub(crate) fn require_alg(&self, expected: &str) -> Result<(), JwtError> {
        match self.header.alg.as_deref() {
            Some(alg) if alg == expected => Ok(()),
            Some(alg) => Err(JwtError::unsupported_algorithm(alg)),
            None => Err(JwtError::MissingClaim("alg")),
        }
    }

    /// Decodes the claims. Call only after the signature has been verified (or for routing).
    pub(crate) fn claims(&self) -> Result<RawClaims, JwtError> {
        decode_json(self.claims_b64)
    }

    /// Verifies the HS256 signature with the secret's UTF-8 bytes, in constant time.
    pub(crate) fn verify_hs256(&self, shared_secret: &str) -> Result<(), JwtError> {
        let signature = URL_SAFE_NO_PAD
            .decode(self.signature_b64)
            .map_err(|_| JwtError::BadSignature)?;
        hs256_mac(shared_secret)?
            .chain_update(self.signing_input.as_bytes())
            .verify_slice(&signature)
            .map_err(|_| JwtError::BadSignature)
    }
}

fn decode_json<T: serde::de::DeserializeOwned>(part: &str) -> Result<T, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| JwtError::Malformed)?;
    serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed)
}

fn hs256_mac(shared_secret: &str) -> Result<Hmac<Sha256>, JwtError> {
    Hmac::<Sha256>::new_from_slice(shared_secret.as_bytes())
        .map_err(|_| JwtError::Signing("invalid HMAC key"))
}

/// `base64(header) + "." + base64(claims)` for serializable parts.
pub(crate) fn signing_input<H: Serialize, C: Serialize>(
    header: &H,
    claims: &C,
) -> Result<String, JwtError> {
    let header = serde_json::to_vec(header).map_err(|_| JwtError::Signing("header"))?;
    let claims = serde_json::to_vec(claims).map_err(|_| JwtError::Signing("claims"))?;
    Ok(format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    ))
}

/// Mints an HS256 token over `claims` with Atlassian's header.
pub(crate) fn sign_hs256_raw<C: Serialize>(
    claims: &C,
    shared_secret: &str,
) -> Result<String, JwtError> {
    let header = OutHeader {
        typ: "JWT",
        alg: "HS256",
        kid: None,
    };
    let input = signing_input(&header, claims)?;
    let tag = hs256_mac(shared_secret)?
        .chain_update(input.as_bytes())
        .finalize()
        .into_bytes();
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag)))
}
