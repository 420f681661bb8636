//! Limits that hold for every allowed caller, through the real server and cloudsim on each
//! backend: the guards of bulk operations, the administered scope, cursor paging for scripts,
//! and one answer for every bad token.

use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::access_support::{sorted_ids, People};
use crate::audit_support::all_entries;
use crate::operations_support::{error, finished, plain_group};
use orgwarden_store::on_both_backends;

on_both_backends!(
    guards_hold_for_every_allowed_caller,
    scripts_walk_every_user_with_cursors,
    limited_admins_see_only_what_they_administer,
);

async fn guards_hold_for_every_allowed_caller(backend: Backend) {
    let p = People::start(backend).await;
    p.allow_limited_admins(true, "organization").await;
    // A filter an org admin's task uses: a product admin may rename it, not change what it
    // selects (the task acts with the org admin's rights).
    let filter: Value = p
        .stack
        .post(
            "/api/v1/filters",
            json!({"name": "Inactive", "filter": {"statuses": ["active"], "inactiveDays": 90}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let task = json!({"name": "Suspend the inactive", "savedFilterId": filter["id"],
        "actions": [{"type": "suspend"}], "schedule": {"kind": "manual"}, "active": true,
        "timeZone": "UTC"});
    assert_eq!(p.stack.post("/api/v1/tasks", task).await.status(), 201);
    let path = format!("/api/v1/filters/{}", filter["id"]);
    let widen = Some(json!({"filter": {}}));
    let widened = p
        .stack
        .send_as(&p.product_admin, Method::PATCH, &path, widen.clone())
        .await;
    let (code, details) = error(widened, 403).await;
    assert_eq!(
        (code.as_str(), details["tasks"].clone()),
        ("access_denied", json!(["Suspend the inactive"]))
    );
    // A handler's own refusal is in the audit trail as the gate's are (written in the
    // background, after the answer).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let refusals = all_entries(&p.stack, "kind=access.denied").await;
        if refusals.iter().any(|e| {
            e["actor"]["accountId"] == p.product_admin.as_str()
                && e["details"]["path"] == path.as_str()
        }) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{refusals:?}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let rename = Some(json!({"name": "Inactive 90 days"}));
    let renamed = p
        .stack
        .send_as(&p.product_admin, Method::PATCH, &path, rename)
        .await;
    assert_eq!(renamed.status(), 200);
    let by_org_admin = p.stack.send(Method::PATCH, &path, widen).await;
    assert_eq!(by_org_admin.status(), 200);
    let org = p.stack.sim("/__sim/org").await;
    let admin_group = org["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["managedBy"] != "external"
                && g["roles"].as_array().unwrap().iter().any(|r| {
                    matches!(
                        r["role"].as_str(),
                        Some("atlassian/admin" | "atlassian/site-admin")
                    )
                })
        })
        .expect("a group granting an admin role")["id"]
        .clone();
    let preview = |who: String, action: Value, target: String| {
        let p = &p;
        async move {
            let answer = p
                .stack
                .send_as(
                    &who,
                    Method::POST,
                    "/api/v1/operations/preview",
                    Some(json!({"selection": {"accountIds": [target]}, "actions": [action]})),
                )
                .await;
            assert_eq!(answer.status(), 200);
            let body: Value = answer.json().await.unwrap();
            body["items"][0].clone()
        }
    };
    // A product admin cannot add anyone to an admin-granting group; an org admin can.
    let add = json!({"type": "addToGroups", "groupIds": [admin_group]});
    let item = preview(p.product_admin.clone(), add.clone(), p.plain.clone()).await;
    assert_eq!(item["outcome"], "skip", "{item}");
    assert!(
        item["reason"].as_str().unwrap().contains("admin rights"),
        "{item}"
    );
    let item = preview(p.stack.admin.clone(), add, p.plain.clone()).await;
    assert_eq!(item["outcome"], "act", "{item}");
    // Nobody suspends themselves.
    for who in [p.product_admin.clone(), p.user_access_admin.clone()] {
        let item = preview(who.clone(), json!({"type": "suspend"}), who).await;
        assert_eq!(item["outcome"], "skip", "{item}");
        assert!(
            item["reason"].as_str().unwrap().contains("yourself"),
            "{item}"
        );
    }
    // Administered scope: a product admin of one Jira sees suspend refused and other
    // products skipped.
    p.allow_limited_admins(true, "administered").await;
    let me: Value = p
        .json_as(&p.product_admin, Method::GET, "/api/v1/me", None)
        .await;
    let (site, product) = &p.administered;
    assert_eq!(
        me["access"]["scope"],
        json!([{"siteId": site, "productKey": product}]),
        "{me}"
    );
    let item = preview(
        p.product_admin.clone(),
        json!({"type": "suspend"}),
        p.plain.clone(),
    )
    .await;
    assert_eq!(item["outcome"], "skip", "{item}");
}

async fn walk(p: &People, token: &str, descending: bool) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/users?pageSize=7&descending={descending}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page: Value = p
            .with_token(token, Method::GET, &path, None)
            .await
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 7, "{page}");
        seen.extend(
            items
                .iter()
                .map(|u| u["accountId"].as_str().unwrap().to_owned()),
        );
        match page["nextCursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return seen,
        }
    }
}

