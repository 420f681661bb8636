//! Every CSV the app writes neutralises cells a spreadsheet would run as formulas, on each
//! backend: a user whose name is a formula, in the users export and in the audit export (as an
//! actor), and an operation whose reason is one, in its results.

use std::time::Duration;

use orgwarden_cloudsim::SimConfig;
use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::audit_support::{manual_sync, sim_post};
use crate::operations_support::{finished, plain_group, start};
use orgwarden_store::on_both_backends;

on_both_backends!(formulas_are_neutralised_in_every_export);

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"Click\")";

/// The cells of a CSV text, parsed as a spreadsheet's importer would.
fn cells(text: &str) -> Vec<String> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

async fn formulas_are_neutralised_in_every_export(backend: Backend) {
    let config = SimConfig {
        users: 20,
        sites: 1,
        groups: 4,
        ..SimConfig::default()
    };
    let (_sim, _app, s) = start(backend, config).await;
    let added = sim_post(
        &s,
        "/__sim/users",
        json!({"name": FORMULA, "email": "formula@acme.example", "orgAdmin": true}),
    )
    .await;
    let evil = added["accountId"].as_str().unwrap().to_owned();
    assert_eq!(manual_sync(&s).await, "succeeded");

    // Users export: the name is a cell starting with a quote.
    let users = s
        .post(
            "/api/v1/users/export",
            json!({"selection": {"accountIds": [evil]}, "format": "csv"}),
        )
        .await
        .text()
        .await
        .unwrap();
    let users = cells(&users);
    assert!(users.contains(&format!("'{FORMULA}")), "{users:?}");
    assert!(!users.iter().any(|c| c.starts_with('=')), "{users:?}");

    // Operation results: a reason that is a formula.
    let group = plain_group(&s.sim("/__sim/org").await);
    let body = json!({"selection": {"accountIds": [evil]}, "reason": "+SUM(A1:A9)",
        "actions": [{"type": "addToGroups", "groupIds": [group]}]});
    let op: Value = s
        .post("/api/v1/operations", body)
        .await
        .json()
        .await
        .unwrap();
    let id = op["id"].as_i64().unwrap();
    s.wait_operation(id, Duration::from_secs(60), finished)
        .await;
    let results = s
        .get(&format!("/api/v1/operations/{id}/results?format=csv"))
        .await
        .text()
        .await
        .unwrap();
    let results = cells(&results);
    assert!(results.contains(&"'+SUM(A1:A9)".to_owned()), "{results:?}");

    // Audit export: the formula-named admin acts, and is named in the trail.
    let mut settings: Value = s.get("/api/v1/settings").await.json().await.unwrap();
    settings["inactiveDays"] = json!(33);
    let changed = s
        .send_as(&evil, Method::PUT, "/api/v1/settings", Some(settings))
        .await;
    assert_eq!(changed.status(), 200);
    let audit = s
        .get("/api/v1/audit/export?format=csv&kind=settings.updated")
        .await
        .text()
        .await
        .unwrap();
    let audit = cells(&audit);
    assert!(audit.contains(&format!("'{FORMULA}")), "{audit:?}");
    for text in [&users, &results, &audit] {
        assert!(
            !text
                .iter()
                .any(|c| c.starts_with(['=', '+', '-', '@', '\t', '\r'])),
            "{text:?}"
        );
    }
}
