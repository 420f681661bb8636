//! The sync scenario: wall time against the bound the Admin API's rate limit implies.

use std::time::Instant;

use clap::Args;
use orgwarden_store::testing::fresh_database;
use orgwarden_store::{Backend, Database};
use serde_json::json;

use crate::fixture::{connect, full_sync, peak_rss_mib, start_sim, write_json, AdminApiArgs};

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
    /// Name of the JSON written under target/bench.
    #[arg(long, default_value = "sync")]
    name: String,
    /// Mirror into a throwaway PostgreSQL database (`ORGWARDEN_TEST_POSTGRES_URL`, as
    /// `scripts/with-postgres.sh` sets it) instead of an SQLite file.
    #[arg(long)]
    postgres: bool,
}

fn pages(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
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
    let throwaway;
    let db = if args.postgres {
        throwaway = fresh_database(Backend::Postgres);
        throwaway.db.clone()
    } else {
        let db = Database::connect(&format!("sqlite://{}/bench.sqlite", dir.path().display()))?;
        db.run_migrations()?;
        db
    };
    let ctx = connect(&db, &sim, args.api.rate_limit).await?;
    let started = Instant::now();
    let run = full_sync(&ctx).await?;
    let wall = started.elapsed().as_secs_f64();
    let rss = peak_rss_mib();

    let org: serde_json::Value = reqwest::get(format!("{}/__sim/org", sim.url))
        .await?
        .json()
        .await?;
    let users = org["users"].as_array().map_or(0, Vec::len);
    let groups = org["groups"].as_array().cloned().unwrap_or_default();
    let granting = groups
        .iter()
        .filter(|g| g["roles"].as_array().is_some_and(|r| !r.is_empty()))
        .count();
    let workspaces: usize = org["sites"].as_array().map_or(0, |s| {
        s.iter()
            .map(|s| s["products"].as_array().map_or(0, Vec::len))
            .sum()
    });
    // directories + workspaces + group pages + one G8 per granting group + user pages.
    let minimum =
        1 + pages(workspaces, 100) + pages(groups.len(), 100) + granting + pages(users, 100);
    let bound = minimum as f64 / args.api.rate_limit;
    let ratio = wall / bound;
    println!("  backend:               {:?}", db.backend());
    println!("  organization: {users} users, {} groups ({granting} granting access), {workspaces} workspaces", groups.len());
    println!("  minimum requests:      {minimum}");
    println!(
        "  rate-limit bound:      {bound:.2} s   (at {} requests/s)",
        args.api.rate_limit
    );
    println!("  wall time:             {wall:.2} s");
    println!(
        "  ratio:                 {ratio:.3}   (target <= {})",
        args.target_ratio
    );
    println!("  requests sent:         {}", run.requests);
    println!("  peak RSS (orgwarden):  {rss:.0} MiB   (target <= 300 MiB)");
    write_json(
        &args.name,
        &json!({
            "scenario": "sync", "backend": format!("{:?}", db.backend()), "users": users, "groups": groups.len(), "grantingGroups": granting,
            "latencyMs": args.api.latency_ms, "rateLimit": args.api.rate_limit,
            "minimumRequests": minimum, "boundSeconds": bound, "wallSeconds": wall, "ratio": ratio,
            "requestsSent": run.requests, "peakRssMiB": rss,
            "targets": {"ratio": args.target_ratio, "peakRssMiB": 300},
        }),
    )
}
