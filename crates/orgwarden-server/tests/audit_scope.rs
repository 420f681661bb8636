//! Who reads which audit entries, through the real server and cloudsim on each backend: limited
//! admins confined to what they administer read their own entries only — those of their actions
//! and what the system recorded for the syncs and operations they started — (list and export),
//! and may not verify the whole trail; everyone else reads and verifies the whole trail.

use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::access_support::People;
use orgwarden_store::on_both_backends;

on_both_backends!(limited_admins_in_the_administered_scope_read_only_their_own_entries);

/// Every entry `account` reads (one page of up to 200, newest first).
async fn read_by(p: &People, account: &str, query: &str) -> Vec<Value> {
    let page = p
        .json_as(
            account,
            Method::GET,
            &format!("/api/v1/audit?limit=200{query}"),
            None,
        )
        .await;
    assert!(page["nextCursor"].is_null(), "one page holds the trail");
    page["items"].as_array().unwrap().clone()
}

/// The actors of every entry `account` reads.
async fn actors_read_by(p: &People, account: &str, query: &str) -> Vec<String> {
    read_by(p, account, query)
        .await
        .iter()
        .map(|e| e["actor"]["accountId"].as_str().unwrap().to_owned())
        .collect()
}

/// True when `account` made `entry`, or the system made it for what they asked for.
fn owned_by(entry: &Value, account: &str) -> bool {
    entry["actor"]["accountId"] == account
        || (entry["actor"]["via"] == "system" && entry["details"]["requestedBy"] == account)
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

    // A sync the limited admin starts is theirs too (the system records its start and end).
    let started = p
        .stack
        .send_as(&limited, Method::POST, "/api/v1/sync", Some(json!({})))
        .await;
    assert_eq!(started.status(), 202);
    p.stack.wait_for_sync().await;

    let everyone = read_by(&p, &admin, "").await;
    let by = |account: &str| everyone.iter().filter(|e| owned_by(e, account)).count();
    assert!(by(&admin) > 0 && by(&limited) > 0);
    let system_for = |account: &str| {
        everyone
            .iter()
            .filter(|e| e["actor"]["via"] == "system" && e["details"]["requestedBy"] == account)
            .count()
    };
    assert_eq!(system_for(&limited), 2, "sync.started and sync.succeeded");
    assert!(system_for(&admin) > 0, "the org admin's sync");
    let own = read_by(&p, &limited, "").await;
    assert!(own.iter().all(|e| owned_by(e, &limited)), "{own:?}");
    assert_eq!(own.len(), by(&limited));
    let kinds: Vec<&str> = own.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert!(
        kinds.contains(&"sync.succeeded") && kinds.contains(&"filter.created"),
        "{kinds:?}"
    );
    // Their actions alone.
    let actions = actors_read_by(&p, &limited, &format!("&actor={limited}")).await;
    assert_eq!(actions.len(), own.len() - 2);
    assert!(actions.iter().all(|a| *a == limited), "{actions:?}");
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
    assert!(items.iter().all(|e| owned_by(e, &limited)));

    // Last (a refusal is itself an entry of theirs): verifying the whole trail is not theirs to
    // run, and it is once they see the whole organization.
    let verify = |who: String| {
        let p = &p;
        async move {
            p.stack
                .send_as(&who, Method::GET, "/api/v1/audit/verify", None)
                .await
                .status()
        }
    };
    assert_eq!(verify(limited.clone()).await, 403);
    assert_eq!(verify(admin.clone()).await, 200);

    // The whole organization's limited admins read the whole trail.
    p.allow_limited_admins(true, "organization").await;
    let all = actors_read_by(&p, &limited, "").await;
    assert!(all.contains(&admin), "{all:?}");
    assert_eq!(verify(limited.clone()).await, 200);
}
