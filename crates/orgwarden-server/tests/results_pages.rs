//! An operation's results span several pages of its ledger: 12,345 steps come back whole and in
//! plan order, as JSON and as CSV, named from the mirror where it knows the user, and page by
//! page (by outcome) for the detail page.

use chrono::Utc;
use orgwarden_cloudsim::SimConfig;
use orgwarden_ids::TenantId;
use orgwarden_store::operations::{self, Outcome, RunState, Totals};
use orgwarden_store::testing::{planned_operation, suspend_step};
use orgwarden_store::{on_both_backends, Backend, Database};
use serde_json::Value;

use crate::operations_support::start;

on_both_backends!(results_of_many_steps_come_back_whole_and_in_plan_order);

const STEPS: usize = 12_345;

/// A finished operation of `STEPS` suspensions: every third of a user the mirror knows.
fn record_operation(url: &str, tenant: &TenantId, known: &[String]) -> i64 {
    let db = Database::connect(url).unwrap();
    let mut conn = db.get().unwrap();
    // Every fifth waits (pending), the rest were skipped.
    let plan: Vec<_> = (0..STEPS)
        .map(|i| {
            let outcome = if i.is_multiple_of(5) {
                Outcome::Act
            } else {
                Outcome::Skip
            };
            suspend_step(account(i, known), outcome, format!("step {i}"))
        })
        .collect();
    let id = planned_operation(&mut conn, tenant, "557058:results-pages", &plan);
    let totals = Totals {
        total: STEPS as i64,
        done: 0,
        skipped: STEPS as i64,
        failed: 0,
    };
    let now = Utc::now().naive_utc();
    let finished = operations::finish(
        &mut conn,
        id,
        "test",
        RunState::Completed,
        totals,
        None,
        now,
    );
    assert!(finished.unwrap());
    id
}

/// The account id of step `i`.
fn account(i: usize, known: &[String]) -> String {
    if i.is_multiple_of(3) {
        known[i / 3 % known.len()].clone()
    } else {
        format!("557058:gone-{i:05}")
    }
}

async fn results_of_many_steps_come_back_whole_and_in_plan_order(backend: Backend) {
    let config = SimConfig {
        users: 20,
        sites: 1,
        groups: 2,
        ..SimConfig::default()
    };
    let (_sim, app, s) = start(backend, config).await;
    let me: Value = s.get("/api/v1/me").await.json().await.unwrap();
    let tenant = TenantId::from(me["tenant"]["clientKey"].as_str().unwrap());
    let org = s.sim("/__sim/org").await;
    let known: Vec<String> = org["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["accountId"].as_str().unwrap().to_owned())
        .collect();
    let (url, at, names) = (
        app.config.database_url.clone(),
        tenant.clone(),
        known.clone(),
    );
    let id = tokio::task::spawn_blocking(move || record_operation(&url, &at, &names))
        .await
        .unwrap();

    let results: Value = s
        .get(&format!("/api/v1/operations/{id}/results"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(results["operation"]["id"], id, "{}", results["operation"]);
    let items = results["items"].as_array().unwrap();
    assert_eq!(items.len(), STEPS);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["accountId"], account(i, &known), "step {i}");
        assert_eq!(item["reason"], format!("step {i}"), "step {i}");
        assert_eq!(
            item["name"].is_string(),
            i.is_multiple_of(3),
            "step {i}: {item}"
        );
    }

    let csv = s
        .get(&format!("/api/v1/operations/{id}/results?format=csv"))
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let detail = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "detail")
        .expect("a detail column");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), STEPS);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(&row[0], id.to_string(), "row {i}");
        assert_eq!(&row[5], account(i, &known), "row {i}");
        assert_eq!(&row[detail], format!("step {i}"), "row {i}");
    }

    // The detail page's pages: every step once, in plan order, by outcome.
    let walk = |outcome: &'static str| {
        let s = &s;
        async move {
            let (mut seen, mut cursor, mut pages) = (Vec::new(), None::<String>, 0);
            loop {
                let at = cursor.map(|c| format!("&cursor={c}")).unwrap_or_default();
                let path = format!("/api/v1/operations/{id}/steps?limit=500{outcome}{at}");
                let page: Value = s.get(&path).await.json().await.unwrap();
                pages += 1;
                let items = page["items"].as_array().unwrap();
                assert!(items.len() <= 500, "{path}");
                seen.extend(
                    items
                        .iter()
                        .map(|i| i["reason"].as_str().unwrap().to_owned()),
                );
                match page["nextCursor"].as_str() {
                    Some(next) => cursor = Some(next.to_owned()),
                    None => return (seen, pages),
                }
            }
        }
    };
    let step = |i: usize| format!("step {i}");
    let (all, pages) = walk("").await;
    assert_eq!(all, (0..STEPS).map(step).collect::<Vec<_>>());
    assert_eq!(pages, STEPS.div_ceil(500));
    let (pending, _) = walk("&outcome=pending").await;
    let fifths: Vec<String> = (0..STEPS).step_by(5).map(step).collect();
    assert_eq!(pending, fifths);
    let (skipped, _) = walk("&outcome=skipped").await;
    assert_eq!(skipped.len(), STEPS - fifths.len());
    let (done, pages) = walk("&outcome=done").await;
    assert_eq!((done.len(), pages), (0, 1));
    for bad in [
        "outcome=finished",
        "cursor=-1",
        "cursor=x",
        "limit=0",
        "limit=501",
    ] {
        let refused = s.get(&format!("/api/v1/operations/{id}/steps?{bad}")).await;
        assert_eq!(refused.status(), 400, "{bad}");
    }
    let missing = s.get("/api/v1/operations/999999/steps").await;
    assert_eq!(missing.status(), 404);
}
