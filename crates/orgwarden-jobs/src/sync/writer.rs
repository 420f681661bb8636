//! A full sync's writer: one thread with one connection (its page cache sized for the indexes it
//! fills) turns the pages the cursors hand over into rows as they come, writes the users in runs,
//! one transaction each, sorted into primary-key order, and counts the dashboard's activity
//! summary as it goes. Their product access and memberships are keyed by account id while users
//! arrive in name order: on SQLite they wait compactly until every user is in and are then
//! written once, sorted ([`mirror::PendingChildren`]); PostgreSQL takes them with each run. One
//! thread keeps SQLite's memory in one allocator arena (memory freed by one thread is not reused
//! by another).

use orgwarden_ids::TenantId;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use orgwarden_atlassian::DirectoryUser;
use orgwarden_store::mirror::{self, ActivityTally, NewUser, PendingChildren};
use orgwarden_store::{Backend, Database, StoreError, WriterConnection};
use tokio::sync::mpsc;

use super::map::user_rows;
use super::progress::Tracker;

/// Users per write transaction (a run) on SQLite; their rows, not the pages they came in, wait
/// for it. Their access rows and memberships do not (they go to [`PendingChildren`] as their
/// page comes, and are written once every user is in), so a run holds about 400 bytes a user.
const USERS_PER_WRITE: usize = 25_000;

/// Users per run on PostgreSQL, written with their access rows and memberships: it logs the
/// rows rather than the pages they land on, so these need not wait, and short runs keep its
/// writes beside the reads (waiting, they took 24 s after the last page at 100,000 users).
const USERS_PER_WRITE_POSTGRES: usize = 5_000;

/// SQLite page cache while the access rows and memberships are written: the pages of their
/// secondary indexes, which they reach in no order (by site, product and last activity; by
/// group), stay in memory.
const CHILDREN_CACHE_MIB: u32 = 96;

/// Writes the users of the pages it receives into `generation` (none of them is there yet)
/// until the channel closes; returns their tally.
pub(super) async fn write_pages(
    db: Database,
    (tenant, generation): (TenantId, i64),
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
    (tenant, generation): (&TenantId, i64),
    mut pages: mpsc::Receiver<Vec<DirectoryUser>>,
    tracker: &Tracker,
) -> Result<ActivityTally, StoreError> {
    let mut writer = Writer {
        conn: db.writer()?,
        tally: ActivityTally::default(),
        children: PendingChildren::default(),
        writing: Duration::ZERO,
        runs: 0,
    };
    let (users_per_write, children_wait) = match db.backend() {
        Backend::Sqlite => (USERS_PER_WRITE, true),
        Backend::Postgres => (USERS_PER_WRITE_POSTGRES, false),
    };
    let started = Instant::now();
    let mut run = Vec::new();
    while let Some(page) = pages.blocking_recv() {
        let rows = user_rows(tenant, generation, &page);
        writer.tally.add(&rows.users, &rows.access);
        writer.children.add(rows.access, rows.members);
        run.extend(rows.users);
        if run.len() >= users_per_write {
            writer.write(std::mem::take(&mut run), tracker)?;
            if !children_wait {
                writer.write_children((tenant, generation))?;
            }
        }
    }
    if !run.is_empty() {
        writer.write(run, tracker)?;
    }
    let children = writer.children.len();
    writer.conn.widen_cache(CHILDREN_CACHE_MIB)?;
    let rows = writer.write_children((tenant, generation))?;
    tracing::info!(
        children,
        rows,
        elapsed_s = started.elapsed().as_secs_f64(),
        "sync wrote access rows and memberships"
    );
    tracing::info!(
        runs = writer.runs,
        writing_s = writer.writing.as_secs_f64(),
        elapsed_s = started.elapsed().as_secs_f64(),
        "sync writer finished"
    );
    Ok(writer.tally)
}

struct Writer {
    conn: WriterConnection,
    tally: ActivityTally,
    children: PendingChildren,
    writing: Duration,
    runs: u32,
}

impl Writer {
    /// Writes the access rows and memberships waiting; returns how many.
    fn write_children(&mut self, generation: (&TenantId, i64)) -> Result<usize, StoreError> {
        let pending = std::mem::take(&mut self.children);
        mirror::write_children(&mut self.conn, generation, pending)
    }

    /// Writes one run of users in one transaction; SQLite's write-ahead log then starts afresh
    /// (a log that readers keep from restarting grows by every run).
    fn write(&mut self, users: Vec<NewUser>, tracker: &Tracker) -> Result<(), StoreError> {
        let started = Instant::now();
        let written = mirror::write_new_users(&mut self.conn, users)?;
        self.conn.checkpoint()?;
        self.writing += started.elapsed();
        self.runs += 1;
        tracker.users.fetch_add(
            i64::try_from(written).unwrap_or(i64::MAX),
            Ordering::Relaxed,
        );
        Ok(())
    }
}
