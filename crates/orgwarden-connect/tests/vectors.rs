//! Every QSH vector of the reference document, plus the I-vectors' tokens end to end.
// Helpers outside #[test] functions unwrap too; a panic is a test failure here.

use crate::common::*;
use orgwarden_connect::{
    canonical_request, query_string_hash, sign_hs256, verify_hs256, Claims, JwtError, QshPolicy,
};
use sha2::{Digest, Sha256};

fn check_cases(cases: &[Case]) {
    for case in cases {
        let canonical = canonical_request(case.method, case.path, case.query, case.base).unwrap();
        assert_eq!(
            canonical, case.canonical,
            "canonical request of {}",
            case.id
        );
        let hash = query_string_hash(case.method, case.path, case.query, case.base).unwrap();
        assert_eq!(
            hash,
            hex::encode(Sha256::digest(case.canonical)),
            "hash of {}",
            case.id
        );
        if let Some(expected) = case.qsh {
            assert_eq!(hash, expected, "qsh of {}", case.id);
        }
    }
}

#[test]
fn a_vectors_npm_unit_tests_and_docs_examples() {
    assert_eq!(A_CASES.len(), 15);
    check_cases(A_CASES);
}

#[test]
fn a7_ampersand_in_path_differs_from_query() {
    let in_path = query_string_hash("post", "/rest/api/2/project&a=b", "x=y", "").unwrap();
    let in_query = query_string_hash("post", "/rest/api/2/project", "a=b&x=y", "").unwrap();
    assert_ne!(in_path, in_query);
}

#[test]
fn c_vectors_app_request_shapes() {
    assert_eq!(C_CASES.len(), 11);
    check_cases(C_CASES);
}

#[test]
fn c10_uses_java_order_not_npm_order() {
    let ours = canonical_request("GET", "/test", "a.b=1&a:b=2", "").unwrap();
    assert_ne!(ours, C10_NPM_CANONICAL, "must not sort by decoded name");
    assert_eq!(hex::encode(Sha256::digest(C10_NPM_CANONICAL)), C10_NPM_QSH);
    assert_ne!(
        query_string_hash("GET", "/test", "a.b=1&a:b=2", "").unwrap(),
        C10_NPM_QSH
    );
    // The npm order is what sorting the same pairs by decoded name gives.
    let mut pairs = [("a:b", "a%3Ab=2"), ("a.b", "a.b=1")];
    pairs.sort_by_key(|(decoded, _)| *decoded);
    let npm: Vec<&str> = pairs.iter().map(|(_, encoded)| *encoded).collect();
    assert_eq!(format!("GET&/test&{}", npm.join("&")), C10_NPM_CANONICAL);
}

#[test]
fn i_vectors_java_interoperability() {
    assert_eq!(I_VECTORS.len(), 39);
    for (index, vector) in I_VECTORS.iter().enumerate() {
        assert_eq!(vector.id, format!("I{}", index + 1));
        let (path, query) = vector.parts();
        let canonical = canonical_request("GET", path, query, "").unwrap();
        assert_eq!(canonical, vector.canonical, "{} {}", vector.id, vector.name);
        let hash = query_string_hash("GET", path, query, "").unwrap();
        assert_eq!(hash, vector.qsh, "{} {}", vector.id, vector.name);
    }
}

/// Parses a signed URL the way the server will: path and raw query off the wire, the token
/// from the `jwt` parameter, the hash over the query with `jwt` in it.
fn verify_signed_url(url: &str, secret: &str, now: i64) -> Result<Claims, JwtError> {
    let path_and_query = url.strip_prefix("https://example.com").unwrap();
    let (path, query) = path_and_query.split_once('?').unwrap();
    let token = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("jwt="))
        .unwrap();
    let qsh = query_string_hash("GET", path, query, "").unwrap();
    verify_hs256(token, secret, &qsh, QshPolicy::Request, now)
}

#[test]
fn i1_and_i2_signed_urls_verify_end_to_end() {
    for (url, vector) in [
        (I1_SIGNED_URL, &I_VECTORS[0]),
        (I2_SIGNED_URL, &I_VECTORS[1]),
    ] {
        let claims = verify_signed_url(url, I_SECRET, I_IAT + 60).unwrap();
        assert_eq!(claims.iss, I_ISS);
        assert_eq!(claims.qsh.as_deref(), Some(vector.qsh));
        assert_eq!((claims.iat, claims.exp), (I_IAT, I_EXP));
        assert_eq!(claims.context, Some(serde_json::json!({})));
        // Real clock: long expired. Wrong secret: bad signature.
        assert_eq!(
            verify_signed_url(url, I_SECRET, 1_700_000_000),
            Err(JwtError::Expired)
        );
        assert_eq!(
            verify_signed_url(url, "wrong", I_IAT),
            Err(JwtError::BadSignature)
        );
        // Tampered query: still signed, but bound to another request.
        let tampered = url.replacen("/test?param=", "/test?param=x", 1);
        assert_eq!(
            verify_signed_url(&tampered, I_SECRET, I_IAT),
            Err(JwtError::QshMismatch)
        );
    }
}

#[test]
fn i_vectors_round_trip_as_signed_urls() {
    // The document gives the payload shape of all 39 tokens; mint each and verify it from the URL.
    for vector in I_VECTORS {
        let claims = Claims {
            iss: I_ISS.into(),
            sub: None,
            aud: None,
            qsh: Some(vector.qsh.into()),
            iat: I_IAT,
            exp: I_EXP,
            context: Some(serde_json::json!({})),
        };
        let token = sign_hs256(&claims, I_SECRET).unwrap();
        let separator = if vector.request.contains('?') {
            '&'
        } else {
            '?'
        };
        let url = format!(
            "https://example.com{}{separator}jwt={token}",
            vector.request
        );
        let verified = verify_signed_url(&url, I_SECRET, I_IAT).unwrap();
        assert_eq!(verified, claims, "{}", vector.id);
    }
}
