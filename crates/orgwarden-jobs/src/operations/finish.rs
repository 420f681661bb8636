//! How a run of an operation ends: what is still pending is skipped, what a stopped worker left
//! in flight is failed, and the end state and totals are recorded with the operation's audit
//! entry and metrics, only by the worker that holds the run.

use chrono::Utc;
use orgwarden_store::operations::{self, RunState, Totals};
use orgwarden_store::StoreError;

use super::{audit, Run, SkipReason};
use crate::sync::blocking;

/// Why an item a stopped worker left in flight ends failed when the run ends without resuming
/// it (refused by the license or the acting admin's rights, or the app uninstalled).
pub(super) const UNCHECKED: &str =
    "a worker stopped during this call, and the run ended before checking \
                         whether it happened: check the user in Atlassian administration";

/// Skips what is still pending (after a cancel), fails what a stopped worker left in flight,
/// then records the end state and totals; only while this worker holds the run.
pub(super) async fn finish(run: &Run, state: RunState, error: Option<&str>) -> anyhow::Result<()> {
    settle(run, state, error, &SkipReason::Cancelled.message()).await
}

/// Why the steps of an operation whose resume could not re-read its users were not started.
pub(super) const NOT_RESUMED: &str =
    "Not started: the users could not be read again before resuming";

/// [`finish`], skipping the steps not started with `pending` as their reason.
pub(super) async fn settle(
    run: &Run,
    state: RunState,
    error: Option<&str>,
    pending: &str,
) -> anyhow::Result<()> {
    let (id, tenant, who, error, pending) = (
        run.op.id,
        run.op.tenant_id.clone(),
        run.owner.clone(),
        error.map(str::to_owned),
        pending.to_owned(),
    );
    let op = run.op.clone();
    let (ended, state, totals) = blocking(&run.ctx.db, move |conn| {
        orgwarden_store::transaction(conn, |conn| {
            let now = Utc::now().naive_utc();
            // Only the lease holder settles the ledger: a worker whose run was taken over
            // leaves it to the one that holds it now.
            let Some(current) = operations::heartbeat(conn, id, &who, now)? else {
                return Ok((false, state, Totals::default()));
            };
            // A cancel asked after the last item started still ends the operation as cancelled.
            let state = if state == RunState::Completed && current == RunState::Cancelling {
                RunState::Cancelled
            } else {
                state
            };
            operations::skip_pending(conn, &tenant, id, &pending, now)?;
            operations::fail_in_flight(conn, &tenant, id, UNCHECKED, now)?;
            let c = operations::counts(conn, &tenant, &[id])?
                .remove(&id)
                .unwrap_or_default();
            let totals = Totals {
                total: c.total(),
                done: c.done,
                skipped: c.skipped,
                failed: c.failed,
            };
            let ended = operations::finish(conn, id, &who, state, totals, error.as_deref(), now)?;
            if ended {
                audit::finished(conn, &op, state, totals, error.as_deref())?;
            }
            Ok::<_, StoreError>((ended, state, totals))
        })
    })
    .await?;
    if ended {
        crate::metrics::operation_finished(&run.op, state, &totals);
    }
    tracing::info!(operation_id = id, "operation finished");
    Ok(())
}
