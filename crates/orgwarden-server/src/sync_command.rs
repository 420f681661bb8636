//! `orgwarden sync`: runs a tenant's sync from the command line, with its progress on the
//! terminal, for operators and cron. A sync already queued or running (started by the app, a
//! daily sync or another process) is followed instead of started twice; the exit code says
//! whether it succeeded. On SQLite, where one process serves the database, a sync started while
//! `serve` (or `worker`) runs is put on that process's job queue and followed from here.

use orgwarden_ids::TenantId;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use orgwarden_jobs::{
    request_sync, run_sync, LicenseSettings, Queue, QueueBackend, SyncContext, SyncJob, SyncKind,
};
use orgwarden_store::sync_runs::{self, SyncRun, SyncRunState};
use orgwarden_store::{org_connections, Cipher, Database};

use crate::sqlite_lock::{self, Holder, SqliteLock, Taken};
use crate::Config;

/// How often the terminal's progress is refreshed from the run's row.
const POLL_EVERY: Duration = Duration::from_millis(250);

/// Which process runs a sync the command starts.
enum Runner {
    /// This one (holding the SQLite lock, if the database has one, until the sync ends).
    Here {
        /// Held until the command ends.
        _lock: Option<SqliteLock>,
    },
    /// The `serve` or `worker` that holds the SQLite lock.
    Elsewhere(Holder),
}

/// `orgwarden sync` settings.
#[derive(Args)]
pub struct SyncArgs {
    /// The tenant (its Connect client key); may be left out when only one tenant has a key.
    #[arg(long)]
    pub tenant: Option<String>,
    /// Print one line per phase instead of a progress bar (for logs and cron).
    #[arg(long)]
    pub plain: bool,
    /// Server settings (database, master key, Admin API).
    #[command(flatten)]
    pub config: Config,
}

/// Runs (or follows) the tenant's sync to its end; fails when the sync fails. On SQLite, when a
/// `serve` or `worker` holds the database, the sync is handed to that process and followed.
pub fn run(args: SyncArgs) -> anyhow::Result<()> {
    let config = &args.config;
    let cipher = Cipher::from_base64(&config.master_key()?)?;
    let runner = match sqlite_lock::take(&config.database_url, "sync")? {
        Taken::Held(lock) => Runner::Here { _lock: Some(lock) },
        Taken::NotNeeded => Runner::Here { _lock: None },
        Taken::Elsewhere(holder) if holder.runs_jobs() => Runner::Elsewhere(holder),
        // Nothing there would run a sync put on the queue.
        Taken::Elsewhere(holder) => bail!(
            "another orgwarden process ({holder}) uses this SQLite database, and it runs no \
             syncs: run this again when it has ended"
        ),
    };
    let db = Database::connect(&config.database_url)?;
    // The process that holds the lock ran the migrations when it started.
    if let Runner::Here { .. } = runner {
        db.run_migrations()?;
    }
    let mut conn = db.get()?;
    let tenant = pick_tenant(&mut conn, args.tenant.as_deref())?;
    let (run, created) = request_sync(&mut conn, &tenant, SyncKind::Manual, None, None)?;
    drop(conn);
    if !created {
        eprintln!(
            "A {} sync of {tenant} is already {} (run {}); following it.",
            run.kind, run.state, run.id
        );
    } else if let Runner::Elsewhere(holder) = &runner {
        eprintln!(
            "Another orgwarden process serves this SQLite database ({holder}): the sync (run {}) \
             is handed to it; following it.",
            run.id
        );
    }
    let ctx = SyncContext {
        db: db.clone(),
        cipher,
        http: reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()?,
        admin_api_url: config.admin_api_url.clone(),
        requests_per_second: config.admin_api_rate,
        full_sync_every_days: config.full_sync_every_days,
        license: LicenseSettings {
            app_key: config.app_key.clone(),
            edition: config.license_edition,
        },
        clients: Default::default(),
    };
    let database_url = config.database_url.clone();
    let ended = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?
        .block_on(async move {
            let progress = tokio::spawn(follow(db, run.id, args.plain));
            match (&runner, created) {
                (_, false) => {}
                (Runner::Here { .. }, true) => {
                    // After the tenant's running operation, if any: one API budget per tenant.
                    orgwarden_jobs::tenant_lease::hold(
                        &ctx.db,
                        &run.tenant_id,
                        run_sync(&ctx, run.id),
                    )
                    .await??;
                }
                (Runner::Elsewhere(_), true) => {
                    let queue =
                        Queue::connect(QueueBackend::for_database_url(&database_url)?).await?;
                    queue.enqueue(SyncJob { run_id: run.id }).await?;
                }
            }
            progress.await?
        })?;
    match ended.state {
        SyncRunState::Succeeded => Ok(()),
        _ => bail!(
            "the sync failed: {}",
            ended.error.as_deref().unwrap_or("no reason was recorded")
        ),
    }
}

/// The tenant named, or the only one with a saved key.
fn pick_tenant(
    conn: &mut orgwarden_store::DbConnection,
    named: Option<&str>,
) -> anyhow::Result<TenantId> {
    let tenants = org_connections::tenant_ids(conn)?;
    match named {
        Some(name) if tenants.iter().any(|t| t == name) => Ok(TenantId::from(name)),
        Some(name) => bail!(
            "tenant {name} has no Organization API key saved (tenants with a key: {})",
            listed(&tenants)
        ),
        None if tenants.len() == 1 => Ok(tenants[0].clone()),
        None if tenants.is_empty() => {
            bail!(
                "no tenant has an Organization API key saved: save one in the app's Settings first"
            )
        }
        None => bail!(
            "several tenants have a key; name one with --tenant: {}",
            listed(&tenants)
        ),
    }
}

fn listed(tenants: &[TenantId]) -> String {
    if tenants.is_empty() {
        "none".into()
    } else {
        tenants.join(", ")
    }
}

/// Shows the run's progress until it ends; returns its last state.
async fn follow(db: Database, run_id: i64, plain: bool) -> anyhow::Result<SyncRun> {
    let bar = if plain {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner()
    };
    bar.set_style(ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {msg}",
    )?);
    bar.enable_steady_tick(Duration::from_millis(120));
    let mut phase = String::new();
    loop {
        let db = db.clone();
        let run = tokio::task::spawn_blocking(move || -> anyhow::Result<Option<SyncRun>> {
            let mut conn = db.get()?;
            Ok(sync_runs::find(&mut conn, run_id)?)
        })
        .await??
        .context("the sync run disappeared (was the tenant purged?)")?;
        if plain && run.phase != phase {
            println!("{}: {}", run.state, run.phase);
        }
        phase.clone_from(&run.phase);
        bar.set_message(describe(&run));
        if run.state.has_ended() {
            bar.finish_with_message(describe(&run));
            return Ok(run);
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}

fn describe(run: &SyncRun) -> String {
    format!(
        "{} · {} · {} users, {} groups, {} sites · {} Admin API requests",
        run.state, run.phase, run.users, run.groups, run.sites, run.requests
    )
}
