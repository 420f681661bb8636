//! `/api/v1/webhooks/{id}/test` and `…/deliveries`: send a test, read the delivery log (with
//! the payload and every attempt's answer), and redeliver. Reads need the `Read` policy;
//! sending a test or redelivering needs `Write` (it only repeats what an org admin set up).

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDateTime};
use orgwarden_store::webhooks::{self, outbox};
use serde::Deserialize;
use utoipa::IntoParams;

use super::webhook_types::{
    AttemptView, DeliveryDetail, DeliveryList, DeliveryQueued, DeliveryView,
};
use super::webhooks::missing;
use crate::access::{WholeReader, WholeWriter};
use crate::error::{ApiError, ErrorEnvelope};
use crate::error_code::ErrorCode;
use crate::state::AppState;

/// Paging of the delivery log.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    /// How many deliveries (1–200, default 50).
    pub limit: Option<i64>,
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
}

/// A page's cursor: after the delivery created at `at` (nanoseconds since the epoch) with `id`.
fn cursor_of(d: &outbox::Delivery) -> Option<String> {
    let at = d.created_at.and_utc().timestamp_nanos_opt()?;
    Some(format!("{at}.{}", d.id))
}

/// The position a cursor names; a clear 400 for anything else.
fn position_of(cursor: &str) -> Result<(NaiveDateTime, String), ApiError> {
    let invalid = || ApiError::field("cursor", "cursor: not a cursor of this list");
    let (at, id) = cursor.split_once('.').ok_or_else(invalid)?;
    let at = at.parse::<i64>().map_err(|_| invalid())?;
    if id.is_empty() {
        return Err(invalid());
    }
    Ok((
        DateTime::from_timestamp_nanos(at).naive_utc(),
        id.to_owned(),
    ))
}

fn no_delivery(id: &str) -> ApiError {
    ApiError::not_found(format!("No delivery {id} for this webhook."))
}

/// Queues a `test` delivery to the webhook (also when it is switched off).
#[utoipa::path(operation_id = "webhooks_test", post, path = "/api/v1/webhooks/{id}/test", tag = "webhooks",
    security(("connect_jwt" = []), ("api_token" = [])),
    params(("id" = i64, Path, description = "Webhook id")),
    responses((status = 202, body = DeliveryQueued), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)))]
pub async fn test(
    caller: WholeWriter,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (tenant, id) = (caller.tenant.client_key.clone(), id.into_inner());
    let now = state.config.clock.now().naive_utc();
    let delivery_id = crate::db::try_run(&state.db, move |conn| {
        let w = webhooks::find(conn, &tenant, id)?.ok_or_else(|| missing(id))?;
        Ok(webhooks::enqueue_test(conn, &w, now)?)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(DeliveryQueued { delivery_id }))
}

/// The webhook's deliveries, newest first, a page at a time.
#[utoipa::path(operation_id = "webhooks_deliveries", get, path = "/api/v1/webhooks/{id}/deliveries",
    tag = "webhooks", security(("connect_jwt" = []), ("api_token" = [])),
    params(("id" = i64, Path, description = "Webhook id"), DeliveryQuery),
    responses((status = 200, body = DeliveryList), (status = 400, body = ErrorEnvelope),
        (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list(
    caller: WholeReader,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    query: web::Query<DeliveryQuery>,
) -> Result<web::Json<DeliveryList>, ApiError> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ApiError::field("limit", "limit: use 1 to 200"));
    }
    let after = query
        .cursor
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(position_of)
        .transpose()?;
    let (tenant, id) = (caller.tenant.client_key.clone(), id.into_inner());
    let mut items = crate::db::try_run(&state.db, move |conn| {
        webhooks::find(conn, &tenant, id)?.ok_or_else(|| missing(id))?;
        let after = after.as_ref().map(|(at, id)| (*at, id.as_str()));
        Ok(outbox::page(conn, &tenant, id, after, limit + 1)?)
    })
    .await?;
    let more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or_default());
    Ok(web::Json(DeliveryList {
        items: items.iter().map(DeliveryView::from).collect(),
        next_cursor: if more {
            items.last().and_then(cursor_of)
        } else {
            None
        },
    }))
}

