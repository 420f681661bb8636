//! Security matrix for HS256 tokens: every way one must be refused, and what errors may reveal.
// Helpers outside #[test] functions unwrap too; a panic is a test failure here.

use crate::common::*;
use orgwarden_connect::{
    unverified_issuer, verify_hs256, Claims, JwtError, QshPolicy, MAX_TOKEN_LEN,
};
use serde_json::{json, Value};

const SECRET: &str = "matrix-secret-0123456789";
const NOW: i64 = 1_700_000_060;
const QSH: &str = "35eca405d68ce550dc441e14dcbb55487c435c3432e41574ce627a0bc9a66c64";
const HS_HEADER: &str = r#"{"typ":"JWT","alg":"HS256"}"#;

fn good_claims() -> Value {
    json!({"iss": "ck", "sub": "acc", "qsh": QSH, "iat": NOW - 60, "exp": NOW + 120})
}

fn verify(token: &str) -> Result<Claims, JwtError> {
    verify_hs256(token, SECRET, QSH, QshPolicy::Request, NOW)
}

fn without(claim: &str) -> Value {
    let mut claims = good_claims();
    claims.as_object_mut().unwrap().remove(claim);
    claims
}

fn with(claim: &str, value: Value) -> Value {
    let mut claims = good_claims();
    claims[claim] = value;
    claims
}

/// `claims` signed correctly with the usual header.
fn signed(claims: &Value) -> String {
    hs(HS_HEADER, claims, SECRET)
}

