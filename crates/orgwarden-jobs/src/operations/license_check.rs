//! The license gate once more, right before an operation's items execute: an operation queued
//! while acting was allowed does not run once the license refuses (inactive Marketplace license,
//! grace period over, or never evaluated past the first days after the first install).

use chrono::Utc;
use orgwarden_store::operations;

use super::skip_reason::SkipReason;
use super::Run;
use crate::sync::blocking;

/// `Some(message)` when the license refuses acting now. Every pending item is then skipped with
/// that message, and the caller ends the operation `failed` with it; nothing is executed.
pub(super) async fn refusal_before_executing(run: &Run) -> anyhow::Result<Option<String>> {
    let (id, tenant) = (run.op.id, run.op.tenant_id.clone());
    blocking(&run.ctx.db, move |conn| {
        let now = Utc::now();
        let Err(refusal) = crate::license_gate(conn, &tenant, now)? else {
            return Ok(None);
        };
        let message = SkipReason::LicenseRefuses(refusal.to_string()).message();
        operations::skip_pending(conn, &tenant, id, &message, now.naive_utc())?;
        Ok(Some(message))
    })
    .await
}
