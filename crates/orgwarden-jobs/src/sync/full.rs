//! A full sync: sites, groups (with what they grant) and users, into a new generation.

use orgwarden_ids::{DirectoryId, GroupId, OrgId, TenantId};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use chrono::Utc;
use std::collections::VecDeque;

use futures::stream::FuturesUnordered;
use futures::{StreamExt, TryStreamExt};
use orgwarden_atlassian::{AdminClient, GroupSearch};
use orgwarden_store::mirror;
use orgwarden_store::sync_runs::SyncRun;

use super::failure::message;
use super::map::{grant_rows, group_rows, site_rows};
use super::progress::Tracker;
use super::{blocking, users, SyncContext};

/// Concurrent G8 calls. They go through the client's background handle, so they only take
/// the rate the user cursors leave unused; enough of them to use the whole rate once the
/// cursors are done (50 requests/s at about 60 ms each).
const GRANT_CONCURRENCY: usize = 6;

/// Runs a full sync of `org_id` into the run's generation and publishes it.
pub async fn run(
    ctx: &SyncContext,
    client: &AdminClient,
    run: &SyncRun,
    org_id: &OrgId,
    tracker: &Arc<Tracker>,
) -> Result<(), String> {
    let (tenant, generation) = (&run.tenant_id, run.generation);
    // A run taken over after a crash starts its generation afresh.
    let leftovers = (tenant.to_owned(), generation);
    blocking(&ctx.db, move |conn| {
        mirror::discard(conn, &leftovers.0, leftovers.1)
    })
    .await
    .map_err(|e| e.to_string())?;
    tracker.phase("directories");
    let directories: Vec<_> = client
        .directories(org_id)
        .try_concat()
        .await
        .map_err(|e| message(&e))?;
    let directory_id = directories
        .first()
        .map_or_else(DirectoryId::all, |d| d.directory_id.clone());

    tracker.phase("sites");
    let workspaces: Vec<_> = client
        .workspaces(org_id)
        .try_concat()
        .await
        .map_err(|e| message(&e))?;
    let (sites, products) = site_rows(tenant, generation, &workspaces);
    tracker.sites.store(
        i64::try_from(sites.len()).unwrap_or(i64::MAX),
        Ordering::Relaxed,
    );
    blocking(&ctx.db, move |conn| {
        mirror::insert_sites(conn, &sites)?;
        mirror::insert_products(conn, &products)
    })
    .await
    .map_err(|e| e.to_string())?;

    tracker.phase("users and groups");
    let groups = sync_groups(
        ctx,
        client,
        tenant,
        generation,
        org_id,
        &directory_id,
        tracker,
    );
    let users = users::sync_all(
        ctx,
        client,
        tenant,
        generation,
        org_id,
        &directory_id,
        tracker,
    );
    let (_, tally) = futures::try_join!(groups, users)?;

    tracker.phase("publishing");
    let (tenant, org, directory) = (tenant.to_owned(), org_id.to_owned(), directory_id);
    blocking(&ctx.db, move |conn| {
        mirror::publish(
            conn,
            &tenant,
            generation,
            (&org, &directory),
            Utc::now().naive_utc(),
            &tally,
        )
    })
    .await
    .map_err(|e| e.to_string())
}

/// Groups, and the roles each group that grants anything grants (G8): those reads start as
/// the group pages come, so the rate the group cursor leaves unused is not lost while it pages.
async fn sync_groups(
    ctx: &SyncContext,
    client: &AdminClient,
    tenant: &TenantId,
    generation: i64,
    org_id: &OrgId,
    directory_id: &DirectoryId,
    tracker: &Arc<Tracker>,
) -> Result<(), String> {
    let search = GroupSearch {
        limit: Some(100),
        expand: vec!["counts.users".into(), "counts.resources".into()],
        ..GroupSearch::default()
    };
    let mut pages = client.search_groups(org_id, directory_id, search);
    let mut pages_done = false;
    let mut waiting: VecDeque<GroupId> = VecDeque::new();
    let mut reading = FuturesUnordered::new();
    let mut rows = Vec::new();
    let background = client.background();
    loop {
        while reading.len() < GRANT_CONCURRENCY {
            let Some(group_id) = waiting.pop_front() else {
                break;
            };
            let (client, org, directory) =
                (background.clone(), org_id.clone(), directory_id.clone());
            reading.push(async move {
                let assignments = client
                    .group_role_assignments(&org, &directory, &group_id)
                    .try_concat()
                    .await;
                (group_id, assignments)
            });
        }
        tokio::select! {
            page = pages.next(), if !pages_done => match page {
                None => pages_done = true,
                Some(page) => {
                    let page = page.map_err(|e| message(&e))?;
                    // Only groups that grant something need their role assignments read.
                    waiting.extend(
                        page.iter()
                            .filter(|g| g.counts.is_none_or(|c| c.resources > 0))
                            .map(|g| g.id.clone()),
                    );
                    let groups = group_rows(tenant, generation, &page);
                    let written = i64::try_from(groups.len()).unwrap_or(i64::MAX);
                    blocking(&ctx.db, move |conn| mirror::insert_groups(conn, &groups))
                        .await
                        .map_err(|e| e.to_string())?;
                    tracker.groups.fetch_add(written, Ordering::Relaxed);
                }
            },
            Some((group_id, assignments)) = reading.next(), if !reading.is_empty() => {
                let assignments = assignments.map_err(|e| message(&e))?;
                rows.extend(grant_rows(tenant, generation, &group_id, &assignments));
            }
            else => break,
        }
    }
    tracing::info!(grants = rows.len(), "sync read every group's roles");
    blocking(&ctx.db, move |conn| mirror::insert_grants(conn, &rows))
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}