#[test]
fn hs256_matrix() {
    let good = signed(&good_claims());
    assert!(verify(&good).is_ok());
    let (input, signature) = good.rsplit_once('.').unwrap();
    let payload = input.split_once('.').unwrap().1;
    let flipped = format!(
        "{}{}",
        if signature.starts_with('A') { 'B' } else { 'A' },
        &signature[1..]
    );
    let swapped = b64(with("exp", json!(NOW + 9999)).to_string().as_bytes());
    let unsupported = |alg: &str| Err(JwtError::UnsupportedAlgorithm(alg.into()));
    #[rustfmt::skip]
    let cases: Vec<(&str, String, Result<(), JwtError>)> = vec![
        ("alg none, no signature", format!("{}.{payload}.", b64(br#"{"alg":"none"}"#)), unsupported("none")),
        ("alg none, kept signature", hs(r#"{"typ":"JWT","alg":"none"}"#, &good_claims(), SECRET), unsupported("none")),
        ("alg HS512", hs(r#"{"alg":"HS512"}"#, &good_claims(), SECRET), unsupported("HS512")),
        ("alg lowercase", hs(r#"{"alg":"hs256"}"#, &good_claims(), SECRET), unsupported("hs256")),
        ("alg RS256", hs(r#"{"alg":"RS256"}"#, &good_claims(), SECRET), unsupported("RS256")),
        ("alg junk is sanitized", hs(r#"{"alg":"HS256\u0000 and a long tail"}"#, &good_claims(), SECRET), unsupported("<invalid>")),
        ("alg missing", hs(r#"{"typ":"JWT"}"#, &good_claims(), SECRET), Err(JwtError::MissingClaim("alg"))),
        ("alg not a string", hs(r#"{"alg":256}"#, &good_claims(), SECRET), Err(JwtError::Malformed)),
        ("crit header", hs(r#"{"alg":"HS256","crit":["exp"]}"#, &good_claims(), SECRET), Err(JwtError::Malformed)),
        ("header not JSON", format!("{}.{payload}.{signature}", b64(b"nope")), Err(JwtError::Malformed)),
        ("header not base64url", format!("!!{good}"), Err(JwtError::Malformed)),
        ("two parts", input.to_owned(), Err(JwtError::Malformed)),
        ("four parts", format!("{good}.x"), Err(JwtError::Malformed)),
        ("empty", String::new(), Err(JwtError::Malformed)),
        ("claims not an object", signed(&json!([1, 2])), Err(JwtError::Malformed)),
        ("exp is a string", signed(&with("exp", json!("1700000180"))), Err(JwtError::Malformed)),
        ("exp is a float", signed(&with("exp", json!(1700000180.5))), Err(JwtError::Malformed)),
        ("wrong secret", hs(HS_HEADER, &good_claims(), "other-secret"), Err(JwtError::BadSignature)),
        ("empty signature", format!("{input}."), Err(JwtError::BadSignature)),
        ("truncated signature", good[..good.len() - 4].to_owned(), Err(JwtError::BadSignature)),
        ("padded signature", format!("{good}="), Err(JwtError::BadSignature)),
        ("flipped signature", format!("{input}.{flipped}"), Err(JwtError::BadSignature)),
        ("claims swapped after signing", format!("{}.{swapped}.{signature}", b64(HS_HEADER.as_bytes())), Err(JwtError::BadSignature)),
        ("20 KB token", signed(&with("context", json!({"pad": "x".repeat(20_000)}))), Err(JwtError::TooLarge)),
        ("expired", signed(&with("exp", json!(NOW - 31))), Err(JwtError::Expired)),
        ("issued in the future", signed(&with("iat", json!(NOW + 31))), Err(JwtError::IssuedInFuture)),
        ("not before in the future", signed(&with("nbf", json!(NOW + 31))), Err(JwtError::NotYetValid)),
        ("missing qsh", signed(&without("qsh")), Err(JwtError::MissingClaim("qsh"))),
        ("missing iat", signed(&without("iat")), Err(JwtError::MissingClaim("iat"))),
        ("missing exp", signed(&without("exp")), Err(JwtError::MissingClaim("exp"))),
        ("missing iss", signed(&without("iss")), Err(JwtError::MissingClaim("iss"))),
        ("empty iss", signed(&with("iss", json!(""))), Err(JwtError::MissingClaim("iss"))),
        ("qsh of another request", signed(&with("qsh", json!("0".repeat(64)))), Err(JwtError::QshMismatch)),
        ("qsh differs in case", signed(&with("qsh", json!(QSH.to_uppercase()))), Err(JwtError::QshMismatch)),
        ("context qsh on a page", signed(&with("qsh", json!("context-qsh"))), Err(JwtError::QshMismatch)),
    ];
    for (name, token, expected) in cases {
        let result = verify(&token).map(|_| ());
        assert_eq!(result, expected, "{name}");
        if let Err(error) = result {
            let message = error.to_string();
            assert!(!message.contains(SECRET), "{name}: {message}");
            assert!(
                token.len() < 8 || !message.contains(&token[..8]),
                "{name}: {message}"
            );
        }
    }
}

#[test]
fn size_limit_boundary() {
    let sized = |pad: usize| signed(&with("context", json!({"p": "x".repeat(pad)})));
    let pad = (0..MAX_TOKEN_LEN)
        .rev()
        .find(|pad| sized(*pad).len() <= MAX_TOKEN_LEN)
        .unwrap();
    assert!(verify(&sized(pad)).is_ok());
    assert_eq!(verify(&sized(pad + 3)), Err(JwtError::TooLarge));
    assert_eq!(unverified_issuer(&sized(pad + 3)), Err(JwtError::TooLarge));
}

#[test]
fn unverified_issuer_matrix() {
    let none = hs(r#"{"alg":"none"}"#, &good_claims(), "x");
    assert_eq!(
        unverified_issuer(&hs(HS_HEADER, &good_claims(), "any")).unwrap(),
        "ck"
    );
    assert_eq!(
        unverified_issuer(&none),
        Err(JwtError::UnsupportedAlgorithm("none".into()))
    );
    assert_eq!(
        unverified_issuer(R1),
        Err(JwtError::UnsupportedAlgorithm("RS256".into()))
    );
    assert_eq!(
        unverified_issuer(&signed(&without("iss"))),
        Err(JwtError::MissingClaim("iss"))
    );
    assert_eq!(unverified_issuer("a.b"), Err(JwtError::Malformed));
}
