//! A given install key (`SimConfig::install_key`): it signs the install callbacks, it is what
//! `/install-keys/{kid}` publishes, and a token signed elsewhere with it verifies too (how tests
//! forge installs); without a kid one is derived; a bad key or kid stops the start.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use orgwarden_cloudsim::{spawn, InstallKey, SimConfig};
use orgwarden_connect::{sign_rs256, Audience, Claims};

use super::*;
use crate::common::small_config;

const PKCS8: &str =
    include_str!("../../../orgwarden-connect/tests/fixtures/test-rsa-private-pkcs8.pem");
const PKCS1: &str =
    include_str!("../../../orgwarden-connect/tests/fixtures/test-rsa-private-pkcs1.pem");
const PUBLIC: &str = include_str!("../../../orgwarden-connect/tests/fixtures/test-rsa-public.pem");

fn with_key(kid: Option<&str>, private_pem: &str) -> SimConfig {
    SimConfig {
        install_key: Some(InstallKey {
            kid: kid.map(str::to_owned),
            private_pem: private_pem.to_owned(),
        }),
        ..small_config()
    }
}

/// Installs a fake app; returns the app and the `kid` of the signed `installed` callback.
async fn install_into(sim: &Sim) -> (FakeApp, String) {
    let (app, _) = install_app(sim).await;
    let installed = app.calls.lock().unwrap()[0].clone();
    let header = token_of(&installed).split('.').next().unwrap();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
    (app, header["kid"].as_str().unwrap().to_owned())
}

fn spaceless(pem: &str) -> String {
    pem.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The public key cloudsim publishes under `kid`.
async fn published(sim: &Sim, kid: &str) -> String {
    let url = sim.url(&format!("/install-keys/{kid}"));
    let answer = sim.http.get(url).send().await.unwrap();
    answer.text().await.unwrap()
}

#[tokio::test]
async fn a_given_key_signs_installs_and_is_published() {
    let sim = Sim::with(with_key(Some("given-kid"), PKCS8)).await;
    let (app, kid) = install_into(&sim).await;
    assert_eq!(kid, "given-kid");
    assert_eq!(
        spaceless(&published(&sim, "given-kid").await),
        spaceless(PUBLIC)
    );

    let keys = HttpInstallKeys::new(&sim.url("/install-keys"));
    let calls = app.calls.lock().unwrap().clone();
    let client_key = calls[0].body["clientKey"].as_str().unwrap().to_owned();
    let qsh = query_string_hash("POST", "/app/lifecycle/installed", "", "/app").unwrap();
    verify_install(
        token_of(&calls[0]),
        &keys,
        &app.base,
        &client_key,
        &qsh,
        now(),
    )
    .await
    .unwrap();

    // Signed by someone holding the key, not by the simulator: verifies the same way.
    let claims = Claims {
        iss: client_key.clone(),
        sub: None,
        aud: Some(Audience::One(app.base.clone())),
        qsh: Some(qsh.clone()),
        iat: now(),
        exp: now() + 900,
        context: None,
    };
    let token = sign_rs256(&claims, "given-kid", PKCS8).unwrap();
    verify_install(&token, &keys, &app.base, &client_key, &qsh, now())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_key_without_kid_gets_a_derived_one() {
    let sim = Sim::with(with_key(None, PKCS1)).await;
    let (_app, kid) = install_into(&sim).await;
    assert!(kid.starts_with("cloudsim-") && kid.len() == 25, "{kid}");
    assert_eq!(spaceless(&published(&sim, &kid).await), spaceless(PUBLIC));
}

#[tokio::test]
async fn a_bad_key_or_kid_stops_the_start() {
    let not_a_key = spawn(with_key(None, "not a key")).await;
    assert!(not_a_key.is_err());
    let public = spawn(with_key(None, PUBLIC)).await;
    assert!(public.is_err());
    let path_kid = spawn(with_key(Some("../etc"), PKCS8)).await.err().unwrap();
    assert!(
        path_kid.to_string().contains("install key id"),
        "{path_kid}"
    );
}
