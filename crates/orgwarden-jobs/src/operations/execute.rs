//! Working through the ledger: users in parallel (bounded), each user's steps in plan order;
//! every item is marked `in_flight` and committed before its API call, then `done`, `skipped`
//! or `failed` with the error. Items found `in_flight` (a crash mid-call) are re-checked first.
//! The guards that protect users are checked again here, against the mirror and the exemption
//! list as they are now: a user who became an organization admin or was exempted after the plan
//! was made is skipped; so are the membership steps of a group that the Admin API now shows
//! may not be changed ([`super::group_recheck`]).

use chrono::Utc;
use futures::TryStreamExt;
use orgwarden_atlassian::AdminError;
use std::collections::HashMap;

use orgwarden_store::mirror;
use orgwarden_store::operations::{self, exemptions, Item, ItemState, Op};

use super::group_recheck::{group_verdicts, Refusal};
use super::guards::{user_refusal, Actor};
use super::prepare::Api;
use super::recheck::{already_done, product_ari};
use super::skip_reason::SkipReason;
use super::{Run, ITEM_CONCURRENCY};
use crate::sync::blocking;

/// Executes every pending or in-flight item until done, cancelled or the lease is lost.
pub(crate) async fn execute(run: &Run, api: &Api) -> anyhow::Result<()> {
    super::set_phase(run, "executing").await?;
    let (id, tenant) = (run.op.id, run.op.tenant_id.clone());
    let (items, refused, exempt) = blocking(&run.ctx.db, move |conn| {
        let items = operations::unfinished(conn, &tenant, id)?;
        let mut ids: Vec<String> = items.iter().map(|i| i.account_id.to_string()).collect();
        ids.sort();
        ids.dedup();
        let generation = mirror::current(conn, &tenant)?.map_or(0, |m| m.generation);
        let facts = operations::load_facts(conn, &tenant, generation, &ids)?;
        let exempt = exemptions::set(conn, &tenant)?;
        let refused: HashMap<String, Refusal> = facts
            .users
            .values()
            .filter_map(|u| {
                user_refusal(u, &facts, &exempt).map(|why| {
                    let why = SkipReason::Rechecked(Box::new(why));
                    (u.account_id.clone(), Refusal::Skip(why.message()))
                })
            })
            .collect();
        Ok((items, refused, exempt))
    })
    .await?;
    let actor = Actor::of(&run.op);
    let groups = group_verdicts(api, &run.op.tenant_id, &items, &exempt, &actor).await;
    let (refused, groups) = (&refused, &groups);
    let mut users: Vec<Vec<Item>> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for item in items {
        match index.get(item.account_id.as_str()) {
            Some(&i) => users[i].push(item),
            None => {
                index.insert(item.account_id.to_string(), users.len());
                users.push(vec![item]);
            }
        }
    }
    futures::stream::iter(users.into_iter().map(Ok::<_, anyhow::Error>))
        .try_for_each_concurrent(ITEM_CONCURRENCY, |items| async move {
            for item in items {
                if run.signals.stop() {
                    break;
                }
                let of_group = || groups.get(item.group_id.as_ref()?.as_str());
                let refusal = refused
                    .get(item.account_id.as_str())
                    .or_else(of_group)
                    .cloned();
                run_item(run, api, item, refusal).await?;
            }
            Ok(())
        })
        .await
}

async fn mark(
    run: &Run,
    item_id: i64,
    state: ItemState,
    reason: Option<String>,
    error: Option<String>,
) -> anyhow::Result<()> {
    let tenant = run.op.tenant_id.clone();
    blocking(&run.ctx.db, move |conn| {
        operations::mark_finished(
            conn,
            &tenant,
            item_id,
            state,
            reason.as_deref(),
            error.as_deref(),
            Utc::now().naive_utc(),
        )
    })
    .await
}

/// Runs one item. An item the re-check now refuses (`refusal`) is never sent: one that a crash
/// left in flight is only checked, done if its change happened, else skipped (or failed).
async fn run_item(
    run: &Run,
    api: &Api,
    item: Item,
    refusal: Option<Refusal>,
) -> anyhow::Result<()> {
    let op = item.op;
    if op == Op::None {
        return mark(run, item.id, ItemState::Skipped, None, None).await;
    }
    if item.state == ItemState::InFlight {
        match already_done(api, &item, op).await {
            Ok(true) => {
                let note = format!(
                    "{} (verified after a restart)",
                    item.reason.as_deref().unwrap_or("done")
                );
                return mark(run, item.id, ItemState::Done, Some(note), None).await;
            }
            Ok(false) => {}
            Err(e) => {
                let error = format!("could not verify after a restart whether it happened: {e}");
                return mark(run, item.id, ItemState::Failed, None, Some(error)).await;
            }
        }
    }
    match refusal {
        Some(Refusal::Skip(reason)) => {
            return mark(run, item.id, ItemState::Skipped, Some(reason), None).await
        }
        Some(Refusal::Fail(error)) => {
            return mark(run, item.id, ItemState::Failed, None, Some(error)).await
        }
        None => {}
    }
    let (tenant, item_id, operation, owner) = (
        run.op.tenant_id.clone(),
        item.id,
        run.op.id,
        run.owner.clone(),
    );
    let marked = blocking(&run.ctx.db, move |conn| {
        let now = Utc::now().naive_utc();
        operations::mark_in_flight(conn, &tenant, (operation, &owner), item_id, now)
    })
    .await?;
    if !marked {
        // Cancelled, or taken over, since the last heartbeat: this call is not ours to make.
        return Ok(());
    }
    match perform(api, &item, op).await {
        Ok(()) => mark(run, item.id, ItemState::Done, None, None).await,
        Err(AdminError::ReadOnlyGroup { .. }) => {
            let reason = SkipReason::ReadOnlyGroup.message();
            mark(run, item.id, ItemState::Skipped, Some(reason), None).await
        }
        // The change may have happened all the same (its answer lost, and every retry failed):
        // what the organization says now decides, so the ledger stays true to it.
        Err(e) => match already_done(api, &item, op).await {
            Ok(true) => {
                let note = format!("done (verified after the call failed: {e})");
                mark(run, item.id, ItemState::Done, Some(note), None).await
            }
            _ => mark(run, item.id, ItemState::Failed, None, Some(e.to_string())).await,
        },
    }
}

/// Sends the item's change.
async fn perform(api: &Api, item: &Item, op: Op) -> Result<(), AdminError> {
    let (org, dir, account) = (&api.org_id, &api.directory_id, &item.account_id);
    let missing = |what: &str| AdminError::BadRequest {
        code: None,
        detail: format!("the ledger item has no {what}"),
    };
    match op {
        Op::Suspend => api.client.suspend_user(org, dir, account).await,
        Op::Restore => api.client.restore_user(org, dir, account).await,
        Op::RevokeRole | Op::GrantRole => {
            let role = item.role.as_deref().ok_or_else(|| missing("role"))?;
            let resource = product_ari(item).ok_or_else(|| missing("product"))?;
            if op == Op::GrantRole {
                api.client.grant_role(org, account, role, &resource).await
            } else {
                api.client.revoke_role(org, account, role, &resource).await
            }
        }
        Op::AddToGroup | Op::RemoveFromGroup => {
            let group = item.group_id.as_ref().ok_or_else(|| missing("group"))?;
            if op == Op::AddToGroup {
                api.client.add_group_member(org, dir, group, account).await
            } else {
                api.client
                    .remove_group_member(org, dir, group, account)
                    .await
            }
        }
        Op::None => Ok(()),
    }
}
