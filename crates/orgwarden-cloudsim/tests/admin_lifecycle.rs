//! L1–L6, R1–R4, the events stream E2 and mutation stats.

use crate::common::{assert_code, Sim};
use reqwest::Method;
use serde_json::{json, Value};

async fn user(sim: &Sim, id: &str) -> Value {
    sim.find_user(|u| u["accountId"] == id).await
}

#[tokio::test]
async fn suspend_and_restore_keep_roles_and_groups() {
    let sim = Sim::start().await;
    let admin = sim
        .find_user(|u| {
            u["status"] == "active"
                && u["platformRoles"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("atlassian/org-admin"))
                && !u["groupIds"].as_array().unwrap().is_empty()
        })
        .await;
    let id = admin["accountId"].as_str().unwrap();
    // nothing stops suspending an org admin
    let (status, body) = sim
        .post(&sim.v2(&format!("/users/{id}/suspend")), Value::Null)
        .await;
    assert_eq!(status, 204, "{body}");
    assert!(body.is_null());
    let after = user(&sim, id).await;
    assert_eq!(after["status"], "suspended");
    assert_eq!(after["groupIds"], admin["groupIds"]);
    assert_eq!(after["productAccess"], admin["productAccess"]);
    assert_eq!(after["platformRoles"], admin["platformRoles"]);
    let (_, one) = sim.get(&sim.v2(&format!("/users/{id}"))).await;
    assert_eq!(one["data"]["membershipStatus"], "suspended");
    let (_, search) = sim
        .post(
            &sim.v2("/users/search"),
            json!({"accountIds": [id], "expand": ["productAccess"]}),
        )
        .await;
    assert_eq!(
        search["data"][0]["productAccess"],
        json!([]),
        "no access while suspended"
    );
    let (_, roles) = sim
        .get(&sim.v2(&format!("/users/{id}/role-assignments")))
        .await;
    assert!(roles["data"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["userDirectoryStatus"] == "suspended"));

    let (status, _) = sim
        .post(&sim.v2(&format!("/users/{id}/restore")), Value::Null)
        .await;
    assert_eq!(status, 204);
    let restored = user(&sim, id).await;
    assert_eq!(restored["status"], "active");
    assert_eq!(restored["groupIds"], admin["groupIds"]);
    assert_eq!(restored["productAccess"], admin["productAccess"]);

    // legacy v1 endpoints answer 200 {message}
    let (status, body) = sim
        .post(
            &sim.v1(&format!("/directory/users/{id}/suspend-access")),
            Value::Null,
        )
        .await;
    assert_eq!(status, 200);
    assert!(body["message"].is_string());
    let (status, body) = sim
        .post(
            &sim.v1(&format!("/directory/users/{id}/restore-access")),
            Value::Null,
        )
        .await;
    assert_eq!(status, 200);
    assert!(body["message"].is_string());

    let (status, body) = sim
        .post(&sim.v2("/users/nobody/suspend"), Value::Null)
        .await;
    assert_eq!(status, 404);
    assert_code(&body, "ADMIN-404-8");

    let stats = sim.sim(Method::GET, "/__sim/stats", None).await.1;
    let m = &stats["mutations"][id];
    assert_eq!(m["user_access_suspended"], 2);
    assert_eq!(m["user_access_restored"], 2);
}

