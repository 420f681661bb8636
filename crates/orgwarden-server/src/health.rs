//! Liveness, readiness and metrics. With `ORGWARDEN_METRICS_BIND`, `/metrics` answers on that
//! private listener only, and the private listener answers nothing else.

use std::net::SocketAddr;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::error_code::ErrorCode;
use crate::state::AppState;

/// Health answer.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`.
    pub status: &'static str,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, body = Health)))]
pub async fn healthz() -> web::Json<Health> {
    web::Json(Health { status: "ok" })
}

/// Readiness: the database answers and every migration is applied.
#[utoipa::path(get, path = "/readyz", tag = "ops", responses((status = 200, body = Health), (status = 503, body = crate::error::ErrorEnvelope)))]
pub async fn readyz(state: web::Data<AppState>) -> Result<web::Json<Health>, ApiError> {
    let db = state.db.clone();
    let ready = web::block(move || db.is_ready()).await?.unwrap_or(false);
    if ready {
        Ok(web::Json(Health { status: "ok" }))
    } else {
        Err(ApiError::new(
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::NotReady,
            "The database is unreachable or migrations are pending (run `orgwarden migrate`).",
        ))
    }
}

/// Prometheus text format (the families are listed in the README). With a private metrics
/// listener, only on it: the route's own check, after routing, also refuses a path that only
/// decodes to `/metrics` (`/%6Detrics`), which [`private_metrics`] sees undecoded.
pub async fn metrics(
    req: HttpRequest,
    state: web::Data<AppState>,
    private: Option<web::Data<PrivateMetrics>>,
) -> HttpResponse {
    if let Some(private) = private.and_then(|p| p.0) {
        if req.app_config().local_addr() != private {
            return ApiError::not_found("No such endpoint. See /api/docs for the API.")
                .error_response();
        }
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(
            state
                .metrics
                .scrape(&state.db, &state.jobs, state.config.clock.now().naive_utc())
                .await,
        )
}

/// The local address of the private metrics listener, when there is one.
#[derive(Debug, Clone, Copy)]
pub struct PrivateMetrics(pub Option<SocketAddr>);

/// Middleware: with a private metrics listener, `/metrics` is a 404 on the main listener and
/// everything else is a 404 on the private one.
pub async fn private_metrics(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let private = req
        .app_data::<web::Data<PrivateMetrics>>()
        .and_then(|p| p.0);
    if let Some(private) = private {
        let on_private = req.app_config().local_addr() == private;
        if on_private != (req.path() == "/metrics") {
            let refused = ApiError::not_found("No such endpoint. See /api/docs for the API.")
                .error_response();
            return Ok(req.into_response(refused).map_into_right_body());
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}
