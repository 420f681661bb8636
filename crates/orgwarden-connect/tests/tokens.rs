//! Vectors H1–H3 (HS256 page, context and outgoing tokens), with the negative tests the document lists.
// Helpers outside #[test] functions unwrap too; a panic is a test failure here.

use crate::common::*;
use orgwarden_connect::{
    query_string_hash, sign_hs256, sign_outgoing, unverified_issuer, verify_hs256, Audience,
    Claims, JwtError, QshPolicy, CONTEXT_QSH, LEEWAY_SECS,
};

fn h1_at(now: i64) -> Result<Claims, JwtError> {
    let qsh = query_string_hash("GET", H1_PATH, H1_QUERY, "").unwrap();
    verify_hs256(H1, H_SECRET, &qsh, QshPolicy::Request, now)
}

#[test]
fn h1_page_load_token_verifies_with_frozen_clock() {
    assert_eq!(unverified_issuer(H1).unwrap(), H_CLIENT_KEY);
    let claims = h1_at(H_IAT + 60).unwrap();
    assert_eq!(claims.iss, H_CLIENT_KEY);
    assert_eq!(claims.sub.as_deref(), Some(H_SUB));
    assert_eq!(claims.qsh.as_deref(), Some(H1_QSH));
    assert_eq!((claims.iat, claims.exp), (H_IAT, H_IAT + 180));
    assert_eq!(claims.aud, None);
}

#[test]
fn h1_leeway_boundaries() {
    let exp = H_IAT + 180;
    assert!(
        h1_at(H_IAT + 200).is_ok(),
        "the document's 30 s leeway example"
    );
    assert!(h1_at(exp + LEEWAY_SECS).is_ok());
    assert_eq!(h1_at(exp + LEEWAY_SECS + 1), Err(JwtError::Expired));
    assert_eq!(h1_at(H_IAT + 901), Err(JwtError::Expired));
    assert!(
        h1_at(H_IAT - LEEWAY_SECS).is_ok(),
        "iat 30 s ahead of our clock"
    );
    assert_eq!(
        h1_at(H_IAT - LEEWAY_SECS - 1),
        Err(JwtError::IssuedInFuture)
    );
}

#[test]
fn h1_negative_cases() {
    let now = H_IAT + 60;
    // Any query value changed → another hash.
    for changed in [
        "lic=none",
        "cp=%2Fjira",
        "cv=1001.0.1-SNAPSHOT",
        "xdm_c=channel-other",
    ] {
        let name = changed.split('=').next().unwrap();
        let query: Vec<&str> = H1_QUERY
            .split('&')
            .map(|pair| {
                if pair.starts_with(&format!("{name}=")) {
                    changed
                } else {
                    pair
                }
            })
            .collect();
        let qsh = query_string_hash("GET", H1_PATH, &query.join("&"), "").unwrap();
        assert_eq!(
            verify_hs256(H1, H_SECRET, &qsh, QshPolicy::Request, now),
            Err(JwtError::QshMismatch)
        );
    }
    assert_eq!(
        verify_hs256(H1, "wrong-secret", H1_QSH, QshPolicy::Request, now),
        Err(JwtError::BadSignature)
    );
    // `jwt` in the query or moved to a header: the hash is the same.
    let with_jwt = format!("{H1_QUERY}&jwt={H1}");
    assert_eq!(
        query_string_hash("GET", H1_PATH, &with_jwt, "").unwrap(),
        H1_QSH
    );
    // A page-load token is not a context token.
    assert_eq!(
        verify_hs256(H1, H_SECRET, H1_QSH, QshPolicy::Context, now),
        Err(JwtError::QshMismatch)
    );
    assert!(verify_hs256(H1, H_SECRET, H1_QSH, QshPolicy::RequestOrContext, now).is_ok());
}

#[test]
fn h1_is_reproduced_byte_for_byte_by_sign_hs256() {
    let claims = Claims {
        iss: H_CLIENT_KEY.into(),
        sub: Some(H_SUB.into()),
        aud: None,
        qsh: Some(H1_QSH.into()),
        iat: H_IAT,
        exp: H_IAT + 180,
        context: Some(serde_json::json!({})),
    };
    assert_eq!(sign_hs256(&claims, H_SECRET).unwrap(), H1);
}

