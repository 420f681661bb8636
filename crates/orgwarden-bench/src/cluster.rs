//! The cluster scenario: many tenants' syncs run by 1 and then 2 `orgwarden worker` processes
//! on PostgreSQL, through the served path (keys saved and sync runs read through the HTTP API).
//!
//! cloudsim limits each API key on its own, and each tenant has a key of its own; orgwarden runs
//! one sync per tenant at a time and `SYNC_CONCURRENCY` syncs per worker process. So W workers
//! keep at most `min(W × SYNC_CONCURRENCY, tenants)` keys busy, and the Admin API bounds the
//! cluster's throughput at that many times the rate limit.

use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::{DateTime, Utc};
use clap::Args;
use orgwarden_jobs::SYNC_CONCURRENCY;
use orgwarden_store::sync_runs::SyncRunState;
use orgwarden_store::testing::fresh_database;
use orgwarden_store::Backend;
use serde_json::{json, Value};

use crate::bulk::sim_stats;
use crate::cluster_stack::{Cluster, Tenant};
use crate::fixture::{org_admin, start_sim, write_json, AdminApiArgs};
use crate::procfs::{busy_share, cpu_seconds, machine_ticks, postgres_pid, tree_cpu_seconds};

/// Cluster scenario settings.
#[derive(Args)]
pub struct ClusterArgs {
    /// Tenants: one cloudsim site each, with an API key (and so a rate limit) of its own.
    #[arg(long, default_value_t = 20)]
    tenants: usize,
    /// Users in the organization each tenant syncs.
    #[arg(long, default_value_t = 5000)]
    users: usize,
    /// Groups.
    #[arg(long, default_value_t = 40)]
    groups: usize,
    /// The Admin API's pace.
    #[command(flatten)]
    api: AdminApiArgs,
    /// Worker process counts to compare (each on a fresh database and cloudsim).
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    workers: Vec<usize>,
    /// Name of the JSON written under target/bench.
    #[arg(long, default_value = "cluster")]
    name: String,
}

/// Runs the scenario (needs `ORGWARDEN_TEST_POSTGRES_URL`, as `scripts/with-postgres.sh` sets it).
pub async fn run(args: ClusterArgs) -> anyhow::Result<()> {
    println!(
        "cluster scenario: {} tenants x {} users, cloudsim {} ms latency, {} requests/s per key; {} syncs per worker",
        args.tenants, args.users, args.api.latency_ms, args.api.rate_limit, SYNC_CONCURRENCY
    );
    let mut rounds = Vec::new();
    for &workers in &args.workers {
        let round = round(&args, workers).await?;
        print_round(&round);
        rounds.push(round);
    }
    let speedup = match (rounds.first(), rounds.last()) {
        (Some(a), Some(b)) if rounds.len() > 1 => {
            b["throughput"].as_f64().unwrap_or(0.0) / a["throughput"].as_f64().unwrap_or(1.0)
        }
        _ => 1.0,
    };
    if rounds.len() > 1 {
        println!("  throughput of the last worker count over the first: {speedup:.2}x   (expected: the ratio of their bounds)");
    }
    write_json(
        &args.name,
        &json!({
            "scenario": "cluster", "tenants": args.tenants, "users": args.users,
            "latencyMs": args.api.latency_ms, "rateLimit": args.api.rate_limit,
            "syncsPerWorker": SYNC_CONCURRENCY, "rounds": rounds, "speedup": speedup,
        }),
    )
}

fn print_round(r: &Value) {
    println!("  {} worker(s):", r["workers"]);
    println!(
        "    wall time:     {:.1} s   (rate-limit bound {:.1} s, ratio {:.2})",
        r["wallSeconds"].as_f64().unwrap_or(0.0),
        r["boundSeconds"].as_f64().unwrap_or(0.0),
        r["ratio"].as_f64().unwrap_or(0.0)
    );
    println!(
        "    requests:      {}   throughput {:.1} requests/s   (bound {} keys x {} = {} requests/s: {:.0} %)",
        r["requests"],
        r["throughput"].as_f64().unwrap_or(0.0),
        r["busyKeys"],
        r["rateLimit"],
        r["boundThroughput"],
        100.0 * r["shareOfBound"].as_f64().unwrap_or(0.0)
    );
    println!(
        "    429s:          {}   failed API polls: {}",
        r["rateLimited"], r["pollErrors"]
    );
    println!(
        "    runs:          median {} s, longest {} s, at most {} at once",
        r["runSeconds"]["median"], r["runSeconds"]["longest"], r["peakConcurrentRuns"]
    );
    println!(
        "    CPU seconds:   {}   machine busy {:.0} % of all cores",
        r["cpuSeconds"],
        100.0 * r["machineBusyShare"].as_f64().unwrap_or(0.0)
    );
    println!("    load average:  {}", r["loadAverage"]);
}

