//! Bulk operations as a durable job: pre-operation sync of the selected users (and of a task
//! run's acting admin, checked again before anything executes), a fresh plan
//! written as the per-item ledger, items executed with bounded concurrency under one token
//! bucket, a post-operation sync. The job holds a lease (`lease_owner` + `heartbeat_at`); a job
//! that finds the lease held by a live worker exits, so duplicates are harmless, and after a
//! crash the reconciler re-enqueues the operation once the heartbeat is stale. Items found
//! `in_flight` are re-checked against the Admin API before anything is repeated.

mod access;
mod acting_admin;
mod audit;
mod execute;
mod finish;
mod group_recheck;
#[cfg(test)]
mod guard_tests;
mod guards;
mod license_check;
mod pause;
mod plan;
#[cfg(test)]
mod plan_fixtures;
mod plan_revert;
#[cfg(test)]
mod plan_revert_tests;
mod plan_size;
#[cfg(test)]
mod plan_tests;
mod prepare;
mod recheck;
mod skip_reason;

use orgwarden_ids::TenantId;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use orgwarden_store::operations::{self, Operation, RunState};
use serde::{Deserialize, Serialize};

pub(crate) use audit::run_ended_at_start;
pub use guards::{before_image, is_app_access, Actor};
pub use plan::{plan, plan_each};
pub use plan_revert::{done_steps, inverse, plan_revert, DoneStep};
pub use plan_size::{most_steps, MAX_PLAN_STEPS};
pub use skip_reason::SkipReason;

use self::finish::{finish, settle, NOT_RESUMED};
use crate::sync::{blocking, SyncContext};
use crate::{Job, Queue, TenantJobContext, TenantStanding};

/// How often a running operation proves it is alive (and so notices a cancel within a second).
const HEARTBEAT_EVERY: Duration = Duration::from_secs(1);
/// An operation whose heartbeat is older than this has lost its worker.
pub const STALE_AFTER_SECS: i64 = 30;
/// Items (of different users) in flight at once; the client's token bucket sets the pace.
pub const ITEM_CONCURRENCY: usize = 8;

/// Runs operation `operation_id` (the row holds everything else).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OperationJob {
    /// The `operations` id.
    pub operation_id: i64,
}

#[async_trait::async_trait]
impl Job for OperationJob {
    const NAME: &'static str = "orgwarden::operation";
    type Context = TenantJobContext;

    /// Runs the operation holding its tenant's lease (or waits for it); an ended one is left
    /// alone.
    async fn run(self, ctx: TenantJobContext) -> anyhow::Result<()> {
        let id = self.operation_id;
        let op = crate::outage::blocking_through(&ctx.sync.db, move |conn| {
            operations::find_for_job(conn, id)
        })
        .await?;
        let Some(op) = op.filter(|o| RunState::ACTIVE.contains(&o.state)) else {
            return Ok(());
        };
        let sync = ctx.sync.clone();
        let work = || run_operation(&sync, id);
        crate::tenant_lease::one_per_tenant(&ctx, &op.tenant_id, self, work).await
    }
}

/// Enqueues again every operation that needs a worker and shows no life (a crash between
/// commit and enqueue, or a dead worker). Claiming is conditional, so duplicates do nothing.
pub async fn reconcile_operations(ctx: &SyncContext, queue: &Queue) -> anyhow::Result<usize> {
    let stale_before = Utc::now().naive_utc() - chrono::Duration::seconds(STALE_AFTER_SECS);
    let orphans = blocking(&ctx.db, move |conn| {
        let busy = orgwarden_store::tenant_leases::held(conn, Utc::now().naive_utc())?;
        let orphans = operations::orphans(conn, stale_before)?;
        // An operation whose tenant is busy is waiting for its turn, not lost.
        Ok(orphans
            .into_iter()
            .filter(|(_, tenant)| !busy.contains(tenant))
            .collect::<Vec<_>>())
    })
    .await?;
    for (operation_id, tenant) in &orphans {
        tracing::info!(operation_id, %tenant, "re-enqueueing an orphaned operation");
        queue
            .enqueue(OperationJob {
                operation_id: *operation_id,
            })
            .await?;
    }
    Ok(orphans.len())
}

