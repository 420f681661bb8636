//! The task-run scenario: an automated task whose saved filter selects 10,000 ordinary people
//! (the members of a group made for it) does "remove app access + add to group", as the
//! operations scenario does, with cloudsim at the Admin API's rate limit. It runs through the
//! scheduler's path — `claim_due_runs` (the filter re-evaluated, the run recorded and audited)
//! and the operation job (pre-operation sync of the selection, the changes, post-operation
//! sync) — and is measured against the bound the rate limit implies, with the CPU time and peak
//! memory it cost.

use std::time::Instant;

use anyhow::{ensure, Context};
use chrono::{Timelike, Utc};
use clap::Args;
use futures::{StreamExt, TryStreamExt};
use orgwarden_jobs::tasks::claim_due_runs;
use orgwarden_jobs::{run_operation, SyncContext};
use orgwarden_store::operations::{self, RunState, Selection};
use orgwarden_store::tasks::{self, TaskFields};
use orgwarden_store::{saved_filters, settings, Database};
use rustix::time::{clock_gettime, ClockId};
use serde_json::{json, Value};

use crate::bulk::{plan, sim_stats, BulkArgs, Requests};
use crate::fixture::{
    connect, full_sync, org_admin, peak_rss_mib, reset_peak_rss, start_sim, tenant, write_json,
    AdminApiArgs, Sim, API_KEY,
};
use crate::query::verdict;

/// Task-run scenario settings.
#[derive(Args)]
pub struct TaskRunArgs {
    #[command(flatten)]
    bulk: BulkArgs,
    /// Target: the share of the rate-limit bound reached (bound / wall time).
    #[arg(long, default_value_t = 0.95)]
    target_share: f64,
    /// Name of the JSON written under target/bench.
    #[arg(long, default_value = "task-run")]
    name: String,
}

