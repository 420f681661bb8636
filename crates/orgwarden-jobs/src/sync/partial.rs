//! A partial sync: only the given users, rewritten inside the published generation (used before
//! an operation acts, so its plan stands on fresh data).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use chrono::Utc;
use futures::TryStreamExt;
use orgwarden_atlassian::AdminClient;
use orgwarden_store::mirror::{self, MirrorState};
use orgwarden_store::sync_runs::SyncRun;

use super::failure::message;
use super::progress::Tracker;
use super::users::{search, write_page};
use super::{blocking, SyncContext};

/// Account ids per search request.
const IDS_PER_REQUEST: usize = 10;

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
    for chunk in account_ids.chunks(IDS_PER_REQUEST) {
        let users: Vec<_> = client
            .search_users(
                &published.org_id,
                &published.directory_id,
                search(None, chunk.to_vec()),
            )
            .try_concat()
            .await
            .map_err(|e| message(&e))?;
        let written = write_page(ctx, tenant, generation, &users, Some(chunk.to_vec()))
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
