//! Exports (CSV, JSON, XLSX), CSV import of a selection, the dashboard's seat prices and its daily
//! history, through the real server against cloudsim, on SQLite and PostgreSQL.

use crate::operations_support::model::{ordinary, pick};
use crate::operations_support::{error, start};
use orgwarden_cloudsim::SimConfig;
use orgwarden_store::on_both_backends;
use orgwarden_store::Backend;
use serde_json::{json, Value};

on_both_backends!(exports_imports_savings_and_history);

async fn exports_imports_savings_and_history(backend: Backend) {
    let (_sim, _app, s) = start(
        backend,
        SimConfig {
            users: 180,
            sites: 2,
            groups: 10,
            ..SimConfig::default()
        },
    )
    .await;
    let org = s.sim("/__sim/org").await;
    let sim_users = org["users"].as_array().unwrap();

    // CSV of everyone: one row per user of the organization, in account-id order.
    let response = s
        .post(
            "/api/v1/users/export",
            json!({"selection": {"filter": {}}, "format": "csv"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment") && disposition.contains(".csv"),
        "{disposition}"
    );
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        orgwarden_server::export::CSV_HEADER.to_vec()
    );
    let ids: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    let mut expected: Vec<String> = sim_users
        .iter()
        .map(|u| u["accountId"].as_str().unwrap().to_owned())
        .collect();
    expected.sort();
    assert_eq!(ids, expected);

    // A filter: the same users as the search's total.
    let filter = json!({"statuses": ["active"], "accountTypes": ["atlassian"]});
    let page: Value = s
        .post(
            "/api/v1/users/search",
            json!({"filter": filter, "pageSize": 10}),
        )
        .await
        .json()
        .await
        .unwrap();
    let json_export: Value = s
        .post(
            "/api/v1/users/export",
            json!({"selection": {"filter": filter}, "format": "json"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json_export["count"], page["total"]);
    assert_eq!(
        json_export["users"].as_array().unwrap().len() as u64,
        page["total"].as_u64().unwrap()
    );
    assert_eq!(json_export["exportedBy"], json!(s.admin));

    // A selection as XLSX: a zip workbook naming both sheets.
    let chosen = pick(&org, 5, ordinary);
    let xlsx = s
        .post(
            "/api/v1/users/export",
            json!({"selection": {"accountIds": chosen}, "format": "xlsx"}),
        )
        .await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap();
    let text = workbook_text(&bytes);
    let me: Value = s.get("/api/v1/me").await.json().await.unwrap();
    let admin = sim_users
        .iter()
        .find(|u| u["accountId"] == json!(s.admin))
        .unwrap();
    for expected in [
        "Summary",
        "Users",
        "Site",
        me["tenant"]["baseUrl"].as_str().unwrap(),
        "Exported by",
        admin["name"].as_str().unwrap(),
        admin["email"].as_str().unwrap(),
        "5 selected users",
        chosen[0].as_str(),
    ] {
        assert!(text.contains(expected), "the workbook lacks {expected:?}");
    }

    // In the browser's order, for a filter and for a selection: the order of the search's
    // pages, whatever the sort.
    for sort in [
        json!({"field": "name"}),
        json!({"field": "lastActive", "descending": true}),
        json!({"field": "email"}),
    ] {
        let browsed = browse(&s, &filter, &sort).await;
        let exported = export_ids(&s, json!({"filter": filter}), &sort).await;
        assert_eq!(exported, browsed, "sorted by {sort}");
        let mut picked = browsed.clone();
        picked.reverse();
        picked.truncate(7);
        let expected: Vec<String> = browsed
            .iter()
            .filter(|id| picked.contains(id))
            .cloned()
            .collect();
        let selected = export_ids(&s, json!({"accountIds": picked}), &sort).await;
        assert_eq!(selected, expected, "a selection sorted by {sort}");
    }

    // Filtered by a product, "Last active" is the last use of that product, in the rows as in
    // the order (the sort read the organization-wide date before).
    let sim_org = s.sim("/__sim/org").await;
    let access = sim_org["users"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|u| u["productAccess"].as_array().unwrap().iter())
        .next()
        .expect("someone with a product")
        .clone();
    let product =
        json!({"products": [{"productKey": access["productKey"], "siteId": access["siteId"]}]});
    let found: Value = s
        .post(
            "/api/v1/users/search",
            json!({"filter": product, "sort": {"field": "lastActive", "descending": true}, "pageSize": 100}),
        )
        .await
        .json()
        .await
        .unwrap();
    let shown: Vec<Option<&str>> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["lastActive"].as_str())
        .collect();
    assert!(shown.len() > 1, "{found}");
    let mut expected = shown.clone();
    // Newest first, never-used last (timestamps in one format compare as text).
    expected.sort_by(|a, b| match (a, b) {
        (Some(a), Some(b)) => b.cmp(a),
        (a, b) => b.is_some().cmp(&a.is_some()),
    });
    assert_eq!(shown, expected);

    // JSON and XLSX in the browser's order too; a sorted file holds the same entries as the
    // file in account-id order.
    let sort = json!({"field": "name", "descending": true});
    let browsed = browse(&s, &filter, &sort).await;
    let export =
        |format: &str| json!({"selection": {"filter": filter}, "format": format, "sort": sort});
    let raw = s
        .post("/api/v1/users/export", export("json"))
        .await
        .text()
        .await
        .unwrap();
    let sorted: Value = serde_json::from_str(&raw).unwrap();
    assert!(
        raw.starts_with("{\"exportedBy\":"),
        "compact, keys in order"
    );
    assert!(raw.ends_with(&format!("],\"count\":{}}}", browsed.len())));
    let listed: Vec<&str> = sorted["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["accountId"].as_str().unwrap())
        .collect();
    assert_eq!(listed, browsed);
    assert_eq!(sorted["count"], json!(browsed.len()));
    assert_eq!(sorted["exportedBy"], json!(s.admin));
    let by_account = |users: &Value| {
        let mut users = users.as_array().unwrap().clone();
        users.sort_by_key(|u| u["accountId"].as_str().unwrap().to_owned());
        users
    };
    assert_eq!(
        by_account(&sorted["users"]),
        by_account(&json_export["users"])
    );
    let workbook = s.post("/api/v1/users/export", export("xlsx")).await;
    let text = workbook_text(&workbook.bytes().await.unwrap());
    let places: Vec<usize> = browsed
        .iter()
        .map(|id| {
            text.find(id.as_str())
                .expect("the workbook lists every user")
        })
        .collect();
    assert!(
        places.windows(2).all(|w| w[0] < w[1]),
        "the workbook lists users in the browser's order"
    );
    assert!(
        text.contains(&format!("<t>Users</t></si><si><t>{}</t>", browsed.len())),
        "the summary counts the users listed"
    );

    // Everyone in the browser's order (each chunk read as one id range), and nobody.
    let everyone = browse(&s, &json!({}), &sort).await;
    assert!(everyone.len() > browsed.len());
    assert_eq!(export_ids(&s, json!({"filter": {}}), &sort).await, everyone);
    let nobody = json!({"filter": {"search": "no such person anywhere"}});
    assert!(export_ids(&s, nobody, &sort).await.is_empty());

    // Bad requests name the field.
    let (_, details) = error(
        s.post(
            "/api/v1/users/export",
            json!({"selection": {"filter": {"inactiveDays": 0}}, "format": "csv"}),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(details["field"], "selection.filter.inactiveDays");
    let (code, _) = error(
        s.post(
            "/api/v1/users/export",
            json!({"selection": {"filter": {}}, "format": "pdf"}),
        )
        .await,
        400,
    )
    .await;
    assert_eq!(code, "invalid_json");

    // Import: emails in any case, an account id, a duplicate, an unknown email.
    let emails: Vec<String> = sim_users
        .iter()
        .filter(|u| chosen[..3].contains(&u["accountId"].as_str().unwrap().to_owned()))
        .map(|u| u["email"].as_str().unwrap().to_uppercase())
        .collect();
    let file = format!(
        "Email,Note\n{}\n{},dup\n{}\nnobody@nowhere.example\n",
        emails.join("\n"),
        emails[0],
        chosen[3]
    );
    let imported: Value = s
        .post("/api/v1/users/import-selection", json!({"csv": file}))
        .await
        .json()
        .await
        .unwrap();
    let mut got: Vec<String> = serde_json::from_value(imported["accountIds"].clone()).unwrap();
    got.sort();
    let mut want = chosen[..4].to_vec();
    want.sort();
    assert_eq!(got, want, "{imported}");
    assert_eq!(imported["rows"], 6);
    assert_eq!(imported["matched"].as_array().unwrap().len(), 5);
    assert_eq!(imported["unmatched"][0]["value"], "nobody@nowhere.example");
    assert_eq!(imported["unmatched"][0]["row"], 7);
    let (_, details) = error(
        s.post("/api/v1/users/import-selection", json!({"csv": "email\n"}))
            .await,
        400,
    )
    .await;
    assert_eq!(details["field"], "csv");

    // Seat prices turn inactive seats into savings; the Settings threshold is the default.
    let mut settings: Value = s.get("/api/v1/settings").await.json().await.unwrap();
    assert_eq!(settings["currency"], "USD", "the default currency");
    settings["seatPrices"] = json!({"confluence": 5.5});
    settings["inactiveDays"] = json!(30);
    settings["currency"] = json!("EUR");
    let saved = s
        .send(reqwest::Method::PUT, "/api/v1/settings", Some(settings))
        .await;
    assert_eq!(saved.status(), 200);
    let dashboard: Value = s.get("/api/v1/dashboard").await.json().await.unwrap();
    assert_eq!(dashboard["inactiveDays"], 30);
    assert_eq!(dashboard["currency"], "EUR");
    let mut total = 0.0;
    for tile in dashboard["products"].as_array().unwrap() {
        if tile["productKey"] == "confluence" {
            let savings = tile["inactive"].as_f64().unwrap() * 5.5;
            assert_eq!(tile["monthlySavings"].as_f64().unwrap(), savings);
            total += savings;
        } else {
            assert!(tile["monthlySavings"].is_null(), "{tile}");
        }
    }
    assert_eq!(dashboard["totalMonthlySavings"].as_f64().unwrap(), total);

    // The first sync recorded today's snapshot: one point per tile (at the threshold of then).
    let history: Value = s
        .get("/api/v1/dashboard/history")
        .await
        .json()
        .await
        .unwrap();
    let points = history["points"].as_array().unwrap();
    let tiles = dashboard["products"].as_array().unwrap();
    assert_eq!(points.len(), tiles.len(), "{history}");
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert!(points.iter().all(|p| p["day"] == json!(today)), "{history}");
    assert!(points
        .iter()
        .all(|p| p["siteName"].as_str().is_some_and(|n| !n.is_empty())));
    let (_, details) = error(s.get("/api/v1/dashboard/history?days=0").await, 400).await;
    assert_eq!(details["field"], "days");
}

/// Every XML part of an XLSX workbook, concatenated (sheet names, shared and inline strings).
fn workbook_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        if part.name().ends_with(".xml") {
            part.read_to_string(&mut text).unwrap();
        }
    }
    text
}

/// Every account id the search lists for `filter` in `sort`'s order, page after page.
async fn browse(s: &crate::operations_support::Stack, filter: &Value, sort: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for page in 1.. {
        let found: Value = s
            .post(
                "/api/v1/users/search",
                json!({"filter": filter, "sort": sort, "page": page, "pageSize": 25}),
            )
            .await
            .json()
            .await
            .unwrap();
        let items = found["items"].as_array().unwrap();
        ids.extend(
            items
                .iter()
                .map(|u| u["accountId"].as_str().unwrap().to_owned()),
        );
        if items.len() < 25 {
            return ids;
        }
    }
    unreachable!()
}

/// The account ids of a CSV export of `selection` in `sort`'s order.
async fn export_ids(
    s: &crate::operations_support::Stack,
    selection: Value,
    sort: &Value,
) -> Vec<String> {
    let response = s
        .post(
            "/api/v1/users/export",
            json!({"selection": selection, "format": "csv", "sort": sort}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    assert!(
        text.starts_with("accountId,name,email,status,accountType,billable,sites,products,groups,roles,lastActive,addedToOrg\n"),
        "the header line comes first"
    );
    assert!(text.ends_with('\n'), "every row ends its line");
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap()[0].to_owned())
        .collect()
}
