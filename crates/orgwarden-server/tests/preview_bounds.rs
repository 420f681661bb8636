//! Bounded work per preview, through the real server (in this process) and cloudsim on each
//! backend, over a mirror of 100,000 users.

use orgwarden_cloudsim::SimConfig;
use orgwarden_store::Backend;
use serde_json::{json, Value};

use crate::bulk_support::{add_users, peak_kib, reset_peak, rss_kib, unpooled};
use crate::operations_support::{plain_group, start, Stack};
use orgwarden_store::on_both_backends;

on_both_backends!(many_duplicate_groups_on_100000_users_stay_bounded);

/// Users added to the mirror.
const USERS: usize = 100_000;

/// Of them, the users at `few.example`: 10 steps each are exactly the 300,000-step ceiling.
const FEW: usize = 30_000;

/// The most the process's resident memory may grow during one preview.
const MAX_GROWTH_KIB: u64 = 100 * 1024;

/// A preview of `selection` with 10 actions naming the same group 200 times each: its status,
/// its body, and how far the resident memory of this process (server included) rose above
/// where it was before the request.
async fn preview(s: &Stack, token: &str, selection: Value, group: &str) -> (u16, Value, u64) {
    let actions: Vec<Value> = (0..10)
        .map(|_| json!({"type": "addToGroups", "groupIds": vec![group; 200]}))
        .collect();
    let request = unpooled()
        .post(format!("{}/api/v1/operations/preview", s.url))
        .header("Authorization", format!("JWT {token}"))
        .json(&json!({"selection": selection, "actions": actions}));
    reset_peak();
    let before = rss_kib();
    let answer = request.send().await.unwrap();
    let status = answer.status().as_u16();
    let body = answer.bytes().await.unwrap();
    let growth = peak_kib().saturating_sub(before);
    (status, serde_json::from_slice(&body).unwrap(), growth)
}

/// Proves the "done when" of bounded previews: 10 actions × 200 copies of one group id over
/// 100,000 users is refused with `400 validation_failed` naming `actions` (the duplicates
/// count once, but 100,000 users × 10 steps exceed the 300,000-step plan ceiling), and the
/// same actions over 30,000 of them (a plan of exactly the ceiling) answer a preview whose
/// items are cut at 5,000 and whose totals count every step; neither raises the process's
/// peak resident memory (the server runs in this process) by 100 MiB. (Holding the whole
/// plan, the second preview rose by 119 MiB; counted step by step, by about 35 MiB.)
/// The mirror is written straight into the store, 5,000 users at a time, so the fixture
/// leaves little freed memory for the previews to reuse unseen.
async fn many_duplicate_groups_on_100000_users_stay_bounded(backend: Backend) {
    let (_sim, app, s) = start(
        backend,
        SimConfig {
            users: 20,
            sites: 1,
            groups: 4,
            ..SimConfig::default()
        },
    )
    .await;
    let org = s.sim("/__sim/org").await;
    let group = plain_group(&org);
    let me: Value = s.get("/api/v1/me").await.json().await.unwrap();
    let tenant = me["tenant"]["clientKey"].as_str().unwrap();
    let token = s.token_of(&s.admin).await;
    add_users(&app.db.db, tenant, "bulk", USERS, |i| {
        if i < FEW {
            "few.example"
        } else {
            "many.example"
        }
    });

    let (status, body, growth) = preview(&s, &token, json!({"filter": {}}), &group).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "validation_failed");
    assert_eq!(body["error"]["details"]["field"], "actions");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("up to 10 steps each") && message.contains("at most 300000"),
        "{message}"
    );
    assert!(
        growth < MAX_GROWTH_KIB,
        "a refused preview grew RSS by {growth} KiB"
    );
    println!("refused preview of {USERS} users: peak RSS +{growth} KiB");

    let few = json!({"filter": {"emailDomains": ["few.example"]}});
    let (status, body, growth) = preview(&s, &token, few, &group).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["users"], FEW);
    assert_eq!(body["total"], FEW * 10, "one step per action and user");
    assert_eq!(body["items"].as_array().unwrap().len(), 5_000);
    assert_eq!(body["truncated"], true);
    let totals = &body["totals"];
    assert_eq!(
        totals["act"].as_u64().unwrap() + totals["skip"].as_u64().unwrap(),
        (FEW * 10) as u64
    );
    assert!(
        growth < MAX_GROWTH_KIB,
        "a preview grew RSS by {growth} KiB"
    );
    println!("preview of {FEW} users × 10 steps: peak RSS +{growth} KiB");
}
