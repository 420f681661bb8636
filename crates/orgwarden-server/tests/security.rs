//! Forged and malformed requests: each is refused with 400/401/403, never a 5xx, never accepted.

use crate::common::*;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use orgwarden_connect::{query_string_hash, sign_hs256, Audience, Claims};
use orgwarden_ids::TenantId;
use serde_json::{json, Value};

struct Case {
    name: &'static str,
    response: reqwest::Response,
}

fn refused(case: &Case) -> bool {
    matches!(case.response.status().as_u16(), 400 | 401 | 403)
}

fn alg_none(claims: &Claims) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"typ":"JWT","alg":"none"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap());
    format!("{header}.{payload}.")
}

#[actix_web::test]
async fn forged_and_malformed_requests_are_refused() {
    let app = TestApp::start(orgwarden_store::Backend::Sqlite).await;
    let [victim_site, gone_site, rotated_site] = SITES;
    let victim = app.install(victim_site).await;
    let gone = app.install(gone_site).await;
    assert_eq!(app.uninstall(gone_site).await, 204);
    let rotated_old = app.install(rotated_site).await;
    let rotated = app.install(rotated_site).await;

    let installed = "/lifecycle/installed";
    let good_install = app.install_claims("attacker", installed);
    let attacker = app.stranger("attacker", "attacker-secret");
    let body = app.payload(&attacker, "installed");
    let mut cases = Vec::new();
    macro_rules! case {
        ($name:expr, $response:expr) => {
            cases.push(Case {
                name: $name,
                response: $response.await,
            })
        };
    }

    // Installs.
    case!(
        "unsigned install",
        app.post_lifecycle(installed, None, &body)
    );
    let hs = sign_hs256(&good_install, "attacker-secret").unwrap();
    case!(
        "HS256 install",
        app.post_lifecycle(installed, Some(&hs), &body)
    );
    case!(
        "alg none install",
        app.post_lifecycle(installed, Some(&alg_none(&good_install)), &body)
    );
    let unknown_kid =
        orgwarden_connect::sign_rs256(&good_install, "other-kid", INSTALL_KEY).unwrap();
    case!(
        "unknown kid",
        app.post_lifecycle(installed, Some(&unknown_kid), &body)
    );
    for kid in ["../../etc/passwd", "a/b", "%2e%2e", "kid?x=1"] {
        let token = forge_kid(&app.rs256(&good_install), kid);
        case!(
            "path-like kid",
            app.post_lifecycle(installed, Some(&token), &body)
        );
    }
    case!(
        "foreign RSA key",
        app.post_lifecycle(installed, Some(&foreign_rs256(&good_install)), &body)
    );
    let mut wrong_aud = good_install.clone();
    wrong_aud.aud = Some(Audience::One("https://other.example.com".into()));
    case!(
        "wrong aud",
        app.post_lifecycle(installed, Some(&app.rs256(&wrong_aud)), &body)
    );
    let mut other_iss = good_install.clone();
    other_iss.iss = victim.client_key.clone();
    case!(
        "iss differs from body clientKey",
        app.post_lifecycle(installed, Some(&app.rs256(&other_iss)), &body)
    );
    let mut wrong_qsh = good_install.clone();
    wrong_qsh.qsh = Some(query_string_hash("POST", "/lifecycle/uninstalled", "", "").unwrap());
    case!(
        "install qsh of another path",
        app.post_lifecycle(installed, Some(&app.rs256(&wrong_qsh)), &body)
    );
    let mut no_qsh = good_install.clone();
    no_qsh.qsh = None;
    case!(
        "install without qsh",
        app.post_lifecycle(installed, Some(&app.rs256(&no_qsh)), &body)
    );
    let mut expired = good_install.clone();
    expired.iat = now() - 2000;
    expired.exp = now() - 100;
    case!(
        "expired install",
        app.post_lifecycle(installed, Some(&app.rs256(&expired)), &body)
    );
    let token = app.rs256(&good_install);
    case!(
        "truncated RS256 signature",
        app.post_lifecycle(installed, Some(&token[..token.len() - 10]), &body)
    );
    let victim_uninstall = app.install_claims("attacker", "/lifecycle/uninstalled");
    let victim_body = app.payload(&victim, "uninstalled");
    case!(
        "uninstall of another tenant",
        app.post_lifecycle(
            "/lifecycle/uninstalled",
            Some(&app.rs256(&victim_uninstall)),
            &victim_body
        )
    );
    let not_json = app
        .http
        .post(format!("{}{installed}", app.url))
        .header("Authorization", format!("JWT {token}"))
        .header("Content-Type", "application/json")
        .body("{not json");
    case!("non-JSON lifecycle body", sent(not_json));
    case!(
        "lifecycle body without clientKey",
        app.post_lifecycle(installed, Some(&token), &json!({"key": APP_KEY}))
    );

    // Pages.
    let query = "lic=active&xdm_e=https%3A%2F%2Fexample.atlassian.net&cp=";
    let page = app.page_url(&victim.client_key, &victim.secret, "/admin", query);
    case!(
        "page token with altered query",
        sent(app.http.get(page.replace("lic=active", "lic=none")))
    );
    case!(
        "page token on another path",
        sent(app.http.get(page.replace("/admin?", "/app?")))
    );
    let ctx = app.context_token(&victim.client_key, &victim.secret, ADMIN);
    case!(
        "context token on the page route",
        sent(app.http.get(format!("{}/admin?{query}&jwt={ctx}", app.url)))
    );
    case!(
        "page without token",
        sent(app.http.get(format!("{}/admin?{query}", app.url)))
    );

    // API.
    let me = "/api/v1/me";
    case!("API without token", app.api_get(me, None));
    case!(
        "API with wrong secret",
        app.api_get(
            me,
            Some(&app.context_token(&victim.client_key, "guess", ADMIN))
        )
    );
    case!(
        "API with unknown tenant",
        app.api_get(me, Some(&app.context_token("nobody", "x", ADMIN)))
    );
    case!(
        "API with uninstalled tenant",
        app.api_get(
            me,
            Some(&app.context_token(&gone.client_key, &gone.secret, ADMIN))
        )
    );
    case!(
        "API with old secret after reinstall",
        app.api_get(
            me,
            Some(&app.context_token(&rotated.client_key, &rotated_old.secret, ADMIN))
        )
    );
    let mut stale = Claims {
        iss: victim.client_key.clone(),
        sub: Some(ADMIN.into()),
        aud: None,
        qsh: Some("context-qsh".into()),
        iat: now() - 1000,
        exp: now() - 60,
        context: None,
    };
    case!(
        "expired context token",
        app.api_get(me, Some(&sign_hs256(&stale, &victim.secret).unwrap()))
    );
    stale.exp = now() + 100;
    stale.qsh = Some("0".repeat(64));
    case!(
        "API token with a wrong qsh",
        app.api_get(me, Some(&sign_hs256(&stale, &victim.secret).unwrap()))
    );
    stale.qsh = None;
    case!(
        "API token without qsh",
        app.api_get(me, Some(&sign_hs256(&stale, &victim.secret).unwrap()))
    );
    case!(
        "API token with alg none",
        app.api_get(me, Some(&alg_none(&stale)))
    );
    let good = app.context_token(&victim.client_key, &victim.secret, ADMIN);
    case!(
        "truncated HS256 signature",
        app.api_get(me, Some(&good[..good.len() - 3]))
    );
    case!("garbage token", app.api_get(me, Some("not.a.jwt")));
    let huge = format!("{}{}", good, "A".repeat(20_000));
    case!("20 KB token", app.api_get(me, Some(&huge)));
    case!(
        "no sub",
        app.api_get(
            me,
            Some(&app.hs256(&victim.client_key, &victim.secret, None, "context-qsh"))
        )
    );
    case!(
        "Bearer scheme",
        sent(
            app.http
                .get(format!("{}{me}", app.url))
                .header("Authorization", "Bearer abc")
        )
    );

    assert!(cases.len() >= 25, "matrix has {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        if !refused(case) {
            failures.push(format!("{}: {}", case.name, case.response.status()));
        }
    }
    assert!(failures.is_empty(), "accepted or crashed: {failures:#?}");
    for case in cases {
        let body: Value = case
            .response
            .json()
            .await
            .unwrap_or_else(|_| panic!("{}: envelope", case.name));
        assert!(body["error"]["code"].is_string(), "{}: {body}", case.name);
    }

    // None of it changed anything: the victim still works, the attacker was never installed.
    assert_eq!(
        app.api_get(
            me,
            Some(&app.context_token(&victim.client_key, &victim.secret, ADMIN))
        )
        .await
        .status(),
        200
    );
    let mut conn = app.db.db.get().unwrap();
    assert!(
        orgwarden_store::tenants::find(&mut conn, &TenantId::from("attacker"))
            .unwrap()
            .is_none()
    );
}

/// Re-signs nothing: swaps the header's `kid`, which must be refused before any key is fetched.
fn forge_kid(token: &str, kid: &str) -> String {
    let (_header, rest) = token.split_once('.').unwrap();
    let header = URL_SAFE_NO_PAD.encode(format!(r#"{{"typ":"JWT","alg":"RS256","kid":"{kid}"}}"#));
    format!("{header}.{rest}")
}

async fn sent(request: reqwest::RequestBuilder) -> reqwest::Response {
    request.send().await.unwrap()
}
