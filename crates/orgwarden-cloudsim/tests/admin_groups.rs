//! G1–G11: paging, shapes, create/delete rules, memberships, IdP-synced refusals, group roles.

use crate::common::{assert_code, Sim};
use serde_json::{json, Value};

#[tokio::test]
async fn search_and_list_page_to_the_end() {
    let sim = Sim::start().await;
    let state = sim.state().await;
    let total = state["groups"].as_array().unwrap().len();
    let (groups, pages) = sim
        .search_all(&sim.v2("/groups/search"), json!({"limit": 4}))
        .await;
    assert_eq!(groups.len(), total);
    assert_eq!(pages, total.div_ceil(4));
    let names: Vec<String> = groups
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "sorted by name");
    let g = &groups[0];
    for field in [
        "id",
        "name",
        "directoryId",
        "managementAccess",
        "externalSynced",
        "managedBy",
        "links",
    ] {
        assert!(!g[field].is_null(), "{field} missing in {g}");
    }
    assert!(g.get("counts").is_none());
    let (_, first) = sim.post(&sim.v2("/groups/search"), Value::Null).await;
    assert_eq!(first["data"].as_array().unwrap().len(), 20.min(total));
    let (listed, _) = sim
        .list_all(&sim.v2("/groups"), "limit=5&includeUsers=true")
        .await;
    assert_eq!(listed.len(), total);
    assert!(listed.iter().all(|g| g["counts"]["users"].is_u64()));

    let (status, _) = sim
        .post(
            &sim.v2("/groups/search"),
            json!({"groupNames": ["x"], "searchTerm": "x"}),
        )
        .await;
    assert_eq!(status, 400);
    let target = &state["groups"][0];
    let (_, by_name) = sim.post(&sim.v2("/groups/search"), json!({"groupNames": [target["name"].as_str().unwrap().to_uppercase()], "expand": ["counts.users", "counts.resources"]})).await;
    assert_eq!(by_name["data"][0]["id"], target["id"]);
    assert_eq!(
        by_name["data"][0]["counts"]["users"],
        target["memberIds"].as_array().unwrap().len()
    );

    let (status, one) = sim
        .get(&sim.v2(&format!("/groups/{}", target["id"].as_str().unwrap())))
        .await;
    assert_eq!(status, 200);
    assert!(one["data"]["counts"]["users"].is_u64());
    let (status, body) = sim.get(&sim.v2("/groups/nope")).await;
    assert_eq!(status, 404);
    assert_code(&body, "ADMIN-404-10");

    let (_, count) = sim.get(&sim.v2("/groups/count")).await;
    assert_eq!(count["count"], total);
    let (_, stats) = sim.get(&sim.v2("/groups/stats")).await;
    assert_eq!(stats["totals"]["all"], total);
}