/// One worker count on a fresh cloudsim and database: install, save keys, start the workers,
/// wait for every tenant's first sync.
async fn round(args: &ClusterArgs, workers: usize) -> anyhow::Result<Value> {
    let keys: Vec<String> = (0..args.tenants)
        .map(|n| format!("ATCTT3xFfGN0bench-cluster-{n}"))
        .collect();
    let mut flags: Vec<String> = [
        ("--users", args.users.to_string()),
        ("--sites", args.tenants.to_string()),
        ("--groups", args.groups.to_string()),
    ]
    .into_iter()
    .flat_map(|(k, v)| [k.to_owned(), v])
    .chain(args.api.sim_flags())
    .collect();
    for key in &keys {
        flags.extend(["--api-key".to_owned(), format!("{key}:2099-12-31")]);
    }
    let sim = start_sim(&flags).await?;
    let db = fresh_database(Backend::Postgres);
    let logs =
        std::path::PathBuf::from(format!("target/bench/{}-logs/{workers}-workers", args.name));
    let mut cluster = Cluster::start(&db.url, &sim.url, args.api.rate_limit, &logs).await?;
    let http = reqwest::Client::new();
    let org: Value = http
        .get(format!("{}/__sim/org", sim.url))
        .send()
        .await?
        .json()
        .await?;
    let admin = org_admin(&org)?;
    let app_url = cluster.url.clone();
    let urls = (sim.url.as_str(), app_url.as_str());
    let mut tenants = Vec::new();
    for (n, key) in keys.iter().enumerate() {
        let site = org["sites"][n]["name"]
            .as_str()
            .context("a site per tenant")?;
        tenants.push(Tenant::install(&http, urls, (site, &admin), (key, "2099-12-31")).await?);
    }
    let web_before = cluster.processes[0].cpu_seconds();
    let sim_before = cpu_seconds(sim.pid()).unwrap_or(0.0);
    let postgres_cpu = || postgres_pid().map_or(Ok(0.0), tree_cpu_seconds);
    let postgres_before = postgres_cpu()?;
    let machine_before = machine_ticks()?;
    cluster.start_workers(workers)?;
    let (runs, poll_errors) = wait_for_syncs(&http, urls, &tenants).await?;
    let machine_busy = busy_share(machine_before, machine_ticks()?);
    let mut cpu: serde_json::Map<String, Value> = cluster
        .processes
        .iter()
        .map(|p| (p.name.clone(), json!(round2(p.cpu_seconds()))))
        .collect();
    cpu.insert(
        "web".into(),
        json!(round2(cluster.processes[0].cpu_seconds() - web_before)),
    );
    cpu.insert(
        "cloudsim".into(),
        json!(round2(cpu_seconds(sim.pid()).unwrap_or(0.0) - sim_before)),
    );
    cpu.insert(
        "postgresql".into(),
        json!(round2(postgres_cpu()? - postgres_before)),
    );
    let stats = sim_stats(&sim.url).await?;
    let mut figures = figures(args, workers, &runs, (cpu, stats["rateLimited"].clone()))?;
    figures["machineBusyShare"] = json!(round2(machine_busy));
    figures["pollErrors"] = json!(poll_errors);
    figures["logs"] = json!(logs.display().to_string());
    Ok(figures)
}

