#![doc = include_str!("../README.md")]

mod fixture;
mod operations;
mod query;
mod query_filters;
mod sync;

use clap::{Parser, Subcommand};

/// mimalloc instead of glibc's malloc: glibc keeps an arena per thread, and the memory that
/// blocking store threads free in one arena is not reused by others (a 100,000-user sync peaked
/// at 318 MiB resident with glibc, 235 MiB with two arenas).
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
}

fn main() -> anyhow::Result<()> {
    // `RUST_LOG=info` shows the sync's phases with their times.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        match Cli::parse().scenario {
            Scenario::Sync(args) => sync::run(args).await,
            Scenario::Query(args) => query::run(args).await,
            Scenario::Operations(args) => operations::run(args).await,
        }
    })
}
