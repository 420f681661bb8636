//! The trail half of the audit scenario: a 100,000-entry trail written, its newest pages listed
//! (all, one kind, one actor), the walks of the whole trail an actor found only at its start
//! costs (by actor, and as a limited admin's own entries), and the chain verified.

use std::time::Instant;

use chrono::Utc;
use orgwarden_store::audit::{self, Actor, Filter, NewEntry};
use orgwarden_store::DbConnection;
use serde_json::json;

use crate::audit::entry;
use crate::fixture::tenant;
use crate::query::{p95, verdict};

/// Target of issue #15: the newest page's p95.
pub const LIST_TARGET_MS: f64 = 20.0;
/// The actor of the trail's oldest filled entry only: their newest page walks the whole trail.
const RARE_ACTOR: &str = "557058:rare";

/// The `i`th entry of the listed trail: every third is the system's, for what an admin asked
/// for (an operation's end).
fn trail_entry(i: usize) -> NewEntry {
    let mut e = entry(i);
    if i.is_multiple_of(3) {
        e.details = json!({"operationId": i, "requestedBy": e.actor.account_id});
        e.actor = Actor::system("orgwarden operations");
    }
    e
}

/// Fills the tenant's trail to `entries`, lists its pages `iterations` times each and verifies
/// it; returns each page's p95 and the verify's seconds.
pub fn measure(
    conn: &mut DbConnection,
    entries: usize,
    iterations: usize,
) -> anyhow::Result<(Vec<serde_json::Value>, f64)> {
    let started = Instant::now();
    let have = audit::list(conn, &tenant(), &Filter::default(), i64::MAX)?.len();
    for chunk in (have..entries).collect::<Vec<_>>().chunks(5_000) {
        orgwarden_store::transaction(conn, |conn| -> anyhow::Result<()> {
            let now = Utc::now().naive_utc();
            for i in chunk {
                let e = if *i == have {
                    let mut rare = entry(*i);
                    rare.actor.account_id = RARE_ACTOR.into();
                    rare
                } else {
                    trail_entry(*i)
                };
                audit::record(conn, &tenant(), &e, now)?;
            }
            Ok(())
        })?;
    }
    println!(
        "    wrote {} entries in {:.1} s",
        entries,
        started.elapsed().as_secs_f64()
    );
    let mut pages = Vec::new();
    for (name, filter, full) in [
        ("newest page", Filter::default(), 51),
        (
            "newest page of one kind",
            Filter {
                kind: Some("operation.finished".into()),
                ..Filter::default()
            },
            51,
        ),
        (
            "newest page of one actor",
            Filter {
                actor: Some("557058:00000007".into()),
                ..Filter::default()
            },
            51,
        ),
        (
            "one actor, oldest entry only",
            Filter {
                actor: Some(RARE_ACTOR.into()),
                ..Filter::default()
            },
            1,
        ),
        (
            "own entries, oldest only",
            Filter {
                own: Some(RARE_ACTOR.into()),
                ..Filter::default()
            },
            1,
        ),
    ] {
        let mut samples = Vec::new();
        // The walk of the whole trail takes milliseconds: fewer runs suffice.
        let runs = if full == 1 { 100 } else { iterations };
        for _ in 0..runs {
            let started = Instant::now();
            // As `GET /api/v1/audit` reads a page: carried entries linked first.
            audit::link_pending(conn, &tenant())?;
            let page = audit::page(conn, &tenant(), &filter, 51, audit::PAGE_DETAILS_MAX)?;
            samples.push(started.elapsed());
            anyhow::ensure!(page.len() == full, "{name}: {full} entries");
        }
        let p95 = p95(samples);
        // The target is the newest page's; a walk of the whole trail has none.
        let target = if full == 1 {
            "(walks the whole trail; no target)".to_owned()
        } else {
            format!(
                "(target <= {LIST_TARGET_MS} ms) {}",
                verdict(p95 <= LIST_TARGET_MS)
            )
        };
        println!("    {name:<28} p95 {p95:>6.2} ms {target}");
        pages.push(json!({"list": name, "p95Ms": p95}));
    }
    let started = Instant::now();
    let key =
        orgwarden_store::Cipher::from_base64(&orgwarden_store::Cipher::generate_master_key())?;
    let verified = audit::verify(conn, &tenant(), key.audit_seal_key(), None)?;
    let verify_s = started.elapsed().as_secs_f64();
    anyhow::ensure!(verified.first_broken_id.is_none(), "the chain verifies");
    println!(
        "    verify of {} entries: {verify_s:.2} s",
        verified.checked
    );
    Ok((pages, verify_s))
}
