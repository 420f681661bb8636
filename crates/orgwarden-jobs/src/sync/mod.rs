//! The sync job: mirrors the organization into SQL, bounded by the Admin API's rate limit.
//!
//! A full sync writes a new mirror generation while readers keep the previous one, then
//! publishes it in one transaction; a failed sync discards its generation and records an
//! admin-facing error. A partial sync (pre-operation: only the given users) rewrites those users
//! inside the published generation. A daily sync after a trusted full one is incremental: it
//! reads the organization's events since the last sync and applies what they name in place, in
//! one transaction (see [`plan`] for when a full reconciliation runs instead). Runs are claimed with a conditional update, so a job
//! delivered twice runs once; a run whose worker died is claimed again once its heartbeat is stale.

mod audit;
mod events;
mod failure;
mod full;
mod incremental;
pub mod map;
mod partial;
pub mod plan;
mod progress;
mod users;
mod writer;

use orgwarden_ids::{OrgId, TenantId};
use std::sync::Arc;

use chrono::{Duration, Utc};
use orgwarden_atlassian::{AdminClient, AdminClientConfig};
use orgwarden_store::org_connections::{self, OrgConnection};
use orgwarden_store::sync_runs::{self, NewSyncRun, SyncKind, SyncMode, SyncRun};
use orgwarden_store::{Cipher, Database, DbConnection, StoreError};

pub use map::parse_site_ari;

/// The default days between two full reconciliations; daily syncs between are incremental.
pub const FULL_SYNC_EVERY_DAYS: u32 = 7;

/// A run whose heartbeat is older than this is considered abandoned.
pub const STALE_AFTER_SECS: i64 = 120;

/// What a sync needs.
#[derive(Clone)]
pub struct SyncContext {
    /// The database.
    pub db: Database,
    /// Decrypts the API key.
    pub cipher: Cipher,
    /// Outgoing HTTP.
    pub http: reqwest::Client,
    /// Admin API base URL.
    pub admin_api_url: String,
    /// Client-side pace of Admin API requests per tenant.
    pub requests_per_second: f64,
    /// Days between two full reconciliations of a tenant's mirror.
    pub full_sync_every_days: u32,
    /// How the app's own license is evaluated after each sync.
    pub license: crate::LicenseSettings,
    /// The tenants' Admin API clients, shared by all jobs of this process (and by clones of this
    /// context: a context with other Admin API settings needs a registry of its own).
    pub clients: crate::AdminClients,
}

impl SyncContext {
    /// The tenant's Admin API client (one per tenant and key in this process).
    pub(crate) fn admin_client(&self, tenant_id: &TenantId, key: String) -> AdminClient {
        let config = AdminClientConfig {
            base_url: self.admin_api_url.clone(),
            requests_per_second: self.requests_per_second,
            ..AdminClientConfig::default()
        };
        self.clients.get(&self.http, config, tenant_id, key)
    }
}

/// Runs blocking store work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    db: &Database,
    f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
) -> anyhow::Result<T> {
    let db = db.clone();
    Ok(tokio::task::spawn_blocking(move || {
        let mut conn = db.get()?;
        f(&mut conn)
    })
    .await??)
}

/// Records a sync request; returns the run and whether it is new (then the caller enqueues a
/// [`crate::SyncJob`]). A tenant's queued or running sync is returned instead of a second one.
pub fn request_sync(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    kind: SyncKind,
    account_ids: Option<&[String]>,
    requested_by: Option<&str>,
) -> Result<(SyncRun, bool), StoreError> {
    let account_ids = account_ids.map(|ids| serde_json::to_string(ids).unwrap_or_default());
    let new = NewSyncRun {
        tenant_id,
        kind,
        account_ids,
        requested_by,
    };
    sync_runs::create_or_active(conn, &new, Utc::now().naive_utc())
}