/// CPU seconds (user + system) this process has used.
fn cpu_seconds() -> f64 {
    let t = clock_gettime(ClockId::ProcessCPUTime);
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

/// Sets cloudsim's latency and rate limit (a rate of 0 lifts the limit).
async fn limits(sim: &Sim, latency_ms: u64, rate_limit: f64) -> anyhow::Result<()> {
    let answer = reqwest::Client::new()
        .post(format!("{}/__sim/faults", sim.url))
        .json(&json!({"latencyMs": latency_ms, "rateLimit": rate_limit, "burst": 10}))
        .send()
        .await?;
    ensure!(answer.status().is_success(), "cloudsim refused the limits");
    Ok(())
}

/// A new group in cloudsim with exactly these members (set up without limits: not measured).
async fn group_of(sim: &Sim, org_id: &str, members: &[String]) -> anyhow::Result<String> {
    let http = reqwest::Client::new();
    let groups = format!("{}/admin/v2/orgs/{org_id}/directories/-/groups", sim.url);
    let group: Value = http
        .post(&groups)
        .bearer_auth(API_KEY)
        .json(&json!({"name": "Task bench selection"}))
        .send()
        .await?
        .json()
        .await?;
    let id = group["id"]
        .as_str()
        .context("the new group's id")?
        .to_owned();
    let memberships = format!("{groups}/{id}/memberships");
    futures::stream::iter(members)
        .map(|account| {
            http.post(&memberships)
                .bearer_auth(API_KEY)
                .json(&json!({"accountId": account}))
                .send()
        })
        .buffer_unordered(16)
        .map(|answer| Ok::<_, anyhow::Error>(answer?.error_for_status()?))
        .try_collect::<Vec<_>>()
        .await?;
    Ok(id)
}

/// The tenant's task over the members of `group`, due now, acting as an org admin; the daily
/// sync hour is moved away from now (a run never starts inside it).
fn due_task(db: &Database, group: &str, admin: &str, actions: &str) -> anyhow::Result<i64> {
    let mut conn = db.get()?;
    let now = Utc::now().naive_utc();
    let mut chosen = settings::get(&mut conn, &tenant())?;
    chosen.sync_hour = i32::try_from((Utc::now().hour() + 12) % 24)?;
    settings::save(&mut conn, &tenant(), &chosen, "bench", now)?;
    let filter = json!({"groups": [group]}).to_string();
    let saved = saved_filters::create(&mut conn, &tenant(), "Task bench", &filter, admin, now)?;
    let schedule = json!({"kind": "weekly", "weekdays": ["mon"], "time": "02:30"}).to_string();
    let fields = TaskFields {
        name: "Task bench",
        saved_filter_id: saved.id,
        actions,
        reason: Some("bench"),
        schedule: &schedule,
        time_zone: "UTC",
        active: true,
        dry_run_only: false,
        next_run_at: Some(now),
    };
    Ok(tasks::create(&mut conn, &tenant(), &fields, admin, now)?.id)
}

/// Claims the due run as a scheduler tick does and runs its operation job to its end; returns
/// the operation's id.
async fn run_task(ctx: &SyncContext) -> anyhow::Result<i64> {
    let claimed = {
        let mut conn = ctx.db.get()?;
        claim_due_runs(&mut conn, Utc::now())?
    };
    let [op] = claimed.as_slice() else {
        anyhow::bail!("expected one due run, claimed {}", claimed.len());
    };
    ensure!(
        op.state == RunState::Queued,
        "the run did not start: {:?}",
        op.error
    );
    loop {
        run_operation(ctx, op.id).await?;
        let mut conn = ctx.db.get()?;
        let now = operations::find(&mut conn, &tenant(), op.id)?.context("the run's operation")?;
        if now.state.is_finished() {
            ensure!(
                now.state == RunState::Completed,
                "the run ended {}",
                now.state
            );
            return Ok(op.id);
        }
    }
}

/// Runs the scenario.
pub async fn run(args: TaskRunArgs) -> anyhow::Result<()> {
    let BulkArgs { users, .. } = args.bulk;
    let AdminApiArgs {
        latency_ms,
        rate_limit,
    } = args.bulk.api;
    let sim = start_sim(&args.bulk.sim_flags()).await?;
    let dir = tempfile::tempdir()?;
    let db = Database::connect(&format!("sqlite://{}/bench.sqlite", dir.path().display()))?;
    db.run_migrations()?;
    let ctx = connect(&db, &sim, rate_limit).await?;
    // The setup is not measured: cloudsim without limits, the first sync unpaced.
    limits(&sim, 0, 0.0).await?;
    let org: Value = reqwest::get(format!("{}/__sim/org", sim.url))
        .await?
        .json()
        .await?;
    let plan = plan(&org, users)?;
    let org_id = org["orgId"].as_str().context("org id")?;
    let group = group_of(&sim, org_id, &plan.account_ids).await?;
    let unpaced = SyncContext {
        requests_per_second: 100_000.0,
        full_sync_every_days: orgwarden_jobs::FULL_SYNC_EVERY_DAYS,
        clients: Default::default(),
        ..ctx.clone()
    };
    full_sync(&unpaced).await?;
    let admin = org_admin(&org)?;
    due_task(&db, &group, &admin, &plan.actions())?;
    limits(&sim, latency_ms, rate_limit).await?;

    reset_peak_rss();
    let before = sim_stats(&sim.url).await?;
    let (started, cpu_before) = (Instant::now(), cpu_seconds());
    let id = run_task(&ctx).await?;
    let (wall, cpu) = (started.elapsed().as_secs_f64(), cpu_seconds() - cpu_before);
    let requests = Requests::between(&before, &sim_stats(&sim.url).await?);
    let counts = {
        let mut conn = db.get()?;
        operations::counts(&mut conn, &tenant(), &[id])?
            .remove(&id)
            .context("the run has items")?
    };
    let selected = {
        let mut conn = db.get()?;
        let op = operations::find(&mut conn, &tenant(), id)?.context("the run")?;
        serde_json::from_str::<Selection>(&op.selection)?
            .account_ids
            .map_or(0, |ids| ids.len())
    };
    ensure!(
        selected == plan.account_ids.len(),
        "the filter selected {selected} people"
    );
    // The pre-operation sync also reads the task's acting admin, who is not one of the plan's.
    let minimum = plan.minimum_requests(&counts, 1);
    let bound = minimum as f64 / rate_limit;
    let share = bound / wall;
    let peak = peak_rss_mib();
    println!("task-run scenario: a task over a saved filter of {selected} users, remove {} on one site + add to a group, cloudsim {latency_ms} ms latency, {rate_limit} requests/s", plan.product_key());
    println!(
        "  items:                 {} done, {} skipped, {} failed",
        counts.done, counts.skipped, counts.failed
    );
    println!("  minimum requests:      {minimum}");
    println!("  rate-limit bound:      {bound:.1} s");
    println!("  wall time:             {wall:.1} s");
    println!(
        "  share of the bound:    {:.1} %   (target >= {:.0} %)  {}",
        share * 100.0,
        args.target_share * 100.0,
        verdict(share >= args.target_share)
    );
    println!(
        "  CPU (user + system):   {cpu:.1} s, {:.1} % of the wall time",
        cpu / wall * 100.0
    );
    requests.print();
    println!("  peak RSS of the run:   {peak:.0} MiB");
    write_json(
        &args.name,
        &json!({
            "scenario": "task-run", "users": selected, "latencyMs": latency_ms,
            "rateLimit": rate_limit, "done": counts.done, "skipped": counts.skipped,
            "failed": counts.failed, "minimumRequests": minimum, "boundSeconds": bound,
            "wallSeconds": wall, "share": share, "cpuSeconds": cpu, "peakRssMib": peak,
            "requestsSent": requests.sent, "rateLimited": requests.throttled,
            "byEndpoint": requests.by_endpoint, "targets": {"share": args.target_share},
        }),
    )
}