#[test]
fn h2_context_token() {
    let any_request = query_string_hash("GET", "/api/v1/me", "", "").unwrap();
    let now = H_IAT + 60;
    let claims = verify_hs256(H2, H_SECRET, &any_request, QshPolicy::Context, now).unwrap();
    assert_eq!(claims.qsh.as_deref(), Some(CONTEXT_QSH));
    assert_eq!(claims.sub.as_deref(), Some(H_SUB));
    assert_eq!(claims.exp, H_IAT + 900);
    assert!(verify_hs256(H2, H_SECRET, &any_request, QshPolicy::RequestOrContext, now).is_ok());
    // Rejected on page-load / webhook endpoints.
    assert_eq!(
        verify_hs256(H2, H_SECRET, &any_request, QshPolicy::Request, now),
        Err(JwtError::QshMismatch)
    );
    assert_eq!(
        verify_hs256(H2, H_SECRET, H1_QSH, QshPolicy::Request, now),
        Err(JwtError::QshMismatch)
    );
    assert_eq!(
        verify_hs256(H2, H_SECRET, &any_request, QshPolicy::Context, H_IAT + 931),
        Err(JwtError::Expired)
    );
}

#[test]
fn h3_outgoing_token_is_byte_exact() {
    let sign = |url: &str, base: &str| {
        sign_outgoing(H3_APP_KEY, H_CLIENT_KEY, H_SECRET, "GET", url, base, H_IAT).unwrap()
    };
    assert_eq!(
        sign(
            "/rest/api/3/applicationrole",
            "https://example.atlassian.net"
        ),
        H3
    );
    assert_eq!(
        sign(
            "https://example.atlassian.net/rest/api/3/applicationrole",
            "https://example.atlassian.net/"
        ),
        H3
    );
    // A context path on the product base URL is not part of the hash (Confluence's /wiki).
    assert_eq!(
        sign(
            "/rest/api/3/applicationrole",
            "https://example.atlassian.net/wiki"
        ),
        H3
    );
    assert_eq!(
        sign(
            "https://example.atlassian.net/wiki/rest/api/3/applicationrole",
            "https://example.atlassian.net/wiki"
        ),
        H3
    );
    let claims = claims_json(H3);
    assert_eq!(claims["qsh"], H3_QSH);
    assert_eq!(claims["aud"], serde_json::json!([H_CLIENT_KEY]));
    // The product can verify it (qsh over the outgoing request).
    let verified = verify_hs256(H3, H_SECRET, H3_QSH, QshPolicy::Request, H_IAT).unwrap();
    assert_eq!(
        verified.aud,
        Some(Audience::Many(vec![H_CLIENT_KEY.into()]))
    );
}

#[test]
fn outgoing_query_is_hashed() {
    let url = "/rest/api/3/search?jql=project%20%3D%20TEST&maxResults=50&fields=summary,status";
    let token = sign_outgoing("app", "ck", "s", "GET", url, "https://x.atlassian.net", 1).unwrap();
    let c7 = C_CASES.iter().find(|case| case.id == "C7").unwrap();
    assert_eq!(claims_json(&token)["qsh"], c7.qsh.unwrap());
    assert_eq!(claims_json(&token)["exp"], 181);
}

#[test]
fn outgoing_urls_must_stay_on_the_product() {
    let sign = |url: &str, base: &str| sign_outgoing("app", "ck", "s", "GET", url, base, 1);
    let base = "https://example.atlassian.net/wiki";
    for url in [
        "https://evil.example.com/wiki/rest/api/3/x",
        "http://example.atlassian.net/wiki/rest/api/3/x",
        "https://example.atlassian.net:8443/wiki/rest/api/3/x",
        "https://example.atlassian.net/wikiother/x",
        "https://example.atlassian.net/rest/api/3/x",
        "rest/api/3/x",
        "",
    ] {
        assert_eq!(sign(url, base), Err(JwtError::InvalidUrl), "{url}");
    }
    assert_eq!(sign("/x", "not a url"), Err(JwtError::InvalidUrl));
}
