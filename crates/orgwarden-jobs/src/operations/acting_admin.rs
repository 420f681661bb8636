//! Whoever started an operation, once more, right before its items execute. An operation may
//! have waited (behind another of its tenant, through a pause) and a task's run starts from the
//! published mirror, which can be a day old; so the rights it acts with are read again from the
//! Admin API ([`crate::roles`]) and checked against the tenant's access control as it is now.
//! Someone who lost them changes nothing more, and a task acting as them is switched off.

use chrono::Utc;
use orgwarden_ids::AccountId;
use orgwarden_store::access::control::AccessControl;
use orgwarden_store::access::{self, Administered, Standing};
use orgwarden_store::{operations, tasks};

use super::prepare::Api;
use super::Run;
use crate::roles::{admin_roles, admitted, AdminRoles};
use crate::sync::blocking;

/// `Some(message)` when whoever started the operation (its `requested_by`) no longer has the
/// rights it acts with ([`lost_rights`]), or when those rights cannot be read. Every pending
/// item is then skipped with that message; a task's run whose acting admin lost the role also
/// switches the task off unless another admin has saved it since (it then acts as them). The
/// caller ends the operation `failed` with it, nothing more executed.
pub(super) async fn refusal_before_executing(
    run: &Run,
    api: &Api,
) -> anyhow::Result<Option<String>> {
    let admin = AccountId::from(&run.op.requested_by);
    let read = admin_roles(&api.client, &api.org_id, &api.directory_id, &admin).await;
    let tenant = run.op.tenant_id.clone();
    let control = blocking(&run.ctx.db, move |conn| access::control::get(conn, &tenant)).await?;
    let standing = Standing::parse(&run.op.acting_as);
    let scope: Option<Vec<Administered>> = run
        .op
        .actor_scope
        .as_deref()
        .map(|s| serde_json::from_str(s).unwrap_or_default());
    let refusal = match read {
        // Not a lost role: the run stops, and the task stays as it is.
        Err(e) => Refusal::Unreadable(e.to_string()),
        Ok(roles) => match lost_rights(standing, &roles, control, scope.as_deref()) {
            None => return Ok(None),
            Some(lost) => Refusal::Lost(lost),
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
            let message = refusal.message(&by, task_id.is_some(), still_theirs);
            operations::skip_pending(conn, &tenant, id, &message, Utc::now().naive_utc())?;
            if let (Some(task_id), true, Refusal::Lost(_)) = (task_id, still_theirs, &refusal) {
                tasks::deactivate(conn, &tenant, task_id, &message)?;
            }
            Ok(Some(message))
        })
    })
    .await
}

/// Why an operation's starter may not have it act now.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Refusal {
    /// Their roles could not be read from the Admin API (the error).
    Unreadable(String),
    /// What they no longer have ([`lost_rights`]).
    Lost(&'static str),
}

impl Refusal {
    /// The reason recorded on the operation and its steps not started: for a task's run
    /// (`task`), whether the task still acts as the starter (`theirs`) decides the words.
    fn message(&self, by: &str, task: bool, theirs: bool) -> String {
        match (self, task, theirs) {
            (Self::Unreadable(e), _, _) => format!(
                "The rights of {by}, who started it, could not be read from the Admin API \
                 ({e}), so it changed nothing more; start a new operation for the steps not done."
            ),
            (Self::Lost(_), true, true) => crate::tasks::acting_admin_lost(by),
            (Self::Lost(lost), true, false) => format!(
                "This run acts with the rights of {by}, who {lost}, so it changed nothing. The \
                 task acts as whoever saved it since."
            ),
            (Self::Lost(lost), false, _) => format!(
                "This operation acts with the rights of {by}, who {lost}, so it changed nothing \
                 more."
            ),
        }
    }
}

