//! U1–U8: shapes, every paging style to the end, filters, caps and errors.

use std::collections::BTreeSet;

use crate::common::{assert_code, Sim};
use serde_json::{json, Value};

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|u| u["accountId"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn search_pages_through_every_user_once() {
    let sim = Sim::start().await;
    let state = sim.state().await;
    let total = state["users"].as_array().unwrap().len();
    let (users, pages) = sim
        .search_all(&sim.v2("/users/search"), json!({"limit": 7}))
        .await;
    assert_eq!(users.len(), total);
    assert_eq!(pages, total.div_ceil(7));
    let all = ids(&users);
    let unique: BTreeSet<_> = all.iter().cloned().collect();
    assert_eq!(unique.len(), total);
    let u = &users[0];
    for field in [
        "accountId",
        "accountType",
        "status",
        "accountStatus",
        "membershipStatus",
        "addedToOrg",
        "name",
        "nickname",
        "claimStatus",
        "links",
    ] {
        assert!(!u[field].is_null(), "{field} missing in {u}");
    }
    assert!(
        u.get("platformRoles").is_none(),
        "platformRoles only with expand"
    );
    assert!(u.get("productAccess").is_none());

    // empty body = first page of 50
    let (status, page) = sim.post(&sim.v2("/users/search"), Value::Null).await;
    assert_eq!(status, 200);
    assert_eq!(page["data"].as_array().unwrap().len(), 50);
    // limits are capped at 100
    let (_, page) = sim
        .post(&sim.v2("/users/search"), json!({"limit": 1000}))
        .await;
    assert_eq!(page["data"].as_array().unwrap().len(), 100);
}

#[tokio::test]
async fn list_pages_with_query_cursor_and_sorts_by_nickname() {
    let sim = Sim::start().await;
    let total = sim.state().await["users"].as_array().unwrap().len();
    let (users, _) = sim.list_all(&sim.v2("/users"), "limit=40").await;
    assert_eq!(users.len(), total);
    let (sorted, _) = sim
        .list_all(&sim.v2("/users"), "limit=33&sortBy=nick_name:desc")
        .await;
    assert_eq!(sorted.len(), total);
    let names: Vec<String> = sorted
        .iter()
        .map(|u| u["nickname"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(
        names.windows(2).all(|w| w[0] >= w[1]),
        "descending by nickname"
    );
    let (asc, _) = sim
        .search_all(
            &sim.v2("/users/search"),
            json!({"limit": 50, "sortBy": [{"field": "nick_name", "direction": "asc"}]}),
        )
        .await;
    let names: Vec<String> = asc
        .iter()
        .map(|u| u["nickname"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]));
    let (status, body) = sim
        .get(&format!("{}?cursor=garbage", sim.v2("/users")))
        .await;
    assert_eq!(status, 400);
    assert_code(&body, "ADMIN-400-1");
}

#[tokio::test]
async fn filters_and_expands() {
    let sim = Sim::start().await;
    let state = sim.state().await;
    let users = state["users"].as_array().unwrap();

    let (suspended, _) = sim
        .search_all(&sim.v2("/users/search"), json!({"status": ["suspended"]}))
        .await;
    let expected = users.iter().filter(|u| u["status"] == "suspended").count();
    assert!(expected > 0);
    assert_eq!(suspended.len(), expected);
    assert!(suspended
        .iter()
        .all(|u| u["membershipStatus"] == "suspended"));

    let (admins, _) = sim
        .search_all(
            &sim.v2("/users/search"),
            json!({"roleIds": ["atlassian/org-admin"], "expand": ["platformRoles"]}),
        )
        .await;
    assert!(!admins.is_empty());
    assert!(admins.iter().all(|u| u["platformRoles"]
        .as_array()
        .unwrap()
        .contains(&json!("atlassian/org-admin"))));

    let site = &state["sites"][0];
    let ari = format!(
        "ari:cloud:jira-software::site/{}",
        site["siteId"].as_str().unwrap()
    );
    let (with_jira, _) = sim
        .search_all(
            &sim.v2("/users/search"),
            json!({"resourceIds": [ari], "status": ["active"], "expand": ["productAccess", "platformRoles"]}),
        )
        .await;
    assert!(!with_jira.is_empty());
    for u in &with_jira {
        // a role on the resource: product access, or user access admin (which grants none)
        let access = u["productAccess"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == ari && p["key"] == "jira-software");
        let uaa = u["platformRoles"]
            .as_array()
            .unwrap()
            .contains(&json!("atlassian/user-access-admin"));
        assert!(access || uaa, "{u}");
    }

    let group = state["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["memberIds"].as_array().unwrap().len() > 3)
        .unwrap();
    let gid = group["id"].as_str().unwrap();
    let (members, _) = sim
        .search_all(
            &sim.v2("/users/search"),
            json!({"groupIds": [gid], "expand": ["groups"]}),
        )
        .await;
    assert_eq!(members.len(), group["memberIds"].as_array().unwrap().len());
    assert!(members.iter().all(|u| u["groups"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["id"] == gid)));

    let someone = users.iter().find(|u| u["email"].is_string()).unwrap();
    let email = someone["email"].as_str().unwrap();
    let (by_email, _) = sim
        .search_all(
            &sim.v2("/users/search"),
            json!({"emails": [email.to_uppercase()]}),
        )
        .await;
    assert_eq!(
        ids(&by_email),
        vec![someone["accountId"].as_str().unwrap().to_string()]
    );
    let (status, body) = sim
        .post(
            &sim.v2("/users/search"),
            json!({"emails": [email], "searchTerm": "a"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_code(&body, "ADMIN-400-24");
    let (status, _) = sim
        .post(&sim.v2("/users/search"), json!({"status": ["sleeping"]}))
        .await;
    assert_eq!(status, 400);

    let domain = email.rsplit('@').next().unwrap();
    let (count_status, count) = sim
        .get(&format!("{}?emailDomains={domain}", sim.v2("/users/count")))
        .await;
    assert_eq!(count_status, 200);
    let expected = users
        .iter()
        .filter(|u| {
            u["email"]
                .as_str()
                .is_some_and(|e| e.ends_with(&format!("@{domain}")))
        })
        .count();
    assert_eq!(count["count"], expected);
    let (_, count) = sim
        .get(&format!(
            "{}?status=active&status=suspended",
            sim.v2("/users/count")
        ))
        .await;
    let expected = users
        .iter()
        .filter(|u| u["status"] == "active" || u["status"] == "suspended")
        .count();
    assert_eq!(count["count"], expected);

    let term = someone["name"]
        .as_str()
        .unwrap()
        .split(' ')
        .next_back()
        .unwrap()
        .to_lowercase();
    let (hits, _) = sim
        .list_all(&sim.v2("/users"), &format!("searchTerm={term}"))
        .await;
    assert!(hits.iter().any(|u| u["accountId"] == someone["accountId"]));
}

#[tokio::test]
async fn one_user_stats_and_last_active() {
    let sim = Sim::start().await;
    let state = sim.state().await;
    let users = state["users"].as_array().unwrap();
    let active = users
        .iter()
        .find(|u| {
            u["status"] == "active"
                && u["productAccess"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["lastActive"].is_string())
        })
        .unwrap();
    let id = active["accountId"].as_str().unwrap();
    let (status, body) = sim.get(&sim.v2(&format!("/users/{id}"))).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["accountId"], id);
    assert!(body["data"]["counts"]["resources"].as_u64().unwrap() >= 1);
    let (status, body) = sim.get(&sim.v2("/users/does-not-exist")).await;
    assert_eq!(status, 404);
    assert_code(&body, "ADMIN-404-8");

    let (status, body) = sim
        .get(&sim.v1(&format!("/directory/users/{id}/last-active-dates")))
        .await;
    assert_eq!(status, 200);
    let access = body["data"]["product_access"].as_array().unwrap();
    assert!(!access.is_empty());
    assert!(access[0]["id"].as_str().unwrap().starts_with("ari:cloud:"));
    assert_eq!(access[0]["last_active"].as_str().unwrap().len(), 10);
    assert!(access[0]["last_active_timestamp"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert_eq!(body["data"]["added_to_org"].as_str().unwrap().len(), 10);
    assert!(body["links"]["next"].is_null());

    let never = users
        .iter()
        .find(|u| {
            u["productAccess"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["lastActive"].is_null())
        })
        .unwrap();
    let (_, body) = sim
        .get(&sim.v1(&format!(
            "/directory/users/{}/last-active-dates",
            never["accountId"].as_str().unwrap()
        )))
        .await;
    assert_eq!(body["data"]["product_access"], json!([]));

    let (status, stats) = sim.get(&sim.v2("/users/stats")).await;
    assert_eq!(status, 200);
    let roles = stats["roles"].as_array().unwrap();
    assert!(roles
        .iter()
        .any(|r| r["roleId"] == "atlassian/org-admin" && r["count"].as_u64().unwrap() >= 2));
    assert!(roles.iter().any(|r| r["roleId"] == "atlassian/user"));
    let statuses: u64 = stats["accountStatus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .sum();
    assert_eq!(statuses as usize, users.len());
}

#[tokio::test]
async fn role_assignments_show_direct_and_group_grants() {
    let sim = Sim::start().await;
    let state = sim.state().await;
    let users = state["users"].as_array().unwrap();
    let groups = state["groups"].as_array().unwrap();
    let via_group = users
        .iter()
        .find(|u| {
            u["status"] == "active"
                && u["groupIds"].as_array().unwrap().iter().any(|g| {
                    groups
                        .iter()
                        .any(|x| x["id"] == *g && x["defaultFor"].is_string())
                })
        })
        .unwrap();
    let id = via_group["accountId"].as_str().unwrap();
    let (status, body) = sim
        .get(&sim.v2(&format!("/users/{id}/role-assignments")))
        .await;
    assert_eq!(status, 200, "{body}");
    let data = body["data"].as_array().unwrap();
    assert!(data.iter().any(
        |r| r["roleAssignments"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["role"] == "atlassian/user"
                && a["roleAssignmentMethods"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("group_direct")))
    ));
    assert!(data
        .iter()
        .all(|r| r["resourceOwner"].is_string() && r.get("userDirectoryStatus").is_some()));

    let admin = users
        .iter()
        .find(|u| {
            u["platformRoles"]
                .as_array()
                .unwrap()
                .contains(&json!("atlassian/org-admin"))
        })
        .unwrap();
    let (_, body) = sim
        .get(&sim.v2(&format!(
            "/users/{}/role-assignments?limit=1",
            admin["accountId"].as_str().unwrap()
        )))
        .await;
    assert_eq!(body["data"].as_array().unwrap().len(), 1);
    let (all, _) = sim
        .list_all(
            &sim.v2(&format!(
                "/users/{}/role-assignments",
                admin["accountId"].as_str().unwrap()
            )),
            "limit=1",
        )
        .await;
    let org_admin = all
        .iter()
        .find(|r| {
            r["roles"]
                .as_array()
                .unwrap()
                .contains(&json!("atlassian/org-admin"))
        })
        .unwrap();
    assert!(org_admin["directoryId"].is_null());
    assert_eq!(org_admin["resourceOwner"], "platform");
}

#[tokio::test]
async fn v1_managed_accounts_page_by_url() {
    let sim = Sim::start().await;
    let state = sim.state().await;
    let managed = state["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["managed"] == true)
        .count();
    let mut url = sim.v1("/users");
    let mut seen = 0;
    loop {
        let (status, body) = sim.get(&url).await;
        assert_eq!(status, 200);
        assert_eq!(body["meta"]["total"], managed);
        let data = body["data"].as_array().unwrap();
        seen += data.len();
        assert!(data.iter().all(|u| u["account_id"].is_string()
            && u["account_type"].is_string()
            && u["product_access"].is_array()));
        match body["links"]["next"].as_str() {
            Some(next) => {
                assert!(next.starts_with("http://"));
                let cursor = next.split("cursor=").nth(1).unwrap();
                url = format!("{}?cursor={cursor}", sim.v1("/users"));
            }
            None => break,
        }
    }
    assert_eq!(seen, managed);
}
