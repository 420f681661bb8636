//! The HTTP surface outside the API: descriptor, health, metrics, docs, and the error envelope
//! for everything actix refuses before a handler runs.

use crate::common::*;
use serde_json::Value;

#[actix_web::test]
async fn descriptor_health_metrics_and_docs() {
    let app = TestApp::start(orgwarden_store::Backend::Sqlite).await;
    let descriptor: Value = app
        .http
        .get(format!("{}/atlassian-connect.json", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(descriptor["baseUrl"], app.url);
    assert_eq!(descriptor["key"], APP_KEY);
    assert_eq!(descriptor["apiMigrations"]["signed-install"], true);
    assert_eq!(descriptor["apiMigrations"]["context-qsh"], true);
    assert_eq!(descriptor["lifecycle"]["installed"], "/lifecycle/installed");
    assert_eq!(descriptor["enableLicensing"], true);

    let health: Value = app
        .http
        .get(format!("{}/healthz", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    let ready = app
        .http
        .get(format!("{}/readyz", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);

    let metrics = app
        .http
        .get(format!("{}/metrics", app.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("orgwarden_http_requests_total"),
        "{metrics}"
    );
    assert!(metrics.contains("route=\"/healthz\""));

    let doc: Value = app
        .http
        .get(format!("{}/api/openapi.json", app.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["paths"]["/api/v1/me"].is_object());
    let docs = app
        .http
        .get(format!("{}/api/docs/", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"));
    // `GET /api/docs` (the contract's address) leads there.
    let bare = app
        .http
        .get(format!("{}/api/docs", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 200, "followed to the docs");
    assert!(bare.url().path().ends_with("/api/docs/"), "{}", bare.url());
}

#[actix_web::test]
async fn refusals_use_the_error_envelope() {
    let app = TestApp::start(orgwarden_store::Backend::Sqlite).await;
    let get = |path: &str| app.http.get(format!("{}{path}", app.url)).send();
    assert_eq!(
        envelope(get("/nope").await.unwrap(), 404).await,
        "not_found"
    );
    assert_eq!(
        envelope(get("/api/v1/nope").await.unwrap(), 404).await,
        "not_found"
    );
    let delete = app
        .http
        .delete(format!("{}/api/v1/me", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(envelope(delete, 405).await, "method_not_allowed");
    let wrong_method = app
        .http
        .get(format!("{}/lifecycle/installed", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(envelope(wrong_method, 405).await, "method_not_allowed");

    let big = "x".repeat(200 * 1024);
    let too_big = app
        .http
        .post(format!("{}/lifecycle/installed", app.url))
        .header("Content-Type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(envelope(too_big, 413).await, "payload_too_large");

    let huge_header = "h".repeat(40 * 1024);
    let headers = app
        .http
        .get(format!("{}/healthz", app.url))
        .header("X-Big", huge_header)
        .send()
        .await
        .unwrap();
    assert_eq!(envelope(headers, 431).await, "headers_too_large");
}

#[test]
fn committed_openapi_document_is_current() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../openapi/openapi.json"
    ))
    .expect("openapi/openapi.json exists (make openapi)");
    assert!(
        committed == orgwarden_server::document_json(),
        "openapi/openapi.json is stale: run `make openapi` and commit it"
    );
}

#[test]
fn error_envelope_shape() {
    use actix_web::ResponseError;
    let error = orgwarden_server::ApiError::validation("filter.inactiveDays must be at least 1")
        .with_details(serde_json::json!({"field": "filter.inactiveDays"}));
    let response = error.error_response();
    assert_eq!(response.status(), 400);
    let body = actix_web::body::to_bytes(response.into_body());
    let body: Value = serde_json::from_slice(&futures::executor::block_on(body).unwrap()).unwrap();
    insta::assert_json_snapshot!(body, @r###"
    {
      "error": {
        "code": "validation_failed",
        "details": {
          "field": "filter.inactiveDays"
        },
        "message": "filter.inactiveDays must be at least 1"
      }
    }
    "###);
}
