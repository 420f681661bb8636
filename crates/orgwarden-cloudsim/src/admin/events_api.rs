//! E2 `GET /admin/v1/orgs/{orgId}/events-stream`: audit events with `meta.next` cursors. In
//! ascending order (the default) `meta.next` is always present, so the last cursor polls for
//! new events; in descending order it disappears at the end.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::errors;
use super::paging::{self, clamp_limit, EVENTS_DEFAULT, EVENTS_MAX};
use super::query::QueryParams;
use super::request::check_org;
use super::user_json::iso;
use crate::answer::{base_url, done, Answer, Fail};
use crate::events::Event;
use crate::org::Org;
use crate::state::Sim;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StreamCursor {
    from: Option<i64>,
    to: Option<i64>,
    limit: usize,
    desc: bool,
    /// Sequence number of the last event served.
    after: Option<u64>,
}

/// E2 handler.
pub async fn stream(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let org = sim.org.read();
    done(page(
        &org,
        &path,
        &QueryParams::parse(req.query_string()),
        &base_url(&req),
    ))
}

fn page(org: &Org, org_id: &str, p: &QueryParams, base: &str) -> Answer {
    check_org(org, org_id)?;
    let c = match p.one("cursor") {
        Some(c) => paging::decode::<StreamCursor>(c).ok_or_else(errors::invalid_cursor)?,
        None => {
            let order = p.one("sortOrder").unwrap_or("asc");
            if order != "asc" && order != "desc" {
                return Err(errors::bad_request("sortOrder must be asc or desc").into());
            }
            let millis = |name| {
                p.int(name).map_err(|_| -> Fail {
                    errors::app_error(
                        actix_web::http::StatusCode::BAD_REQUEST,
                        "ADMIN-400-3",
                        "Invalid time date",
                        format!("{name} must be epoch milliseconds"),
                    )
                    .into()
                })
            };
            StreamCursor {
                from: millis("from")?,
                to: millis("to")?,
                limit: clamp_limit(
                    p.int("limit").map_err(errors::bad_request)?,
                    EVENTS_DEFAULT,
                    EVENTS_MAX,
                ),
                desc: order == "desc",
                after: None,
            }
        }
    };
    // Events after the cursor's position were dropped (older than the retention): the cursor
    // can no longer continue the stream without a gap.
    let oldest = org.events.first().map_or(org.next_event_seq, |e| e.seq);
    if c.after.is_some_and(|after| after + 1 < oldest) {
        return Err(errors::invalid_cursor().into());
    }
    let in_window = |e: &&Event| {
        let ms = e.time.timestamp_millis();
        c.from.is_none_or(|f| ms >= f) && c.to.is_none_or(|t| ms <= t)
    };
    let mut events: Vec<&Event> = if c.desc {
        org.events
            .iter()
            .rev()
            .filter(|e| c.after.is_none_or(|a| e.seq < a))
            .filter(in_window)
            .take(c.limit + 1)
            .collect()
    } else {
        org.events
            .iter()
            .filter(|e| c.after.is_none_or(|a| e.seq > a))
            .filter(in_window)
            .take(c.limit + 1)
            .collect()
    };
    let more = events.len() > c.limit;
    events.truncate(c.limit);
    let last = events.last().map(|e| e.seq).or(c.after);
    let next = if c.desc && !more {
        None
    } else {
        Some(paging::encode(&StreamCursor {
            after: last,
            ..c.clone()
        }))
    };
    let url = format!("{base}/admin/v1/orgs/{}/events-stream", org.org_id);
    let data: Vec<Value> = events.iter().map(|e| event_json(org, e, base)).collect();
    let mut links = json!({"self": url});
    let mut meta = json!({"page_size": c.limit});
    if let Some(n) = next {
        links["next"] = json!(format!("{url}?cursor={n}"));
        meta["next"] = json!(n);
    }
    Ok(HttpResponse::Ok().json(json!({"data": data, "links": links, "meta": meta})))
}

fn event_json(org: &Org, e: &Event, base: &str) -> Value {
    let processed: DateTime<Utc> = e.time;
    let context: Vec<Value> = e
        .context
        .iter()
        .map(|o| json!({"id": o.id, "type": o.kind, "attributes": {"name": o.name}, "links": {}}))
        .collect();
    json!({
        "id": e.id,
        "type": "events",
        "attributes": {
            "time": iso(e.time),
            "processedAt": iso(processed),
            "action": e.action,
            "actor": {"id": e.actor, "name": "Organization API key",
                      "auth": {"authType": "api-token", "tokenId": e.actor, "tokenLabel": "cloudsim"}, "links": {}},
            "context": context,
            "container": [{"id": org.org_id, "type": "orgs", "attributes": {"name": org.name}, "links": {}}],
            "location": {"ip": "127.0.0.1", "countryName": "Localhost", "regionName": "", "city": ""},
        },
        "links": {"self": format!("{base}/admin/v1/orgs/{}/events/{}", org.org_id, e.id)},
        "message": {"content": e.message, "format": "simple"},
    })
}
