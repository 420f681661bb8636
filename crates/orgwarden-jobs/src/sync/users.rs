//! Users, streamed page by page. Two cursors walk the nickname order from both ends and stop
//! where they meet, halving the time sequential cursor paging needs; the user count (U6) then
//! proves nothing was skipped, and if it was (an API whose sort differs), the ascending cursor
//! simply continues to the end. Users read twice near the meeting point are written once.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use futures::StreamExt;
use orgwarden_atlassian::{AdminClient, AdminError, DirectoryUser, SortBy, UserSearch};
use orgwarden_store::mirror::{self, ActivityTally};
use parking_lot::Mutex;

use super::failure::message;
use super::map::user_rows;
use super::progress::Tracker;
use super::{blocking, SyncContext};

/// Users per page (the Admin API's maximum).
pub const PAGE_SIZE: u32 = 100;

/// Pages waiting for the writer; when it falls behind, it writes them all in one transaction.
const PAGES_QUEUED: usize = 32;

/// Most users one write transaction takes: big enough that index pages touched by many users
/// are written once per transaction, small enough to keep memory flat.
const USERS_PER_WRITE: usize = 2_000;
const EXPAND: [&str; 3] = ["productAccess", "groups", "platformRoles"];

type Key = (String, String);

fn key(u: &DirectoryUser) -> Key {
    (
        u.nickname
            .clone()
            .unwrap_or_else(|| u.name.clone())
            .to_lowercase(),
        u.account_id.clone(),
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

/// Where a page of users is written.
pub enum Target {
    /// A full sync's new generation, which holds none of the page's users yet; the tally counts
    /// them for the dashboard's summary.
    New(Arc<Mutex<ActivityTally>>),
    /// The published generation: the rows of these account ids are replaced (partial sync).
    Replace(Vec<String>),
}

/// Writes one page of users into `generation`, in one transaction; returns how many were
/// written.
pub async fn write_page(
    ctx: &SyncContext,
    tenant: &str,
    generation: i64,
    page: &[DirectoryUser],
    target: Target,
) -> anyhow::Result<i64> {
    let rows = user_rows(tenant, generation, page);
    let tenant = tenant.to_owned();
    blocking(&ctx.db, move |conn| {
        let written = match target {
            Target::Replace(ids) => mirror::write_users(
                conn,
                &rows.users,
                &rows.access,
                &rows.members,
                Some((tenant.as_str(), generation, &ids)),
            )?,
            Target::New(tally) => mirror::write_new_users(
                conn,
                rows.users,
                rows.access,
                rows.members,
                &mut tally.lock(),
            )?,
        };
        Ok(i64::try_from(written).unwrap_or(i64::MAX))
    })
    .await
}

#[derive(Default)]
struct Meeting {
    ascending_max: Option<Key>,
    descending_min: Option<Key>,
    /// Distinct account ids read (pages near the meeting point are read twice).
    seen: std::collections::HashSet<String>,
}

/// Every user of the organization into `generation`; returns their activity tally. Fetching and writing overlap: the cursors
/// hand pages to one writer task, so database time never delays the next request.
pub async fn sync_all(
    ctx: &SyncContext,
    client: &AdminClient,
    tenant: &str,
    generation: i64,
    org_id: &str,
    directory_id: &str,
    tracker: &Arc<Tracker>,
) -> Result<ActivityTally, String> {
    let (pages_tx, mut pages_rx) = tokio::sync::mpsc::channel::<Vec<DirectoryUser>>(PAGES_QUEUED);
    let tally = Arc::new(Mutex::new(ActivityTally::default()));
    let writer = {
        let (ctx, tenant, tracker) = (ctx.clone(), tenant.to_owned(), tracker.clone());
        let tally = tally.clone();
        async move {
            while let Some(mut batch) = pages_rx.recv().await {
                while batch.len() < USERS_PER_WRITE {
                    match pages_rx.try_recv() {
                        Ok(page) => batch.extend(page),
                        Err(_) => break,
                    }
                }
                let target = Target::New(tally.clone());
                let written = write_page(&ctx, &tenant, generation, &batch, target)
                    .await
                    .map_err(|e| e.to_string())?;
                tracker.users.fetch_add(written, Ordering::Relaxed);
            }
            Ok::<(), String>(())
        }
    };
    let readers = async move {
        let meeting = Arc::new(Mutex::new(Meeting::default()));
        let mut ascending =
            client.search_users(org_id, directory_id, search(Some(false), Vec::new()));
        let mut descending =
            client.search_users(org_id, directory_id, search(Some(true), Vec::new()));
        let up = walk(&mut ascending, &pages_tx, &meeting, false);
        let down = walk(&mut descending, &pages_tx, &meeting, true);
        let (up_done, _) = futures::try_join!(up, down)?;
        if !up_done {
            // Proves nothing was skipped between the cursors; else read on to the end.
            let expected = client
                .count_users(org_id, directory_id)
                .await
                .map_err(|e| message(&e))?;
            let seen = u64::try_from(meeting.lock().seen.len()).unwrap_or(0);
            if seen < expected {
                tracing::warn!(
                    seen,
                    expected,
                    "cursors met early; reading the rest in one direction"
                );
                // Without a descending end, the ascending cursor never counts as passed.
                meeting.lock().descending_min = None;
                walk(&mut ascending, &pages_tx, &meeting, false).await?;
            }
        }
        drop(pages_tx);
        Ok::<(), String>(())
    };
    futures::try_join!(readers, writer)?;
    let counted = std::mem::take(&mut *tally.lock());
    Ok(counted)
}

/// Reads pages until the stream ends (returns true) or it has passed the other cursor (false).
async fn walk<S>(
    pages: &mut S,
    sink: &tokio::sync::mpsc::Sender<Vec<DirectoryUser>>,
    meeting: &Mutex<Meeting>,
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
        let passed = {
            let mut m = meeting.lock();
            // Each user goes to the writer once, however many cursors read them.
            page.retain(|u| m.seen.insert(u.account_id.clone()));
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
