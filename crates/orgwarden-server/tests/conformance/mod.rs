//! Schema conformance: every JSON answer the integration tests receive through the stack helpers
//! is checked against the response schema the OpenAPI document declares for its route and status
//! — a response that its own document forbids fails the test that received it.
#![allow(dead_code)]

use std::sync::OnceLock;

use orgwarden_server::ROUTES;
use serde_json::Value;

fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::from_str(&orgwarden_server::document_json()).unwrap())
}

/// The OpenAPI path template of a concrete `/api/v1` path, from the route table.
fn template(method: &str, path: &str) -> Option<String> {
    let path = path.split('?').next()?.strip_prefix("/api/v1")?;
    let wanted: Vec<&str> = path.split('/').collect();
    ROUTES
        .iter()
        .filter(|r| r.method == method)
        .filter(|r| {
            let pattern: Vec<&str> = r.path.split('/').collect();
            pattern.len() == wanted.len()
                && pattern
                    .iter()
                    .zip(&wanted)
                    .all(|(p, w)| p == w || p.starts_with('{'))
        })
        .min_by_key(|r| r.path.matches('{').count())
        .map(|r| format!("/api/v1{}", r.path))
}

/// A JSON pointer token inside a URI fragment.
fn escape(segment: &str) -> String {
    segment
        .replace('~', "~0")
        .replace('/', "~1")
        .replace('{', "%7B")
        .replace('}', "%7D")
}

/// Panics unless `body` (JSON) conforms to the schema of `method path` answering `status`.
/// Routes outside the table and undocumented statuses are reported too.
pub fn check(method: &str, path: &str, status: u16, body: &Value) {
    let Some(template) = template(method, path) else {
        return;
    };
    let doc = document();
    let operation = &doc["paths"][&template][method.to_lowercase()];
    assert!(
        operation.is_object(),
        "{method} {template} is served but not documented"
    );
    let response = &operation["responses"][status.to_string()];
    let (pointer, schema) = if response.is_object() {
        (
            format!(
                "#/paths/{}/{}/responses/{status}/content/application~1json/schema",
                escape(&template),
                method.to_lowercase()
            ),
            &response["content"]["application/json"]["schema"],
        )
    } else if status >= 400 {
        // Every error answers the one envelope, documented or not for this route.
        (
            "#/components/schemas/ErrorEnvelope".to_owned(),
            &doc["components"]["schemas"]["ErrorEnvelope"],
        )
    } else {
        panic!(
            "{method} {template} answered {status}, which its documentation does not list: {body}"
        );
    };
    if schema.is_null() {
        return;
    }
    // The whole document is the schema's root, so `#/components/schemas/…` resolve; its other
    // members are unknown keywords and ignored.
    let mut root = doc.clone();
    root["$ref"] = Value::String(pointer.clone());
    let validator = jsonschema::validator_for(&root).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} ({status}) does not conform to {pointer}: {errors:?}\nbody: {body}"
    );
}

/// Checks a response and gives back an equivalent one for the caller to read.
pub async fn checked(method: &str, path: &str, response: reqwest::Response) -> reqwest::Response {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap();
    let is_json = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json && !bytes.is_empty() {
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        check(method, path, status.as_u16(), &body);
    }
    let mut rebuilt = http::Response::builder().status(status);
    for (name, value) in &headers {
        rebuilt = rebuilt.header(name, value);
    }
    reqwest::Response::from(rebuilt.body(bytes).unwrap())
}

#[test]
#[should_panic(expected = "does not conform")]
fn a_body_its_document_forbids_fails() {
    check(
        "GET",
        "/api/v1/me",
        200,
        &serde_json::json!({"role": "root"}),
    );
}

#[test]
fn envelopes_and_documented_bodies_pass() {
    let envelope = serde_json::json!({"error": {"code": "access_denied", "message": "no"}});
    check("PUT", "/api/v1/settings/access", 403, &envelope);
    check(
        "GET",
        "/api/v1/tokens/",
        200,
        &serde_json::json!({"anything": "outside the table is not checked"}),
    );
}
