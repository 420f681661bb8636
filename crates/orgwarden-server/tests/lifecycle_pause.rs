//! A disabled app stops acting: its running operation pauses (nothing reaches Atlassian while
//! it is disabled) and resumes when the app is enabled again, with nothing repeated; an
//! uninstall cancels what is left.

use std::time::Duration;

use crate::common::TestApp;
use crate::operations_support::model::{apply, assert_same, ordinary, pick, snapshot};
use crate::operations_support::{finished, items_of, start, Stack};
use orgwarden_cloudsim::{RunningSim, SimConfig};
use orgwarden_store::operations::{ItemState, RunState};
use orgwarden_store::Backend;
use serde_json::{json, Value};

async fn lifecycle(s: &Stack, event: &str) {
    let answer = s
        .http
        .post(format!("{}/__sim/{event}", s.sim_url))
        .json(&json!({"descriptorUrl": format!("{}/atlassian-connect.json", s.url)}))
        .send()
        .await
        .unwrap();
    assert!(
        answer.status().is_success(),
        "{event}: {}",
        answer.text().await.unwrap()
    );
}

/// cloudsim's latency per API call while the operation is running, in milliseconds.
const LATENCY_MS: u64 = 300;
/// … and once the test has seen it under way: each call now takes long enough that what is
/// left (about six rounds of 8 calls) outlasts by far the lifecycle change reaching the worker
/// (a heartbeat, every second) and the drain of the calls in flight (one such call).
const SLOWED_MS: u64 = 5_000;

/// Suspensions cloudsim performed, over every account.
fn mutations(stats: &Value) -> u64 {
    stats["mutations"]
        .as_object()
        .map(|m| {
            m.values()
                .filter_map(|a| a["user_access_suspended"].as_u64())
                .sum()
        })
        .unwrap_or(0)
}

/// A slow organization (300 ms per call) suspending 60 people, with the first 5 done and
/// cloudsim slowed down to [`SLOWED_MS`] per call from then on, so the operation is sure to be
/// still running when the test changes the app's lifecycle; also the organization as it was
/// before.
async fn suspending_sixty() -> (RunningSim, TestApp, Stack, Value, i64) {
    let (sim, app, s) = start(
        Backend::Sqlite,
        SimConfig {
            users: 120,
            sites: 2,
            groups: 8,
            latency_ms: LATENCY_MS,
            ..SimConfig::default()
        },
    )
    .await;
    let org = s.sim("/__sim/org").await;
    let users = pick(&org, 60, ordinary);
    let created: Value = s
        .post(
            "/api/v1/operations",
            json!({"selection": {"accountIds": users}, "actions": [{"type": "suspend"}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    s.wait_operation(id, Duration::from_secs(60), |op| {
        op["progress"]["done"].as_i64().unwrap_or(0) >= 5
    })
    .await;
    s.set_latency(SLOWED_MS).await;
    (sim, app, s, org, id)
}

#[actix_web::test]
async fn disabling_pauses_a_running_operation_and_enabling_resumes_it_without_repeats() {
    let (_sim, app, s, org, id) = suspending_sixty().await;
    let before = snapshot(&org);
    lifecycle(&s, "disable").await;
    // The API refuses everyone while disabled, so progress is read from the ledger.
    let paused_phase = || {
        let mut conn = app.db.db.get().unwrap();
        orgwarden_store::operations::find_for_job(&mut conn, id)
            .unwrap()
            .unwrap()
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !paused_phase().phase.starts_with("paused") {
        assert!(
            std::time::Instant::now() < deadline,
            "never paused: {:?}",
            paused_phase()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Paused: the calls in flight have ended and the lease is released, so the organization
    // may answer at its usual pace again (before the guards are changed and the app enabled).
    s.set_latency(LATENCY_MS).await;
    let at_pause = mutations(&s.sim("/__sim/stats").await);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        mutations(&s.sim("/__sim/stats").await),
        at_pause,
        "nothing reaches Atlassian while the app is disabled"
    );
    let done_at_pause = items_of(&app.db.db, id)
        .iter()
        .filter(|i| i.state == ItemState::Done)
        .count();
    assert!(done_at_pause < 58, "paused before the end");

    // While it waits, one user still to do is exempted and another becomes an org admin: the
    // guards are checked again when it resumes.
    let pending: Vec<String> = items_of(&app.db.db, id)
        .iter()
        .filter(|i| i.state == ItemState::Pending)
        .map(|i| i.account_id.to_string())
        .collect();
    let (exempted, promoted) = (pending[0].clone(), pending[1].clone());
    {
        let mut conn = app.db.db.get().unwrap();
        let tenant = paused_phase().tenant_id;
        orgwarden_store::operations::exemptions::add(
            &mut conn,
            &tenant,
            orgwarden_store::operations::exemptions::ExemptionKind::User,
            &exempted,
            "exempted while paused",
            &s.admin,
            chrono::Utc::now().naive_utc(),
        )
        .unwrap();
    }
    let org_id = org["orgId"].as_str().unwrap();
    let promote = s
        .http
        .post(format!(
            "{}/admin/v1/orgs/{org_id}/users/{promoted}/role-assignments/assign",
            s.sim_url
        ))
        .bearer_auth(&s.api_key)
        .json(&json!({"role": "atlassian/org-admin"}))
        .send()
        .await
        .unwrap();
    assert!(promote.status().is_success());

    lifecycle(&s, "enable").await;
    let op = s
        .wait_operation(id, Duration::from_secs(120), finished)
        .await;
    assert_eq!(op["state"], "completed", "{op}");
    let items = items_of(&app.db.db, id);
    assert_eq!(
        items.iter().filter(|i| i.state == ItemState::Done).count(),
        58
    );
    for skipped in [&exempted, &promoted] {
        let item = items.iter().find(|i| &i.account_id == skipped).unwrap();
        assert_eq!(item.state, ItemState::Skipped);
        assert!(
            item.reason
                .as_deref()
                .unwrap_or("")
                .contains("checked again"),
            "{item:?}"
        );
    }
    // Each other user was suspended exactly once: nothing repeated across the pause.
    let stats = s.sim("/__sim/stats").await;
    assert_eq!(mutations(&stats), 58, "{stats}");
    assert_same(
        &snapshot(&s.sim("/__sim/org").await),
        &apply(before, &items),
        "after the pause",
    );
}

#[actix_web::test]
async fn uninstalling_cancels_what_is_left() {
    let (_sim, app, s, _, id) = suspending_sixty().await;
    let answer = s
        .http
        .post(format!("{}/__sim/uninstall", s.sim_url))
        .json(&json!({"descriptorUrl": format!("{}/atlassian-connect.json", s.url)}))
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let op = {
            let mut conn = app.db.db.get().unwrap();
            orgwarden_store::operations::find_for_job(&mut conn, id)
                .unwrap()
                .unwrap()
        };
        if op.state == RunState::Cancelled {
            assert!(op.done < 60, "{op:?}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not cancelled: {op:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