/// One delivery: its payload and every attempt (status, duration, the first KiB of the
/// answer, the error, the next attempt).
#[utoipa::path(operation_id = "webhooks_delivery", get,
    path = "/api/v1/webhooks/{id}/deliveries/{deliveryId}", tag = "webhooks",
    security(("connect_jwt" = []), ("api_token" = [])),
    params(("id" = i64, Path, description = "Webhook id"),
        ("deliveryId" = String, Path, description = "Delivery id")),
    responses((status = 200, body = DeliveryDetail), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope)))]
pub async fn detail(
    caller: WholeReader,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<web::Json<DeliveryDetail>, ApiError> {
    let tenant = caller.tenant.client_key.clone();
    let (id, delivery_id) = path.into_inner();
    let detail = crate::db::try_run(&state.db, move |conn| {
        let d = outbox::find(conn, &tenant, id, &delivery_id)?
            .ok_or_else(|| no_delivery(&delivery_id))?;
        let attempts = outbox::attempts(conn, &tenant, &d.id)?;
        Ok(DeliveryDetail {
            delivery: DeliveryView::from(&d),
            created_at: d.created_at.and_utc(),
            payload: serde_json::from_str(&d.payload).unwrap_or(serde_json::Value::Null),
            attempts: attempts.iter().map(AttemptView::from).collect(),
        })
    })
    .await?;
    Ok(web::Json(detail))
}

/// Sends a delivery again now (same `webhook-id`, so receivers that already have it can tell),
/// with a fresh day of retries; not while the webhook is switched off (409 `webhook_inactive`:
/// nothing but a test is sent to it then).
#[utoipa::path(operation_id = "webhooks_redeliver", post,
    path = "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", tag = "webhooks",
    security(("connect_jwt" = []), ("api_token" = [])),
    params(("id" = i64, Path, description = "Webhook id"),
        ("deliveryId" = String, Path, description = "Delivery id")),
    responses((status = 202, body = DeliveryQueued), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn redeliver(
    caller: WholeWriter,
    state: web::Data<AppState>,
    path: web::Path<(i64, String)>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.tenant.client_key.clone();
    let (id, delivery_id) = path.into_inner();
    let now = state.config.clock.now().naive_utc();
    let queued = delivery_id.clone();
    crate::db::try_run(&state.db, move |conn| {
        orgwarden_store::transaction(conn, |conn| {
            // The webhook's row lock orders this after a change that switches it off.
            let w = webhooks::find_for_update(conn, &tenant, id)?.ok_or_else(|| missing(id))?;
            if !w.active {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    ErrorCode::WebhookInactive,
                    format!(
                        "\u{201c}{}\u{201d} is switched off, so nothing but a test is sent to it: switch it on to redeliver.",
                        w.name
                    ),
                ));
            }
            if outbox::redeliver(conn, &tenant, id, &delivery_id, now)? {
                Ok(())
            } else {
                Err(no_delivery(&delivery_id))
            }
        })
    })
    .await?;
    Ok(HttpResponse::Accepted().json(DeliveryQueued {
        delivery_id: queued,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_names_the_position_it_was_made_from() {
        let (at, id) = position_of("1764806400123456789.msg_AbC-d_9").unwrap();
        assert_eq!(
            at.and_utc().timestamp_nanos_opt(),
            Some(1_764_806_400_123_456_789)
        );
        assert_eq!(id, "msg_AbC-d_9");
        for bad in ["", "msg_x", "12.", "x.msg_1", ".msg_1"] {
            assert!(position_of(bad).is_err(), "{bad}");
        }
    }
}
