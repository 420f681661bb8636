//! Who reads which audit entries, through the real server and cloudsim on each backend: limited
//! admins confined to what they administer read the entries of their own actions only (list and
//! export), everyone else the whole trail.

use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::access_support::People;
use orgwarden_store::on_both_backends;

on_both_backends!(limited_admins_in_the_administered_scope_read_only_their_own_entries);

/// The actors of every entry `account` reads (one page of up to 200, newest first).
async fn actors_read_by(p: &People, account: &str, query: &str) -> Vec<String> {
    let page = p
        .json_as(
            account,
            Method::GET,
            &format!("/api/v1/audit?limit=200{query}"),
            None,
        )
        .await;
    assert!(page["nextCursor"].is_null(), "one page holds the trail");
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["actor"]["accountId"].as_str().unwrap().to_owned())
        .collect()
}

async fn limited_admins_in_the_administered_scope_read_only_their_own_entries(backend: Backend) {
    let p = People::start(backend).await;
    let (admin, limited) = (p.stack.admin.clone(), p.product_admin.clone());
    p.allow_limited_admins(true, "administered").await;
    let filter = json!({"name": "Idle", "filter": {"inactiveDays": 90}});
    let created = p
        .stack
        .send_as(&limited, Method::POST, "/api/v1/filters", Some(filter))
        .await;
    assert_eq!(created.status(), 201);

    let everyone = actors_read_by(&p, &admin, "").await;
    assert!(everyone.contains(&admin) && everyone.contains(&limited));
    assert!(everyone.iter().any(String::is_empty), "system entries");
    let own = actors_read_by(&p, &limited, "").await;
    assert!(!own.is_empty());
    assert!(own.iter().all(|a| *a == limited), "{own:?}");
    assert_eq!(
        own.len(),
        everyone.iter().filter(|a| **a == limited).count()
    );
    assert_eq!(
        actors_read_by(&p, &limited, &format!("&actor={limited}")).await,
        own
    );
    let refused = p
        .stack
        .send_as(
            &limited,
            Method::GET,
            &format!("/api/v1/audit?actor={admin}"),
            None,
        )
        .await;
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "forbidden");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("your own actions"), "{message}");

    // The export reads what the list does (and records that it was downloaded).
    let csv = p
        .stack
        .send_as(
            &limited,
            Method::GET,
            "/api/v1/audit/export?format=csv",
            None,
        )
        .await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    assert_eq!(csv.lines().count(), own.len() + 1, "{csv}");
    assert!(!csv.contains(&admin), "{csv}");
    let json: Value = p
        .json_as(
            &limited,
            Method::GET,
            "/api/v1/audit/export?format=json",
            None,
        )
        .await;
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), own.len() + 1, "the CSV export's own entry too");
    assert!(items
        .iter()
        .all(|e| e["actor"]["accountId"] == limited.as_str()));

    // The whole organization's limited admins read the whole trail.
    p.allow_limited_admins(true, "organization").await;
    let all = actors_read_by(&p, &limited, "").await;
    assert!(all.contains(&admin), "{all:?}");
}
