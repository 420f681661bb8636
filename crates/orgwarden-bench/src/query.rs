//! The query scenario: named filters at pages of 50, a limited admin following another admin's
//! operation, the dashboard, and a CSV export of every user, on a large mirror, on SQLite and
//! PostgreSQL.

use std::time::{Duration, Instant};

use chrono::Utc;
use clap::{Args, ValueEnum};
use orgwarden_server::export::{write_export, ExportFormat, ExportMeta, ExportOrder};
use orgwarden_store::operations::Selection;
use orgwarden_store::users::{self, Filter, Sort, SortField};
use orgwarden_store::{mirror, Backend, Database};
use serde_json::json;

use crate::fixture::{
    connect, full_sync, peak_rss_mib, reset_peak_rss, rss_mib, start_sim, tenant, write_json, Sim,
};
use crate::query_filters::{by_last_active, filters};
use crate::query_following::following;

/// Targets of issue #5.
const FILTER_TARGET_MS: f64 = 50.0;
const DASHBOARD_TARGET_MS: f64 = 100.0;
const EXPORT_TARGET_S: f64 = 3.0;
/// "Flat memory": how much the export may grow the process's resident set.
const EXPORT_GROWTH_TARGET_MIB: f64 = 64.0;

/// Which backends to measure.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Backends {
    /// SQLite only.
    Sqlite,
    /// PostgreSQL only (needs `ORGWARDEN_TEST_POSTGRES_URL` or `--database-url`).
    Postgres,
    /// Both, SQLite first.
    Both,
}

impl Backends {
    /// The backends chosen, in the order they are measured.
    pub(crate) fn list(self) -> &'static [Backend] {
        match self {
            Self::Sqlite => &[Backend::Sqlite],
            Self::Postgres => &[Backend::Postgres],
            Self::Both => &[Backend::Sqlite, Backend::Postgres],
        }
    }
}

/// Query scenario settings.
#[derive(Args)]
pub struct QueryArgs {
    /// Users in the organization.
    #[arg(long, default_value_t = 100_000)]
    users: usize,
    /// Timed runs per query.
    #[arg(long, default_value_t = 20)]
    iterations: usize,
    /// Backends to measure (with `--database-url`, the URL's backend only).
    #[arg(long, value_enum, default_value = "both")]
    backend: Backends,
    /// Measure this database (`sqlite://PATH` or `postgres://…`) instead of a throwaway one; it is
    /// synced only when it holds no mirror yet, so a kept database makes reruns quick.
    #[arg(long)]
    database_url: Option<String>,
    /// With `--database-url`: sync again even when a mirror is there.
    #[arg(long)]
    resync: bool,
}

pub(crate) fn p95(mut samples: Vec<Duration>) -> f64 {
    samples.sort();
    let index = ((samples.len() as f64) * 0.95).ceil() as usize;
    samples[index.saturating_sub(1).min(samples.len() - 1)].as_secs_f64() * 1000.0
}

pub(crate) fn verdict(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "MISSED"
    }
}

/// Runs the scenario on the chosen backends.
pub async fn run(args: QueryArgs) -> anyhow::Result<()> {
    let flags: Vec<String> = ["--users", &args.users.to_string(), "--sites", "10"]
        .into_iter()
        .chain(["--groups", "2000"])
        .map(str::to_owned)
        .collect();
    let mut sim: Option<Sim> = None;
    let mut results = Vec::new();
    if let Some(url) = &args.database_url {
        let db = Database::connect(url)?;
        db.run_migrations()?;
        let synced = mirror::current(&mut *db.get()?, &tenant())?.is_some();
        if !synced || args.resync {
            let sim = sim.insert(start_sim(&flags).await?);
            sync_into(&db, sim).await?;
        }
        results.push(measure(&db, db.backend(), args.iterations)?);
    } else {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let wanted = matches!(
                (args.backend, backend),
                (Backends::Both, _)
                    | (Backends::Sqlite, Backend::Sqlite)
                    | (Backends::Postgres, Backend::Postgres)
            );
            if !wanted {
                continue;
            }
            if backend == Backend::Postgres && std::env::var("ORGWARDEN_TEST_POSTGRES_URL").is_err()
            {
                println!("  PostgreSQL skipped: run under scripts/with-postgres.sh (make bench does) or pass --database-url");
                continue;
            }
            let test = orgwarden_store::testing::fresh_database(backend);
            let sim = match sim.as_ref() {
                Some(sim) => sim,
                None => sim.insert(start_sim(&flags).await?),
            };
            sync_into(&test.db, sim).await?;
            results.push(measure(&test.db, backend, args.iterations)?);
        }
    }
    write_json(
        "query",
        &json!({
            "scenario": "query", "users": args.users, "backends": results,
            "targets": {"filterP95Ms": FILTER_TARGET_MS, "dashboardP95Ms": DASHBOARD_TARGET_MS,
                        "csvExportSeconds": EXPORT_TARGET_S, "csvExportRssGrowthMiB": EXPORT_GROWTH_TARGET_MIB},
        }),
    )
}

