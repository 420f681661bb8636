//! The `/__sim` control surface: org state, added users, activity, stats, persistence.

use crate::common::{small_config, Sim};
use orgwarden_cloudsim::SimConfig;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn org_state_has_the_documented_shape() {
    let sim = Sim::start().await;
    let state = sim.state().await;
    assert_eq!(state["orgId"], sim.org());
    assert!(state["apiKeys"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["key"] == "good-key" && k["expiresAt"].is_string()));
    let site = &state["sites"][0];
    assert!(site["siteId"].is_string() && site["name"].is_string() && site["products"].is_array());
    let user = &state["users"][0];
    for field in [
        "accountId",
        "name",
        "accountType",
        "status",
        "platformRoles",
        "addedToOrg",
        "productAccess",
        "groupIds",
    ] {
        assert!(!user[field].is_null(), "{field}");
    }
    assert!(user.get("email").is_some());
    let with_access = state["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| !u["productAccess"].as_array().unwrap().is_empty())
        .unwrap();
    let access = &with_access["productAccess"][0];
    assert!(
        access["siteId"].is_string()
            && access["productKey"].is_string()
            && access.get("lastActive").is_some()
    );
    let group = &state["groups"][0];
    for field in ["id", "name", "managedBy", "memberIds"] {
        assert!(!group[field].is_null(), "{field}");
    }
}

#[tokio::test]
async fn add_user_mark_activity_and_count_stats() {
    let sim = Sim::start().await;
    let state = sim.state().await;
    let site = state["sites"][0]["siteId"].as_str().unwrap().to_string();
    let (status, user) = sim
        .sim(Method::POST, "/__sim/users", Some(json!({
            "name": "Test Person", "email": "test.person@example.org",
            "products": [{"siteId": site, "productKey": "jira-software"}, {"productKey": "jira-software", "siteId": site, "direct": true}]
        })))
        .await;
    assert_eq!(status, 201, "{user}");
    let id = user["accountId"].as_str().unwrap().to_string();
    assert_eq!(user["status"], "active");
    assert!(user["productAccess"][0]["lastActive"].is_null());
    assert_eq!(
        user["groupIds"].as_array().unwrap().len(),
        1,
        "default access group"
    );

    let (_, found) = sim
        .post(
            &sim.v2("/users/search"),
            json!({"accountIds": [id], "expand": ["productAccess"]}),
        )
        .await;
    assert_eq!(found["data"][0]["name"], "Test Person");
    assert_eq!(found["data"][0]["claimStatus"], "unmanaged");

    let (status, mark) = sim
        .sim(
            Method::POST,
            &format!("/__sim/users/{id}/activity"),
            Some(json!({"productKey": "jira-software"})),
        )
        .await;
    assert_eq!(status, 200, "{mark}");
    let (_, dates) = sim
        .get(&sim.v1(&format!("/directory/users/{id}/last-active-dates")))
        .await;
    assert_eq!(dates["data"]["product_access"][0]["key"], "jira-software");
    let (status, _) = sim
        .sim(
            Method::POST,
            "/__sim/users/nobody/activity",
            Some(json!({"productKey": "jira-software"})),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = sim
        .sim(
            Method::POST,
            &format!("/__sim/users/{id}/activity"),
            Some(json!({"productKey": "word"})),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = sim
        .sim(
            Method::POST,
            "/__sim/users",
            Some(json!({"name": "X", "status": "asleep"})),
        )
        .await;
    assert_eq!(status, 400);

    sim.post(&sim.v2(&format!("/users/{id}/suspend")), Value::Null)
        .await;
    sim.post(&sim.v2(&format!("/users/{id}/suspend")), Value::Null)
        .await;
    let stats = sim.sim(Method::GET, "/__sim/stats", None).await.1;
    assert_eq!(stats["mutations"][&id]["user_access_suspended"], 2);
    let endpoint =
        "POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/suspend";
    assert_eq!(stats["requests"][endpoint], 2);
    assert!(
        stats["requests"]["POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search"]
            .as_u64()
            .unwrap()
            >= 1
    );
    assert!(stats["statuses"]["204"].as_u64().unwrap() >= 2);
}

#[tokio::test]
async fn state_file_survives_restarts() {
    let dir = std::env::temp_dir().join(format!("cloudsim-state-{}", std::process::id()));
    let file = dir.join("org.json");
    let _ = std::fs::remove_file(&file);
    let config = SimConfig {
        state_file: Some(file.clone()),
        ..small_config()
    };
    let sim = Sim::with(config.clone()).await;
    let victim = sim.find_user(|u| u["status"] == "active").await;
    let id = victim["accountId"].as_str().unwrap().to_string();
    assert_eq!(
        sim.post(&sim.v2(&format!("/users/{id}/suspend")), Value::Null)
            .await
            .0,
        204
    );
    let org_id = sim.org().to_string();
    sim.running.stop().await;
    assert!(file.exists());

    let again = Sim::with(SimConfig {
        seed: 999,
        ..config
    })
    .await;
    assert_eq!(again.org(), org_id, "the file wins over the seed");
    assert_eq!(
        again.find_user(|u| u["accountId"] == id.as_str()).await["status"],
        "suspended"
    );
    again.running.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}