/// The figures of one round from its sync runs (as the API shows them).
fn figures(
    args: &ClusterArgs,
    workers: usize,
    runs: &[Value],
    (cpu, rate_limited): (serde_json::Map<String, Value>, Value),
) -> anyhow::Result<Value> {
    let time = |run: &Value, field: &str| -> anyhow::Result<DateTime<Utc>> {
        let text = run[field]
            .as_str()
            .with_context(|| format!("{field} of {run}"))?;
        Ok(DateTime::parse_from_rfc3339(text)?.with_timezone(&Utc))
    };
    let mut started = Vec::new();
    let mut finished = Vec::new();
    for run in runs {
        started.push(time(run, "startedAt")?);
        finished.push(time(run, "finishedAt")?);
    }
    let first = started.iter().min().context("runs")?;
    let last = finished.iter().max().context("runs")?;
    let wall = (*last - *first).num_milliseconds() as f64 / 1000.0;
    let mut durations: Vec<f64> = started
        .iter()
        .zip(&finished)
        .map(|(s, f)| (*f - *s).num_milliseconds() as f64 / 1000.0)
        .collect();
    durations.sort_by(f64::total_cmp);
    let median_run = durations.get(durations.len() / 2).copied().unwrap_or(0.0);
    let longest_run = durations.last().copied().unwrap_or(0.0);
    let per_run: Vec<i64> = runs
        .iter()
        .map(|r| r["requests"].as_i64().unwrap_or(0))
        .collect();
    let requests: i64 = per_run.iter().sum();
    let rate = args.api.rate_limit;
    let busy_keys = (workers * SYNC_CONCURRENCY).min(args.tenants);
    let bound_throughput = busy_keys as f64 * rate;
    let longest = per_run.iter().copied().max().unwrap_or(0) as f64 / rate;
    let bound = (requests as f64 / bound_throughput).max(longest);
    let throughput = requests as f64 / wall;
    Ok(json!({
        "workers": workers, "wallSeconds": round2(wall), "boundSeconds": round2(bound),
        "ratio": round2(wall / bound), "requests": requests, "throughput": round2(throughput),
        "busyKeys": busy_keys, "rateLimit": rate, "boundThroughput": bound_throughput,
        "shareOfBound": round2(throughput / bound_throughput), "rateLimited": rate_limited,
        "cpuSeconds": cpu, "loadAverage": load_average(),
        "runSeconds": {"median": round2(median_run), "longest": round2(longest_run)},
        "peakConcurrentRuns": peak_overlap(&started, &finished),
    }))
}

/// The most runs that were running at one moment.
fn peak_overlap(started: &[DateTime<Utc>], finished: &[DateTime<Utc>]) -> usize {
    // At equal times an end sorts before a start: a run that ends as another starts is no overlap.
    let mut edges: Vec<(DateTime<Utc>, i32)> = started.iter().map(|t| (*t, 1)).collect();
    edges.extend(finished.iter().map(|t| (*t, -1)));
    edges.sort();
    let (mut running, mut peak) = (0i32, 0i32);
    for (_, step) in edges {
        running += step;
        peak = peak.max(running);
    }
    peak.max(0) as usize
}

/// Polls every tenant's latest sync through the API until all succeeded; returns them and the
/// polls that failed (each logged, then tried again at the next round).
async fn wait_for_syncs(
    http: &reqwest::Client,
    urls: (&str, &str),
    tenants: &[Tenant],
) -> anyhow::Result<(Vec<Value>, Vec<String>)> {
    let mut errors = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(1800);
    let mut done: Vec<Option<Value>> = vec![None; tenants.len()];
    while done.iter().any(Option::is_none) {
        if Instant::now() > deadline {
            bail!("the syncs did not finish within 30 minutes");
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        for (tenant, slot) in tenants.iter().zip(done.iter_mut()) {
            if slot.is_some() {
                continue;
            }
            let run = match tenant.latest_sync(http, urls).await {
                Ok(run) => run,
                Err(error) => {
                    eprintln!("    poll of {} failed: {error:#}", tenant.site);
                    errors.push(format!("{error:#}"));
                    continue;
                }
            };
            match serde_json::from_value(run["state"].clone()) {
                Ok(SyncRunState::Succeeded) => *slot = Some(run),
                Ok(SyncRunState::Failed) => bail!("the sync of {} failed: {run}", tenant.site),
                _ => {}
            }
        }
    }
    Ok((done.into_iter().flatten().collect(), errors))
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}
