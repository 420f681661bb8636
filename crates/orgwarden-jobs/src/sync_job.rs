//! The sync as a queued job, and the reconciler that re-enqueues syncs whose job was lost.

use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::sync::{blocking, run_sync, SyncContext, STALE_AFTER_SECS};
use crate::{Job, Queue};

/// Runs sync run `run_id` (the run row holds everything else).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SyncJob {
    /// The `sync_runs` id.
    pub run_id: i64,
}

#[async_trait::async_trait]
impl Job for SyncJob {
    const NAME: &'static str = "orgwarden::sync";
    type Context = SyncContext;

    async fn run(self, ctx: SyncContext) -> anyhow::Result<()> {
        run_sync(&ctx, self.run_id).await
    }
}

/// Enqueues again every sync recorded as queued or running whose job shows no life (a crash
/// between commit and enqueue, or a worker that died). Claiming is conditional, so a duplicate
/// job for a live run does nothing.
pub async fn reconcile_syncs(ctx: &SyncContext, queue: &Queue) -> anyhow::Result<usize> {
    let stale_before = Utc::now().naive_utc() - Duration::seconds(STALE_AFTER_SECS);
    let orphans = blocking(&ctx.db, move |conn| {
        orgwarden_store::sync_runs::orphans(conn, stale_before)
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
