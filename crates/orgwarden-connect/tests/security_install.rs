//! Security matrix for RS256 signed-install tokens.
// Helpers outside #[test] functions unwrap too; a panic is a test failure here.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common::*;
use orgwarden_connect::{verify_install, InstallKeys, JwtError};
use serde_json::{json, Value};

const NOW: i64 = 1_700_000_060;
const QSH: &str = "4a2e1de8ca74e6cafe8862d332fa3ac7a8e51e692bc6d798ea4dfedc14948bf4";
const BASE: &str = "https://app.example.com";

/// Counts calls, so tests can prove a bad `kid` never reaches the key server.
struct CountingKeys(AtomicUsize);

#[async_trait::async_trait]
impl InstallKeys for CountingKeys {
    async fn public_key_pem(&self, kid: &str) -> Result<String, JwtError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        match kid {
            "k1" => Ok(TEST_PUBLIC.into()),
            "private" => Ok(TEST_PRIVATE_PKCS8.into()),
            "garbage" => Ok("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n".into()),
            _ => Err(JwtError::KeyUnavailable("key server answered 404".into())),
        }
    }
}

fn install_claims() -> Value {
    json!({"iss": "ck", "aud": BASE, "qsh": QSH, "iat": NOW - 60, "exp": NOW + 840})
}

fn rs(kid: Option<&str>, claims: &Value) -> String {
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = kid.map(str::to_owned);
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(TEST_PRIVATE_PKCS8.as_bytes()).unwrap();
    jsonwebtoken::encode(&header, claims, &key).unwrap()
}

/// Signed correctly under kid `k1`.
fn signed(claims: &Value) -> String {
    rs(Some("k1"), claims)
}

fn with(claim: &str, value: Value) -> Value {
    let mut claims = install_claims();
    claims[claim] = value;
    claims
}

fn without(claim: &str) -> Value {
    let mut claims = install_claims();
    claims.as_object_mut().unwrap().remove(claim);
    claims
}

#[tokio::test]
async fn install_matrix() {
    let counting = CountingKeys(AtomicUsize::new(0));
    let keys = &counting;
    let check = |token: String| async move {
        verify_install(&token, keys, BASE, "ck", QSH, NOW)
            .await
            .map(|_| ())
    };
    assert_eq!(check(signed(&install_claims())).await, Ok(()));
    assert_eq!(
        check(signed(&with("aud", json!(["other", format!("{BASE}/")])))).await,
        Ok(())
    );
    let good = signed(&install_claims());
    let payload = good.split('.').nth(1).unwrap().to_owned();
    let not_public = Err(JwtError::InvalidKey("expected an RSA public key PEM"));
    #[rustfmt::skip]
    let cases: Vec<(&str, String, Result<(), JwtError>)> = vec![
        ("alg none", format!("{}.{payload}.", b64(br#"{"alg":"none","kid":"k1"}"#)), Err(JwtError::UnsupportedAlgorithm("none".into()))),
        ("HS256 install token", hs(r#"{"alg":"HS256","kid":"k1"}"#, &install_claims(), "secret-from-body"), Err(JwtError::UnsupportedAlgorithm("HS256".into()))),
        ("HS256 keyed with the public key", hs(r#"{"alg":"HS256","kid":"k1"}"#, &install_claims(), TEST_PUBLIC), Err(JwtError::UnsupportedAlgorithm("HS256".into()))),
        ("unknown kid", rs(Some("unknown"), &install_claims()), Err(JwtError::KeyUnavailable("key server answered 404".into()))),
        ("private key served", rs(Some("private"), &install_claims()), not_public.clone()),
        ("garbage key served", rs(Some("garbage"), &install_claims()), not_public),
        ("truncated signature", good[..good.len() - 10].to_owned(), Err(JwtError::BadSignature)),
        ("20 KB token", signed(&with("context", json!({"pad": "x".repeat(20_000)}))), Err(JwtError::TooLarge)),
        ("expired", signed(&with("exp", json!(NOW - 31))), Err(JwtError::Expired)),
        ("issued in the future", signed(&with("iat", json!(NOW + 31))), Err(JwtError::IssuedInFuture)),
        ("missing aud", signed(&without("aud")), Err(JwtError::MissingClaim("aud"))),
        ("empty aud array", signed(&with("aud", json!([]))), Err(JwtError::WrongAudience)),
        ("aud array without us", signed(&with("aud", json!(["https://other"]))), Err(JwtError::WrongAudience)),
        ("aud with a path", signed(&with("aud", json!(format!("{BASE}/x")))), Err(JwtError::WrongAudience)),
        ("missing qsh", signed(&without("qsh")), Err(JwtError::MissingClaim("qsh"))),
        ("context qsh", signed(&with("qsh", json!("context-qsh"))), Err(JwtError::QshMismatch)),
        ("missing iat", signed(&without("iat")), Err(JwtError::MissingClaim("iat"))),
        ("missing exp", signed(&without("exp")), Err(JwtError::MissingClaim("exp"))),
        ("other tenant", signed(&with("iss", json!("ck2"))), Err(JwtError::IssuerMismatch)),
    ];
    for (name, token, expected) in cases {
        assert_eq!(check(token).await, expected, "{name}");
    }
}

#[tokio::test]
async fn bad_key_ids_never_reach_the_key_server() {
    let counting = CountingKeys(AtomicUsize::new(0));
    let long = "k".repeat(129);
    #[rustfmt::skip]
    let kids = [None, Some(""), Some("a/b"), Some(".."), Some("../k1"), Some("k1/.."), Some("%2e%2e"), Some("k1?x"), Some("k 1"), Some(long.as_str())];
    for kid in kids {
        let token = rs(kid, &install_claims());
        let result = verify_install(&token, &counting, BASE, "ck", QSH, NOW).await;
        assert_eq!(result.map(|_| ()), Err(JwtError::InvalidKeyId), "{kid:?}");
    }
    assert_eq!(counting.0.load(Ordering::SeqCst), 0);
}
