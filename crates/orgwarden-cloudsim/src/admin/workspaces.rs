//! W1 `POST /admin/v2/orgs/{orgId}/workspaces`: one workspace per product of each site, with the
//! documented query language (`and`, `nor`, `field`, `searchWorkspaces`), sort, and cursor-only
//! continuation bodies; `meta {pageSize, startIndex, endIndex, total}`.

use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::errors;
use super::paging::{self, clamp_limit, WORKSPACES_DEFAULT, WORKSPACES_MAX};
use super::request::check_org;
use super::user_json::iso;
use crate::answer::{base_url, done, Answer};
use crate::caller::ForeignOrg;
use crate::model::{site_ari, Product};
use crate::org::Org;
use crate::state::Sim;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct WsCursor {
    query: Option<Value>,
    sort: Option<Value>,
    limit: usize,
    offset: usize,
}

fn attr<'a>(w: &'a Value, field: &str) -> Option<&'a Value> {
    let path = field.strip_suffix(".raw").unwrap_or(field);
    path.split('.').try_fold(w, |v, k| v.get(k))
}

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// Evaluates a workspace query; unknown operators (`features`, `policies`) match everything.
fn matches(q: &Value, w: &Value) -> Result<bool, String> {
    let Some(obj) = q.as_object() else {
        return Err("query must be an object".into());
    };
    for (op, arg) in obj {
        let ok = match op.as_str() {
            "and" => arg
                .as_array()
                .ok_or("and takes an array")?
                .iter()
                .try_fold(true, |acc, x| Ok::<_, String>(acc && matches(x, w)?))?,
            "or" => arg
                .as_array()
                .ok_or("or takes an array")?
                .iter()
                .try_fold(false, |acc, x| Ok::<_, String>(acc || matches(x, w)?))?,
            "nor" => !arg
                .as_array()
                .ok_or("nor takes an array")?
                .iter()
                .try_fold(false, |acc, x| Ok::<_, String>(acc || matches(x, w)?))?,
            "searchWorkspaces" => {
                let t = arg.as_str().unwrap_or_default().to_lowercase();
                text(attr(w, "attributes.name")).to_lowercase().contains(&t)
                    || text(attr(w, "attributes.hostUrl"))
                        .to_lowercase()
                        .contains(&t)
            }
            "field" => {
                let name = arg
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or("field.name is required")?;
                let values = arg
                    .get("values")
                    .and_then(Value::as_array)
                    .ok_or("field.values is required")?;
                let actual = text(attr(w, name));
                values.iter().any(|v| text(Some(v)) == actual)
            }
            _ => true,
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn workspaces(org: &Org, base: &str) -> Vec<Value> {
    let mut out = Vec::new();
    for site in &org.sites {
        for p in &site.products {
            let id = site_ari(p.key(), &site.site_id);
            let host = match p {
                Product::Bitbucket => format!("bitbucket.org/{}", site.name),
                _ => format!("{}.atlassian.net", site.name),
            };
            let mut attributes = json!({
                "name": site.name, "typeKey": p.key(), "type": p.family(), "owner": null,
                "status": "online", "statusDetails": [], "icons": {}, "avatars": {}, "labels": [],
                "sandbox": {"type": "NONE"}, "capacity": 0, "createdAt": iso(site.created_at),
                "updatedAt": null, "hostUrl": host, "realm": "us", "regions": ["us-east-1"],
            });
            if *p == Product::Bitbucket {
                attributes["usage"] = json!(0);
            }
            out.push(json!({
                "id": id, "type": "workspaces", "attributes": attributes,
                "links": {"self": format!("{base}/admin/v2/orgs/{}/workspaces/{}", org.org_id, id)},
                "relationships": {},
            }));
        }
    }
    out
}

/// W1 handler. A foreign organization's key (`ApiKey::foreign_org`) sees that organization
/// owning no workspace.
pub async fn search(
    sim: web::Data<Sim>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    if req.extensions().get::<ForeignOrg>().is_some() {
        return HttpResponse::Ok().json(json!({
            "data": [], "links": {"self": req.uri().to_string(), "prev": null, "next": null},
            "meta": {"pageSize": 0, "startIndex": 0, "endIndex": 0, "total": 0},
        }));
    }
    let org = sim.org.read();
    done(run(&org, &path, &body, &base_url(&req)))
}

fn run(org: &Org, org_id: &str, body: &[u8], base: &str) -> Answer {
    check_org(org, org_id)?;
    let body: Map<String, Value> = super::request::parse_body(body)?;
    let cursor = match body.get("cursor") {
        Some(c) => {
            if body.len() > 1 {
                return Err(errors::bad_request(
                    "When a cursor is provided, no other properties may be present",
                )
                .into());
            }
            paging::decode::<WsCursor>(c.as_str().unwrap_or_default())
                .ok_or_else(errors::invalid_cursor)?
        }
        None => WsCursor {
            query: body.get("query").cloned(),
            sort: body.get("sort").cloned(),
            limit: clamp_limit(
                body.get("limit").and_then(Value::as_i64),
                WORKSPACES_DEFAULT,
                WORKSPACES_MAX,
            ),
            offset: 0,
        },
    };
    let mut all = workspaces(org, base);
    if let Some(q) = &cursor.query {
        let mut kept = Vec::new();
        for w in all {
            if matches(q, &w).map_err(errors::bad_request)? {
                kept.push(w);
            }
        }
        all = kept;
    }
    let sorts: Vec<(String, bool)> = cursor
        .sort
        .as_ref()
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| {
                    Some((
                        s.get("field")?.as_str()?.to_string(),
                        s.get("order").and_then(Value::as_str) == Some("desc"),
                    ))
                })
                .collect()
        })
        .unwrap_or_else(|| {
            vec![
                ("attributes.name".into(), false),
                ("attributes.typeKey".into(), false),
            ]
        });
    all.sort_by(|a, b| {
        sorts
            .iter()
            .map(|(f, desc)| {
                let o = text(attr(a, f)).cmp(&text(attr(b, f)));
                if *desc {
                    o.reverse()
                } else {
                    o
                }
            })
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let total = all.len();
    let data: Vec<Value> = all
        .into_iter()
        .skip(cursor.offset)
        .take(cursor.limit)
        .collect();
    let mut links = json!({"self": paging::encode(&cursor)});
    if cursor.offset + cursor.limit < total {
        links["next"] = json!(paging::encode(&WsCursor {
            offset: cursor.offset + cursor.limit,
            ..cursor.clone()
        }));
    }
    if cursor.offset > 0 {
        links["prev"] = json!(paging::encode(&WsCursor {
            offset: cursor.offset.saturating_sub(cursor.limit),
            ..cursor.clone()
        }));
    }
    let end = (cursor.offset + data.len()).saturating_sub(1);
    Ok(HttpResponse::Ok().json(json!({
        "data": data,
        "links": links,
        "meta": {"pageSize": cursor.limit, "startIndex": cursor.offset, "endIndex": end, "total": total},
    })))
}
