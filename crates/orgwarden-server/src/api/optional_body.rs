//! A JSON body the caller may leave out. actix's `Option<Json<T>>` turns every extraction error
//! into `None`, so a body that was sent but could not be read would silently mean the defaults
//! (for a task's run: a real run instead of the dry run asked for). Here only an empty body means
//! the defaults; anything else is read as JSON or refused with the error envelope.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::http::StatusCode;
use actix_web::{mime, web, HttpRequest};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::error_code::ErrorCode;

/// `T::default()` for an empty body, else the body read as JSON (which must be sent as
/// `application/json`): 415 `unsupported_media_type` or 400 `invalid_json` otherwise.
pub fn json_or_default<T: DeserializeOwned + Default>(
    req: &HttpRequest,
    body: &web::Bytes,
) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let is_json = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
    if !is_json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "Send the body as JSON with Content-Type: application/json, or send no body.",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::InvalidJson,
            format!("The JSON body is invalid: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;
    use actix_web::ResponseError;
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Default, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Run {
        #[serde(default)]
        dry_run: bool,
    }

    fn read(content_type: Option<&str>, body: &'static str) -> Result<Run, StatusCode> {
        let mut req = TestRequest::default();
        if let Some(ct) = content_type {
            req = req.insert_header((CONTENT_TYPE, ct));
        }
        json_or_default(
            &req.to_http_request(),
            &web::Bytes::from_static(body.as_bytes()),
        )
        .map_err(|e| e.status_code())
    }

    #[test]
    fn only_an_empty_body_means_the_defaults() {
        assert_eq!(read(None, ""), Ok(Run::default()));
        assert_eq!(read(Some("application/json"), " \n"), Ok(Run::default()));
        assert_eq!(
            read(
                Some("application/json; charset=utf-8"),
                r#"{"dryRun":true}"#
            ),
            Ok(Run { dry_run: true })
        );
    }

    #[test]
    fn a_body_that_cannot_be_read_is_refused_not_defaulted() {
        let form = Some("application/x-www-form-urlencoded");
        assert_eq!(
            read(form, r#"{"dryRun":true}"#),
            Err(StatusCode::UNSUPPORTED_MEDIA_TYPE)
        );
        let json = Some("application/json");
        assert_eq!(
            read(json, r#"{"dry_run":true}"#),
            Err(StatusCode::BAD_REQUEST)
        );
        assert_eq!(
            read(json, r#"{"dryRun":"true"}"#),
            Err(StatusCode::BAD_REQUEST)
        );
        assert_eq!(read(json, "{"), Err(StatusCode::BAD_REQUEST));
    }
}
