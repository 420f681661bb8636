//! What an operation does when the app's lifecycle changes under it: it waits (releasing its
//! lease) while the app is disabled on the site and ends cancelled once it is uninstalled.

use std::sync::atomic::Ordering;

use chrono::Utc;
use orgwarden_store::operations::{self, RunState};

use super::{finish, set_phase, Run};
use crate::sync::blocking;
use crate::TenantStanding;

/// Pauses the operation (releasing it until the app is enabled) or ends it cancelled (the app
/// was uninstalled), when the tenant's lifecycle says so; `None` lets it go on.
pub(super) async fn stop_for_lifecycle(run: &Run) -> anyhow::Result<Option<()>> {
    let tenant = run.op.tenant_id.clone();
    match blocking(&run.ctx.db, move |conn| {
        crate::tenant_standing(conn, &tenant)
    })
    .await?
    {
        TenantStanding::Active => {
            run.signals.paused.store(false, Ordering::Relaxed);
            Ok(None)
        }
        TenantStanding::Disabled => {
            tracing::info!(
                operation_id = run.op.id,
                "the app is disabled on the site; operation paused"
            );
            set_phase(run, "paused: the app is disabled on the site").await?;
            let (id, who) = (run.op.id, run.owner.clone());
            blocking(&run.ctx.db, move |conn| operations::release(conn, id, &who)).await?;
            Ok(Some(()))
        }
        TenantStanding::Gone => {
            let (id, tenant) = (run.op.id, run.op.tenant_id.clone());
            blocking(&run.ctx.db, move |conn| {
                operations::request_cancel(conn, &tenant, id, Utc::now().naive_utc()).map(drop)
            })
            .await?;
            run.signals.cancel.store(true, Ordering::Relaxed);
            finish(
                run,
                RunState::Cancelled,
                Some("The app was uninstalled from the site."),
            )
            .await?;
            Ok(Some(()))
        }
    }
}
