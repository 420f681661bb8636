//! The one error type of the HTTP surface: `{"error": {"code", "message", "details"}}` with the
//! right status, for handlers and for what actix refuses before a handler runs.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub use crate::error_code::ErrorCode;

/// The error envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    /// The error.
    pub error: ErrorBody,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable snake_case code for programs.
    pub code: ErrorCode,
    /// What happened and what to do, for people.
    pub message: String,
    /// Extra structured facts (e.g. the invalid field).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

/// An error answered to the client.
#[derive(Debug, thiserror::Error)]
#[error("{}: {message}", code.as_str())]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    details: Option<serde_json::Value>,
}

impl ApiError {
    /// An error with a status, a code and a message.
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: None,
        }
    }

    /// Adds structured details.
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// 400 with a field-naming validation message.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::ValidationFailed,
            message,
        )
    }

    /// 400 `validation_failed` naming the field at fault in `details.field`.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(message).with_details(serde_json::json!({ "field": field }))
    }

    /// [`field`](Self::field) with the message prefixed by the field's name: `"{field}: {message}"`.
    pub fn invalid(field: &str, message: &str) -> Self {
        Self::field(field, format!("{field}: {message}"))
    }

    /// 401: the caller is not authenticated.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message)
    }

    /// 403: authenticated but not allowed.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    /// 404 for a missing resource.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    /// 500: the cause is logged here, the client learns nothing of it.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::InternalError,
            "Something went wrong on our side; it has been logged. Please try again.",
        )
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The message for people.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if self.code == ErrorCode::DatabaseUnavailable {
            response.insert_header((header::RETRY_AFTER, DATABASE_RETRY_AFTER_SECS));
        }
        let mut response = response.json(ErrorEnvelope {
            error: ErrorBody {
                code: self.code,
                message: self.message.clone(),
                details: self.details.clone(),
            },
        });
        if self.code == ErrorCode::AccessDenied {
            response
                .extensions_mut()
                .insert(AccessRefusal(self.message.clone()));
        }
        response
    }
}

/// Marks a response that refused its caller with `access_denied` (the reason given), so that
/// the access gate records the refusal whichever handler made it.
#[derive(Debug, Clone)]
pub struct AccessRefusal(pub String);

/// An invalid filter: 400 `validation_failed` naming the field.
impl From<orgwarden_store::users::FilterError> for ApiError {
    fn from(err: orgwarden_store::users::FilterError) -> Self {
        Self::field(&err.field, err.to_string())
    }
}

/// How long a client waits before trying again after [`ErrorCode::DatabaseUnavailable`].
const DATABASE_RETRY_AFTER_SECS: u32 = 5;

/// A database that is busy or unreachable answers 503 `database_unavailable` (the work may succeed
/// a moment later); anything else is a 500, logged.
impl From<orgwarden_store::StoreError> for ApiError {
    fn from(err: orgwarden_store::StoreError) -> Self {
        if !(err.is_busy() || err.is_unreachable()) {
            return Self::internal(err);
        }
        tracing::warn!(error = %err, "database busy or unreachable");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::DatabaseUnavailable,
            format!(
                "The database is busy or unreachable. Try again in {DATABASE_RETRY_AFTER_SECS} seconds."
            ),
        )
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        Self::internal(err)
    }
}

/// Bad JSON bodies: what was wrong, never a stack trace.
pub fn json_error(err: actix_web::error::JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::OverflowKnownLength { .. } | E::Overflow { .. } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            "The request body is too large.",
        ),
        E::ContentType => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "Send the body as JSON with Content-Type: application/json.",
        ),
        E::Deserialize(e) => ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidJson,
            format!("The JSON body is invalid: {e}"),
        ),
        other => ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidBody,
            format!("The body could not be read: {other}"),
        ),
    }
    .into()
}

/// Bad query strings.
pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    _req: &HttpRequest,
) -> actix_web::Error {
    ApiError::validation(format!("Invalid query parameters: {err}")).into()
}

/// Bad path segments.
pub fn path_error(err: actix_web::error::PathError, _req: &HttpRequest) -> actix_web::Error {
    ApiError::validation(format!("Invalid path: {err}")).into()
}

/// Unknown routes.
pub async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        "No such endpoint. See /api/docs for the API.",
    ))
}

/// Known routes called with the wrong method.
pub async fn method_not_allowed() -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::MethodNotAllowed,
        "This endpoint does not accept that HTTP method.",
    ))
}