/// What the heartbeat learns while the job works.
#[derive(Default)]
pub(crate) struct Signals {
    /// A cancel was asked.
    pub(crate) cancel: AtomicBool,
    /// Another worker took the lease: stop at once.
    pub(crate) lost: AtomicBool,
    /// The app was disabled or uninstalled on the site: stop after the items in flight.
    pub(crate) paused: AtomicBool,
}

impl Signals {
    pub(crate) fn stop(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
            || self.lost.load(Ordering::Relaxed)
            || self.paused.load(Ordering::Relaxed)
    }
}

/// One claimed run of an operation.
pub(crate) struct Run {
    pub(crate) ctx: SyncContext,
    pub(crate) op: Operation,
    pub(crate) owner: String,
    pub(crate) signals: Arc<Signals>,
}

fn lease_owner() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
    format!(
        "{:x}-{:x}-{}",
        std::process::id(),
        nanos,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs operation `id` as far as it can go. Returns `Ok` also when another worker holds it or
/// when it failed in a recorded way; an `Err` (e.g. the database went away) releases the lease
/// (once the database answers again, if it was unreachable) so a retry resumes at once.
pub async fn run_operation(ctx: &SyncContext, id: i64) -> anyhow::Result<()> {
    let owner = lease_owner();
    let now = Utc::now().naive_utc();
    let stale_before = now - chrono::Duration::seconds(STALE_AFTER_SECS);
    let who = owner.clone();
    let claimed = blocking(&ctx.db, move |conn| {
        if !operations::claim(conn, id, &who, now, stale_before)? {
            return Ok(None);
        }
        operations::find_for_job(conn, id)
    })
    .await?;
    let Some(op) = claimed else { return Ok(()) };
    let signals = Arc::new(Signals::default());
    signals
        .cancel
        .store(op.state == RunState::Cancelling, Ordering::Relaxed);
    // Aborted however this future ends, also when it is dropped mid-way.
    let _heartbeat = AbortOnDrop(spawn_heartbeat(
        ctx.clone(),
        (id, op.tenant_id.clone()),
        owner.clone(),
        signals.clone(),
    ));
    let run = Run {
        ctx: ctx.clone(),
        op,
        owner,
        signals,
    };
    let outcome = drive(&run).await;
    if let Err(error) = &outcome {
        tracing::warn!(
            operation_id = id,
            error = format!("{error:#}"),
            "operation interrupted; releasing it for a retry"
        );
        let who = run.owner.clone();
        crate::outage::blocking_through(&ctx.db, move |conn| operations::release(conn, id, &who))
            .await?;
    }
    outcome
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn spawn_heartbeat(
    ctx: SyncContext,
    (id, tenant): (i64, TenantId),
    owner: String,
    signals: Arc<Signals>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(HEARTBEAT_EVERY).await;
            let (who, tenant) = (owner.clone(), tenant.clone());
            let now = Utc::now().naive_utc();
            match blocking(&ctx.db, move |conn| {
                let state = operations::heartbeat(conn, id, &who, now)?;
                Ok(state.map(|s| (s, crate::tenant_standing(conn, &tenant))))
            })
            .await
            {
                Ok(Some((state, standing))) => {
                    if state == RunState::Cancelling {
                        signals.cancel.store(true, Ordering::Relaxed);
                    }
                    // A failed read of the tenant is no lifecycle change.
                    if matches!(
                        standing,
                        Ok(TenantStanding::Disabled | TenantStanding::Gone)
                    ) {
                        signals.paused.store(true, Ordering::Relaxed);
                    }
                }
                Ok(None) => {
                    tracing::warn!(
                        operation_id = id,
                        "operation lease lost to another worker; stopping"
                    );
                    signals.lost.store(true, Ordering::Relaxed);
                    return;
                }
                Err(e) => {
                    tracing::warn!(operation_id = id, error = %e, "operation heartbeat failed")
                }
            }
        }
    })
}

