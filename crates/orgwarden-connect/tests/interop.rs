//! Interoperability with the independent npm `atlassian-jwt` package (`tests/interop/jwt.js`).
//!
//! Needs Node.js and `npm ci --prefix tests/interop`; without them these tests fail (never skip).
// Helpers outside #[test] functions unwrap too; a panic is a test failure here.

use std::path::PathBuf;
use std::process::Command;

use crate::common::*;
use orgwarden_connect::{
    canonical_request, query_string_hash, sign_outgoing, sign_rs256, verify_hs256, verify_install,
    Claims, InstallKeys, JwtError, QshPolicy,
};
use serde_json::{json, Value};

const NOW: i64 = H_IAT + 60;

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop")
}

/// Runs `node jwt.js <args>`; `Err(stderr)` when the script reports a failure.
fn try_node(args: &[&str]) -> Result<String, String> {
    let dir = interop_dir();
    assert!(
        dir.join("node_modules/atlassian-jwt").is_dir(),
        "npm package atlassian-jwt is missing: run `npm ci --prefix tests/interop` at the workspace root (the Makefile does)"
    );
    let output = Command::new("node")
        .arg("jwt.js")
        .args(args)
        .current_dir(&dir)
        .output()
        .unwrap_or_else(|error| panic!("cannot run `node` ({error}): install Node.js, then `npm ci --prefix tests/interop`"));
    if output.status.success() {
        Ok(String::from_utf8(output.stdout).unwrap().trim().to_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

fn node(args: &[&str]) -> String {
    try_node(args).unwrap_or_else(|stderr| panic!("node jwt.js {args:?} failed: {stderr}"))
}

fn node_json(args: &[&str]) -> Value {
    serde_json::from_str(&node(args)).unwrap()
}

/// Requests on which Java and npm agree (no exotic parameter names).
const REQUESTS: &[&str] = &[
    "/rest/api/3/applicationrole",
    "/rest/atlassian-connect/1/addons/com.example.app",
    "/rest/api/3/search?jql=project%20%3D%20TEST&maxResults=50&fields=summary,status",
    "/rest/api/3/license/approximateLicenseCount/product/jira-software",
    "/rest/api/3/users/search?startAt=100&maxResults=50&query=J%C3%BCrgen+M%C3%BCller",
    "/rest/api/3/group/member?groupId=a1b2&groupId=0ff&includeInactiveUsers=true",
    "/rest/api/3/x/?b=2&a=1&a=%2B&a=+&c",
];

#[test]
fn our_outgoing_tokens_verify_with_npm() {
    for base in [
        "https://example.atlassian.net",
        "https://example.atlassian.net/wiki",
    ] {
        for request in REQUESTS {
            for method in ["GET", "post"] {
                let token = sign_outgoing(
                    H3_APP_KEY,
                    H_CLIENT_KEY,
                    H_SECRET,
                    method,
                    request,
                    base,
                    H_IAT,
                )
                .unwrap();
                let verified = node_json(&["verify-outgoing", &token, H_SECRET, method, request]);
                assert_eq!(verified["claims"]["iss"], H3_APP_KEY, "{request}");
                assert_eq!(verified["claims"]["aud"], json!([H_CLIENT_KEY]));
                assert_eq!(verified["claims"]["exp"], H_IAT + 180);
                assert!(
                    try_node(&["verify-outgoing", &token, "wrong-secret", method, request])
                        .is_err()
                );
            }
        }
    }
    let h3 = sign_outgoing(
        H3_APP_KEY,
        H_CLIENT_KEY,
        H_SECRET,
        "GET",
        REQUESTS[0],
        "https://example.atlassian.net",
        H_IAT,
    )
    .unwrap();
    assert_eq!(h3, H3);
    assert!(try_node(&["verify-outgoing", &h3, H_SECRET, "GET", "/rest/api/3/other"]).is_err());
}

#[test]
fn qsh_agrees_with_npm_on_every_java_vector_and_app_request() {
    let mut requests: Vec<String> = I_VECTORS.iter().map(|v| v.request.to_owned()).collect();
    requests.extend(REQUESTS.iter().map(|r| (*r).to_owned()));
    requests.push("/admin?lic=active&xdm_e=https%3A%2F%2Fexample.atlassian.net&xdm_c=channel-admin&cp=&cv=1001.0.0-SNAPSHOT&jwt=abc".into());
    for request in &requests {
        let npm = node_json(&["qsh", "GET", request]);
        let (path, query) = request.split_once('?').unwrap_or((request, ""));
        assert_eq!(
            npm["canonical"],
            canonical_request("GET", path, query, "").unwrap(),
            "{request}"
        );
        assert_eq!(
            npm["qsh"],
            query_string_hash("GET", path, query, "").unwrap(),
            "{request}"
        );
    }
}

#[test]
fn npm_orders_exotic_names_differently_c10() {
    let npm = node_json(&["qsh", "GET", "/test?a.b=1&a:b=2"]);
    assert_eq!(npm["canonical"], C10_NPM_CANONICAL);
    assert_eq!(npm["qsh"], C10_NPM_QSH);
    assert_ne!(
        npm["qsh"],
        query_string_hash("GET", "/test", "a.b=1&a:b=2", "").unwrap()
    );
}

/// Mints with npm; `claims` is JSON text, so its key order (and thus the token) is exact.
fn npm_hs256(claims: &str) -> String {
    node(&["mint-hs256", claims, H_SECRET])
}

/// Page-load claims in Atlassian's key order.
fn page_claims(qsh: &str) -> String {
    format!(
        r#"{{"iss":"{H_CLIENT_KEY}","sub":"{H_SUB}","qsh":"{qsh}","iat":{H_IAT},"exp":{},"context":{{}}}}"#,
        H_IAT + 180
    )
}

#[test]
fn npm_page_tokens_verify_with_verify_hs256() {
    for request in ["/admin?lic=active&xdm_e=https%3A%2F%2Fexample.atlassian.net&xdm_c=channel-admin&cp=&cv=1001.0.0-SNAPSHOT", "/app?lic=none&cp=", I_VECTORS[33].request] {
        let npm_qsh = node_json(&["qsh", "GET", request])["qsh"].as_str().unwrap().to_owned();
        let token = npm_hs256(&page_claims(&npm_qsh));
        let (path, query) = request.split_once('?').unwrap();
        let query = format!("{query}&jwt={token}");
        let qsh = query_string_hash("GET", path, &query, "").unwrap();
        let claims = verify_hs256(&token, H_SECRET, &qsh, QshPolicy::Request, NOW).unwrap();
        assert_eq!((claims.iss.as_str(), claims.sub.as_deref()), (H_CLIENT_KEY, Some(H_SUB)));
        assert_eq!(verify_hs256(&token, "wrong", &qsh, QshPolicy::Request, NOW), Err(JwtError::BadSignature));
    }
    // H1 is exactly what npm mints for the same claims.
    assert_eq!(npm_hs256(&page_claims(H1_QSH)), H1);
}

#[test]
fn npm_context_tokens_verify_only_where_context_tokens_belong() {
    let claims = format!(
        r#"{{"iss":"{H_CLIENT_KEY}","sub":"{H_SUB}","qsh":"context-qsh","iat":{H_IAT},"exp":{}}}"#,
        H_IAT + 900
    );
    let token = npm_hs256(&claims);
    assert_eq!(token, H2);
    let qsh = query_string_hash("GET", "/api/v1/me", "", "").unwrap();
    assert!(verify_hs256(&token, H_SECRET, &qsh, QshPolicy::Context, NOW).is_ok());
    assert!(verify_hs256(&token, H_SECRET, &qsh, QshPolicy::RequestOrContext, NOW).is_ok());
    assert_eq!(
        verify_hs256(&token, H_SECRET, &qsh, QshPolicy::Request, NOW),
        Err(JwtError::QshMismatch)
    );
}

/// Serves one generated key under one kid.
struct OneKey(&'static str, String);

#[async_trait::async_trait]
impl InstallKeys for OneKey {
    async fn public_key_pem(&self, kid: &str) -> Result<String, JwtError> {
        if kid == self.0 {
            Ok(self.1.clone())
        } else {
            Err(JwtError::KeyUnavailable("key server answered 404".into()))
        }
    }
}

#[tokio::test]
async fn npm_rs256_install_tokens_verify_with_verify_install() {
    let dir = tempfile::tempdir().unwrap();
    let paths = node_json(&["gen-rsa-keypair", dir.path().to_str().unwrap()]);
    let public_pem = std::fs::read_to_string(paths["public"].as_str().unwrap()).unwrap();
    let private_path = paths["private"].as_str().unwrap();
    let keys = OneKey("npm-kid-1", public_pem.clone());
    for aud in [
        json!(R1_APP_BASE_URL),
        json!([format!("{R1_APP_BASE_URL}/")]),
    ] {
        let claims = json!({"iss": H_CLIENT_KEY, "sub": H_SUB, "aud": aud, "qsh": R1_QSH, "iat": H_IAT, "exp": H_IAT + 900, "context": {}});
        let token = node(&["mint-rs256", &claims.to_string(), "npm-kid-1", private_path]);
        let verified = verify_install(&token, &keys, R1_APP_BASE_URL, H_CLIENT_KEY, R1_QSH, NOW)
            .await
            .unwrap();
        assert_eq!(verified.iss, H_CLIENT_KEY);
        let wrong_key = OneKey("npm-kid-1", TEST_PUBLIC.to_owned());
        assert_eq!(
            verify_install(
                &token,
                &wrong_key,
                R1_APP_BASE_URL,
                H_CLIENT_KEY,
                R1_QSH,
                NOW
            )
            .await,
            Err(JwtError::BadSignature)
        );
    }
    // The other direction: our RS256 tokens (node's PKCS#8 key, and the PKCS#1 fixture) verify in npm.
    let claims: Claims = serde_json::from_value(json!({"iss": H_CLIENT_KEY, "aud": R1_APP_BASE_URL, "qsh": R1_QSH, "iat": H_IAT, "exp": H_IAT + 900})).unwrap();
    let private_pem = std::fs::read_to_string(private_path).unwrap();
    let ours = sign_rs256(&claims, "sim-kid", &private_pem).unwrap();
    let verified = node_json(&["verify-rs256", &ours, paths["public"].as_str().unwrap()]);
    assert_eq!(
        (&verified["kid"], &verified["claims"]["iss"]),
        (&json!("sim-kid"), &json!(H_CLIENT_KEY))
    );
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let pkcs1 = sign_rs256(&claims, "sim-kid", TEST_PRIVATE_PKCS1).unwrap();
    node(&[
        "verify-rs256",
        &pkcs1,
        fixtures.join("test-rsa-public.pem").to_str().unwrap(),
    ]);
    assert!(try_node(&[
        "verify-rs256",
        &pkcs1,
        fixtures.join("other-rsa-public.pem").to_str().unwrap()
    ])
    .is_err());
}
