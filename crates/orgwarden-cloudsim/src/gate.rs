//! The gate every request passes: stats, then for API calls (`/admin/...` and Jira REST) latency,
//! Bearer-key authentication (Admin API), the per-key token bucket and injected faults.
//!
//! A "reset" fault answers with a body stream that fails before anything is written, which makes
//! actix drop the connection without sending a status line.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpResponse};
use chrono::SecondsFormat;

use crate::admin::errors::{app_error, key_expired, proxy_error, unauthorized};
use crate::caller::{token_id, Actor, ForeignOrg};
use crate::limits::{FaultKind, RateDecision};
use crate::state::Sim;

#[derive(PartialEq, Clone, Copy)]
enum Area {
    Admin,
    Jira,
    Control,
    Other,
}

fn area(path: &str) -> Area {
    if path.starts_with("/admin/") {
        Area::Admin
    } else if path.starts_with("/jira/") && path.contains("/rest/") {
        Area::Jira
    } else if path.starts_with("/__sim/") {
        Area::Control
    } else {
        Area::Other
    }
}

/// The middleware (use with `actix_web::middleware::from_fn`).
pub async fn gate(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some(sim) = req.app_data::<web::Data<Sim>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let area = area(req.path());
    let endpoint = format!(
        "{} {}",
        req.method(),
        req.match_pattern()
            .unwrap_or_else(|| req.path().to_string())
    );
    if area == Area::Control {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let early = if matches!(area, Area::Admin | Area::Jira) {
        admit(&sim, &req, area, &endpoint).await
    } else {
        Ok(None)
    };
    let res = match early {
        Err(response) => req.into_response(response),
        Ok(decision) => {
            let mut res = next.call(req).await?.map_into_boxed_body();
            if let Some(RateDecision::Allowed {
                limit,
                remaining,
                reset,
            }) = decision
            {
                let h = res.headers_mut();
                set(h, "x-ratelimit-limit", limit.to_string());
                set(h, "x-ratelimit-remaining", remaining.to_string());
                set(
                    h,
                    "x-ratelimit-reset",
                    reset.to_rfc3339_opts(SecondsFormat::Secs, true),
                );
            }
            res
        }
    };
    sim.stats.request(endpoint, res.status().as_u16());
    Ok(res)
}

fn set(h: &mut actix_web::http::header::HeaderMap, name: &'static str, value: String) {
    if let Ok(v) = HeaderValue::from_str(&value) {
        h.insert(HeaderName::from_static(name), v);
    }
}

/// Latency, authentication, rate limit and faults; `Err` is the answer to send instead.
async fn admit(
    sim: &Sim,
    req: &ServiceRequest,
    area: Area,
    endpoint: &str,
) -> Result<Option<RateDecision>, HttpResponse> {
    let latency = sim.limits.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let mut decision = None;
    if area == Area::Admin {
        let key = bearer(req).ok_or_else(|| {
            sim.stats.unauthorized();
            unauthorized()
        })?;
        let today = chrono::Utc::now().date_naive();
        match sim.api_key(&key) {
            Some(k) if k.valid_on(today) => {
                if let Some(name) = k.foreign_org {
                    // It sees its organization and that organization's workspaces (none).
                    let workspaces =
                        format!("/admin/v2/orgs/foreign-{}/workspaces", token_id(&name));
                    if req.path() != "/admin/v1/orgs" && req.path() != workspaces {
                        return Err(crate::admin::errors::app_error(
                            StatusCode::NOT_FOUND,
                            "ADMIN-404-1",
                            "Not Found",
                            "The organization is not visible to this key",
                        ));
                    }
                    req.extensions_mut().insert(ForeignOrg(name));
                }
            }
            Some(_) => {
                sim.stats.unauthorized();
                return Err(key_expired());
            }
            None => {
                sim.stats.unauthorized();
                return Err(unauthorized());
            }
        }
        req.extensions_mut().insert(Actor(token_id(&key)));
        match sim.limits.admit(&key) {
            RateDecision::Limited {
                limit,
                reset,
                retry_after,
            } => {
                let mut res = if is_v1_role_endpoint(req.path()) {
                    proxy_error(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests")
                } else {
                    app_error(
                        StatusCode::TOO_MANY_REQUESTS,
                        "ADMIN-429-1",
                        "Rate limit exceeded",
                        "Too many requests; retry later",
                    )
                };
                let h = res.headers_mut();
                set(h, "x-ratelimit-limit", limit.to_string());
                set(h, "x-ratelimit-remaining", "0".into());
                set(
                    h,
                    "x-ratelimit-reset",
                    reset.to_rfc3339_opts(SecondsFormat::Secs, true),
                );
                set(h, "retry-after", retry_after.to_string());
                return Err(res);
            }
            d => decision = Some(d),
        }
    }
    if let Some(fault) = sim.limits.pick_fault() {
        sim.stats.fault(fault.as_str(), endpoint.to_string());
        return Err(fault_response(fault));
    }
    Ok(decision)
}

fn bearer(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

fn is_v1_role_endpoint(path: &str) -> bool {
    path.starts_with("/admin/v1/")
        && (path.contains("/roles/") || path.contains("/role-assignments/"))
}

fn fault_response(fault: FaultKind) -> HttpResponse {
    match fault {
        FaultKind::E500 => app_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "ADMIN-500-1",
            "Internal error",
            "Injected fault",
        ),
        FaultKind::E502 => proxy_error(StatusCode::BAD_GATEWAY, "Bad Gateway"),
        FaultKind::E503 => proxy_error(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable"),
        FaultKind::Reset => {
            let failing = futures::stream::once(async {
                Err::<web::Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "injected reset",
                ))
            });
            HttpResponse::Ok().streaming(failing)
        }
    }
}
