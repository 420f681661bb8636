//! The sync as a queued job, and the reconciler that re-enqueues syncs whose job was lost.

use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};

use orgwarden_store::sync_runs::SyncKind;
use orgwarden_store::{sync_runs, tenant_leases};

use crate::outage::blocking_through;
use crate::sync::{blocking, run_sync, SyncContext, STALE_AFTER_SECS};
use crate::tenant_lease::one_per_tenant;
use crate::{Job, Queue, TenantJobContext};

/// Syncs one worker process runs at once (each of another tenant: a tenant's syncs take turns).
pub const SYNC_CONCURRENCY: usize = 2;

/// Runs sync run `run_id` (the run row holds everything else).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SyncJob {
    /// The `sync_runs` id.
    pub run_id: i64,
}

#[async_trait::async_trait]
impl Job for SyncJob {
    const NAME: &'static str = "orgwarden::sync";
    type Context = TenantJobContext;

    /// Runs the sync holding its tenant's lease (or waits for it); an ended run is left alone.
    async fn run(self, ctx: TenantJobContext) -> anyhow::Result<()> {
        let run_id = self.run_id;
        let run = blocking_through(&ctx.sync.db, move |conn| sync_runs::find(conn, run_id)).await?;
        let Some(run) = run.filter(|r| !r.state.has_ended()) else {
            return Ok(());
        };
        let sync = ctx.sync.clone();
        one_per_tenant(&ctx, &run.tenant_id, self, || run_sync(&sync, run_id)).await
    }
}

/// Enqueues again every sync recorded as queued or running whose job shows no life (a crash
/// between commit and enqueue, or a worker that died). Claiming is conditional, so a duplicate
/// job for a live run does nothing.
pub async fn reconcile_syncs(ctx: &SyncContext, queue: &Queue) -> anyhow::Result<usize> {
    let stale_before = Utc::now().naive_utc() - Duration::seconds(STALE_AFTER_SECS);
    let orphans = blocking(&ctx.db, move |conn| {
        let busy = tenant_leases::held(conn, Utc::now().naive_utc())?;
        let orphans = sync_runs::orphans(conn, stale_before)?;
        // A run whose tenant is busy is waiting for its turn, not lost.
        Ok(orphans
            .into_iter()
            .filter(|r| !busy.contains(&r.tenant_id))
            .collect::<Vec<_>>())
    })
    .await?;
    for run in &orphans {
        tracing::info!(run_id = run.id, tenant = %run.tenant_id, "re-enqueueing an orphaned sync");
        queue.enqueue(SyncJob { run_id: run.id }).await?;
    }
    Ok(orphans.len())
}

/// Starts the daily sync of every tenant whose hour (in its time zone) has come and that has not
/// synced daily today; the claim is a compare-and-set, so with several instances each tenant's
/// daily sync starts exactly once. Returns how many were started.
pub async fn schedule_daily_syncs(ctx: &SyncContext, queue: &Queue) -> anyhow::Result<usize> {
    let now = Utc::now();
    let started = blocking(&ctx.db, move |conn| {
        let mut runs = Vec::new();
        for tenant in orgwarden_store::settings::claim_daily_syncs(conn, now)? {
            let (run, created) =
                crate::request_sync(conn, &tenant, crate::SyncKind::Daily, None, None)?;
            if created {
                runs.push(run.id);
            } else if matches!(run.kind, SyncKind::PreOperation | SyncKind::PostOperation) {
                // An operation's sync of its few users stands in for nobody's daily sync: the
                // next check inside the hour claims the day again.
                orgwarden_store::settings::unclaim_daily_sync(conn, &tenant)?;
            }
        }
        Ok(runs)
    })
    .await?;
    for run_id in &started {
        queue.enqueue(SyncJob { run_id: *run_id }).await?;
    }
    Ok(started.len())
}
