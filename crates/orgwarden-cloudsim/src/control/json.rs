//! JSON in and out of the control surface: a body parsed leniently (empty or `null` = the
//! defaults) and the `{"error": {code, message}}` answers.

use actix_web::HttpResponse;
use serde_json::json;

use crate::answer::Fail;

/// 400 with `bad_request` and the message.
pub(super) fn bad(msg: impl Into<String>) -> HttpResponse {
    HttpResponse::BadRequest()
        .json(json!({"error": {"code": "bad_request", "message": msg.into()}}))
}

/// 404 with `not_found` and the message.
pub(super) fn not_found(msg: impl Into<String>) -> HttpResponse {
    HttpResponse::NotFound().json(json!({"error": {"code": "not_found", "message": msg.into()}}))
}

/// Parses a JSON body (empty = default) or answers 400.
pub(crate) fn body<T: serde::de::DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, Fail> {
    if bytes.iter().all(u8::is_ascii_whitespace) || bytes.trim_ascii() == b"null" {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| bad(format!("invalid JSON body: {e}")).into())
}
