//! Jira REST as the app calls it: JWT and QSH verification, the license and the permission check.

use super::*;

#[tokio::test]
async fn jira_rest_verifies_jwt_and_qsh() {
    let i = install().await;
    let (status, roles) = i
        .jira("GET", "/rest/api/3/applicationrole", None, None)
        .await;
    assert_eq!(status, 200, "{roles}");
    let sw = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "jira-software")
        .unwrap();
    assert!(sw["userCount"].as_u64().unwrap() > 0);
    assert!(sw["numberOfSeats"].as_u64().unwrap() >= sw["userCount"].as_u64().unwrap());
    assert!(!sw["defaultGroups"].as_array().unwrap().is_empty());
    assert!(roles
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["key"] == "jira-core" && r["platform"] == true));

    let (status, one_role) = i
        .jira(
            "GET",
            "/rest/api/3/applicationrole/jira-software",
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(one_role["userCount"], sw["userCount"]);
    let (status, _) = i
        .jira("GET", "/rest/api/3/applicationrole/nope", None, None)
        .await;
    assert_eq!(status, 404);
    let (status, count) = i
        .jira(
            "GET",
            "/rest/api/3/license/approximateLicenseCount",
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(count["key"], "license.totalApproximateUserCount");
    assert!(count["value"].as_str().unwrap().parse::<u64>().unwrap() > 0);
    let (status, one) = i
        .jira(
            "GET",
            "/rest/api/3/license/approximateLicenseCount/product/jira-software",
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(one["value"], sw["userCount"].to_string());

    // bad tokens
    let path = "/rest/api/3/applicationrole";
    let other_path = sign_outgoing(
        APP_KEY,
        &i.client_key,
        &i.secret,
        "GET",
        "/rest/api/3/license/approximateLicenseCount",
        &i.jira_base,
        now(),
    )
    .unwrap();
    let wrong_secret = sign_outgoing(
        APP_KEY,
        &i.client_key,
        "not-the-secret",
        "GET",
        path,
        &i.jira_base,
        now(),
    )
    .unwrap();
    let unknown_app = sign_outgoing(
        "other.app",
        &i.client_key,
        &i.secret,
        "GET",
        path,
        &i.jira_base,
        now(),
    )
    .unwrap();
    let expired = sign_outgoing(
        APP_KEY,
        &i.client_key,
        &i.secret,
        "GET",
        path,
        &i.jira_base,
        now() - 3600,
    )
    .unwrap();
    for (name, token) in [
        ("qsh", other_path),
        ("secret", wrong_secret),
        ("issuer", unknown_app),
        ("expired", expired),
        ("garbage", "a.b.c".to_string()),
    ] {
        let (status, body) = i.jira("GET", path, None, Some(token)).await;
        assert_eq!(status, 401, "{name}: {body}");
        assert!(body["errorMessages"].is_array());
    }
    let res = i
        .sim
        .http
        .get(format!("{}{path}", i.jira_base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // query parameters are covered by the hash
    let with_query = sign_outgoing(
        APP_KEY,
        &i.client_key,
        &i.secret,
        "GET",
        "/rest/api/3/instance/license?x=1",
        &i.jira_base,
        now(),
    )
    .unwrap();
    let (status, _) = i
        .jira(
            "GET",
            "/rest/api/3/instance/license?x=2",
            None,
            Some(with_query.clone()),
        )
        .await;
    assert_eq!(status, 401);
    let (status, lic) = i
        .jira(
            "GET",
            "/rest/api/3/instance/license?x=1",
            None,
            Some(with_query),
        )
        .await;
    assert_eq!(status, 200);
    assert!(lic["applications"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["id"] == "jira-software"));
}

#[tokio::test]
async fn licence_and_permission_check() {
    let i = install().await;
    let addon = format!("/rest/atlassian-connect/1/addons/{APP_KEY}");
    let (status, body) = i.jira("GET", &addon, None, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["key"], APP_KEY);
    assert_eq!(body["license"]["active"], true);
    assert_eq!(body["license"]["type"], "COMMERCIAL");
    assert_eq!(body["license"]["evaluation"], false);

    let (status, _) = i
        .sim
        .sim(
            Method::POST,
            "/__sim/license",
            Some(json!({"license": {"active": false, "type": "COMMERCIAL", "evaluation": true}})),
        )
        .await;
    assert_eq!(status, 200);
    let (_, body) = i.jira("GET", &addon, None, None).await;
    assert_eq!(body["license"]["active"], false);
    assert_eq!(body["license"]["evaluation"], true);
    i.sim
        .sim(
            Method::POST,
            "/__sim/license",
            Some(json!({"license": null})),
        )
        .await;
    let (_, body) = i.jira("GET", &addon, None, None).await;
    assert!(body.get("license").is_none());

    let state = i.sim.state().await;
    let users = state["users"].as_array().unwrap();
    let admin = users
        .iter()
        .find(|u| {
            u["status"] == "active"
                && u["platformRoles"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("atlassian/org-admin"))
        })
        .unwrap();
    let plain =
        users
            .iter()
            .find(|u| {
                u["status"] == "active"
                    && u["platformRoles"].as_array().unwrap().is_empty()
                    && u["directRoles"].as_array().unwrap().is_empty()
                    && !u["groupIds"].as_array().unwrap().iter().any(|g| {
                        state["groups"].as_array().unwrap().iter().any(|x| {
                            x["id"] == *g && x["name"].as_str().unwrap().contains("admins")
                        })
                    })
            })
            .unwrap();
    let check = "/rest/api/3/permissions/check";
    let (status, body) = i
        .jira(
            "POST",
            check,
            Some(json!({"globalPermissions": ["ADMINISTER"], "accountId": admin["accountId"]})),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["globalPermissions"], json!(["ADMINISTER"]));
    let (_, body) = i
        .jira(
            "POST",
            check,
            Some(json!({"globalPermissions": ["ADMINISTER"], "accountId": plain["accountId"]})),
            None,
        )
        .await;
    assert_eq!(body["globalPermissions"], json!([]));
    // a suspended org admin loses it
    let id = admin["accountId"].as_str().unwrap();
    i.sim
        .post(&i.sim.v2(&format!("/users/{id}/suspend")), Value::Null)
        .await;
    let (_, body) = i
        .jira(
            "POST",
            check,
            Some(json!({"globalPermissions": ["ADMINISTER"], "accountId": id})),
            None,
        )
        .await;
    assert_eq!(body["globalPermissions"], json!([]));
}
