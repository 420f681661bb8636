//! How handlers answer, whatever API they serve (Admin, Jira REST, Connect, control): an error
//! response travels as the `Err` of an [`Answer`], and links are built on the base URL the client
//! addressed.

use actix_web::{HttpRequest, HttpResponse};

/// An error answer, boxed to keep `Result`s small.
pub(crate) struct Fail(Box<HttpResponse>);

impl From<HttpResponse> for Fail {
    fn from(response: HttpResponse) -> Self {
        Fail(Box::new(response))
    }
}

impl From<Fail> for HttpResponse {
    fn from(fail: Fail) -> Self {
        *fail.0
    }
}

/// A handler's answer: `Err` carries the error response.
pub(crate) type Answer = Result<HttpResponse, Fail>;

/// Flattens an [`Answer`].
pub(crate) fn done(answer: Answer) -> HttpResponse {
    answer.unwrap_or_else(HttpResponse::from)
}

/// `scheme://host` as the client addressed us.
pub(crate) fn base_url(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}