/// What the starter no longer has of the rights an operation acts with (`None`: they still
/// have them), as the app would admit them now ([`admitted`]): an organization admin's operation
/// needs one; a limited admin's needs to be admitted, and, once admins are confined to what they
/// administer, still to administer every site and product of the operation's recorded scope
/// (`scope`; `None`: the whole organization).
fn lost_rights(
    standing: Standing,
    roles: &AdminRoles,
    control: AccessControl,
    scope: Option<&[Administered]>,
) -> Option<&'static str> {
    let Some(now) = admitted(roles, control) else {
        return Some(match standing {
            Standing::OrgAdmin | Standing::JiraAdmin => "is no longer an organization admin",
            _ => "may no longer use orgwarden as an admin of products or user access",
        });
    };
    if now.standing == Standing::OrgAdmin {
        return None;
    }
    if matches!(standing, Standing::OrgAdmin | Standing::JiraAdmin) {
        return Some("is no longer an organization admin");
    }
    // Not confined: the whole organization is theirs.
    let now = now.scope?;
    let Some(scope) = scope else {
        return Some("is now confined to what they administer, and this operation is not");
    };
    let kept = |a: &Administered| {
        now.iter().any(|n| {
            n.site_id == a.site_id && (n.product_key.is_none() || n.product_key == a.product_key)
        })
    };
    (!scope.iter().all(kept)).then_some("no longer administers everything this operation acts on")
}

#[cfg(test)]
mod tests {
    use super::*;
    use orgwarden_store::access::control::Scope;

    fn jira() -> Administered {
        Administered {
            site_id: "s".into(),
            product_key: Some("jira-software".into()),
        }
    }

    fn product_admin() -> AdminRoles {
        AdminRoles {
            product_admin: vec![jira()],
            ..AdminRoles::default()
        }
    }

    const ON: AccessControl = AccessControl {
        product_admins: true,
        user_access_admins: true,
        scope: Scope::Organization,
    };

    #[test]
    fn the_starter_keeps_only_the_rights_the_organization_and_the_settings_still_give() {
        let org_admin = AdminRoles {
            org_admin: true,
            ..AdminRoles::default()
        };
        assert_eq!(lost_rights(Standing::OrgAdmin, &org_admin, ON, None), None);
        assert!(lost_rights(Standing::OrgAdmin, &product_admin(), ON, None)
            .is_some_and(|m| m.contains("no longer an organization admin")));
        assert_eq!(
            lost_rights(Standing::ProductAdmin, &product_admin(), ON, None),
            None
        );
        let off = AccessControl {
            product_admins: false,
            ..ON
        };
        assert!(lost_rights(Standing::ProductAdmin, &product_admin(), off, None).is_some());
        // Someone who is both keeps the app through the kind still switched on.
        let both = AdminRoles {
            user_access_admin: true,
            ..product_admin()
        };
        assert_eq!(lost_rights(Standing::ProductAdmin, &both, off, None), None);
        let none = AdminRoles::default();
        assert!(lost_rights(Standing::ProductAdmin, &none, ON, None).is_some());
        assert!(lost_rights(Standing::UserAccessAdmin, &none, ON, None).is_some());
    }

    #[test]
    fn a_confined_starter_keeps_only_what_they_still_administer() {
        let confined = AccessControl {
            scope: Scope::Administered,
            ..ON
        };
        assert!(
            lost_rights(Standing::ProductAdmin, &product_admin(), confined, None)
                .is_some_and(|m| m.contains("confined"))
        );
        let scope = [jira()];
        assert_eq!(
            lost_rights(
                Standing::ProductAdmin,
                &product_admin(),
                confined,
                Some(&scope)
            ),
            None
        );
        let confluence = [Administered {
            site_id: "s".into(),
            product_key: Some("confluence".into()),
        }];
        assert!(lost_rights(
            Standing::ProductAdmin,
            &product_admin(),
            confined,
            Some(&confluence)
        )
        .is_some_and(|m| m.contains("no longer administers")));
        let site_admin = AdminRoles {
            product_admin: vec![Administered {
                site_id: "s".into(),
                product_key: None,
            }],
            ..AdminRoles::default()
        };
        assert_eq!(
            lost_rights(
                Standing::ProductAdmin,
                &site_admin,
                confined,
                Some(&confluence)
            ),
            None
        );
    }

    #[test]
    fn an_unreadable_starter_is_not_said_to_have_lost_the_role() {
        let unreadable = Refusal::Unreadable("HTTP 503".into());
        for (task, theirs) in [(false, false), (true, true), (true, false)] {
            let message = unreadable.message("557058:a", task, theirs);
            assert!(message.contains("could not be read") && message.contains("HTTP 503"));
            assert!(!message.contains("no longer"), "{message}");
        }
        let lost = Refusal::Lost("is no longer an organization admin");
        assert!(lost
            .message("557058:a", false, false)
            .contains("who is no longer an organization admin, so it changed nothing more"));
    }
}
