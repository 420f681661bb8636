//! The operations API against cloudsim, on SQLite and PostgreSQL: validation naming fields,
//! exemptions, preview, start, progress, results (JSON and CSV), history and revert.

use std::time::Duration;

use crate::operations_support::model::{apply, assert_same, ordinary, pick, snapshot};
use crate::operations_support::{error, finished, items_of, plain_group, start};
use orgwarden_cloudsim::SimConfig;
use orgwarden_store::on_both_backends;
use orgwarden_store::Backend;
use serde_json::{json, Value};

on_both_backends!(preview_start_results_history_and_revert);

async fn preview_start_results_history_and_revert(backend: Backend) {
    let (_sim, app, s) = start(
        backend,
        SimConfig {
            users: 150,
            sites: 2,
            groups: 12,
            ..SimConfig::default()
        },
    )
    .await;
    let org = s.sim("/__sim/org").await;
    let group = plain_group(&org);
    let users = pick(&org, 8, ordinary);
    let exempt = users[7].clone();

    let (code, details) = error(
        s.post(
            "/api/v1/operations/preview",
            json!({"selection": {}, "actions": [{"type": "suspend"}]}),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(
        (code.as_str(), &details["field"]),
        ("validation_failed", &json!("selection"))
    );
    let unknown = json!({"selection": {"accountIds": users}, "actions": [{"type": "addToGroups", "groupIds": ["nope"]}]});
    let (_, details) = error(s.post("/api/v1/operations/preview", unknown).await, 400).await;
    assert_eq!(details["field"], "actions[0].groupIds[0]");
    let (_, details) = error(
        s.post(
            "/api/v1/operations",
            json!({"selection": {"accountIds": users}, "actions": []}),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(details["field"], "actions");
    let (code, _) = error(
        s.post(
            "/api/v1/operations/preview",
            json!({"selection": {"accountIds": users}, "actions": [{"type": "explode"}]}),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(code, "invalid_json");
    let valid = json!({"selection": {"accountIds": users}, "actions": [{"type": "suspend"}]});
    let outsider = s
        .send_as(
            "557058:not-an-admin",
            reqwest::Method::POST,
            "/api/v1/operations/preview",
            Some(valid),
        )
        .await;
    assert_eq!(error(outsider, 403).await.0, "access_denied");

    let added = s
        .post(
            "/api/v1/settings/exemptions",
            json!({"kind": "user", "id": exempt, "note": "CEO"}),
        )
        .await;
    assert_eq!(added.status(), 201);
    let listed: Value = s
        .get("/api/v1/settings/exemptions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["id"], exempt.as_str());
    assert_eq!(listed[0]["note"], "CEO");
    // Added again without a note, the exemption keeps its note; with one, the note changes.
    for (note, kept) in [("", "CEO"), ("Chief executive", "Chief executive")] {
        let again = s
            .post(
                "/api/v1/settings/exemptions",
                json!({"kind": "user", "id": exempt, "note": note}),
            )
            .await;
        assert_eq!(again.status(), 201);
        let again: Value = again.json().await.unwrap();
        assert_eq!(again["note"], kept);
    }

    let mut selected = users.clone();
    selected.push(s.admin.clone());
    let body = json!({"selection": {"accountIds": selected}, "actions": [{"type": "addToGroups", "groupIds": [group]}, {"type": "suspend"}], "reason": "offboarding"});
    let preview: Value = s
        .post("/api/v1/operations/preview", body.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["total"], 18);
    assert_eq!(preview["users"], 9);
    assert_eq!(preview["totals"]["bySkipReason"]["organization admin"], 2);
    assert_eq!(
        preview["totals"]["bySkipReason"]["on the exemption list"],
        2
    );
    let act = preview["totals"]["act"].as_i64().unwrap();
    let by_action = preview["totals"]["byAction"].as_array().unwrap();
    assert_eq!(
        by_action
            .iter()
            .map(|a| (
                a["action"].as_str().unwrap(),
                a["act"].as_i64().unwrap() + a["skip"].as_i64().unwrap()
            ))
            .collect::<Vec<_>>(),
        vec![("addToGroups", 9), ("suspend", 9)]
    );
    assert_eq!(
        by_action
            .iter()
            .map(|a| a["act"].as_i64().unwrap())
            .sum::<i64>(),
        act
    );

    let before = snapshot(&org);
    let created = s.post("/api/v1/operations", body).await;
    assert_eq!(created.status(), 202);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["state"], "queued");
    let id = created["id"].as_i64().unwrap();
    let op = s
        .wait_operation(id, Duration::from_secs(60), finished)
        .await;
    assert_eq!(op["state"], "completed", "{op}");
    assert_eq!(op["progress"]["done"].as_i64().unwrap(), act, "{op}");
    assert_eq!(
        (
            op["progress"]["failed"].as_i64(),
            op["progress"]["pending"].as_i64()
        ),
        (Some(0), Some(0))
    );
    assert_eq!(
        (op["reason"].as_str(), op["requestedBy"].as_str()),
        (Some("offboarding"), Some(s.admin.as_str()))
    );
    assert_same(
        &snapshot(&s.sim("/__sim/org").await),
        &apply(before.clone(), &items_of(&app.db.db, id)),
        "after the operation",
    );

    let results: Value = s
        .get(&format!("/api/v1/operations/{id}/results"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(results["items"].as_array().unwrap().len(), 18);
    assert!(
        results["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["name"].as_str().is_some_and(|n| !n.is_empty())),
        "every result names its user: {results}"
    );
    assert_eq!(results["operation"]["id"], id);
    let csv = s
        .get(&format!("/api/v1/operations/{id}/results?format=csv"))
        .await;
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert_eq!(csv.lines().count(), 19, "{csv}");
    assert!(csv.starts_with(
        "operation_id,requested_by,created_at,reason,actions,account_id,name,email,action,step"
    ));
    assert!(csv.lines().nth(1).unwrap().contains(",offboarding,"));
    // Sites, products and groups by name beside their ids.
    let group_name = org["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == group.as_str())
        .expect("the group")["name"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .contains(",site_id,site,product_key,product,role,group_id,group,"));
    assert!(
        csv.lines()
            .any(|l| l.contains(&format!(",{group},{group_name},"))),
        "{csv}"
    );
    let list: Value = s.get("/api/v1/operations").await.json().await.unwrap();
    assert_eq!(
        (list["total"].as_i64(), list["items"][0]["id"].as_i64()),
        (Some(1), Some(id))
    );
    let history: Value = s
        .get(&format!("/api/v1/users/{}/history", users[0]))
        .await
        .json()
        .await
        .unwrap();
    let entries = history.as_array().unwrap();
    assert!(
        entries.iter().any(|e| e["operationId"] == id
            && e["op"] == "suspend"
            && e["outcome"] == "done"
            && e["requestedBy"] == s.admin.as_str()),
        "{history}"
    );
    assert_eq!(
        error(
            s.post(&format!("/api/v1/operations/{id}/cancel"), json!({}))
                .await,
            409
        )
        .await
        .0,
        "operation_finished"
    );

    let revert_preview: Value = s
        .post(
            &format!("/api/v1/operations/{id}/revert"),
            json!({"preview": true}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        revert_preview["totals"]["act"].as_i64().unwrap(),
        act,
        "{revert_preview}"
    );
    // Asked twice at once (a double click), it reverts once: the other names the revert.
    let revert_path = format!("/api/v1/operations/{id}/revert");
    let (first, second) = tokio::join!(
        s.post(&revert_path, json!({"preview": false})),
        s.post(&revert_path, json!({"preview": false}))
    );
    let (revert, refused) = if first.status() == 202 {
        (first, second)
    } else {
        (second, first)
    };
    assert_eq!(revert.status(), 202);
    assert_eq!(refused.status(), 409);
    let refused: Value = refused.json().await.unwrap();
    assert_eq!(refused["error"]["code"], "revert_under_way", "{refused}");
    let revert: Value = revert.json().await.unwrap();
    assert_eq!(refused["error"]["details"]["operationId"], revert["id"]);
    assert_eq!(revert["revertOf"], id);
    let done = s
        .wait_operation(
            revert["id"].as_i64().unwrap(),
            Duration::from_secs(60),
            finished,
        )
        .await;
    assert_eq!(done["state"], "completed", "{done}");
    assert_same(
        &snapshot(&s.sim("/__sim/org").await),
        &before,
        "after the revert",
    );

    let removed = s
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/settings/exemptions?kind=user&id={exempt}"),
            None,
        )
        .await;
    assert_eq!(removed.status(), 204);
    let missing = s
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/settings/exemptions?kind=user&id={exempt}"),
            None,
        )
        .await;
    assert_eq!(error(missing, 404).await.0, "not_found");
}
