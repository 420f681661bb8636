//! The sync scenario, on the path users run: a real `orgwarden serve` against a real `cloudsim
//! serve`, the app installed through cloudsim's signed lifecycle, the organization's API key
//! saved through the HTTP API as an org admin (which starts the first full sync), progress
//! polled once a second. Reports the run's own `startedAt` → `finishedAt` against the bound the
//! Admin API's rate limit implies, and the CPU seconds both processes spent meanwhile (on shared
//! cores the wall time moves with the neighbours, the CPU seconds do not).

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use clap::Args;
use orgwarden_store::sync_runs::SyncRunState;
use orgwarden_store::testing::{fresh_database, TestDatabase};
use orgwarden_store::Backend;
use reqwest::Method;
use serde_json::{json, Value};

use crate::fixture::{start_sim, write_json, AdminApiArgs, API_KEY};
use crate::procfs::{cpu_seconds, peak_rss_mib};
use crate::served::{Admin, Server};

/// Sync scenario settings.
#[derive(Args)]
pub struct SyncArgs {
    /// Users in the organization.
    #[arg(long, default_value_t = 100_000)]
    users: usize,
    /// Sites.
    #[arg(long, default_value_t = 10)]
    sites: usize,
    /// Groups.
    #[arg(long, default_value_t = 2000)]
    groups: usize,
    /// The Admin API's pace.
    #[command(flatten)]
    api: AdminApiArgs,
    /// Wall-time target as a multiple of the bound.
    #[arg(long, default_value_t = 1.25)]
    target_ratio: f64,
    /// Target for the CPU seconds orgwarden spends on the sync.
    #[arg(long, default_value_t = 20.0)]
    target_cpu_seconds: f64,
    /// Name of the JSON written under target/bench.
    #[arg(long, default_value = "sync")]
    name: String,
    /// After the full sync, change 1 % of the users and measure the daily (incremental) sync,
    /// then a manual full reconciliation beside the published generation.
    #[arg(long)]
    resync: bool,
    /// Mirror into a throwaway PostgreSQL database (`ORGWARDEN_TEST_POSTGRES_URL`, as
    /// `scripts/with-postgres.sh` sets it) instead of an SQLite file.
    #[arg(long)]
    postgres: bool,
}

fn pages(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
}

/// The fewest Admin API requests a full sync of `org` (cloudsim's `/__sim/org`) needs:
/// directories + workspaces + group pages + one G8 per granting group + user pages.
fn minimum_requests(org: &Value) -> (usize, usize, usize, usize) {
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let (users, groups) = (list(&org["users"]).len(), list(&org["groups"]));
    let granting = groups
        .iter()
        .filter(|g| g["roles"].as_array().is_some_and(|r| !r.is_empty()))
        .count();
    let workspaces: usize = list(&org["sites"])
        .iter()
        .map(|s| s["products"].as_array().map_or(0, Vec::len))
        .sum();
    let minimum =
        1 + pages(workspaces, 100) + pages(groups.len(), 100) + granting + pages(users, 100);
    (minimum, users, groups.len(), granting)
}

/// A run's own `startedAt` → `finishedAt`, in seconds.
pub fn run_seconds(status: &Value) -> anyhow::Result<f64> {
    Ok(
        (time(status, "finishedAt")? - time(status, "startedAt")?).num_milliseconds() as f64
            / 1000.0,
    )
}

fn time(status: &Value, field: &str) -> anyhow::Result<DateTime<Utc>> {
    let text = status[field]
        .as_str()
        .with_context(|| format!("the run's {field}"))?;
    Ok(DateTime::parse_from_rfc3339(text)?.with_timezone(&Utc))
}

/// Polls `GET /api/v1/sync` once a second until the run ends; returns its last status.
async fn wait_for_sync(admin: &mut Admin<'_>) -> anyhow::Result<Value> {
    let deadline = Instant::now() + Duration::from_secs(1800);
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let status = admin.call(Method::GET, "/api/v1/sync", None).await?;
        match serde_json::from_value(status["state"].clone()) {
            Ok(SyncRunState::Succeeded) => return Ok(status),
            Ok(SyncRunState::Failed) => bail!("the sync failed: {}", status["error"]),
            _ => {}
        }
    }
    bail!("the sync did not end within 30 minutes")
}

