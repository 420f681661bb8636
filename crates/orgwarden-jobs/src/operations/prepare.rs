//! Before the first change: refresh the selected users (pre-operation sync; for a task's run
//! that acts, its acting admin too), read how each user
//! holds the products an action removes (U8), plan on that fresh data and write the ledger.

use orgwarden_ids::{AccountId, DirectoryId, OrgId};
use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;
use futures::{StreamExt, TryStreamExt};
use orgwarden_atlassian::{AdminClient, AdminError};
use orgwarden_store::operations::{
    self, exemptions, Action, DirectRole, Facts, RunState, Selection,
};
use orgwarden_store::sync_runs::{self, SyncRunState};
use orgwarden_store::{mirror, org_connections};

use super::guards::user_refusal;
use super::{done_steps, plan, plan_revert, Run, ITEM_CONCURRENCY};
use crate::sync::{blocking, parse_site_ari};
use crate::{request_sync, run_sync, SyncKind};

/// The tenant's Admin API client and where its organization lives.
pub(crate) struct Api {
    pub(crate) client: AdminClient,
    pub(crate) org_id: OrgId,
    pub(crate) directory_id: DirectoryId,
}

/// The client of the operation's tenant, or why there is none (a recorded failure).
pub(crate) async fn connect(run: &Run) -> anyhow::Result<Result<Api, String>> {
    let tenant = run.op.tenant_id.clone();
    let (connection, published) = blocking(&run.ctx.db, move |conn| {
        Ok((
            org_connections::find(conn, &tenant)?,
            mirror::current(conn, &tenant)?,
        ))
    })
    .await?;
    let Some(connection) = connection else {
        return Ok(Err(
            "No Organization API key is saved: add one in Settings → Organization API key.".into(),
        ));
    };
    let Some(published) = published else {
        return Ok(Err("The organization has not been synced yet.".into()));
    };
    let key = match connection.api_key(&run.ctx.cipher) {
        Ok(key) => key,
        Err(e) => {
            return Ok(Err(format!(
                "The saved API key cannot be read ({e}); save it again in Settings."
            )))
        }
    };
    let client = run.ctx.admin_client(&run.op.tenant_id, key);
    Ok(Ok(Api {
        client,
        org_id: published.org_id,
        directory_id: published.directory_id,
    }))
}

/// The account ids the operation was created for.
pub(crate) fn selected_ids(run: &Run) -> Vec<String> {
    serde_json::from_str::<Selection>(&run.op.selection)
        .ok()
        .and_then(|s| s.account_ids)
        .unwrap_or_default()
}

/// Refreshes the selected users in the mirror with a recorded partial sync, run inline (before
/// an automated task's run acts, its acting admin too, so that the mirror the task's next runs
/// start from knows their role). When another sync of the tenant is active, waits for it and
/// then runs ours.
pub(crate) async fn refresh_users(run: &Run, kind: SyncKind) -> anyhow::Result<Result<(), String>> {
    let mut ids = selected_ids(run);
    if kind == SyncKind::PreOperation
        && run.op.task_id.is_some()
        && !run.op.dry_run
        && !ids.contains(&run.op.requested_by)
    {
        ids.push(run.op.requested_by.clone());
    }
    loop {
        if run.signals.lost.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(Ok(()));
        }
        let (tenant, by, ids_now) = (
            run.op.tenant_id.clone(),
            run.op.requested_by.clone(),
            ids.clone(),
        );
        let (requested, created) = blocking(&run.ctx.db, move |conn| {
            request_sync(conn, &tenant, kind, Some(&ids_now), Some(&by))
        })
        .await?;
        run_sync(&run.ctx, requested.id).await?;
        let run_id = requested.id;
        let Some(after) = blocking(&run.ctx.db, move |conn| sync_runs::find(conn, run_id)).await?
        else {
            continue;
        };
        match (after.state, created) {
            (SyncRunState::Succeeded, true) => return Ok(Ok(())),
            (SyncRunState::Failed, true) => {
                return Ok(Err(after.error.unwrap_or_else(|| "the sync failed".into())))
            }
            (SyncRunState::Succeeded | SyncRunState::Failed, false) => continue,
            _ => tokio::time::sleep(Duration::from_secs(1)).await,
        }
    }
}

