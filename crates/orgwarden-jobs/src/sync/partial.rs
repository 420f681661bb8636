//! A partial sync: only the given users, rewritten inside the published generation (used before
//! an operation acts, so its plan stands on fresh data).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use chrono::Utc;
use futures::{StreamExt, TryStreamExt};
use orgwarden_atlassian::{AdminClient, DirectoryUser};
use orgwarden_store::mirror::{self, MirrorState};
use orgwarden_store::sync_runs::SyncRun;

use super::failure::message;
use super::progress::Tracker;
use super::users::{search, write_page};
use super::{blocking, SyncContext};

/// Account ids per search request (the filter's documented limit).
const IDS_PER_REQUEST: usize = 10;

/// Users read, then written, at a time.
const USERS_PER_WRITE: usize = 1_000;

/// Search requests in flight at once (the client's rate limiter paces them).
const REQUESTS_IN_FLIGHT: usize = 8;

/// Reads `account_ids` (expanded as a full sync reads them); users no longer in the
/// organization are simply not in the answer.
pub async fn fetch_users(
    client: &AdminClient,
    published: &MirrorState,
    account_ids: &[String],
) -> Result<Vec<DirectoryUser>, String> {
    let chunks: Vec<Vec<String>> = account_ids
        .chunks(IDS_PER_REQUEST)
        .map(<[String]>::to_vec)
        .collect();
    let fetches = futures::stream::iter(chunks)
        .map(|chunk| async move {
            client
                .search_users(
                    &published.org_id,
                    &published.directory_id,
                    search(None, chunk),
                )
                .try_concat()
                .await
                .map_err(|e| message(&e))
        })
        .buffer_unordered(REQUESTS_IN_FLIGHT);
    futures::pin_mut!(fetches);
    let mut users = Vec::new();
    while let Some(fetched) = fetches.next().await {
        users.extend(fetched?);
    }
    Ok(users)
}

/// Refreshes `account_ids` in the published mirror, [`USERS_PER_WRITE`] at a time (what is held
/// in memory, and one short write transaction each, however large the selection). Users no
/// longer in the organization vanish.
pub async fn run(
    ctx: &SyncContext,
    client: &AdminClient,
    run: &SyncRun,
    published: &MirrorState,
    account_ids: &[String],
    tracker: &Arc<Tracker>,
) -> Result<(), String> {
    tracker.phase("users");
    let (tenant, generation) = (&run.tenant_id, published.generation);
    for ids in account_ids.chunks(USERS_PER_WRITE) {
        let users = fetch_users(client, published, ids).await?;
        let written = write_page(ctx, tenant, generation, &users, ids.to_vec())
            .await
            .map_err(|e| e.to_string())?;
        tracker.users.fetch_add(written, Ordering::Relaxed);
    }
    let t = tenant.to_owned();
    blocking(&ctx.db, move |conn| {
        mirror::touch(conn, &t, Utc::now().naive_utc())
    })
    .await
    .map_err(|e| e.to_string())
}
