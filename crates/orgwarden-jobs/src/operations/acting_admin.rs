//! Whoever started an operation, once more, right before its items execute. An operation may
//! have waited (behind another of its tenant, through a pause) and a task's run starts from the
//! published mirror, which can be a day old; so the rights it acts with are read again from the
//! Admin API ([`crate::roles`]) and checked against the tenant's access control as it is now.
//! Someone who lost them changes nothing more, and a task acting as them is switched off.

use chrono::Utc;
use orgwarden_ids::AccountId;
use orgwarden_store::access::control::{AccessControl, Scope};
use orgwarden_store::access::{self, Standing};
use orgwarden_store::{operations, tasks};

use super::prepare::Api;
use super::Run;
use crate::roles::{admin_roles, AdminRoles};
use crate::sync::blocking;

/// `Some(message)` when whoever started the operation (its `requested_by`) no longer has the
/// rights it acts with (`acting_as`, and the organization-wide sight of an operation started
/// before the access scope was narrowed), or when those rights cannot be read. Every pending
/// item is then skipped with that message; a task's run also switches the task off unless
/// another admin has saved it since (it then acts as them). The caller ends the operation
/// `failed` with it, nothing more executed.
pub(super) async fn refusal_before_executing(
    run: &Run,
    api: &Api,
) -> anyhow::Result<Option<String>> {
    let admin = AccountId::from(&run.op.requested_by);
    let standing = Standing::parse(&run.op.acting_as);
    let read = admin_roles(&api.client, &api.org_id, &api.directory_id, &admin).await;
    let tenant = run.op.tenant_id.clone();
    let control = blocking(&run.ctx.db, move |conn| access::control::get(conn, &tenant)).await?;
    let lost = match read {
        Err(e) => format!(
            "The rights of {admin}, who started it, could not be read from the Admin API ({e}), \
             so it changed nothing. Start it again."
        ),
        Ok(roles) => match lost_rights(standing, &roles, control, run.op.actor_scope.is_none()) {
            None => return Ok(None),
            Some(lost) => lost.to_owned(),
        },
    };
    let (id, tenant, task_id) = (run.op.id, run.op.tenant_id.clone(), run.op.task_id);
    let by = admin.to_string();
    blocking(&run.ctx.db, move |conn| {
        orgwarden_store::transaction(conn, |conn| {
            let task = match task_id {
                Some(task_id) => tasks::find(conn, &tenant, task_id)?,
                None => None,
            };
            let still_theirs = task.as_ref().is_some_and(|t| t.acting_admin == by);
            let message = match (task_id, still_theirs) {
                (Some(_), true) => crate::tasks::acting_admin_lost(&by),
                (Some(_), false) => format!(
                    "This run acts with the rights of {by}, who {lost}, so it changed nothing. \
                     The task acts as whoever saved it since."
                ),
                (None, _) if lost.starts_with("The rights") => lost.clone(),
                (None, _) => format!(
                    "This operation acts with the rights of {by}, who {lost}, so it changed \
                     nothing more."
                ),
            };
            operations::skip_pending(conn, &tenant, id, &message, Utc::now().naive_utc())?;
            if let (Some(task_id), true) = (task_id, still_theirs) {
                tasks::deactivate(conn, &tenant, task_id, &message)?;
            }
            Ok(Some(message))
        })
    })
    .await
}

/// What the starter no longer has of the rights an operation acts with (`None`: they still
/// have them). An operation started with the whole organization in sight (`whole_org`) needs an
/// organization admin once limited admins are confined to what they administer.
fn lost_rights(
    standing: Standing,
    roles: &AdminRoles,
    control: AccessControl,
    whole_org: bool,
) -> Option<&'static str> {
    if roles.org_admin {
        return None;
    }
    let kept = match standing {
        Standing::OrgAdmin => return Some("is no longer an organization admin"),
        Standing::ProductAdmin => control.product_admins && !roles.product_admin.is_empty(),
        Standing::UserAccessAdmin => control.user_access_admins && roles.user_access_admin,
        Standing::JiraAdmin => false,
    };
    if !kept {
        return Some("may no longer use orgwarden as an admin of products or user access");
    }
    (whole_org && control.scope == Scope::Administered)
        .then_some("is now confined to what they administer, and this operation is not")
}

#[cfg(test)]
mod tests {
    use super::*;
    use orgwarden_store::access::Administered;

    fn product_admin() -> AdminRoles {
        AdminRoles {
            product_admin: vec![Administered {
                site_id: "s".into(),
                product_key: Some("jira-software".into()),
            }],
            ..AdminRoles::default()
        }
    }

    #[test]
    fn the_starter_keeps_only_the_rights_the_organization_and_the_settings_still_give() {
        let on = AccessControl {
            product_admins: true,
            user_access_admins: true,
            scope: Scope::Organization,
        };
        let org_admin = AdminRoles {
            org_admin: true,
            ..AdminRoles::default()
        };
        assert_eq!(lost_rights(Standing::OrgAdmin, &org_admin, on, true), None);
        assert!(lost_rights(Standing::OrgAdmin, &product_admin(), on, true)
            .is_some_and(|m| m.contains("no longer an organization admin")));
        assert_eq!(
            lost_rights(Standing::ProductAdmin, &product_admin(), on, true),
            None
        );
        let off = AccessControl {
            product_admins: false,
            ..on
        };
        assert!(lost_rights(Standing::ProductAdmin, &product_admin(), off, true).is_some());
        let none = AdminRoles::default();
        assert!(lost_rights(Standing::ProductAdmin, &none, on, true).is_some());
        assert!(lost_rights(Standing::UserAccessAdmin, &none, on, true).is_some());
        let confined = AccessControl {
            scope: Scope::Administered,
            ..on
        };
        assert!(
            lost_rights(Standing::ProductAdmin, &product_admin(), confined, true)
                .is_some_and(|m| m.contains("confined"))
        );
        assert_eq!(
            lost_rights(Standing::ProductAdmin, &product_admin(), confined, false),
            None
        );
        assert_eq!(
            lost_rights(Standing::ProductAdmin, &org_admin, confined, true),
            None
        );
    }
}