/// Prepares (if not yet planned), executes, syncs afterwards and records the end; waits while
/// the app is disabled on the site and ends cancelled once it is uninstalled.
async fn drive(run: &Run) -> anyhow::Result<()> {
    let (id, tenant) = (run.op.id, run.op.tenant_id.clone());
    if let Some(stopped) = pause::stop_for_lifecycle(run).await? {
        return Ok(stopped);
    }
    let api = match prepare::connect(run).await? {
        Ok(api) => api,
        Err(message) => return finish(run, RunState::Failed, Some(&message)).await,
    };
    if matches!(run.op.state, RunState::Queued | RunState::Syncing) {
        if let Err(message) = prepare::prepare(run, &api).await? {
            return finish(run, RunState::Failed, Some(&message)).await;
        }
    } else if run.op.state == RunState::Running {
        // Resuming (a crash, a pause): the mirror may be hours old, so the users are read again
        // before the guards are checked against them.
        set_phase(run, "pre-operation sync").await?;
        if let Err(message) = prepare::refresh_users(run, crate::SyncKind::PreOperation).await? {
            // The guards would be checked against users as they were before the pause.
            let error = format!(
                "The users could not be read again before resuming, so nothing more was \
                 changed: {message}. Start a new operation for the steps not done."
            );
            return settle(run, RunState::Failed, Some(&error), NOT_RESUMED).await;
        }
    }
    if let Some(stopped) = pause::stop_for_lifecycle(run).await? {
        return Ok(stopped);
    }
    let (state, counts) = blocking(&run.ctx.db, move |conn| {
        let state = operations::find_for_job(conn, id)?.map(|o| o.state);
        let counts = operations::counts(conn, &tenant, &[id])?
            .remove(&id)
            .unwrap_or_default();
        Ok((state, counts))
    })
    .await?;
    if run.signals.lost.load(Ordering::Relaxed)
        || !matches!(state, Some(RunState::Running | RunState::Cancelling))
    {
        return Ok(());
    }
    if state == Some(RunState::Cancelling) {
        run.signals.cancel.store(true, Ordering::Relaxed);
    }
    if run.op.dry_run {
        // A rehearsal: the plan is the result; nothing is executed in the organization.
        let tenant = run.op.tenant_id.clone();
        blocking(&run.ctx.db, move |conn| {
            operations::mark_would_act(conn, &tenant, id, Utc::now().naive_utc())
        })
        .await?;
        return finish(run, RunState::Completed, None).await;
    }
    if counts.total() > 0 {
        if let Some(refusal) = license_check::refusal_before_executing(run).await? {
            return finish(run, RunState::Failed, Some(&refusal)).await;
        }
        if let Some(refusal) = acting_admin::refusal_before_executing(run, &api).await? {
            return finish(run, RunState::Failed, Some(&refusal)).await;
        }
        loop {
            execute::execute(run, &api).await?;
            if run.signals.lost.load(Ordering::Relaxed) {
                return Ok(());
            }
            let paused = run.signals.paused.load(Ordering::Relaxed);
            if let Some(stopped) = pause::stop_for_lifecycle(run).await? {
                return Ok(stopped);
            }
            // Stopped by a pause the app is already back from (disabled, then enabled again
            // before the items in flight ended): what is left goes on.
            if !paused || run.signals.cancel.load(Ordering::Relaxed) {
                break;
            }
        }
        set_phase(run, "post-operation sync").await?;
        if let Err(message) = prepare::refresh_users(run, crate::SyncKind::PostOperation).await? {
            tracing::warn!(operation_id = id, %message, "post-operation sync failed; the next sync will catch up");
        }
    }
    let end = if run.signals.cancel.load(Ordering::Relaxed) {
        RunState::Cancelled
    } else {
        RunState::Completed
    };
    finish(run, end, None).await
}

pub(crate) async fn set_phase(run: &Run, phase: &'static str) -> anyhow::Result<()> {
    let (id, who) = (run.op.id, run.owner.clone());
    blocking(&run.ctx.db, move |conn| {
        operations::set_phase(conn, id, &who, phase)
    })
    .await
}
