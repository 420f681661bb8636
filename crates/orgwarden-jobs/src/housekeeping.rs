//! Daily pruning of what the job machinery leaves behind: queue rows of ended jobs and tenant
//! leases whose holders died.

use std::time::Duration;

use chrono::Utc;
use orgwarden_store::{tenant_leases, Database};

use crate::sync::blocking;
use crate::Queue;

/// Ended jobs' queue rows and dead leases are kept this long (for inspection), then deleted.
pub const KEEP: Duration = Duration::from_secs(24 * 3600);

/// Prunes the queue and the leases; logs what it deleted.
pub async fn housekeeping(db: &Database, queue: &Queue) -> anyhow::Result<()> {
    let jobs = queue.prune_finished(KEEP).await?;
    let before = Utc::now().naive_utc() - chrono::Duration::from_std(KEEP)?;
    let leases = blocking(db, move |conn| tenant_leases::prune(conn, before)).await?;
    tracing::info!(jobs, leases, "pruned ended jobs and dead tenant leases");
    Ok(())
}
