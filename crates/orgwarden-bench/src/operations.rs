//! The operations scenario: "remove app access + add to group" on 10,000 users with cloudsim at
//! the Admin API's rate limit — items per second and wall time against the bound the limit
//! implies (every request the operation needs, sent back to back at that rate).

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::Utc;
use clap::Args;
use orgwarden_jobs::run_operation;
use orgwarden_store::audit::{self, Actor, Kind, NewEntry};
use orgwarden_store::operations::{self, op_state, NewOperation};
use orgwarden_store::Database;
use serde_json::{json, Value};

use crate::fixture::{connect, full_sync, peak_rss_mib, start_sim, write_json, TENANT};

/// Operations scenario settings.
#[derive(Args)]
pub struct OperationsArgs {
    /// Users the operation acts on.
    #[arg(long, default_value_t = 10_000)]
    users: usize,
    /// Sites.
    #[arg(long, default_value_t = 3)]
    sites: usize,
    /// Groups.
    #[arg(long, default_value_t = 200)]
    groups: usize,
    /// Latency cloudsim adds to every request.
    #[arg(long, default_value_t = 50)]
    latency_ms: u64,
    /// cloudsim's rate limit (requests/s per key), which orgwarden also paces itself to.
    #[arg(long, default_value_t = 50.0)]
    rate_limit: f64,
    /// Target: the share of the rate-limit bound reached (bound / wall time).
    #[arg(long, default_value_t = 0.9)]
    target_share: f64,
    /// Name of the JSON written under target/bench.
    #[arg(long, default_value = "operations")]
    name: String,
}

/// What the operation acts on: ordinary people, one product on one site, one plain group.
struct Plan {
    account_ids: Vec<String>,
    /// How many of them hold the product (each needs its role assignments read, U8).
    holders: usize,
    site_id: String,
    product_key: String,
    group_id: String,
}

fn plan(org: &Value, users: usize) -> anyhow::Result<Plan> {
    let all = org["users"].as_array().context("org users")?;
    let ordinary = |u: &&Value| {
        u["status"] == "active"
            && u["accountType"] == "atlassian"
            && !u["platformRoles"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r == "atlassian/org-admin"))
    };
    let account_ids: Vec<String> = all
        .iter()
        .filter(ordinary)
        .take(users)
        .filter_map(|u| u["accountId"].as_str().map(str::to_owned))
        .collect();
    if account_ids.len() < users {
        bail!("cloudsim has only {} ordinary users", account_ids.len());
    }
    // The product most of them hold.
    let mut holders: BTreeMap<(String, String), usize> = BTreeMap::new();
    for user in all.iter().filter(ordinary).take(users) {
        for access in user["productAccess"].as_array().into_iter().flatten() {
            let site = access["siteId"].as_str().unwrap_or_default().to_owned();
            let product = access["productKey"].as_str().unwrap_or_default().to_owned();
            *holders.entry((site, product)).or_default() += 1;
        }
    }
    let ((site_id, product_key), holders) = holders
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .context("nobody holds a product")?;
    let group_id = org["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|g| g["managedBy"] != "external" && g["roles"].as_array().is_some_and(Vec::is_empty))
        .and_then(|g| g["id"].as_str())
        .context("a plain group")?
        .to_owned();
    Ok(Plan {
        account_ids,
        holders,
        site_id,
        product_key,
        group_id,
    })
}

async fn sim_stats(url: &str) -> anyhow::Result<Value> {
    Ok(reqwest::get(format!("{url}/__sim/stats"))
        .await?
        .json()
        .await?)
}

/// `after - before` of a counter of cloudsim's stats.
fn grew(before: &Value, after: &Value, pointer: &str) -> u64 {
    let at = |v: &Value| v.pointer(pointer).and_then(Value::as_u64).unwrap_or(0);
    at(after).saturating_sub(at(before))
}