/// Runs the scenario.
pub async fn run(args: SyncArgs) -> anyhow::Result<()> {
    let flags: Vec<String> = [
        ("--users", args.users.to_string()),
        ("--sites", args.sites.to_string()),
        ("--groups", args.groups.to_string()),
    ]
    .into_iter()
    .flat_map(|(k, v)| [k.to_owned(), v])
    .chain(args.api.sim_flags())
    .collect();
    let sim = start_sim(&flags).await?;
    let dir = tempfile::tempdir()?;
    let (database_url, _throwaway): (String, Option<TestDatabase>) = if args.postgres {
        let db = fresh_database(Backend::Postgres);
        (db.url.clone(), Some(db))
    } else {
        (
            format!("sqlite://{}/bench.sqlite", dir.path().display()),
            None,
        )
    };
    let backend = if args.postgres { "Postgres" } else { "Sqlite" };
    let server = Server::start(&sim, &database_url, args.api.rate_limit).await?;
    server.install(&sim).await?;
    let org: Value = reqwest::get(format!("{}/__sim/org", sim.url))
        .await?
        .json()
        .await?;
    let (minimum, users, groups, granting) = minimum_requests(&org);
    let mut admin = Admin::new(&sim, &server, &org).await?;
    drop(org);

    let cpu_before = (cpu_seconds(server.pid())?, cpu_seconds(sim.pid())?);
    let key = json!({"key": API_KEY, "expiresAt": "2099-12-31"});
    admin
        .call(Method::PUT, "/api/v1/settings/api-key", Some(key))
        .await?;
    let status = wait_for_sync(&mut admin).await?;
    let cpu = cpu_seconds(server.pid())? - cpu_before.0;
    let sim_cpu = cpu_seconds(sim.pid())? - cpu_before.1;
    let rss = peak_rss_mib(server.pid())?;
    let wall = run_seconds(&status)?;
    let bound = minimum as f64 / args.api.rate_limit;
    let ratio = wall / bound;
    let requests = status["requests"].as_i64().unwrap_or_default();
    println!("  backend:               {backend} (orgwarden serve + cloudsim serve)");
    println!("  organization: {users} users, {groups} groups ({granting} granting access)");
    println!("  minimum requests:      {minimum}");
    println!(
        "  rate-limit bound:      {bound:.2} s   (at {} requests/s)",
        args.api.rate_limit
    );
    println!("  wall time:             {wall:.2} s   (the run's startedAt -> finishedAt)");
    println!(
        "  ratio:                 {ratio:.3}   (target <= {})",
        args.target_ratio
    );
    println!(
        "  CPU orgwarden:         {cpu:.1} s   (target <= {} s)",
        args.target_cpu_seconds
    );
    println!("  CPU cloudsim:          {sim_cpu:.1} s");
    println!("  requests sent:         {requests}");
    println!("  peak RSS (orgwarden):  {rss:.0} MiB   (target <= 300 MiB)");
    let (resync, reconcile) = if args.resync {
        let resync = crate::sync_resync::run(&sim, &server, &mut admin, &status).await?;
        let reconcile = crate::sync_resync::reconcile(&server, &mut admin, &resync, bound).await?;
        (resync, reconcile)
    } else {
        (Value::Null, Value::Null)
    };
    write_json(
        &args.name,
        &json!({
            "scenario": "sync", "path": "served", "backend": backend, "users": users,
            "groups": groups, "grantingGroups": granting,
            "latencyMs": args.api.latency_ms, "rateLimit": args.api.rate_limit,
            "minimumRequests": minimum, "boundSeconds": bound, "wallSeconds": wall, "ratio": ratio,
            "cpuSecondsOrgwarden": cpu, "cpuSecondsCloudsim": sim_cpu,
            "requestsSent": requests, "peakRssMiB": rss, "resync": resync,
            "reconciliation": reconcile,
            "targets": {"ratio": args.target_ratio, "cpuSecondsOrgwarden": args.target_cpu_seconds, "peakRssMiB": 300},
        }),
    )
}