#[tokio::test]
async fn remove_from_directory_drops_access() {
    let sim = Sim::start().await;
    let victim = sim
        .find_user(|u| u["status"] == "active" && !u["groupIds"].as_array().unwrap().is_empty())
        .await;
    let id = victim["accountId"].as_str().unwrap();
    let (status, _) = sim.delete(&sim.v2(&format!("/users/{id}"))).await;
    assert_eq!(status, 204);
    let after = user(&sim, id).await;
    assert_eq!(after["status"], "not_invited");
    assert_eq!(after["groupIds"], json!([]));
    assert_eq!(after["productAccess"], json!([]));
    let state = sim.state().await;
    assert!(state["groups"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| !g["memberIds"].as_array().unwrap().contains(&json!(id))));
    // removed users can no longer be suspended
    let (status, _) = sim
        .post(&sim.v2(&format!("/users/{id}/suspend")), Value::Null)
        .await;
    assert_eq!(status, 404);

    let other = sim
        .find_user(|u| u["status"] == "active" && u["accountId"] != id)
        .await;
    let (status, _) = sim
        .delete(&sim.v1(&format!(
            "/directory/users/{}",
            other["accountId"].as_str().unwrap()
        )))
        .await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn product_roles_and_org_admin() {
    let sim = Sim::start().await;
    let state = sim.state().await;
    let site = state["sites"][0]["siteId"].as_str().unwrap().to_string();
    let ari = format!("ari:cloud:jira-software::site/{site}");
    let someone = sim
        .find_user(|u| {
            u["status"] == "active"
                && u["accountType"] == "atlassian"
                && u["productAccess"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|p| p["productKey"] != "jira-software" || p["siteId"] != site.as_str())
        })
        .await;
    let id = someone["accountId"].as_str().unwrap();
    let roles = format!("/users/{id}/roles");
    let (status, body) = sim
        .post(
            &sim.v1(&format!("{roles}/assign")),
            json!({"role": "atlassian/user", "resource": ari}),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let (_, ra) = sim
        .get(&sim.v2(&format!("/users/{id}/role-assignments?resourceIds={ari}")))
        .await;
    assert_eq!(
        ra["data"][0]["roleAssignments"][0]["roleAssignmentMethods"],
        json!(["direct"])
    );
    assert!(user(&sim, id).await["productAccess"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["siteId"] == site.as_str() && p["productKey"] == "jira-software"));
    let (status, _) = sim
        .post(
            &sim.v1(&format!("{roles}/revoke")),
            json!({"role": "atlassian/user", "resource": ari}),
        )
        .await;
    assert_eq!(status, 204);
    assert!(!user(&sim, id).await["productAccess"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["siteId"] == site.as_str() && p["productKey"] == "jira-software"));

    let (status, body) = sim
        .post(
            &sim.v1(&format!("{roles}/assign")),
            json!({"role": "atlassian/wizard", "resource": ari}),
        )
        .await;
    assert_eq!(status, 400);
    assert_code(&body, "ADMIN-UAM-400-3");
    let (status, body) = sim
        .post(
            &sim.v1(&format!("{roles}/assign")),
            json!({"role": "atlassian/user", "resource": "ari:cloud:jira-software::site/unknown"}),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    let (status, _) = sim
        .post(
            &sim.v1(&format!("{roles}/assign")),
            json!({"resource": ari}),
        )
        .await;
    assert_eq!(status, 400);

    let org_roles = format!("/users/{id}/role-assignments");
    let (status, _) = sim
        .post(
            &sim.v1(&format!("{org_roles}/assign")),
            json!({"role": "atlassian/org-admin"}),
        )
        .await;
    assert_eq!(status, 204);
    assert!(user(&sim, id).await["platformRoles"]
        .as_array()
        .unwrap()
        .contains(&json!("atlassian/org-admin")));
    let (status, _) = sim
        .post(
            &sim.v1(&format!("{org_roles}/revoke")),
            json!({"role": "atlassian/org-admin"}),
        )
        .await;
    assert_eq!(status, 204);
    assert!(!user(&sim, id).await["platformRoles"]
        .as_array()
        .unwrap()
        .contains(&json!("atlassian/org-admin")));
    let (status, _) = sim
        .post(
            &sim.v1(&format!("{org_roles}/assign")),
            json!({"role": "atlassian/user"}),
        )
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn events_stream_records_every_mutation() {
    let sim = Sim::start().await;
    let path = sim.v1("/events-stream");
    let (status, empty) = sim.get(&path).await;
    assert_eq!(status, 200);
    assert_eq!(empty["data"], json!([]));
    let poll = empty["meta"]["next"].as_str().unwrap().to_string();

    let ids: Vec<String> = sim.state().await["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["status"] == "active")
        .take(5)
        .map(|u| u["accountId"].as_str().unwrap().to_string())
        .collect();
    for id in &ids {
        assert_eq!(
            sim.post(&sim.v2(&format!("/users/{id}/suspend")), Value::Null)
                .await
                .0,
            204
        );
    }
    let (_, page) = sim.get(&format!("{path}?limit=2")).await;
    assert_eq!(page["meta"]["page_size"], 2);
    let mut events: Vec<Value> = page["data"].as_array().unwrap().clone();
    let mut next = page["meta"]["next"].as_str().map(str::to_string);
    while let Some(cursor) = next {
        let (_, page) = sim.get(&format!("{path}?cursor={cursor}")).await;
        let data = page["data"].as_array().unwrap();
        if data.is_empty() {
            assert!(
                page["meta"]["next"].is_string(),
                "ascending streams keep a polling cursor"
            );
            break;
        }
        events.extend(data.iter().cloned());
        next = page["meta"]["next"].as_str().map(str::to_string);
    }
    assert_eq!(events.len(), 5);
    for (e, id) in events.iter().zip(&ids) {
        assert_eq!(e["type"], "events");
        assert_eq!(e["attributes"]["action"], "user_access_suspended");
        assert_eq!(e["attributes"]["context"][0]["id"], id.as_str());
        assert!(e["attributes"]["time"].is_string() && e["attributes"]["processedAt"].is_string());
        assert_eq!(e["attributes"]["actor"]["auth"]["authType"], "api-token");
    }
    // the cursor from before the mutations polls them all
    let (_, polled) = sim.get(&format!("{path}?cursor={poll}")).await;
    assert_eq!(polled["data"].as_array().unwrap().len(), 5);

    let (_, desc) = sim.get(&format!("{path}?sortOrder=desc&limit=10")).await;
    assert_eq!(
        desc["data"][0]["attributes"]["context"][0]["id"],
        ids[4].as_str()
    );
    assert!(desc["meta"].get("next").is_none());
    let future = chrono::Utc::now().timestamp_millis() + 60_000;
    let (_, later) = sim.get(&format!("{path}?from={future}")).await;
    assert_eq!(later["data"], json!([]));
    let (status, body) = sim.get(&format!("{path}?from=yesterday")).await;
    assert_eq!(status, 400);
    assert_code(&body, "ADMIN-400-3");
}