/// Runs the scenario.
pub async fn run(args: OperationsArgs) -> anyhow::Result<()> {
    let flags: Vec<String> = [
        ("--users", (args.users * 3 / 2 + 100).to_string()),
        ("--sites", args.sites.to_string()),
        ("--groups", args.groups.to_string()),
        ("--latency-ms", args.latency_ms.to_string()),
        ("--rate-limit", args.rate_limit.to_string()),
        ("--burst", "10".to_string()),
    ]
    .into_iter()
    .flat_map(|(k, v)| [k.to_owned(), v])
    .collect();
    let sim = start_sim(&flags).await?;
    let dir = tempfile::tempdir()?;
    let db = Database::connect(&format!("sqlite://{}/bench.sqlite", dir.path().display()))?;
    db.run_migrations()?;
    let ctx = connect(&db, &sim, args.rate_limit).await?;
    full_sync(&ctx).await?;
    let org: Value = reqwest::get(format!("{}/__sim/org", sim.url))
        .await?
        .json()
        .await?;
    let plan = plan(&org, args.users)?;
    let actions = json!([
        {"type": "removeAppAccess", "targets": [{"siteId": plan.site_id, "productKey": plan.product_key}]},
        {"type": "addToGroups", "groupIds": [plan.group_id]},
    ])
    .to_string();
    let selection = json!({"accountIds": plan.account_ids}).to_string();
    let mut audit_ms = 0.0;
    let id = {
        let mut conn = db.get()?;
        let new = NewOperation {
            tenant_id: TENANT,
            actions: &actions,
            reason: Some("bench"),
            selection: &selection,
            requested_by: "bench",
            revert_of: None,
            acting_as: orgwarden_store::access::Standing::OrgAdmin,
            actor_scope: None,
        };
        // As `POST /api/v1/operations` does: the operation and its entry in one transaction.
        orgwarden_store::transaction(&mut conn, |conn| -> anyhow::Result<i64> {
            let op = operations::create(conn, &new, Utc::now().naive_utc())?;
            let started = Instant::now();
            audit::record(conn, TENANT, &created_entry(&op), Utc::now().naive_utc())?;
            audit_ms += started.elapsed().as_secs_f64() * 1000.0;
            Ok(op.id)
        })?
    };

    let before = sim_stats(&sim.url).await?;
    let started = Instant::now();
    loop {
        run_operation(&ctx, id).await?;
        let mut conn = db.get()?;
        let op = operations::find(&mut conn, TENANT, id)?.context("operation recorded")?;
        if [op_state::COMPLETED, op_state::FAILED, op_state::CANCELLED].contains(&op.state.as_str())
        {
            break;
        }
    }
    let wall = started.elapsed().as_secs_f64();
    // The job wrote `operation.finished` inside the wall time; one more like it is timed here.
    audit_ms += {
        let mut conn = db.get()?;
        let started = Instant::now();
        let mut entry =
            created_entry(&operations::find(&mut conn, TENANT, id)?.context("operation")?);
        entry.kind = Kind::OperationFinished;
        entry.details = json!({"operationId": id, "counts": {"total": 0}});
        audit::record(&mut conn, TENANT, &entry, Utc::now().naive_utc())?;
        started.elapsed().as_secs_f64() * 1000.0
    };
    let audit_share = audit_ms / (wall * 1000.0);
    let after = sim_stats(&sim.url).await?;
    let sent = grew(&before, &after, "/totalRequests");
    let throttled = grew(&before, &after, "/rateLimited");
    let by_endpoint: BTreeMap<String, u64> = after["requests"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(route, _)| {
            let pointer = format!("/requests/{}", route.replace('~', "~0").replace('/', "~1"));
            (route.clone(), grew(&before, &after, &pointer))
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let counts = {
        let mut conn = db.get()?;
        operations::counts(&mut conn, TENANT, &[id])?
            .remove(&id)
            .context("the operation has items")?
    };
    // One request per changed item, one role-assignment read (U8) per user holding the product
    // (how they hold it decides what to remove), and the pre- and post-operation syncs of the
    // selection (searches by account id, 10 ids each: the filter's documented limit).
    let sync_pages = 2 * plan.account_ids.len().div_ceil(10);
    let minimum =
        counts.done + counts.failed + i64::try_from(plan.holders + sync_pages).unwrap_or(0);
    let bound = minimum as f64 / args.rate_limit;
    let share = bound / wall;
    let items_per_second = (counts.done + counts.failed) as f64 / wall;
    println!("operations scenario: {} users, remove {} on one site + add to a group, cloudsim {} ms latency, {} requests/s", plan.account_ids.len(), plan.product_key, args.latency_ms, args.rate_limit);
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
        if share >= args.target_share {
            "ok"
        } else {
            "MISSED"
        }
    );
    println!(
        "  audit entries:         {audit_ms:.1} ms, {:.3} % of the wall time (target < 5 %)  {}",
        audit_share * 100.0,
        if audit_share < 0.05 { "ok" } else { "MISSED" }
    );
    println!("  requests sent:         {sent} ({throttled} answered 429)");
    for (route, n) in &by_endpoint {
        println!("    {n:>7}  {route}");
    }
    println!("  peak RSS (orgwarden):  {:.0} MiB", peak_rss_mib());
    write_json(
        &args.name,
        &json!({
            "scenario": "operations", "users": plan.account_ids.len(), "latencyMs": args.latency_ms,
            "rateLimit": args.rate_limit, "done": counts.done, "skipped": counts.skipped,
            "failed": counts.failed, "minimumRequests": minimum, "boundSeconds": bound,
            "wallSeconds": wall, "share": share, "itemsPerSecond": items_per_second,
            "requestsSent": sent, "rateLimited": throttled, "auditMs": audit_ms, "auditShare": audit_share, "byEndpoint": by_endpoint, "targets": {"share": args.target_share},
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