/// Runs sync `run_id` to its end. Returns `Ok` also when the sync failed (the failure is
/// recorded on the run) or when another worker already has it.
pub async fn run_sync(ctx: &SyncContext, run_id: i64) -> anyhow::Result<()> {
    let now = Utc::now().naive_utc();
    let claimed = blocking(&ctx.db, move |conn| {
        orgwarden_store::transaction(conn, |conn| {
            if !sync_runs::start(conn, run_id, now, now - Duration::seconds(STALE_AFTER_SECS))? {
                return Ok(None);
            }
            let Some(run) = sync_runs::find(conn, run_id)? else {
                return Ok(None);
            };
            audit::started(conn, &run)?;
            let connection = match crate::tenant_standing(conn, &run.tenant_id)? {
                crate::TenantStanding::Active => Ok(org_connections::find(conn, &run.tenant_id)?),
                _ => Err(()),
            };
            Ok(Some((run, connection)))
        })
    })
    .await?;
    let Some((run, connection)) = claimed else {
        return Ok(());
    };
    let started = std::time::Instant::now();
    let tracker = Arc::new(progress::Tracker::default());
    // Stops with this future, also when it is dropped (a cancelled job).
    let heartbeat = progress::Heartbeat(progress::spawn_heartbeat(
        ctx.db.clone(),
        run.id,
        tracker.clone(),
    ));
    let outcome = match connection {
        Err(()) => Err(
            "The app is disabled or uninstalled on this site: syncs resume when it is enabled."
                .to_owned(),
        ),
        Ok(None) => Err(
            "No Organization API key is saved: add one in Settings → Organization API key."
                .to_owned(),
        ),
        Ok(Some(connection)) => execute(ctx, &run, &connection, &tracker).await,
    };
    drop(heartbeat);
    let snapshot = tracker.snapshot();
    let error = outcome.err();
    if let Some(message) = &error {
        tracing::warn!(run_id, tenant = %run.tenant_id, error = %message, "sync failed");
        let (tenant, generation) = (run.tenant_id.clone(), run.generation);
        crate::outage::blocking_through(&ctx.db, move |conn| {
            orgwarden_store::mirror::discard(conn, &tenant, generation)
        })
        .await?;
    }
    let failed = error.is_some();
    let ended = run.clone();
    // The end is recorded even across a database restart, so the run does not wait for the
    // reconciler.
    crate::outage::blocking_through(&ctx.db, move |conn| {
        orgwarden_store::transaction(conn, |conn| {
            let now = Utc::now().naive_utc();
            // A run purged with its tenant meanwhile (uninstalled) leaves no entry behind.
            if sync_runs::finish(conn, run_id, &snapshot, error.as_deref(), now)? {
                audit::finished(conn, &ended, &snapshot, error.as_deref())?;
            }
            Ok(())
        })
    })
    .await?;
    crate::metrics::sync_finished(run.kind, failed, started.elapsed());
    if !failed {
        let tenant = run.tenant_id.clone();
        let recorded = blocking(&ctx.db, move |conn| {
            orgwarden_store::settings::snapshot_today(conn, &tenant, Utc::now().naive_utc())
        })
        .await;
        if let Err(e) = recorded {
            tracing::warn!(tenant = %run.tenant_id, error = %e, "dashboard snapshot not recorded");
        }
        // Managed users changed: re-evaluate the app's license (a failure only delays it).
        if let Err(e) = crate::refresh_license(
            &ctx.db,
            &ctx.cipher,
            &ctx.http,
            &ctx.license,
            &run.tenant_id,
            Utc::now(),
        )
        .await
        {
            tracing::warn!(tenant = %run.tenant_id, error = %e, "license not re-evaluated after sync");
        }
    }
    Ok(())
}

async fn execute(
    ctx: &SyncContext,
    run: &SyncRun,
    connection: &OrgConnection,
    tracker: &Arc<progress::Tracker>,
) -> Result<(), String> {
    let key = connection.api_key(&ctx.cipher).map_err(|e| {
        format!("The saved API key cannot be read ({e}); save it again in Settings.")
    })?;
    let client = ctx.admin_client(&run.tenant_id, key);
    tracker.watch(&client);
    let account_ids: Option<Vec<String>> = run
        .account_ids
        .as_deref()
        .and_then(|ids| serde_json::from_str(ids).ok());
    let (published, previous) = blocking(&ctx.db, {
        let (tenant, id) = (run.tenant_id.clone(), run.id);
        move |conn| {
            Ok((
                orgwarden_store::mirror::current(conn, &tenant)?,
                sync_runs::previous_whole(conn, &tenant, id)?,
            ))
        }
    })
    .await
    .map_err(|e| e.to_string())?;
    let (mode, why) = plan::choose(&plan::Facts {
        kind: run.kind,
        partial: account_ids.is_some(),
        published: published.as_ref(),
        key_saved_at: connection.updated_at,
        previous: previous.as_ref(),
        now: Utc::now().naive_utc(),
        full_every: Duration::days(i64::from(ctx.full_sync_every_days)),
    });
    if let Some(why) = why {
        tracing::info!(
            run_id = run.id,
            reason = why,
            "full sync instead of an incremental one"
        );
    }
    tracker.mode(mode);
    match (mode, account_ids, published) {
        (SyncMode::Partial, Some(ids), Some(mirror)) => {
            partial::run(ctx, &client, run, &mirror, &ids, tracker).await
        }
        (SyncMode::Incremental, _, Some(mirror)) => {
            match incremental::run(ctx, &client, run, &mirror, tracker).await? {
                incremental::Outcome::Applied => Ok(()),
                incremental::Outcome::NeedsFull(why) => {
                    tracing::info!(run_id = run.id, reason = %why, "events not trusted: full sync");
                    tracker.mode(SyncMode::Full);
                    reconcile(ctx, &client, run, &connection.org_id, tracker).await
                }
            }
        }
        _ => reconcile(ctx, &client, run, &connection.org_id, tracker).await,
    }
}

/// A full sync, keeping where the events stream stood when it started so the next daily sync
/// can be incremental (without that position, it is full again).
async fn reconcile(
    ctx: &SyncContext,
    client: &AdminClient,
    run: &SyncRun,
    org_id: &OrgId,
    tracker: &Arc<progress::Tracker>,
) -> Result<(), String> {
    let started = Utc::now().naive_utc();
    let cursor = events::position(client, org_id)
        .await
        .inspect_err(|e| tracing::warn!(error = %e, "events stream not positioned"))
        .ok()
        .flatten();
    full::run(ctx, client, run, org_id, tracker).await?;
    let key = (run.tenant_id.clone(), run.generation);
    let rows = blocking(&ctx.db, move |conn| {
        let position = orgwarden_store::mirror::changes::EventsPosition {
            cursor: cursor.as_deref(),
            reconciled_at: Some(started),
        };
        orgwarden_store::mirror::changes::set_events_position(
            conn,
            orgwarden_store::mirror::MirrorRef {
                tenant: &key.0,
                generation: key.1,
            },
            &position,
        )?;
        orgwarden_store::mirror::changes::generation_rows(
            conn,
            orgwarden_store::mirror::MirrorRef {
                tenant: &key.0,
                generation: key.1,
            },
        )
    })
    .await
    .map_err(|e| e.to_string())?;
    tracker.rows.store(
        i64::try_from(rows).unwrap_or(i64::MAX),
        std::sync::atomic::Ordering::Relaxed,
    );
    Ok(())
}
