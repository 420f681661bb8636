//! The `orgwarden` command.

use std::net::TcpListener;

use anyhow::Context;
use clap::{Parser, Subcommand};
use orgwarden_server::{
    build_state, document_json, http_server, init_logging, metrics_server, Config,
};

/// mimalloc instead of glibc's malloc, whose per-thread arenas do not reuse memory freed by
/// other threads: with the sync writer on rotating blocking threads, a 100,000-user sync peaked
/// at 318 MiB resident with glibc and 281 MiB with mimalloc (one writer thread then brought it
/// near 220 MiB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// orgwarden: user management and license optimizer for Atlassian Cloud organizations.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// HTTP server (runs migrations first).
    Serve(Config),
    /// Job workers only (scale-out on PostgreSQL): syncs and other background work.
    Worker(Config),
    /// Runs migrations and exits.
    Migrate(Config),
    /// Runs a tenant's sync now, with its progress on the terminal (for operators and cron).
    Sync(orgwarden_server::SyncArgs),
    /// Prints the OpenAPI 3.1 document.
    Openapi,
    /// cloudsim + orgwarden installed into it, for trying it out.
    Demo(orgwarden_server::DemoArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(config) => serve(config),
        Command::Migrate(config) => migrate(config),
        Command::Worker(config) => worker(config),
        Command::Sync(args) => {
            init_logging(&args.config.log, &args.config.log_format);
            orgwarden_server::run_sync_command(args)
        }
        Command::Demo(args) => orgwarden_server::run_demo(args),
        Command::Openapi => {
            print!("{}", document_json());
            Ok(())
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("orgwarden: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn serve(config: Config) -> anyhow::Result<()> {
    init_logging(&config.log, &config.log_format);
    let workers = config.workers;
    if !workers && config.database_url.starts_with("sqlite:") {
        anyhow::bail!(
            "ORGWARDEN_WORKERS=false needs PostgreSQL: on SQLite no `orgwarden worker` can run \
             beside `serve`, so nothing would run syncs and operations. Leave it true."
        );
    }
    let state = build_state(config, workers)?;
    let listener = TcpListener::bind(state.config.bind)?;
    tracing::info!(bind = %state.config.bind, base_url = %state.config.base_url(), workers, "orgwarden serving");
    let jobs = state.jobs.clone();
    actix_web::rt::System::new().block_on(async move {
        http_server(state, listener)?.await?;
        Ok::<_, anyhow::Error>(())
    })?;
    jobs.shutdown(JOBS_PATIENCE);
    Ok(())
}

/// How long a stopping process waits for its running jobs to drain (they get 30 s).
const JOBS_PATIENCE: std::time::Duration = std::time::Duration::from_secs(35);

/// Ctrl-C, or SIGTERM (what systemd and `docker stop` send).
async fn stop_signal() -> std::io::Result<()> {
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        pressed = tokio::signal::ctrl_c() => pressed,
        _ = terminate.recv() => Ok(()),
    }
}

fn migrate(config: Config) -> anyhow::Result<()> {
    init_logging(&config.log, &config.log_format);
    // On SQLite, not beside a running `serve` or `worker` (it migrated when it started).
    let _single_process = orgwarden_server::lock_sqlite(&config.database_url, "migrate")?;
    let db = orgwarden_store::Database::connect(&config.database_url)?;
    db.run_migrations()?;
    tracing::info!("migrations applied");
    // With the master key at hand, stored secrets are brought to their current form as well
    // (`serve` and `worker` do it at start in any case).
    if config.master_key.is_some() || config.master_key_file.is_some() {
        let cipher = orgwarden_store::Cipher::from_base64(&config.master_key()?)?;
        let upgraded = orgwarden_store::upgrade_secrets(&db, &cipher)?;
        tracing::info!(upgraded, "stored secrets checked");
    }
    Ok(())
}

/// Runs jobs; with `ORGWARDEN_METRICS_BIND` it serves `/metrics` there (and nothing else).
fn worker(config: Config) -> anyhow::Result<()> {
    init_logging(&config.log, &config.log_format);
    let state = build_state(config, true)?;
    tracing::info!("orgwarden worker running; Ctrl-C or SIGTERM stops it");
    let jobs = state.jobs.clone();
    let Some(bind) = state.config.metrics_bind else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(stop_signal())?;
        drop(state);
        jobs.shutdown(JOBS_PATIENCE);
        return Ok(());
    };
    let listener = TcpListener::bind(bind)
        .with_context(|| format!("cannot listen on ORGWARDEN_METRICS_BIND {bind}"))?;
    tracing::info!(%bind, "/metrics served");
    actix_web::rt::System::new().block_on(async move {
        metrics_server(state, listener)?.await?;
        Ok::<_, anyhow::Error>(())
    })?;
    jobs.shutdown(JOBS_PATIENCE);
    Ok(())
}
