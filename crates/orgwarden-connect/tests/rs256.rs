//! Vector R1 (Atlassian's signed install) and `sign_rs256`, which the simulator signs installs with.
// Helpers outside #[test] functions unwrap too; a panic is a test failure here.

use crate::common::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use orgwarden_connect::{
    query_string_hash, sign_rs256, verify_hs256, verify_install, Audience, Claims, JwtError,
    QshPolicy,
};

fn install_claims() -> Claims {
    Claims {
        iss: H_CLIENT_KEY.into(),
        sub: Some(H_SUB.into()),
        aud: Some(Audience::One(R1_APP_BASE_URL.into())),
        qsh: Some(R1_QSH.into()),
        iat: H_IAT,
        exp: H_IAT + 900,
        context: Some(serde_json::json!({})),
    }
}

#[tokio::test]
async fn pkcs8_and_pkcs1_keys_sign_verifiable_install_tokens() {
    let keys = FakeKeys(vec![("sim-1", TEST_PUBLIC), (R1_KID, R1_PUBLIC_PEM)]);
    for pem in [TEST_PRIVATE_PKCS8, TEST_PRIVATE_PKCS1] {
        let token = sign_rs256(&install_claims(), "sim-1", pem).unwrap();
        let claims = verify_install(
            &token,
            &keys,
            R1_APP_BASE_URL,
            H_CLIENT_KEY,
            R1_QSH,
            H_IAT + 60,
        )
        .await
        .unwrap();
        assert_eq!(claims, install_claims());
        // Same header and payload bytes as Atlassian's R1 (only the key differs).
        let mut parts = token.split('.');
        let header = URL_SAFE_NO_PAD.decode(parts.next().unwrap()).unwrap();
        assert_eq!(header, br#"{"typ":"JWT","alg":"RS256","kid":"sim-1"}"#);
        assert_eq!(parts.next().unwrap(), R1.split('.').nth(1).unwrap());
    }
    // Signed with our key but claiming R1's kid: Atlassian's key does not verify it.
    let forged = sign_rs256(&install_claims(), R1_KID, TEST_PRIVATE_PKCS8).unwrap();
    assert_eq!(
        verify_install(
            &forged,
            &keys,
            R1_APP_BASE_URL,
            H_CLIENT_KEY,
            R1_QSH,
            H_IAT + 60
        )
        .await,
        Err(JwtError::BadSignature)
    );
}

#[test]
fn bad_inputs_are_refused() {
    let claims = install_claims();
    assert_eq!(
        sign_rs256(&claims, "../x", TEST_PRIVATE_PKCS8),
        Err(JwtError::InvalidKeyId)
    );
    assert!(matches!(
        sign_rs256(&claims, "k", TEST_PUBLIC),
        Err(JwtError::InvalidKey(_))
    ));
    assert!(matches!(
        sign_rs256(&claims, "k", "nonsense"),
        Err(JwtError::InvalidKey(_))
    ));
    let garbage = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
    assert!(matches!(
        sign_rs256(&claims, "k", garbage),
        Err(JwtError::InvalidKey(_))
    ));
}

fn r1_keys() -> FakeKeys {
    FakeKeys(vec![(R1_KID, R1_PUBLIC_PEM)])
}

async fn r1_with(
    keys: &FakeKeys,
    base: &str,
    client_key: &str,
    qsh: &str,
    now: i64,
) -> Result<Claims, JwtError> {
    verify_install(R1, keys, base, client_key, qsh, now).await
}

#[tokio::test]
async fn r1_signed_install_verifies() {
    let keys = r1_keys();
    let now = H_IAT + 60;
    let claims = r1_with(&keys, R1_APP_BASE_URL, H_CLIENT_KEY, R1_QSH, now)
        .await
        .unwrap();
    assert_eq!(claims.iss, H_CLIENT_KEY);
    assert_eq!(claims.aud, Some(Audience::One(R1_APP_BASE_URL.into())));
    assert_eq!(claims.exp, H_IAT + 900);
    // One trailing slash on our configured base URL is ignored.
    assert!(
        r1_with(&keys, "https://app.example.com/", H_CLIENT_KEY, R1_QSH, now)
            .await
            .is_ok()
    );
    // The request hash as the server computes it, with or without a base path.
    assert_eq!(
        query_string_hash("POST", "/installed", "", "").unwrap(),
        R1_QSH
    );
    assert_eq!(
        query_string_hash("POST", "/connect/installed", "", "/connect").unwrap(),
        R1_QSH
    );
}

#[tokio::test]
async fn r1_negative_cases() {
    let keys = r1_keys();
    let now = H_IAT + 60;
    let check = |base, client_key, qsh, now| r1_with(&keys, base, client_key, qsh, now);
    assert_eq!(
        check(R1_APP_BASE_URL, "clientKey-other", R1_QSH, now).await,
        Err(JwtError::IssuerMismatch)
    );
    assert_eq!(
        check("https://other.example.com", H_CLIENT_KEY, R1_QSH, now).await,
        Err(JwtError::WrongAudience)
    );
    assert_eq!(
        check("https://app.example.com//", H_CLIENT_KEY, R1_QSH, now).await,
        Err(JwtError::WrongAudience)
    );
    let uninstalled = query_string_hash("POST", "/uninstalled", "", "").unwrap();
    assert_eq!(
        check(R1_APP_BASE_URL, H_CLIENT_KEY, &uninstalled, now).await,
        Err(JwtError::QshMismatch)
    );
    assert_eq!(
        check(R1_APP_BASE_URL, H_CLIENT_KEY, R1_QSH, H_IAT + 931).await,
        Err(JwtError::Expired)
    );
    assert_eq!(
        check(R1_APP_BASE_URL, H_CLIENT_KEY, R1_QSH, H_IAT - 31).await,
        Err(JwtError::IssuedInFuture)
    );
    // Unknown kid (the key server answers 404).
    let empty = FakeKeys(vec![]);
    assert!(matches!(
        verify_install(R1, &empty, R1_APP_BASE_URL, H_CLIENT_KEY, R1_QSH, now).await,
        Err(JwtError::KeyUnavailable(_))
    ));
    // The key server serves another key for this kid.
    let other = FakeKeys(vec![(R1_KID, OTHER_PUBLIC)]);
    assert_eq!(
        verify_install(R1, &other, R1_APP_BASE_URL, H_CLIENT_KEY, R1_QSH, now).await,
        Err(JwtError::BadSignature)
    );
    // The same payload re-signed with HS256 (with the secret the body would carry).
    let hs256 = hs(
        r#"{"typ":"JWT","alg":"HS256","kid":"test-kid-0001"}"#,
        &claims_json(R1),
        H_SECRET,
    );
    assert_eq!(
        verify_install(&hs256, &keys, R1_APP_BASE_URL, H_CLIENT_KEY, R1_QSH, now).await,
        Err(JwtError::UnsupportedAlgorithm("HS256".into()))
    );
    // And the RS256 install token is never accepted where HS256 is expected.
    assert_eq!(
        verify_hs256(R1, H_SECRET, R1_QSH, QshPolicy::Request, now),
        Err(JwtError::UnsupportedAlgorithm("RS256".into()))
    );
}
