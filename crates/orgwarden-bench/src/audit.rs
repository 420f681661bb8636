//! The audit scenario: what writing audit entries costs a settings change (the store work of
//! `PUT /api/v1/settings` with and without its entry, and optionally the HTTP call itself), and
//! how fast the newest page of a 100,000-entry trail lists ([`crate::audit_pages`]), on SQLite
//! and PostgreSQL.

use std::time::{Duration, Instant};

use chrono::Utc;
use clap::Args;
use diesel::connection::SimpleConnection;
use orgwarden_store::audit::{self, Actor, Kind, NewEntry, Via};
use orgwarden_store::testing::fresh_database;
use orgwarden_store::{settings, tenants, Backend, Cipher, DbConnection};
use serde_json::json;

use crate::audit_pages;
use crate::audit_rows::{bare_row_save, create_heap_table_sql, BARE_TENANT, HEAP_TABLE};
use crate::fixture::{tenant, write_json, TENANT};
use crate::query::{verdict, Backends};

/// Target of issue #15: what the entry may add to the PUT.
const OVERHEAD_TARGET: f64 = 0.05;
/// Audit scenario settings.
#[derive(Args)]
pub struct AuditArgs {
    /// Entries in the trail whose newest page is listed.
    #[arg(long, default_value_t = 100_000)]
    entries: usize,
    /// Timed runs per measurement (the settings change's are a few tens of microseconds apart:
    /// many runs keep the medians steady on shared cores).
    #[arg(long, default_value_t = 2000)]
    iterations: usize,
    /// Backends to measure (PostgreSQL needs `ORGWARDEN_TEST_POSTGRES_URL`).
    #[arg(long, value_enum, default_value = "both")]
    backend: Backends,
    /// Median latency of `PUT /api/v1/settings` through HTTP on SQLite, in ms (measured by
    /// `tests/bench/audit.sh`), to express SQLite's store overhead against.
    #[arg(long)]
    put_median_ms: Option<f64>,
    /// The same on PostgreSQL.
    #[arg(long)]
    put_median_ms_postgres: Option<f64>,
}

fn median(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1000.0
}

/// The `i`th entry an admin makes.
pub(crate) fn entry(i: usize) -> NewEntry {
    NewEntry {
        kind: if i.is_multiple_of(3) {
            Kind::OperationFinished
        } else {
            Kind::SettingsUpdated
        },
        actor: Actor {
            account_id: format!("557058:{:08}", i % 50),
            name: format!("Admin {}", i % 50),
            via: Via::Jwt,
        },
        summary: format!("Changed settings: inactiveDays ({i})"),
        details: json!({"changes": {"inactiveDays": {"old": i, "new": i + 1}}}),
    }
}

/// What a timed settings change writes beside the change itself.
#[derive(Clone, Copy, PartialEq)]
enum Write {
    /// Nothing.
    Plain,
    /// Its audit entry, as the handler writes it: carried by the change's own statement on
    /// PostgreSQL (linked after the commit), appended at once on SQLite.
    Entry,
    /// Its audit entry appended and linked in the change's transaction, through
    /// `audit::write_recorded` (how the handler wrote it before, and other changes still do).
    LinkedAtCommit,
    /// The entry's row by a bare `INSERT` of its own (no lock, no link), with the `COMMIT`.
    BareRow,
    /// The same row into a table with no index at all ([`HEAP_TABLE`]).
    HeapRow,
}

fn save(conn: &mut DbConnection, days: i64, write: Write, n: usize) -> anyhow::Result<Duration> {
    let s = settings::Settings {
        inactive_days: days,
        ..settings::Settings::default()
    };
    let started = Instant::now();
    match write {
        Write::BareRow => bare_row_save(conn, &s, "audit_entries", n)?,
        Write::HeapRow => bare_row_save(conn, &s, HEAP_TABLE, n)?,
        // As the settings handler does.
        Write::Entry => orgwarden_store::transaction(conn, |conn| {
            let old = settings::get_for_update(conn, &tenant())?;
            let e = entry_of(&old, &s)?;
            settings::save_recorded(conn, &tenant(), &s, "bench", &e, Utc::now().naive_utc())?;
            Ok::<_, anyhow::Error>(())
        })?,
        Write::Plain | Write::LinkedAtCommit => {
            audit::write_recorded(conn, &tenant(), Utc::now().naive_utc(), |conn| {
                let entry = change(conn, &s)?;
                Ok::<_, anyhow::Error>(((), (write == Write::LinkedAtCommit).then_some(entry)))
            })?
        }
    }
    Ok(started.elapsed())
}

/// The settings change, its entry written apart; returns the entry.
pub(crate) fn change(conn: &mut DbConnection, s: &settings::Settings) -> anyhow::Result<NewEntry> {
    let old = settings::get_for_update(conn, &tenant())?;
    settings::save(conn, &tenant(), s, "bench", Utc::now().naive_utc())?;
    entry_of(&old, s)
}

