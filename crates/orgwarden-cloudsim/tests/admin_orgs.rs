//! O1, O2, D1, W1, authentication and unknown paths.

use crate::common::{assert_code, Sim};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn orgs_list_and_get() {
    let sim = Sim::start().await;
    let (status, body) = sim.get("/admin/v1/orgs").await;
    assert_eq!(status, 200);
    let org = &body["data"][0];
    assert_eq!(org["id"], sim.org());
    assert_eq!(org["type"], "orgs");
    assert!(org["attributes"]["name"].is_string());
    assert!(org["relationships"]["users"]["links"]["related"]
        .as_str()
        .unwrap()
        .ends_with("/users"));
    assert!(org["links"]["self"].as_str().unwrap().contains(sim.org()));
    assert!(body["links"]["self"]
        .as_str()
        .unwrap()
        .starts_with("http://"));
    assert!(body["links"].get("next").is_none());

    let (status, one) = sim.get(&sim.v1("")).await;
    assert_eq!(status, 200);
    assert_eq!(one["data"]["id"], sim.org());

    let (status, missing) = sim.get("/admin/v1/orgs/nope").await;
    assert_eq!(status, 404);
    assert_code(&missing, "ADMIN-404-2");

    let (status, bad) = sim.get("/admin/v1/orgs?cursor=%%%").await;
    assert_eq!(status, 400);
    assert_code(&bad, "ADMIN-400-1");
}

#[tokio::test]
async fn keys_unknown_expired_missing_are_401() {
    let sim = Sim::start().await;
    for (key, message) in [
        ("nope", "Unauthorized"),
        ("expired-key", "Unauthorized: the API key has expired"),
    ] {
        let (status, _, body) = sim
            .call_with_key(key, Method::GET, "/admin/v1/orgs", None)
            .await;
        assert_eq!(status, 401, "{key}");
        assert_eq!(body, json!({"code": 401, "message": message}));
    }
    let res = sim
        .http
        .get(sim.url("/admin/v1/orgs"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // a key added at run time works until its expiry
    let (status, _) = sim
        .sim(
            Method::POST,
            "/__sim/api-keys",
            Some(json!({"key": "fresh", "expiresAt": "2999-01-01"})),
        )
        .await;
    assert_eq!(status, 201);
    let (status, _, _) = sim
        .call_with_key("fresh", Method::GET, "/admin/v1/orgs", None)
        .await;
    assert_eq!(status, 200);
    let (status, _) = sim.sim(Method::DELETE, "/__sim/api-keys/fresh", None).await;
    assert_eq!(status, 204);
    let (status, _, _) = sim
        .call_with_key("fresh", Method::GET, "/admin/v1/orgs", None)
        .await;
    assert_eq!(status, 401);
    let stats = sim.sim(Method::GET, "/__sim/stats", None).await.1;
    assert!(stats["unauthorized"].as_u64().unwrap() >= 4);
}

#[tokio::test]
async fn directories_and_unknown_directory() {
    let sim = Sim::start().await;
    let (status, body) = sim
        .get(&format!("/admin/v2/orgs/{}/directories", sim.org()))
        .await;
    assert_eq!(status, 200);
    let dir = &body["data"][0];
    assert_eq!(dir["directoryId"], sim.running.directory_id);
    assert!(dir["name"].is_string() && dir["icon"].is_string());
    assert!(body["links"]["self"].is_string());
    // the real directory id works as well as "-"
    let path = format!(
        "/admin/v2/orgs/{}/directories/{}/users?limit=1",
        sim.org(),
        sim.running.directory_id
    );
    assert_eq!(sim.get(&path).await.0, 200);
    let (status, body) = sim
        .get(&format!(
            "/admin/v2/orgs/{}/directories/other/users",
            sim.org()
        ))
        .await;
    assert_eq!(status, 404);
    assert_code(&body, "ADMIN-404-1");
    let (status, body) = sim.get("/admin/v9/whatever").await;
    assert_eq!(status, 404);
    assert_code(&body, "ADMIN-404-1");
}

#[tokio::test]
async fn workspaces_page_to_the_end() {
    let sim = Sim::start().await;
    let path = format!("/admin/v2/orgs/{}/workspaces", sim.org());
    let state = sim.state().await;
    let expected: usize = state["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["products"].as_array().unwrap().len())
        .sum();
    let mut body = json!({"limit": 2});
    let mut seen = Vec::new();
    loop {
        let (status, page) = sim.post(&path, body).await;
        assert_eq!(status, 200, "{page}");
        let meta = &page["meta"];
        assert_eq!(meta["total"], expected);
        assert_eq!(meta["pageSize"], 2);
        assert_eq!(meta["startIndex"], seen.len());
        for w in page["data"].as_array().unwrap() {
            assert!(w["id"].as_str().unwrap().starts_with("ari:cloud:"));
            assert!(w["attributes"]["typeKey"].is_string());
            assert!(w["attributes"]["hostUrl"].is_string());
            seen.push(w["id"].as_str().unwrap().to_string());
        }
        match page["links"]["next"].as_str() {
            Some(next) => body = json!({"cursor": next}),
            None => break,
        }
    }
    assert_eq!(seen.len(), expected);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), expected);

    let (status, _) = sim.post(&path, json!({"cursor": "abc", "limit": 3})).await;
    assert_eq!(status, 400);
    let (status, body) = sim.post(&path, json!({"cursor": "not-a-cursor"})).await;
    assert_eq!(status, 400);
    assert_code(&body, "ADMIN-400-1");

    let query =
        json!({"query": {"field": {"name": "attributes.typeKey", "values": ["jira-software"]}}});
    let (status, body) = sim.post(&path, query).await;
    assert_eq!(status, 200);
    assert!(!body["data"].as_array().unwrap().is_empty());
    assert!(body["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| w["attributes"]["typeKey"] == "jira-software"));
    let nor = json!({"query": {"nor": [{"field": {"name": "attributes.typeKey", "values": ["jira-software"]}}]}});
    let (_, body) = sim.post(&path, nor).await;
    assert!(body["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| w["attributes"]["typeKey"] != "jira-software"));
}