async fn sync_into(db: &Database, sim: &Sim) -> anyhow::Result<()> {
    let started = Instant::now();
    let ctx = connect(db, sim, 0.0).await?;
    full_sync(&ctx).await?;
    println!(
        "  mirror synced in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn measure(
    db: &Database,
    backend: Backend,
    iterations: usize,
) -> anyhow::Result<serde_json::Value> {
    let mut conn = db.get()?;
    let published =
        mirror::current(&mut conn, &tenant())?.ok_or_else(|| anyhow::anyhow!("no mirror"))?;
    let generation = published.generation;
    let now = Utc::now().naive_utc();
    let site = users::dashboard(&mut conn, &tenant(), generation, None, 90, now)?
        .first()
        .map(|t| t.site_id.clone())
        .unwrap_or_default();
    let group = users::groups(&mut conn, &tenant(), generation)?
        .into_iter()
        .max_by_key(|g| g.member_count)
        .map(|g| g.id)
        .unwrap_or_default();
    let sample = users::search(
        &mut conn,
        &tenant(),
        generation,
        &Filter::default(),
        Sort::default(),
        1,
        1,
        now,
    )?;
    let domain = sample
        .items
        .first()
        .and_then(|u| u.email.as_deref())
        .and_then(|e| e.split_once('@'))
        .map(|(_, d)| d.to_owned())
        .unwrap_or_default();
    println!("  {backend:?}:");
    let mut rows = Vec::new();
    let mut time_page = |filter: &Filter, sort: Sort| -> anyhow::Result<(f64, i64)> {
        let mut samples = Vec::new();
        let mut total = 0;
        for _ in 0..iterations {
            let started = Instant::now();
            let page = users::search(&mut conn, &tenant(), generation, filter, sort, 1, 50, now)?;
            samples.push(started.elapsed());
            total = page.total;
        }
        Ok((p95(samples), total))
    };
    for (name, filter) in filters(&site, &group, &domain) {
        let (p95, total) = time_page(&filter, Sort::default())?;
        let ok = verdict(p95 <= FILTER_TARGET_MS);
        println!(
            "    {name:<45} {total:>7} users   p95 {p95:>7.1} ms   (target <= {FILTER_TARGET_MS} ms) {ok}"
        );
        rows.push(json!({"filter": name, "matching": total, "p95Ms": p95}));
    }
    for (name, filter) in by_last_active(&site) {
        let newest_first = Sort {
            field: SortField::LastActive,
            descending: true,
        };
        let (p95, total) = time_page(&filter, newest_first)?;
        println!("    {name:<45} {total:>7} users   p95 {p95:>7.1} ms   (no target)");
        rows.push(json!({"filter": name, "matching": total, "p95Ms": p95}));
    }
    rows.extend(following(&mut conn, generation, &site, iterations)?);
    let mut samples = Vec::new();
    for _ in 0..iterations {
        let started = Instant::now();
        users::dashboard(&mut conn, &tenant(), generation, None, 90, now)?;
        samples.push(started.elapsed());
    }
    let dashboard = p95(samples);
    println!(
        "    {:<45} {:>13}   p95 {dashboard:>7.1} ms   (target <= {DASHBOARD_TARGET_MS} ms) {}",
        "dashboard, all sites, 90 days",
        "",
        verdict(dashboard <= DASHBOARD_TARGET_MS)
    );
    let mut exports = Vec::new();
    // Everyone in both orders, and a filter (a third of the users) in the browser's.
    let inactive = filters(&site, &group, &domain)
        .into_iter()
        .find(|(name, _)| name.starts_with("inactive >= 30 days"))
        .map(|(_, filter)| filter)
        .ok_or_else(|| anyhow::anyhow!("no inactivity filter"))?;
    for (name, order, filter) in [
        (
            "CSV export of all users, by account id",
            ExportOrder::AccountId,
            Filter::default(),
        ),
        (
            "CSV export of all users, by name",
            ExportOrder::Browser(Sort::default()),
            Filter::default(),
        ),
        (
            "CSV export of inactive >= 30 days, by name",
            ExportOrder::Browser(Sort::default()),
            inactive,
        ),
    ] {
        let before = rss_mib();
        reset_peak_rss();
        let started = Instant::now();
        // The server's own writer, as `POST /api/v1/users/export` runs it.
        let meta = ExportMeta {
            tenant_id: tenant(),
            exported_by: "bench".to_owned(),
            exported_at: now.and_utc(),
            selection: Selection {
                filter: Some(filter),
                account_ids: None,
            },
            order,
        };
        let exported = write_export(&mut conn, &meta, ExportFormat::Csv, &mut std::io::sink())?;
        let export = started.elapsed().as_secs_f64();
        let growth = (peak_rss_mib() - before).max(0.0);
        println!(
            "    {name:<45} {exported:>7} users   {export:>9.2} s   (target <= {EXPORT_TARGET_S} s) {}",
            verdict(export <= EXPORT_TARGET_S)
        );
        println!(
            "    {:<45} {:>13}   {growth:>7.1} MiB   (target <= {EXPORT_GROWTH_TARGET_MIB} MiB) {}",
            "  resident memory growth during the export",
            "",
            verdict(growth <= EXPORT_GROWTH_TARGET_MIB)
        );
        exports.push(
            json!({"export": name, "seconds": export, "users": exported, "rssGrowthMiB": growth}),
        );
    }
    Ok(json!({
        "backend": format!("{backend:?}"), "filters": rows, "dashboardP95Ms": dashboard,
        "csvExports": exports,
    }))
}
