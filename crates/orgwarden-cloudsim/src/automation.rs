//! Atlassian Automation's incoming webhooks: `POST /automation/webhooks/{…}` checks the
//! `X-Automation-Webhook-Token` against the token configured for that path (any request is
//! accepted for a path without one) and records what it got. Tests and the demo configure paths
//! with `POST /__sim/automation/webhooks` `{path, token?, status?, delayMs?}` (the answer's status,
//! default 200, and a delay before it) and read `GET /__sim/automation/deliveries`.

use std::collections::HashMap;
use std::time::Duration;

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::state::Sim;

/// Most requests kept (the oldest are dropped).
const KEEP: usize = 10_000;

/// How one incoming webhook path answers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HookConfig {
    /// The path after `/automation/webhooks/`.
    pub path: String,
    /// The token the request must carry (absent: any request is accepted).
    #[serde(default)]
    pub token: Option<String>,
    /// The answer's status (default 200).
    #[serde(default)]
    pub status: Option<u16>,
    /// Milliseconds to wait before answering.
    #[serde(default)]
    pub delay_ms: Option<u64>,
}

/// A request the receiver got.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Received {
    /// The path after `/automation/webhooks/`.
    pub path: String,
    /// When it arrived (RFC 3339).
    pub received_at: String,
    /// The token was right (or none was configured).
    pub accepted: bool,
    /// The status answered.
    pub status: u16,
    /// Headers, lower-case names.
    pub headers: HashMap<String, String>,
    /// The body as received.
    pub body: String,
}

/// The receiver's state.
#[derive(Debug, Default)]
pub struct Receiver {
    hooks: Mutex<HashMap<String, HookConfig>>,
    received: Mutex<Vec<Received>>,
}

/// Registers the receiver and its control routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/automation/webhooks/{path:.*}", web::post().to(receive))
        .route("/__sim/automation/webhooks", web::post().to(set_hook))
        .route("/__sim/automation/deliveries", web::get().to(deliveries));
}

async fn set_hook(sim: web::Data<Sim>, hook: web::Json<HookConfig>) -> HttpResponse {
    let hook = hook.into_inner();
    let path = hook.path.trim_matches('/').to_owned();
    sim.automation.hooks.lock().insert(path.clone(), hook);
    HttpResponse::Created().json(json!({ "path": path }))
}

#[derive(Deserialize)]
struct DeliveriesQuery {
    path: Option<String>,
}

async fn deliveries(sim: web::Data<Sim>, query: web::Query<DeliveriesQuery>) -> HttpResponse {
    let items: Vec<Received> = sim
        .automation
        .received
        .lock()
        .iter()
        .filter(|r| {
            query
                .path
                .as_deref()
                .is_none_or(|p| p.trim_matches('/') == r.path)
        })
        .cloned()
        .collect();
    HttpResponse::Ok().json(json!({ "items": items }))
}

async fn receive(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let path = path.into_inner().trim_matches('/').to_owned();
    let hook = sim
        .automation
        .hooks
        .lock()
        .get(&path)
        .cloned()
        .unwrap_or_default();
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
    {
        let mut received = sim.automation.received.lock();
        if received.len() >= KEEP {
            received.remove(0);
        }
        received.push(Received {
            path,
            received_at: Utc::now().to_rfc3339(),
            accepted,
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
    }
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
