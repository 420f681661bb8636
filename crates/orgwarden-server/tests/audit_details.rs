//! Long audit details through the real server, on each backend: a page abridges them (lists cut
//! to their first 20 items, the length of the whole kept), the entry itself and the export give
//! them whole, and an entry a caller may not read is not found.

use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::access_support::People;
use orgwarden_store::on_both_backends;

on_both_backends!(long_details_are_abridged_in_pages_and_whole_in_the_entry_and_export);

/// The JSON an organization admin gets at `path`.
async fn get(p: &People, path: &str) -> Value {
    p.json_as(&p.stack.admin, Method::GET, path, None).await
}

fn account_ids(entry: &Value) -> Vec<Value> {
    entry["details"]["selection"]["accountIds"]
        .as_array()
        .unwrap()
        .clone()
}

async fn long_details_are_abridged_in_pages_and_whole_in_the_entry_and_export(backend: Backend) {
    let p = People::start(backend).await;
    let s = &p.stack;
    // A users export of 4,000 accounts records them all: about 90,000 characters of details,
    // which the export too reads on their own.
    let many: Vec<String> = (0..4_000).map(|n| format!("557058:gone-{n:05}")).collect();
    let body = json!({"selection": {"accountIds": many}, "format": "csv"});
    let exported = s.post("/api/v1/users/export", body).await;
    assert_eq!(exported.status(), 200);
    exported.text().await.unwrap();

    let page = get(&p, "/api/v1/audit?kind=export.downloaded").await;
    let listed = &page["items"][0];
    assert_eq!(listed["detailsAbridged"], true, "{listed}");
    let kept = account_ids(listed);
    assert_eq!(
        kept,
        many[..20].iter().map(|id| json!(id)).collect::<Vec<_>>()
    );
    assert_eq!(listed["details"]["what"], "users");
    assert!(listed["details"]["rows"].is_number(), "{listed}");
    let length = listed["detailsLength"].as_i64().unwrap();
    assert!(length > 80_000, "{length}");

    let id = listed["id"].as_i64().unwrap();
    let whole = get(&p, &format!("/api/v1/audit/{id}")).await;
    assert_eq!(whole["detailsAbridged"], false);
    assert_eq!(whole["detailsLength"], length);
    assert_eq!(account_ids(&whole).len(), 4_000);
    assert_eq!(whole["hash"], listed["hash"]);

    let export = get(
        &p,
        "/api/v1/audit/export?format=json&kind=export.downloaded",
    )
    .await;
    let exported = export
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap();
    assert_eq!(account_ids(exported), account_ids(&whole));

    // Short details come whole in a page.
    let lifecycle = get(&p, "/api/v1/audit?kind=lifecycle").await;
    assert!(lifecycle["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["detailsAbridged"] == false));

    let missing = s.get(&format!("/api/v1/audit/{}", id + 1_000)).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(s.get("/api/v1/audit/first").await.status(), 400);
    p.allow_limited_admins(true, "administered").await;
    let path = format!("/api/v1/audit/{id}");
    let theirs = s.send_as(&p.product_admin, Method::GET, &path, None).await;
    assert_eq!(theirs.status(), 404, "another admin's entry");
}
