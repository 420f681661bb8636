//! A full sync's writer: one thread with one connection (its page cache sized for the indexes it
//! fills) writes the pages the cursors hand over, in transactions of five thousand users,
//! and counts the dashboard's activity summary as it goes. One thread keeps SQLite's memory in
//! one allocator arena (memory freed by one thread is not reused by another).

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use orgwarden_atlassian::DirectoryUser;
use orgwarden_store::mirror::{self, ActivityTally};
use orgwarden_store::{Database, StoreError};
use tokio::sync::mpsc;

use super::map::user_rows;
use super::progress::Tracker;

/// Users per write transaction: an index page that many of them touch is written once, and
/// memory stays flat.
const USERS_PER_WRITE: usize = 5_000;

/// Writes the users of the pages it receives into `generation` (none of them is there yet)
/// until the channel closes; returns their tally.
pub(super) async fn write_pages(
    db: Database,
    (tenant, generation): (String, i64),
    pages: mpsc::Receiver<Vec<DirectoryUser>>,
    tracker: std::sync::Arc<Tracker>,
) -> Result<ActivityTally, String> {
    tokio::task::spawn_blocking(move || write_all(&db, (&tenant, generation), pages, &tracker))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())
}

fn write_all(
    db: &Database,
    (tenant, generation): (&str, i64),
    mut pages: mpsc::Receiver<Vec<DirectoryUser>>,
    tracker: &Tracker,
) -> Result<ActivityTally, StoreError> {
    let mut conn = db.writer()?;
    let mut tally = ActivityTally::default();
    let (started, mut writing, mut batches) = (Instant::now(), Duration::ZERO, 0_u32);
    while let Some(mut batch) = pages.blocking_recv() {
        while batch.len() < USERS_PER_WRITE {
            match pages.blocking_recv() {
                Some(page) => batch.extend(page),
                None => break,
            }
        }
        let write_started = Instant::now();
        let rows = user_rows(tenant, generation, &batch);
        let written =
            mirror::write_new_users(&mut conn, rows.users, rows.access, rows.members, &mut tally)?;
        writing += write_started.elapsed();
        batches += 1;
        tracker.users.fetch_add(
            i64::try_from(written).unwrap_or(i64::MAX),
            Ordering::Relaxed,
        );
    }
    tracing::info!(
        batches,
        writing_s = writing.as_secs_f64(),
        elapsed_s = started.elapsed().as_secs_f64(),
        "sync writer finished"
    );
    Ok(tally)
}