#[tokio::test]
async fn create_add_remove_delete() {
    let sim = Sim::start().await;
    let (status, created) = sim
        .post(
            &sim.v2("/groups"),
            json!({"name": "contractors", "description": "temps"}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let gid = created["id"].as_str().unwrap().to_string();
    let (status, dup) = sim
        .post(&sim.v2("/groups"), json!({"name": "Contractors"}))
        .await;
    assert_eq!(status, 409);
    assert_code(&dup, "ADMIN-409-28");
    let (status, _) = sim.post(&sim.v2("/groups"), json!({})).await;
    assert_eq!(status, 400);

    let member = sim.find_user(|u| u["status"] == "active").await;
    let id = member["accountId"].as_str().unwrap();
    let (status, _) = sim
        .post(
            &sim.v2(&format!("/groups/{gid}/memberships")),
            json!({"accountId": id}),
        )
        .await;
    assert_eq!(status, 204);
    assert!(sim.find_user(|u| u["accountId"] == id).await["groupIds"]
        .as_array()
        .unwrap()
        .contains(&json!(gid)));
    let (status, body) = sim
        .post(
            &sim.v2(&format!("/groups/{gid}/memberships")),
            json!({"accountId": "ghost"}),
        )
        .await;
    assert_eq!(status, 404);
    assert_code(&body, "ADMIN-404-8");

    // a role on the group grants access to its members (group_direct)
    let site = sim.state().await["sites"][0]["siteId"]
        .as_str()
        .unwrap()
        .to_string();
    let ari = format!("ari:cloud:confluence::site/{site}");
    let products = sim.state().await["sites"][0]["products"].clone();
    if products.as_array().unwrap().contains(&json!("confluence")) {
        let (status, _) = sim
            .post(
                &sim.v2(&format!("/groups/{gid}/role-assignments/assign")),
                json!({"resourceId": ari, "roleId": "atlassian/user"}),
            )
            .await;
        assert_eq!(status, 200);
        let (_, roles) = sim
            .get(&sim.v2(&format!("/groups/{gid}/role-assignments")))
            .await;
        assert_eq!(roles["data"][0]["resourceId"], ari.as_str());
        assert!(roles["data"][0]["defaultRole"].is_null());
        let (_, ra) = sim
            .get(&sim.v2(&format!("/users/{id}/role-assignments?resourceIds={ari}")))
            .await;
        let methods = &ra["data"][0]["roleAssignments"][0]["roleAssignmentMethods"];
        assert!(
            methods.as_array().unwrap().contains(&json!("group_direct")),
            "{ra}"
        );
        let (status, _) = sim
            .post(
                &sim.v2(&format!("/groups/{gid}/role-assignments/revoke")),
                json!({"resourceId": ari, "roleId": "atlassian/user"}),
            )
            .await;
        assert_eq!(status, 204);
    }
    let (status, _) = sim
        .post(
            &sim.v2(&format!("/groups/{gid}/role-assignments/assign")),
            json!({"resourceId": ari, "roleId": "atlassian/org-admin"}),
        )
        .await;
    assert_eq!(status, 400);

    let (status, _) = sim
        .delete(&sim.v2(&format!("/groups/{gid}/memberships/{id}")))
        .await;
    assert_eq!(status, 204);
    assert!(!sim.find_user(|u| u["accountId"] == id).await["groupIds"]
        .as_array()
        .unwrap()
        .contains(&json!(gid)));
    let (status, _) = sim.delete(&sim.v2(&format!("/groups/{gid}"))).await;
    assert_eq!(status, 204);
    let (status, _) = sim.get(&sim.v2(&format!("/groups/{gid}"))).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn protected_groups_refuse_changes() {
    let sim = Sim::start().await;
    let state = sim.state().await;
    let groups = state["groups"].as_array().unwrap();
    let scim = groups
        .iter()
        .find(|g| g["managedBy"] == "external" && !g["memberIds"].as_array().unwrap().is_empty())
        .expect("an IdP-synced group");
    let scim_id = scim["id"].as_str().unwrap();
    let outsider = sim
        .find_user(|u| {
            u["status"] == "active"
                && !scim["memberIds"]
                    .as_array()
                    .unwrap()
                    .contains(&u["accountId"])
        })
        .await;
    let (status, body) = sim
        .post(
            &sim.v2(&format!("/groups/{scim_id}/memberships")),
            json!({"accountId": outsider["accountId"]}),
        )
        .await;
    assert_eq!(status, 403);
    assert_code(&body, "ADMIN-403-5");
    assert!(body["errors"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("identity provider"));
    let member = scim["memberIds"][0].as_str().unwrap();
    let (status, body) = sim
        .delete(&sim.v2(&format!("/groups/{scim_id}/memberships/{member}")))
        .await;
    assert_eq!(status, 403);
    assert_code(&body, "ADMIN-403-5");
    let (status, _) = sim.delete(&sim.v2(&format!("/groups/{scim_id}"))).await;
    assert_eq!(status, 403);
    let (_, g) = sim.get(&sim.v2(&format!("/groups/{scim_id}"))).await;
    assert_eq!(g["data"]["externalSynced"], true);
    assert_eq!(g["data"]["managementAccess"]["modifiable"], false);

    let default = groups.iter().find(|g| g["defaultFor"].is_string()).unwrap();
    let (status, body) = sim
        .delete(&sim.v2(&format!("/groups/{}", default["id"].as_str().unwrap())))
        .await;
    assert_eq!(status, 403);
    assert_code(&body, "ADMIN-403-6");
    let (_, roles) = sim
        .get(&sim.v2(&format!(
            "/groups/{}/role-assignments",
            default["id"].as_str().unwrap()
        )))
        .await;
    assert_eq!(roles["data"][0]["defaultRole"], "atlassian/user");

    let admins = groups
        .iter()
        .find(|g| g["name"].as_str().unwrap().contains("-admins-") && g["defaultFor"].is_null())
        .unwrap();
    let (status, body) = sim
        .delete(&sim.v2(&format!("/groups/{}", admins["id"].as_str().unwrap())))
        .await;
    assert_eq!(status, 403);
    assert_code(&body, "ADMIN-403-7");
}