/// Syncs, plans and writes the ledger; `Ok(Err(message))` is a recorded failure (nothing was
/// changed). Returns `Ok(Ok(()))` without a ledger when a cancel came first.
pub(crate) async fn prepare(run: &Run, api: &Api) -> anyhow::Result<Result<(), String>> {
    let (id, who) = (run.op.id, run.owner.clone());
    let moved = blocking(&run.ctx.db, move |conn| {
        operations::transition(
            conn,
            id,
            &who,
            &[RunState::Queued, RunState::Syncing],
            RunState::Syncing,
            "pre-operation sync",
        )
    })
    .await?;
    if !moved {
        return Ok(Ok(()));
    }
    if let Err(message) = refresh_users(run, SyncKind::PreOperation).await? {
        return Ok(Err(format!(
            "The pre-operation sync failed, so nothing was changed: {message}"
        )));
    }
    super::set_phase(run, "planning").await?;
    let ids = selected_ids(run);
    let (tenant, revert_of, ids_now) = (run.op.tenant_id.clone(), run.op.revert_of, ids.clone());
    let (mut facts, exempt, done) = blocking(&run.ctx.db, move |conn| {
        let generation = mirror::current(conn, &tenant)?.map_or(0, |m| m.generation);
        let facts = operations::load_facts(conn, &tenant, generation, &ids_now)?;
        let exempt = exemptions::set(conn, &tenant)?;
        let done = match revert_of {
            None => Vec::new(),
            Some(original) => done_steps(conn, &tenant, original)?,
        };
        Ok((facts, exempt, done))
    })
    .await?;
    let actor = super::Actor::of(&run.op);
    let plan = if revert_of.is_some() {
        plan_revert(&done, &facts, &exempt, &actor)
    } else {
        let actions: Vec<Action> = serde_json::from_str(&run.op.actions)?;
        if actions
            .iter()
            .any(|a| matches!(a, Action::RemoveAppAccess { .. }))
        {
            if let Err(message) = read_direct_roles(api, &mut facts, &exempt, &actions).await {
                return Ok(Err(format!("Reading how users hold their products failed, so nothing was changed: {message}")));
            }
        }
        plan(&ids, &actions, &facts, &exempt, &actor)
    };
    let before: HashMap<String, operations::BeforeImage> = facts
        .users
        .values()
        .map(|u| (u.account_id.clone(), super::before_image(u)))
        .collect();
    let (tenant, who) = (run.op.tenant_id.clone(), run.owner.clone());
    blocking(&run.ctx.db, move |conn| {
        operations::write_ledger(
            conn,
            &tenant,
            id,
            &who,
            &plan,
            &before,
            Utc::now().naive_utc(),
        )
    })
    .await?;
    Ok(Ok(()))
}

/// Replaces the mirror's inferred direct grants with the user's role assignments (U8) for every
/// user whose access an action removes. Users holding none of the targeted products (as the
/// pre-operation sync just read them) have nothing to remove and cost no request.
async fn read_direct_roles(
    api: &Api,
    facts: &mut Facts,
    exempt: &exemptions::ExemptionSet,
    actions: &[Action],
) -> Result<(), String> {
    let holds_target = |access: &std::collections::BTreeSet<(String, String)>| {
        actions.iter().any(|action| match action {
            Action::RemoveAppAccess { all: true, .. } => !access.is_empty(),
            Action::RemoveAppAccess { targets, .. } => targets
                .iter()
                .any(|t| access.contains(&(t.site_id.clone(), t.product_key.clone()))),
            _ => false,
        })
    };
    let ids: Vec<AccountId> = facts
        .users
        .values()
        .filter(|u| holds_target(&u.access) && user_refusal(u, facts, exempt).is_none())
        .map(|u| AccountId::from(&u.account_id))
        .collect();
    let reads = futures::stream::iter(ids)
        .map(|account_id| async move {
            let roles = direct_roles(api, &account_id).await;
            (account_id, roles)
        })
        .buffer_unordered(ITEM_CONCURRENCY);
    futures::pin_mut!(reads);
    while let Some((account_id, roles)) = reads.next().await {
        let roles = roles.map_err(|e| e.to_string())?;
        if let Some(user) = facts.users.get_mut(account_id.as_str()) {
            user.direct_roles = Some(roles);
        }
    }
    Ok(())
}

/// The product roles `account_id` holds directly (U8); none for a user no longer found.
pub(crate) async fn direct_roles(
    api: &Api,
    account_id: &AccountId,
) -> Result<Vec<DirectRole>, AdminError> {
    let pages = api
        .client
        .user_role_assignments(&api.org_id, &api.directory_id, account_id)
        .try_concat()
        .await;
    let assignments = match pages {
        Ok(assignments) => assignments,
        Err(AdminError::NotFound { .. }) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut out = Vec::new();
    for assignment in assignments.iter().filter(|a| a.directory_id.is_some()) {
        let Some((owner, site)) = parse_site_ari(&assignment.resource_id) else {
            continue;
        };
        let product = if assignment.resource_owner.is_empty() {
            owner
        } else {
            assignment.resource_owner.as_str()
        };
        for role in assignment
            .role_assignments
            .iter()
            .filter(|r| r.role_assignment_methods.iter().any(|m| m == "direct"))
        {
            out.push(DirectRole {
                site_id: site.to_owned(),
                product_key: product.to_owned(),
                role: Some(role.role.clone()),
            });
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}