async fn scripts_walk_every_user_with_cursors(backend: Backend) {
    let p = People::start(backend).await;
    let (_, read) = p.token(&p.stack.admin, &["read"]).await;
    let expected = sorted_ids(
        &p.with_token(
            &read,
            Method::POST,
            "/api/v1/users/select",
            Some(json!({"filter": {}})),
        )
        .await
        .json()
        .await
        .unwrap(),
    );
    for descending in [false, true] {
        let walked = walk(&p, &read, descending).await;
        let mut sorted = walked.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), walked.len(), "no user twice");
        assert_eq!(
            sorted, expected,
            "every user once (descending: {descending})"
        );
    }
    // Page sizes from 1 to 1000; a forged cursor names the field.
    for (size, ok) in [(0, false), (1, true), (1000, true), (1001, false)] {
        let answer = p
            .with_token(
                &read,
                Method::GET,
                &format!("/api/v1/users?pageSize={size}"),
                None,
            )
            .await;
        assert_eq!(answer.status().is_success(), ok, "pageSize {size}");
    }
    let forged = p
        .with_token(&read, Method::GET, "/api/v1/users?cursor=bm9wZQ", None)
        .await;
    assert_eq!(error(forged, 400).await.1["field"], "cursor");
}

async fn limited_admins_see_only_what_they_administer(backend: Backend) {
    let p = People::start(backend).await;
    p.allow_limited_admins(true, "administered").await;
    let (site, product) = p.administered.clone();
    let org = p.stack.sim("/__sim/org").await;
    let holds = |u: &Value| {
        u["productAccess"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["siteId"] == site.as_str() && a["productKey"] == product.as_str())
    };
    // What the organization admin sees filtering by that product is what the limited admin
    // sees unfiltered.
    let expected = sorted_ids(
        &p.stack
            .post(
                "/api/v1/users/select",
                json!({"filter": {"products": [{"productKey": product, "siteId": site}]}}),
            )
            .await
            .json()
            .await
            .unwrap(),
    );
    assert!(!expected.is_empty());
    let outsider = org["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| !holds(u) && !u["productAccess"].as_array().unwrap().is_empty())
        .expect("someone with other products only")["accountId"]
        .as_str()
        .unwrap()
        .to_owned();
    let seen = sorted_ids(
        &p.stack
            .send_as(
                &p.product_admin,
                Method::POST,
                "/api/v1/users/select",
                Some(json!({"filter": {}})),
            )
            .await
            .json()
            .await
            .unwrap(),
    );
    assert_eq!(
        seen, expected,
        "a product admin of one Jira sees that Jira's users"
    );
    let page: Value = p
        .json_as(
            &p.product_admin,
            Method::POST,
            "/api/v1/users/search",
            Some(json!({"pageSize": 100})),
        )
        .await;
    assert_eq!(page["total"].as_u64().unwrap() as usize, expected.len());
    // Of each user's access, they see what they administer.
    let theirs_only = |products: &Value| {
        products
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["siteId"] == site.as_str() && a["productKey"] == product.as_str())
    };
    for user in page["items"].as_array().unwrap() {
        assert!(theirs_only(&user["products"]), "{user}");
        assert_eq!(user["sites"], json!([site]), "{user}");
    }
    // Their users' activity is judged, shown and sorted on what they administer, as the
    // organization admin's filter by that product does.
    for inactive in [json!(null), json!(30)] {
        let by_product = json!({"inactiveDays": inactive,
            "products": [{"productKey": product, "siteId": site}]});
        let unfiltered = json!({"inactiveDays": inactive});
        same_activity(&p, unfiltered, by_product.clone()).await;
        // A product they do not administer selects nobody for them.
        let elsewhere = json!({"inactiveDays": inactive,
            "products": [{"productKey": "confluence", "siteId": site}]});
        let none = p
            .json_as(
                &p.product_admin,
                Method::POST,
                "/api/v1/users/search",
                Some(json!({"filter": elsewhere})),
            )
            .await;
        assert_eq!(none["total"], 0, "{none}");
        // Their filter by the product on every site judges it on their site only.
        let every_site = json!({"inactiveDays": inactive, "products": [{"productKey": product}]});
        same_activity(&p, every_site, by_product).await;
    }
    let detail = p
        .stack
        .send_as(
            &p.product_admin,
            Method::GET,
            &format!("/api/v1/users/{outsider}"),
            None,
        )
        .await;
    assert_eq!(detail.status(), 404);
    let insider = expected[0].clone();
    let seen: Value = p
        .json_as(
            &p.product_admin,
            Method::GET,
            &format!("/api/v1/users/{insider}"),
            None,
        )
        .await;
    assert!(theirs_only(&seen["products"]), "{seen}");
    assert!(theirs_only(&seen["access"]), "{seen}");
    // Nor may they name them in an operation: refused before anything is planned.
    let naming = json!({"selection": {"accountIds": [insider, outsider]},
        "actions": [{"type": "removeFromGroups", "groupIds": [plain_group(&org)]}]});
    for path in ["/api/v1/operations/preview", "/api/v1/operations"] {
        let refused = p
            .stack
            .send_as(&p.product_admin, Method::POST, path, Some(naming.clone()))
            .await;
        let (code, details) = error(refused, 400).await;
        assert_eq!(
            (code.as_str(), &details["field"]),
            ("validation_failed", &json!("selection.accountIds")),
            "{path}"
        );
    }
    // Someone given no product yet is theirs to give one (onboarding).
    let newcomer = org["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| {
            u["productAccess"].as_array().unwrap().is_empty()
                && u["accountType"] == "atlassian"
                && u["status"] == "active"
        })
        .expect("someone without any product")["accountId"]
        .clone();
    let onboarding = json!({"selection": {"accountIds": [newcomer]},
        "actions": [{"type": "addToGroups", "groupIds": [plain_group(&org)]}]});
    let previewed = p
        .stack
        .send_as(
            &p.product_admin,
            Method::POST,
            "/api/v1/operations/preview",
            Some(onboarding.clone()),
        )
        .await;
    assert_eq!(
        previewed.status(),
        200,
        "{}",
        previewed.text().await.unwrap()
    );
    // What an org admin's operation did: only to the users the limited admin sees.
    let body = json!({"selection": {"accountIds": [insider, outsider]},
        "actions": [{"type": "addToGroups", "groupIds": [plain_group(&org)]}]});
    let id = finished_operation(&p, body).await;
    let results: Value = p
        .json_as(
            &p.product_admin,
            Method::GET,
            &format!("/api/v1/operations/{id}/results"),
            None,
        )
        .await;
    let whose: Vec<&str> = results["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["accountId"].as_str().unwrap())
        .collect();
    assert_eq!(whose, [insider.as_str()], "{results}");
    // The detail page's pages of steps too.
    let steps: Value = p
        .json_as(
            &p.product_admin,
            Method::GET,
            &format!("/api/v1/operations/{id}/steps?limit=1"),
            None,
        )
        .await;
    assert_eq!(steps["items"].as_array().unwrap().len(), 1, "{steps}");
    assert_eq!(steps["items"][0]["accountId"], insider.as_str(), "{steps}");
    assert!(steps["nextCursor"].is_null(), "{steps}");
    // Its progress counts only their share, and their list holds only what they started.
    let seen: Value = p
        .json_as(
            &p.product_admin,
            Method::GET,
            &format!("/api/v1/operations/{id}"),
            None,
        )
        .await;
    assert_eq!(seen["progress"]["total"], 1, "{seen}");
    let whole: Value = p
        .stack
        .get(&format!("/api/v1/operations/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(whole["progress"]["total"], 2, "{whole}");
    let listed = |who: String| {
        let p = &p;
        async move {
            p.json_as(&who, Method::GET, "/api/v1/operations", None)
                .await
        }
    };
    let theirs = listed(p.product_admin.clone()).await;
    assert_eq!(theirs["total"], 0, "{theirs}");
    // An operation on nobody they see is no operation of theirs at all.
    let elsewhere = json!({"selection": {"accountIds": [outsider]},
        "actions": [{"type": "addToGroups", "groupIds": [plain_group(&org)]}]});
    let other = finished_operation(&p, elsewhere).await;
    for tail in ["", "/results", "/steps"] {
        let hidden = p
            .stack
            .send_as(
                &p.product_admin,
                Method::GET,
                &format!("/api/v1/operations/{other}{tail}"),
                None,
            )
            .await;
        assert_eq!(error(hidden, 404).await.0, "not_found", "{tail}");
    }
    let started: Value = p
        .json_as(
            &p.product_admin,
            Method::POST,
            "/api/v1/operations",
            Some(onboarding.clone()),
        )
        .await;
    let theirs = listed(p.product_admin.clone()).await;
    assert_eq!(theirs["total"], 1, "{theirs}");
    assert_eq!(theirs["items"][0]["id"], started["id"], "{theirs}");
    let everything = listed(p.stack.admin.clone()).await;
    assert_eq!(everything["total"], 3, "{everything}");
    // Nor may they cancel or revert it: for them it does not exist.
    for (verb, body) in [("cancel", None), ("revert", Some(json!({"preview": true})))] {
        let hidden = p
            .stack
            .send_as(
                &p.product_admin,
                Method::POST,
                &format!("/api/v1/operations/{other}/{verb}"),
                body,
            )
            .await;
        assert_eq!(error(hidden, 404).await.0, "not_found", "{verb}");
    }
    // Steps on a product they do not administer are not theirs to read, even on their users
    // (the group memberships that grant one are, as their users' rows show them).
    let holds = |u: &Value| -> Vec<String> {
        u["productAccess"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["siteId"] == site.as_str())
            .map(|a| a["productKey"].as_str().unwrap().to_owned())
            .collect()
    };
    let users = org["users"].as_array().unwrap();
    let on_site: Vec<String> = users.iter().flat_map(holds).collect();
    // One of their users and a product of the site they lack: the step says so, on it.
    let (someone, lacked) = users
        .iter()
        .filter(|u| expected.contains(&u["accountId"].as_str().unwrap().to_owned()))
        .find_map(|u| {
            let theirs = holds(u);
            let lacked = on_site
                .iter()
                .find(|k| *k != &product && !theirs.contains(k))?;
            Some((u["accountId"].clone(), lacked.clone()))
        })
        .expect("one of their users lacking a product of the site");
    let elsewhere = json!({"selection": {"accountIds": [someone]},
        "actions": [{"type": "removeAppAccess", "targets": [{"siteId": site, "productKey": lacked}]}]});
    let beyond = finished_operation(&p, elsewhere).await;
    let on_lacked = format!("\"productKey\":\"{lacked}\"");
    let whole = p
        .stack
        .get(&format!("/api/v1/operations/{beyond}/steps"))
        .await
        .text()
        .await
        .unwrap();
    assert!(whole.contains(&on_lacked), "{whole}");
    let someone = someone.as_str().unwrap();
    for (who, path) in [
        (&p.stack.admin, format!("/api/v1/users/{someone}/history")),
        (
            &p.product_admin,
            format!("/api/v1/operations/{beyond}/steps"),
        ),
        (&p.product_admin, format!("/api/v1/users/{someone}/history")),
    ] {
        let answer = p.stack.send_as(who, Method::GET, &path, None).await;
        let text = answer.text().await.unwrap();
        let org_admin = who == &p.stack.admin;
        assert_eq!(text.contains(&on_lacked), org_admin, "{path}: {text}");
    }
    // Tasks and webhooks act on the whole organization: not theirs to read.
    for path in ["/api/v1/tasks", "/api/v1/webhooks"] {
        let refused = p
            .stack
            .send_as(&p.product_admin, Method::GET, path, None)
            .await;
        assert_eq!(error(refused, 403).await.0, "access_denied", "{path}");
    }
    // An organization admin's operation is theirs to cancel or revert, not a limited admin's.
    for (verb, body) in [("cancel", None), ("revert", Some(json!({"preview": true})))] {
        let refused = p
            .stack
            .send_as(
                &p.product_admin,
                Method::POST,
                &format!("/api/v1/operations/{id}/{verb}"),
                body,
            )
            .await;
        assert_eq!(error(refused, 403).await.0, "access_denied", "{verb}");
    }
    let history = |who: String| {
        let p = &p;
        async move {
            p.stack
                .send_as(
                    &p.product_admin,
                    Method::GET,
                    &format!("/api/v1/users/{who}/history"),
                    None,
                )
                .await
                .status()
        }
    };
    assert_eq!(history(outsider.clone()).await, 404);
    assert_eq!(history(insider.clone()).await, 200);
    // An imported list selects only the users they see.
    let imported: Value = p
        .json_as(
            &p.product_admin,
            Method::POST,
            "/api/v1/users/import-selection",
            Some(json!({"csv": format!("accountId\n{insider}\n{outsider}\n")})),
        )
        .await;
    assert_eq!(imported["accountIds"], json!([insider]), "{imported}");
    assert_eq!(imported["unmatched"][0]["value"], outsider.as_str());
    let tiles: Value = p
        .json_as(&p.product_admin, Method::GET, "/api/v1/dashboard", None)
        .await;
    let tiles = tiles["products"].as_array().unwrap();
    assert!(!tiles.is_empty());
    assert!(tiles
        .iter()
        .all(|t| t["siteId"] == site.as_str() && t["productKey"] == product.as_str()));
    let history: Value = p
        .json_as(
            &p.product_admin,
            Method::GET,
            "/api/v1/dashboard/history",
            None,
        )
        .await;
    let points = history["points"].as_array().unwrap();
    assert!(!points.is_empty(), "{history}");
    assert!(
        points
            .iter()
            .all(|t| t["siteId"] == site.as_str() && t["productKey"] == product.as_str()),
        "{history}"
    );
    // Administering two products, their activity is judged on both, as an organization admin's
    // filter by both judges it.
    p.grant(&p.product_admin, "atlassian/admin", "confluence", &site)
        .await;
    let both = json!([{"productKey": product, "siteId": site},
        {"productKey": "confluence", "siteId": site}]);
    for inactive in [json!(null), json!(30)] {
        let unfiltered = json!({"inactiveDays": inactive});
        same_activity(
            &p,
            unfiltered,
            json!({"inactiveDays": inactive, "products": both}),
        )
        .await;
    }
    // The organization admin still sees everyone.
    let everyone: Value = p
        .stack
        .post("/api/v1/users/select", json!({"filter": {}}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        everyone["accountIds"].as_array().unwrap().len(),
        org["users"].as_array().unwrap().len()
    );
}

#[actix_web::test]
async fn unknown_tenants_and_bad_signatures_get_the_same_answer() {
    let app = crate::common::TestApp::start(Backend::Sqlite).await;
    let tenant = app.install(crate::common::SITES[0]).await;
    let admin = crate::common::ADMIN;
    let forged = app.context_token(&tenant.client_key, "not-the-secret", admin);
    let unknown = app.context_token("client-nobody", &tenant.secret, admin);
    let mut answers = Vec::new();
    for token in [forged, unknown] {
        let answer = app.api_get("/api/v1/license", Some(&token)).await;
        answers.push((answer.status(), answer.text().await.unwrap()));
    }
    assert_eq!(answers[0].0, 401);
    assert_eq!(
        answers[0], answers[1],
        "a caller cannot tell which tenants exist"
    );
}

/// The limited product admin's search of `theirs` lists the users the organization admin's
/// search of `org_admins` lists, with the same last activity, in the same order (last active
/// first, the first 100).
async fn same_activity(p: &People, theirs: Value, org_admins: Value) {
    let search = |filter: Value| json!({"filter": filter, "sort": {"field": "lastActive", "descending": true}, "pageSize": 100});
    let rows = |page: Value| {
        let items: Vec<(Value, Value)> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| (u["accountId"].clone(), u["lastActive"].clone()))
            .collect();
        (page["total"].clone(), items)
    };
    let what = format!("{theirs} against {org_admins}");
    let limited = p
        .json_as(
            &p.product_admin,
            Method::POST,
            "/api/v1/users/search",
            Some(search(theirs)),
        )
        .await;
    let whole: Value = p
        .stack
        .post("/api/v1/users/search", search(org_admins))
        .await
        .json()
        .await
        .unwrap();
    assert!(limited["total"].as_u64().unwrap() > 0, "{what}: {limited}");
    assert_eq!(rows(limited), rows(whole), "{what}");
}

/// Starts an operation as the organization admin and waits until it has finished; its id.
async fn finished_operation(p: &People, body: Value) -> i64 {
    let started: Value = p
        .stack
        .post("/api/v1/operations", body)
        .await
        .json()
        .await
        .unwrap();
    let id = started["id"].as_i64().unwrap();
    p.stack
        .wait_operation(id, std::time::Duration::from_secs(60), finished)
        .await;
    id
}
