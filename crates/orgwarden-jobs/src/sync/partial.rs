//! A partial sync: only the given users, rewritten inside the published generation (used before
//! an operation acts, so its plan stands on fresh data).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use chrono::Utc;
use futures::{StreamExt, TryStreamExt};
use orgwarden_atlassian::AdminClient;
use orgwarden_store::mirror::{self, MirrorState};
use orgwarden_store::sync_runs::SyncRun;

use super::failure::message;
use super::progress::Tracker;
use super::users::{search, write_page};
use super::{blocking, SyncContext};

/// Account ids per search request (the filter's documented limit).
const IDS_PER_REQUEST: usize = 10;

/// Search requests in flight at once (the client's rate limiter paces them).
const REQUESTS_IN_FLIGHT: usize = 8;

/// Refreshes `account_ids` in the published mirror. Users no longer in the organization vanish.
pub async fn run(
    ctx: &SyncContext,
    client: &AdminClient,
    run: &SyncRun,
    published: &MirrorState,
    account_ids: &[String],
    tracker: &Arc<Tracker>,
) -> Result<(), String> {
    tracker.phase("users");
    let (tenant, generation) = (run.tenant_id.as_str(), published.generation);
    let chunks: Vec<Vec<String>> = account_ids
        .chunks(IDS_PER_REQUEST)
        .map(<[String]>::to_vec)
        .collect();
    let fetches = futures::stream::iter(chunks)
        .map(|chunk| async move {
            let users: Vec<_> = client
                .search_users(
                    &published.org_id,
                    &published.directory_id,
                    search(None, chunk.clone()),
                )
                .try_concat()
                .await
                .map_err(|e| message(&e))?;
            Ok::<_, String>((chunk, users))
        })
        .buffer_unordered(REQUESTS_IN_FLIGHT);
    futures::pin_mut!(fetches);
    while let Some(fetched) = fetches.next().await {
        let (chunk, users) = fetched?;
        let written = write_page(ctx, tenant, generation, &users, chunk)
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
