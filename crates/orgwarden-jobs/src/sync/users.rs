//! Users, streamed page by page. They are read as disjoint partitions (by `mfaEnabled`); in
//! each, two cursors walk the nickname order from both ends and stop where they meet, so four
//! requests are in flight instead of two. The user count (U6) then proves nothing was skipped,
//! and if it was (an API whose sort differs), each ascending cursor simply continues to the end.
//! Users read twice near a meeting point are written once.

use orgwarden_ids::{AccountId, DirectoryId, OrgId, TenantId};
use std::collections::HashSet;
use std::sync::Arc;

use futures::StreamExt;
use orgwarden_atlassian::{AdminClient, AdminError, DirectoryUser, SortBy, UserSearch};
use orgwarden_store::mirror::{self, ActivityTally};
use parking_lot::Mutex;

use super::failure::message;
use super::map::user_rows;
use super::progress::Tracker;
use super::writer::write_pages;
use super::{blocking, SyncContext};

/// Disjoint partitions of the users, each walked by two cursors: `mfaEnabled` is a boolean
/// every user has, so the two partitions hold every user once, and four requests are in flight
/// (with 50 ms of latency per page, two cursors cannot use a 50 requests/s limit).
const PARTITIONS: [Option<bool>; 2] = [Some(true), Some(false)];

/// Users per page (the Admin API's maximum).
pub const PAGE_SIZE: u32 = 100;

/// Pages waiting for the writer: more than one of its transactions, so that the cursors never
/// wait while it collects the next one.
const PAGES_QUEUED: usize = 80;

const EXPAND: [&str; 3] = ["productAccess", "groups", "platformRoles"];

type Key = (String, String);

fn key(u: &DirectoryUser) -> Key {
    (
        u.nickname
            .clone()
            .unwrap_or_else(|| u.name.clone())
            .to_lowercase(),
        u.account_id.as_str().to_owned(),
    )
}

/// The request for users: every user, expanded, optionally sorted.
pub fn search(descending: Option<bool>, account_ids: Vec<String>) -> UserSearch {
    UserSearch {
        limit: Some(PAGE_SIZE),
        account_ids,
        expand: EXPAND.iter().map(|e| (*e).to_owned()).collect(),
        sort_by: descending
            .map(|desc| {
                vec![SortBy {
                    field: "nick_name".into(),
                    direction: if desc { "desc" } else { "asc" }.into(),
                }]
            })
            .unwrap_or_default(),
        ..UserSearch::default()
    }
}

/// Replaces the rows of the `replace` account ids in `generation` (the published one) by the
/// users of `page`, in one transaction; returns how many were written.
pub async fn write_page(
    ctx: &SyncContext,
    tenant: &TenantId,
    generation: i64,
    page: &[DirectoryUser],
    replace: Vec<String>,
) -> anyhow::Result<i64> {
    let rows = user_rows(tenant, generation, page);
    let tenant = tenant.to_owned();
    blocking(&ctx.db, move |conn| {
        let replace = (&tenant, generation, replace.as_slice());
        let written =
            mirror::replace_users(conn, replace, &rows.users, &rows.access, &rows.members)?;
        Ok(i64::try_from(written).unwrap_or(i64::MAX))
    })
    .await
}

/// Where the two cursors of one partition are.
#[derive(Default)]
struct Meeting {
    ascending_max: Option<Key>,
    descending_min: Option<Key>,
}

/// Every user of the organization into `generation`; returns their activity tally. Fetching
/// and writing overlap: the cursors hand pages to one writer task, so database time never delays
/// the next request.
pub async fn sync_all(
    ctx: &SyncContext,
    client: &AdminClient,
    tenant: &TenantId,
    generation: i64,
    org_id: &OrgId,
    directory_id: &DirectoryId,
    tracker: &Arc<Tracker>,
) -> Result<ActivityTally, String> {
    let (pages_tx, pages_rx) = tokio::sync::mpsc::channel::<Vec<DirectoryUser>>(PAGES_QUEUED);
    let writer = write_pages(
        ctx.db.clone(),
        (tenant.clone(), generation),
        pages_rx,
        tracker.clone(),
    );
    let readers = async move {
        let seen = Mutex::new(HashSet::new());
        let mut cursors: Vec<_> = PARTITIONS
            .iter()
            .map(|&mfa_enabled| {
                let cursor = |descending| {
                    let request = UserSearch {
                        mfa_enabled,
                        ..search(Some(descending), Vec::new())
                    };
                    client.search_users(org_id, directory_id, request)
                };
                (cursor(false), cursor(true), Mutex::new(Meeting::default()))
            })
            .collect();
        let walks = cursors.iter_mut().map(|(up, down, meeting)| {
            let (sink, seen) = (&pages_tx, &seen);
            async move {
                let up = walk(up, sink, meeting, seen, false);
                let down = walk(down, sink, meeting, seen, true);
                let (up_done, _) = futures::try_join!(up, down)?;
                Ok::<bool, String>(up_done)
            }
        });
        let read_to_end = futures::future::try_join_all(walks).await?;
        if read_to_end.contains(&false) {
            // Proves nothing was skipped between meeting cursors; else read on to the end.
            let expected = client
                .count_users(org_id, directory_id)
                .await
                .map_err(|e| message(&e))?;
            let read = u64::try_from(seen.lock().len()).unwrap_or(0);
            if read < expected {
                tracing::warn!(
                    read,
                    expected,
                    "cursors met early; reading the rest in one direction"
                );
                for (up, _, meeting) in &mut cursors {
                    // Without a descending end, the ascending cursor never counts as passed.
                    meeting.lock().descending_min = None;
                    walk(up, &pages_tx, meeting, &seen, false).await?;
                }
            }
        }
        tracing::info!(users = seen.lock().len(), "sync read every user");
        drop(pages_tx);
        Ok::<(), String>(())
    };
    let ((), tally) = futures::try_join!(readers, writer)?;
    Ok(tally)
}

/// Reads pages until the stream ends (returns true) or it has passed the other cursor (false).
async fn walk<S>(
    pages: &mut S,
    sink: &tokio::sync::mpsc::Sender<Vec<DirectoryUser>>,
    meeting: &Mutex<Meeting>,
    seen: &Mutex<HashSet<AccountId>>,
    descending: bool,
) -> Result<bool, String>
where
    S: futures::Stream<Item = Result<Vec<DirectoryUser>, AdminError>> + Unpin,
{
    while let Some(page) = pages.next().await {
        let mut page = page.map_err(|e| message(&e))?;
        let Some(last) = page.last().map(key) else {
            continue;
        };
        // Each user goes to the writer once, however many cursors read them.
        {
            let mut seen = seen.lock();
            page.retain(|u| seen.insert(u.account_id.clone()));
        }
        let passed = {
            let mut m = meeting.lock();
            if descending {
                m.descending_min = Some(last.clone());
                m.ascending_max.as_ref().is_some_and(|up| last <= *up)
            } else {
                m.ascending_max = Some(last.clone());
                m.descending_min.as_ref().is_some_and(|down| last >= *down)
            }
        };
        if !page.is_empty() {
            sink.send(page)
                .await
                .map_err(|_| "the sync writer stopped".to_owned())?;
        }
        if passed {
            return Ok(false);
        }
    }
    Ok(true)
}
