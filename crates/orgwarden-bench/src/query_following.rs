//! A limited admin following another admin's operation: what each refresh of its page reads to
//! count the share of steps they see (in the database), beside what a refresh read before that
//! was counted there (every user they see, and every step of the operation).

use std::time::Instant;

use chrono::Utc;
use orgwarden_store::access::Administered;
use orgwarden_store::operations::{self, Outcome};
use orgwarden_store::testing::{planned_operation, suspend_step};
use orgwarden_store::users::{self, Filter};
use orgwarden_store::DbConnection;
use serde_json::{json, Value};

use crate::fixture::tenant;
use crate::query::p95;

/// Steps of the operation followed: one per user, the first users by account id.
const STEPS: usize = 10_000;

/// Times the refresh of a limited admin (one site's Confluence) following another admin's
/// 10,000-step operation, both ways; prints and returns the rows.
pub(crate) fn following(
    conn: &mut DbConnection,
    generation: i64,
    site: &str,
    iterations: usize,
) -> anyhow::Result<Vec<Value>> {
    let now = Utc::now().naive_utc();
    let everyone =
        users::matching_account_ids(conn, &tenant(), generation, &Filter::default(), now)?;
    let plan: Vec<_> = everyone
        .into_iter()
        .take(STEPS)
        .map(|id| suspend_step(id, Outcome::Act, String::new()))
        .collect();
    let id = planned_operation(conn, &tenant(), "bench:another-admin", &plan);
    let within = vec![Administered {
        site_id: site.to_owned(),
        product_key: Some("confluence".into()),
    }];
    let mut counted = Vec::new();
    let mut read_whole = Vec::new();
    let mut shown = 0;
    for _ in 0..iterations {
        let started = Instant::now();
        shown = operations::shown_counts(conn, &tenant(), Some(generation), id, &within)?.total();
        counted.push(started.elapsed());
        let started = Instant::now();
        let filter = Filter {
            within: Some(within.clone()),
            ..Filter::default()
        };
        users::matching_account_ids(conn, &tenant(), generation, &filter, now)?;
        operations::items_page(conn, &tenant(), id, (0, None), i64::MAX)?;
        read_whole.push(started.elapsed());
    }
    let mut rows = Vec::new();
    for (name, samples) in [
        ("following a 10,000-step operation, counted", counted),
        ("  the same reading every user and step", read_whole),
    ] {
        let p95 = p95(samples);
        println!("    {name:<45} {shown:>7} steps   p95 {p95:>7.1} ms   (no target)");
        rows.push(json!({"filter": name, "matching": shown, "p95Ms": p95}));
    }
    Ok(rows)
}
