//! Atlassian Automation's incoming webhooks: `POST /automation/webhooks/{…}` checks the
//! `X-Automation-Webhook-Token` against the token configured for that path (any request is
//! accepted for a path without one) and records what it got. Tests and the demo configure paths
//! with `POST /__sim/automation/webhooks` `{path, token?, status?, delayMs?}` (the answer's status,
//! default 200, and a delay before it) and read `GET /__sim/automation/deliveries`.

use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;

use crate::state::Sim;

pub(crate) mod receiver;

use receiver::{HookConfig, Received};

/// Registers the receiver and its control routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/automation/webhooks/{path:.*}", web::post().to(receive))
        .route("/__sim/automation/webhooks", web::post().to(set_hook))
        .route("/__sim/automation/deliveries", web::get().to(deliveries));
}

async fn set_hook(sim: web::Data<Sim>, hook: web::Json<HookConfig>) -> HttpResponse {
    let hook = hook.into_inner();
    let path = hook.path.trim_matches('/').to_owned();
    sim.automation.set_hook(path.clone(), hook);
    HttpResponse::Created().json(json!({ "path": path }))
}

#[derive(Deserialize)]
struct DeliveriesQuery {
    path: Option<String>,
}

async fn deliveries(sim: web::Data<Sim>, query: web::Query<DeliveriesQuery>) -> HttpResponse {
    let items = sim.automation.deliveries(query.path.as_deref());
    HttpResponse::Ok().json(json!({ "items": items }))
}

async fn receive(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let path = path.into_inner().trim_matches('/').to_owned();
    let hook = sim.automation.hook(&path);
    let token = req
        .headers()
        .get("x-automation-webhook-token")
        .and_then(|v| v.to_str().ok());
    let accepted = hook.token.as_deref().is_none_or(|t| Some(t) == token);
    let status = if accepted {
        hook.status.unwrap_or(200)
    } else {
        401
    };
    let headers = req
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    // Recorded on arrival, so a test sees a request its sender gave up on.
    sim.automation.record(Received {
        path,
        received_at: Utc::now().to_rfc3339(),
        accepted,
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    if let Some(ms) = hook.delay_ms {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let code = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR);
    if accepted {
        HttpResponse::build(code).json(json!({ "ok": status < 300 }))
    } else {
        HttpResponse::Unauthorized()
            .json(json!({ "message": "The webhook token is missing or wrong." }))
    }
}
