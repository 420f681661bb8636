//! The operations scenario: "remove app access + add to group" on 10,000 users with cloudsim at
//! the Admin API's rate limit — items per second and wall time against the bound the limit
//! implies (every request the operation needs, sent back to back at that rate).

use std::time::Instant;

use anyhow::Context;
use chrono::Utc;
use clap::Args;
use orgwarden_jobs::run_operation;
use orgwarden_store::audit::{self, Actor, Kind, NewEntry};
use orgwarden_store::operations::{self, NewOperation};
use orgwarden_store::Database;
use serde_json::{json, Value};

use crate::bulk::{plan, sim_stats, BulkArgs, Requests};
use crate::fixture::{
    connect, full_sync, peak_rss_mib, start_sim, tenant, write_json, AdminApiArgs,
};
use crate::query::verdict;

/// Operations scenario settings.
#[derive(Args)]
pub struct OperationsArgs {
    #[command(flatten)]
    bulk: BulkArgs,
    /// Target: the share of the rate-limit bound reached (bound / wall time).
    #[arg(long, default_value_t = 0.9)]
    target_share: f64,
    /// Name of the JSON written under target/bench.
    #[arg(long, default_value = "operations")]
    name: String,
}

/// Runs the scenario.
pub async fn run(args: OperationsArgs) -> anyhow::Result<()> {
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
    full_sync(&ctx).await?;
    let org: Value = reqwest::get(format!("{}/__sim/org", sim.url))
        .await?
        .json()
        .await?;
    let plan = plan(&org, users)?;
    let actions = plan.actions();
    let selection = json!({"accountIds": plan.account_ids}).to_string();
    // An organization admin starts it: the operation reads their rights again before it acts.
    let admin = crate::fixture::org_admin(&org)?;
    let mut audit_ms = 0.0;
    let id = {
        let mut conn = db.get()?;
        let new = NewOperation {
            tenant_id: &tenant(),
            actions: &actions,
            reason: Some("bench"),
            selection: &selection,
            requested_by: &admin,
            revert_of: None,
            acting_as: orgwarden_store::access::Standing::OrgAdmin,
            actor_scope: None,
        };
        // As `POST /api/v1/operations` does: the operation and its entry in one transaction.
        orgwarden_store::transaction(&mut conn, |conn| -> anyhow::Result<i64> {
            let op = operations::create(conn, &new, Utc::now().naive_utc())?;
            let started = Instant::now();
            audit::record(conn, &tenant(), &created_entry(&op), Utc::now().naive_utc())?;
            audit_ms += started.elapsed().as_secs_f64() * 1000.0;
            Ok(op.id)
        })?
    };

    let before = sim_stats(&sim.url).await?;
    let started = Instant::now();
    loop {
        run_operation(&ctx, id).await?;
        let mut conn = db.get()?;
        let op = operations::find(&mut conn, &tenant(), id)?.context("operation recorded")?;
        if op.state.is_finished() {
            break;
        }
    }
    let wall = started.elapsed().as_secs_f64();
    // The job wrote `operation.finished` inside the wall time; one more like it is timed here.
    audit_ms += {
        let mut conn = db.get()?;
        let started = Instant::now();
        let mut entry =
            created_entry(&operations::find(&mut conn, &tenant(), id)?.context("operation")?);
        entry.kind = Kind::OperationFinished;
        entry.details = json!({"operationId": id, "counts": {"total": 0}});
        audit::record(&mut conn, &tenant(), &entry, Utc::now().naive_utc())?;
        started.elapsed().as_secs_f64() * 1000.0
    };
    let audit_share = audit_ms / (wall * 1000.0);
    let requests = Requests::between(&before, &sim_stats(&sim.url).await?);
    let counts = {
        let mut conn = db.get()?;
        operations::counts(&mut conn, &tenant(), &[id])?
            .remove(&id)
            .context("the operation has items")?
    };
    let minimum = plan.minimum_requests(&counts, 0);
    let bound = minimum as f64 / rate_limit;
    let share = bound / wall;
    let items_per_second = (counts.done + counts.failed) as f64 / wall;
    println!("operations scenario: {} users, remove {} on one site + add to a group, cloudsim {} ms latency, {} requests/s", plan.account_ids.len(), plan.product_key(), latency_ms, rate_limit);
    println!(
        "  items:                 {} done, {} skipped, {} failed",
        counts.done, counts.skipped, counts.failed
    );
    println!("  minimum requests:      {minimum}");
    println!("  rate-limit bound:      {bound:.1} s");
    println!("  wall time:             {wall:.1} s");
    println!("  items per second:      {items_per_second:.1}");
    println!(
        "  share of the bound:    {:.1} %   (target >= {:.0} %)  {}",
        share * 100.0,
        args.target_share * 100.0,
        verdict(share >= args.target_share)
    );
    println!(
        "  audit entries:         {audit_ms:.1} ms, {:.3} % of the wall time (target < 5 %)  {}",
        audit_share * 100.0,
        verdict(audit_share < 0.05)
    );
    requests.print();
    println!("  peak RSS (orgwarden):  {:.0} MiB", peak_rss_mib());
    write_json(
        &args.name,
        &json!({
            "scenario": "operations", "users": plan.account_ids.len(), "latencyMs": latency_ms,
            "rateLimit": rate_limit, "done": counts.done, "skipped": counts.skipped,
            "failed": counts.failed, "minimumRequests": minimum, "boundSeconds": bound,
            "wallSeconds": wall, "share": share, "itemsPerSecond": items_per_second,
            "requestsSent": requests.sent, "rateLimited": requests.throttled, "auditMs": audit_ms, "auditShare": audit_share, "byEndpoint": requests.by_endpoint, "targets": {"share": args.target_share},
        }),
    )
}

/// The `operation.created` entry the server writes (with the full selection).
fn created_entry(op: &operations::Operation) -> NewEntry {
    let selection: Value = serde_json::from_str(&op.selection).unwrap_or(Value::Null);
    NewEntry {
        kind: Kind::OperationCreated,
        actor: Actor::system("bench"),
        summary: format!("Started operation {}", op.id),
        details: json!({"operationId": op.id, "selection": selection,
            "actions": serde_json::from_str::<Value>(&op.actions).unwrap_or(Value::Null)}),
    }
}