/// The entry of a change from `old` to `new`, as the handler writes it.
fn entry_of(old: &settings::Settings, new: &settings::Settings) -> anyhow::Result<NewEntry> {
    let mut e = entry(0);
    e.details = audit::changes(
        &serde_json::to_value(old)?,
        &serde_json::to_value(new)?,
        &[],
    );
    Ok(e)
}

fn measure(backend: Backend, args: &AuditArgs) -> anyhow::Result<serde_json::Value> {
    let name = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    println!("  {name}:");
    let fresh = fresh_database(backend);
    let db = fresh.db.clone();
    let mut conn = db.get()?;
    let install = tenants::Installation {
        client_key: TENANT.into(),
        shared_secret: "bench".into(),
        ..Default::default()
    };
    let cipher = Cipher::from_base64(&Cipher::generate_master_key())?;
    tenants::install(&mut conn, &cipher, &install, Utc::now().naive_utc())?;

    let bare_tenant = tenants::Installation {
        client_key: BARE_TENANT.into(),
        shared_secret: "bench".into(),
        ..Default::default()
    };
    tenants::install(&mut conn, &cipher, &bare_tenant, Utc::now().naive_utc())?;
    conn.batch_execute(&create_heap_table_sql())?;

    // Alternate them, so all see the same warm caches.
    let (mut plain, mut audited, mut linking, mut at_commit, mut bare, mut heap) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for i in 0..args.iterations {
        let days = 30 + (i as i64 % 300);
        plain.push(save(&mut conn, days, Write::Plain, i)?);
        audited.push(save(&mut conn, days + 1, Write::Entry, i)?);
        // What the server does in the background once the PUT has answered.
        let started = Instant::now();
        audit::link_pending(&mut conn, &tenant())?;
        linking.push(started.elapsed());
        at_commit.push(save(&mut conn, days + 2, Write::LinkedAtCommit, i)?);
        bare.push(save(&mut conn, days + 3, Write::BareRow, i)?);
        heap.push(save(&mut conn, days + 4, Write::HeapRow, i)?);
    }
    let (plain_ms, audited_ms, bare_ms) = (median(plain), median(audited), median(bare));
    let (heap_ms, linking_ms, at_commit_ms) = (median(heap), median(linking), median(at_commit));
    let added = audited_ms - plain_ms;
    let bare_added = bare_ms - plain_ms;
    let heap_added = heap_ms - plain_ms;
    let at_commit_added = at_commit_ms - plain_ms;
    println!(
        "    settings save: {plain_ms:.3} ms, with its entry {audited_ms:.3} ms (+{added:.3} ms); \
         linking it after the answer: {linking_ms:.3} ms"
    );
    println!(
        "    the entry appended and linked in the change's transaction instead: \
         {at_commit_ms:.3} ms (+{at_commit_added:.3} ms)"
    );
    println!(
        "    the entry's row by a bare INSERT of its own: {bare_ms:.3} ms (+{bare_added:.3} ms); \
         the entry costs {:.2}x it",
        added / bare_added
    );
    println!("    the same row into a table with no index: {heap_ms:.3} ms (+{heap_added:.3} ms)");
    let put = match backend {
        Backend::Sqlite => args.put_median_ms,
        Backend::Postgres => args.put_median_ms_postgres,
    };
    let share = put.map(|put| added / put);
    if let (Some(share), Some(put)) = (share, put) {
        let ok = verdict(share < OVERHEAD_TARGET);
        println!(
            "    of a PUT /api/v1/settings on {name} ({put:.3} ms): +{:.1} % (target < 5 %) {ok}; \
             linked at commit: +{:.1} %, the bare row alone: +{:.1} %, a row in a table with no \
             index: +{:.1} %",
            share * 100.0,
            at_commit_added / put * 100.0,
            bare_added / put * 100.0,
            heap_added / put * 100.0
        );
    }

    let (pages, verify_s) = audit_pages::measure(&mut conn, args.entries, args.iterations)?;
    Ok(json!({
        "backend": name,
        "settingsSaveMs": plain_ms, "settingsSaveWithEntryMs": audited_ms, "addedMs": added,
        "linkAfterAnswerMs": linking_ms, "linkedAtCommitMs": at_commit_ms, "linkedAtCommitAddedMs": at_commit_added,
        "settingsSaveWithBareRowMs": bare_ms, "bareRowAddedMs": bare_added,
        "settingsSaveWithHeapRowMs": heap_ms, "heapRowAddedMs": heap_added,
        "putMedianMs": put, "shareOfPut": share, "entries": args.entries, "pages": pages, "verifySeconds": verify_s,
    }))
}

/// Runs the scenario.
pub async fn run(args: AuditArgs) -> anyhow::Result<()> {
    println!(
        "audit: settings changes with their entries, {} entries listed",
        args.entries
    );
    let mut results = Vec::new();
    for backend in args.backend.list() {
        let args_ref = &args;
        results.push(tokio::task::block_in_place(|| measure(*backend, args_ref))?);
    }
    write_json(
        "audit",
        &json!({"scenario": "audit",
            "target": {"listP95Ms": audit_pages::LIST_TARGET_MS, "overhead": OVERHEAD_TARGET}, "results": results}),
    )
}
