//! An automated task's acting admin once more, right before the run's items execute. A run
//! starts from the published mirror, which can be a day old; the pre-operation sync has just
//! read the acting admin again ([`super::prepare::refresh_users`]), so an organization admin
//! who lost the role since stops their tasks here, before anything is changed.

use chrono::Utc;
use orgwarden_ids::AccountId;
use orgwarden_store::{operations, tasks, users};

use super::Run;
use crate::sync::blocking;

/// `Some(message)` when the run is a task's and its acting admin is no longer an organization
/// admin. Every pending item is then skipped with that message and, unless another admin has
/// saved the task since (it then acts as them), the task is switched off saying it; the caller
/// ends the operation `failed` with it, nothing more executed.
pub(super) async fn refusal_before_executing(run: &Run) -> anyhow::Result<Option<String>> {
    let Some(task_id) = run.op.task_id else {
        return Ok(None);
    };
    let (id, tenant, admin) = (
        run.op.id,
        run.op.tenant_id.clone(),
        run.op.requested_by.clone(),
    );
    blocking(&run.ctx.db, move |conn| {
        orgwarden_store::transaction(conn, |conn| {
            if users::admin_roles(conn, &tenant, &AccountId::from(&admin))?.org_admin {
                return Ok(None);
            }
            let task = tasks::find(conn, &tenant, task_id)?;
            let still_theirs = task.is_some_and(|t| t.acting_admin == admin);
            let message = if still_theirs {
                crate::tasks::acting_admin_lost(&admin)
            } else {
                format!(
                    "This run acts with the rights of {admin}, who is no longer an organization \
                     admin, so it changed nothing. The task acts as whoever saved it since."
                )
            };
            operations::skip_pending(conn, &tenant, id, &message, Utc::now().naive_utc())?;
            if still_theirs {
                tasks::deactivate(conn, &tenant, task_id, &message)?;
            }
            Ok(Some(message))
        })
    })
    .await
}
