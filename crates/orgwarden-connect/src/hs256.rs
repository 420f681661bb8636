//! HS256 tokens: product → app verification and app → product signing.

use serde::Serialize;
use url::Url;

use crate::claims::{check_qsh, Claims, QshPolicy, RawClaims};
use crate::error::JwtError;
use crate::qsh::query_string_hash;
use crate::token::{sign_hs256_raw, Parsed};

/// Lifetime of tokens minted by [`sign_outgoing`], in seconds (ACE and ACSB default).
pub const OUTGOING_TOKEN_LIFETIME_SECS: i64 = 180;

/// An HS256 token parsed once: its unverified `iss` names the tenant whose secret verifies it,
/// then [`Hs256Token::verify`] checks everything. Nothing read from it before `verify` succeeds
/// may be trusted.
pub struct Hs256Token<'t> {
    parsed: Parsed<'t>,
    claims: RawClaims,
}

impl<'t> Hs256Token<'t> {
    /// Splits and decodes the token. Rejects tokens larger than
    /// [`MAX_TOKEN_LEN`](crate::MAX_TOKEN_LEN), headers whose `alg` is not `HS256` (including
    /// `none`), malformed tokens and tokens without `iss`.
    pub fn parse(token: &'t str) -> Result<Self, JwtError> {
        let parsed = Parsed::new(token)?;
        parsed.require_alg("HS256")?;
        let claims = parsed.claims()?;
        if claims.issuer_ref().is_none_or(str::is_empty) {
            return Err(JwtError::MissingClaim("iss"));
        }
        Ok(Self { parsed, claims })
    }

    /// The unverified `iss`, to find the tenant whose secret verifies the token.
    pub fn issuer(&self) -> &str {
        self.claims.issuer_ref().unwrap_or_default()
    }

    /// True when the (unverified) `qsh` is the literal [`CONTEXT_QSH`](crate::CONTEXT_QSH): a
    /// caller whose policy accepts it need not hash the request.
    pub fn has_context_qsh(&self) -> bool {
        self.claims.qsh_ref() == Some(crate::qsh::CONTEXT_QSH)
    }

    /// Fully verifies the token: the HMAC (keyed with the secret's UTF-8 bytes) in constant time
    /// before the claims are trusted; `iss`, `iat` and `exp` required; `exp` and `nbf` with
    /// [`LEEWAY_SECS`](crate::LEEWAY_SECS) of leeway and `iat` at most that far in the future;
    /// `qsh` compared (in constant time) with `request_qsh` according to `policy`.
    pub fn verify(
        self,
        shared_secret: &str,
        request_qsh: &str,
        policy: QshPolicy,
        now: i64,
    ) -> Result<Claims, JwtError> {
        self.parsed.verify_hs256(shared_secret)?;
        let claims = self.claims.check_times(now)?;
        check_qsh(claims.qsh.as_deref(), request_qsh, policy)?;
        Ok(claims)
    }
}

/// Reads `iss` without verifying anything else, to find the tenant whose secret verifies it
/// (see [`Hs256Token`]).
pub fn unverified_issuer(token: &str) -> Result<String, JwtError> {
    Ok(Hs256Token::parse(token)?.issuer().to_owned())
}

/// Fully verifies an HS256 token from the product (see [`Hs256Token::verify`]).
pub fn verify_hs256(
    token: &str,
    shared_secret: &str,
    request_qsh: &str,
    policy: QshPolicy,
    now: i64,
) -> Result<Claims, JwtError> {
    Hs256Token::parse(token)?.verify(shared_secret, request_qsh, policy, now)
}

/// Mints an HS256 token with header `{"typ":"JWT","alg":"HS256"}` for arbitrary claims
/// (simulator page and context tokens, tests). Absent optional claims are omitted.
pub fn sign_hs256(claims: &Claims, shared_secret: &str) -> Result<String, JwtError> {
    sign_hs256_raw(claims, shared_secret)
}

/// Claims of an app → product token, in the field order Atlassian's libraries emit.
#[derive(Serialize)]
struct OutgoingClaims<'a> {
    iss: &'a str,
    iat: i64,
    exp: i64,
    qsh: String,
    aud: [&'a str; 1],
}

/// Signs an app → product request (`Authorization: JWT <token>`).
///
/// Claims, in this order: `iss` = `app_key`, `iat` = `now`, `exp` = `now + 180`, `qsh` over
/// `method` + the path relative to `product_base_url`'s path + the query, `aud` = `[client_key]`.
/// `url` is either absolute (and then must have the origin of `product_base_url` and lie under
/// its path) or a path with optional query relative to `product_base_url`. The hash covers the
/// path and query as the `url` crate (and so `reqwest`) will send them.
pub fn sign_outgoing(
    app_key: &str,
    client_key: &str,
    shared_secret: &str,
    method: &str,
    url: &str,
    product_base_url: &str,
    now: i64,
) -> Result<String, JwtError> {
    let base = Url::parse(product_base_url).map_err(|_| JwtError::InvalidUrl)?;
    let base_path = base.path().trim_end_matches('/');
    let target = if url.starts_with('/') {
        let joined = format!("{}{url}", product_base_url.trim_end_matches('/'));
        Url::parse(&joined).map_err(|_| JwtError::InvalidUrl)?
    } else {
        Url::parse(url).map_err(|_| JwtError::InvalidUrl)?
    };
    if target.origin() != base.origin() || !is_under(target.path(), base_path) {
        return Err(JwtError::InvalidUrl);
    }
    let qsh = query_string_hash(
        method,
        target.path(),
        target.query().unwrap_or(""),
        base_path,
    )?;
    let claims = OutgoingClaims {
        iss: app_key,
        iat: now,
        exp: now.saturating_add(OUTGOING_TOKEN_LIFETIME_SECS),
        qsh,
        aud: [client_key],
    };
    sign_hs256_raw(&claims, shared_secret)
}

fn is_under(path: &str, base_path: &str) -> bool {
    base_path.is_empty()
        || path == base_path
        || path
            .strip_prefix(base_path)
            .is_some_and(|rest| rest.starts_with('/'))
}
