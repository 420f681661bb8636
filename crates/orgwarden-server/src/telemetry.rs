//! Logs and metrics. Request logs carry method, path, status and latency — never headers, and
//! never the `jwt` query parameter, so no token, secret or API key reaches a log.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::ResponseError;
use tracing_subscriber::EnvFilter;

use crate::error::ApiError;
use crate::error_code::ErrorCode;

/// Largest total size of request headers accepted (bigger → 431 with the error envelope).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
const REDACTED_PARAMS: [&str; 4] = ["jwt", "key", "token", "apiKey"];

/// Starts the tracing subscriber (`text` or `json` lines on stderr).
pub fn init_logging(filter: &str, format: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second initialisation (tests) is harmless; the first subscriber stays.
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Middleware: refuses oversized headers, then records metrics and one log line per request.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let header_bytes: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        return Err(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ErrorCode::HeadersTooLarge,
            format!("Request headers exceed {MAX_HEADER_BYTES} bytes."),
        )
        .into());
    }
    let started = Instant::now();
    let response = envelope_bare_errors(next.call(req).await?);
    let status = response.status();
    let elapsed = started.elapsed();
    let request = response.request();
    let method = request.method().as_str();
    if let Some(state) = request.app_data::<actix_web::web::Data<crate::state::AppState>>() {
        let metrics = &state.metrics;
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        metrics
            .requests
            .with_label_values(&[method, &route, status.as_str()])
            .inc();
        metrics
            .latency
            .with_label_values(&[&route])
            .observe(elapsed.as_secs_f64());
    }
    if tracing::enabled!(target: "orgwarden::http", tracing::Level::INFO) {
        let path = redacted_path(request.uri().path(), request.uri().query());
        let status = status.as_u16();
        tracing::info!(target: "orgwarden::http", %method, %path, status, micros = elapsed.as_micros() as u64, "request");
    }
    Ok(response)
}

/// Errors actix produced itself (e.g. an oversized body) come without our envelope: wrap them.
fn envelope_bare_errors(
    response: ServiceResponse<impl MessageBody + 'static>,
) -> ServiceResponse<BoxBody> {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !status.is_client_error() && !status.is_server_error() || is_json {
        return response.map_into_boxed_body();
    }
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => {
            (ErrorCode::PayloadTooLarge, "The request body is too large.")
        }
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, "No such resource."),
        StatusCode::METHOD_NOT_ALLOWED => (
            ErrorCode::MethodNotAllowed,
            "This endpoint does not accept that HTTP method.",
        ),
        s if s.is_server_error() => (
            ErrorCode::InternalError,
            "Something went wrong on our side; please try again.",
        ),
        _ => (ErrorCode::BadRequest, "The request could not be processed."),
    };
    let (request, _) = response.into_parts();
    let body = ApiError::new(status, code, message).error_response();
    ServiceResponse::new(request, body)
}

/// The path and query of a request with secret-bearing parameters replaced.
pub fn redacted_path(path: &str, query: Option<&str>) -> String {
    let Some(query) = query.filter(|q| !q.is_empty()) else {
        return path.to_owned();
    };
    let redacted: Vec<String> = query
        .split('&')
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            if REDACTED_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name)) {
                format!("{name}=[redacted]")
            } else {
                pair.to_owned()
            }
        })
        .collect();
    format!("{path}?{}", redacted.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_parameter_is_redacted() {
        assert_eq!(
            redacted_path("/admin", Some("lic=active&jwt=eyJ.abc.def&cv=1")),
            "/admin?lic=active&jwt=[redacted]&cv=1"
        );
        assert_eq!(redacted_path("/x", Some("JWT=a")), "/x?JWT=[redacted]");
        assert_eq!(redacted_path("/x", None), "/x");
    }
}
