#![doc = include_str!("../README.md")]

mod audit;
mod audit_pages;
mod audit_rows;
mod bare_jwt;
mod bulk;
mod cluster;
mod cluster_stack;
mod fixture;
mod operations;
mod procfs;
mod query;
mod query_filters;
mod query_following;
mod served;
mod sync;
mod sync_resync;
mod task_run;
mod tasks;
mod webhooks;

use clap::{Parser, Subcommand};

/// mimalloc instead of glibc's malloc, whose per-thread arenas do not reuse memory freed by
/// other threads: with the sync writer on rotating blocking threads, a 100,000-user sync peaked
/// at 318 MiB resident with glibc and 281 MiB with mimalloc (one writer thread then brought it
/// near 220 MiB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// orgwarden benchmarks against cloudsim.
#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Subcommand)]
enum Scenario {
    /// Full sync bounded by the Admin API's rate limit.
    Sync(sync::SyncArgs),
    /// Filters, dashboard and export on a large mirror.
    Query(query::QueryArgs),
    /// A bulk operation on 10,000 users at the Admin API's rate limit.
    Operations(operations::OperationsArgs),
    /// The bare actix-web + jsonwebtoken handler the HTTP benchmark compares with.
    BareJwt(bare_jwt::BareJwtArgs),
    /// What audit entries cost a settings change, and listing a large trail.
    Audit(audit::AuditArgs),
    /// 10,000 webhook deliveries across 100 tenants, one receiver slow.
    Webhooks(webhooks::WebhooksArgs),
    /// A scheduler tick over 1,000 tasks of 100 tenants, none due.
    Tasks(tasks::TasksArgs),
    /// An automated task's run on 10,000 users at the Admin API's rate limit.
    TaskRun(task_run::TaskRunArgs),
    /// 20 tenants' syncs by 1 and by 2 worker processes on PostgreSQL, through the HTTP API.
    Cluster(cluster::ClusterArgs),
}

fn main() -> anyhow::Result<()> {
    // `RUST_LOG=info` shows the sync's phases with their times.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().scenario {
        Scenario::Sync(args) => block_on(sync::run(args)),
        Scenario::Query(args) => block_on(query::run(args)),
        Scenario::Operations(args) => block_on(operations::run(args)),
        Scenario::Audit(args) => block_on(audit::run(args)),
        Scenario::Webhooks(args) => block_on(webhooks::run(args)),
        Scenario::Tasks(args) => block_on(tasks::run(args)),
        Scenario::TaskRun(args) => block_on(task_run::run(args)),
        Scenario::Cluster(args) => block_on(cluster::run(args)),
        Scenario::BareJwt(args) => bare_jwt::serve(args),
    }
}

/// Runs a scenario on a two-thread runtime (the machine's cores).
fn block_on(scenario: impl std::future::Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(scenario)
}
