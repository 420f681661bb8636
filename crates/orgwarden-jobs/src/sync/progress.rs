//! Live progress of a running sync, written to its run row every second (also its heartbeat).

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use orgwarden_atlassian::AdminClient;
use orgwarden_store::sync_runs::{self, Progress, SyncMode};
use orgwarden_store::Database;
use parking_lot::Mutex;

/// Counters shared by the tasks of one sync.
#[derive(Default)]
pub struct Tracker {
    phase: Mutex<&'static str>,
    mode: Mutex<Option<SyncMode>>,
    /// Mirror rows inserted or deleted.
    pub rows: AtomicI64,
    /// Users written.
    pub users: AtomicI64,
    /// Groups written.
    pub groups: AtomicI64,
    /// Sites written.
    pub sites: AtomicI64,
    /// The client and its request count when this sync started using it (it is shared).
    client: Mutex<Option<(AdminClient, u64)>>,
}

impl Tracker {
    /// Sets the phase shown to the admin.
    pub fn phase(&self, phase: &'static str) {
        tracing::info!(
            phase,
            users = self.users.load(std::sync::atomic::Ordering::Relaxed),
            "sync phase"
        );
        *self.phase.lock() = phase;
    }

    /// Sets what the sync does (full, incremental, partial).
    pub fn mode(&self, mode: SyncMode) {
        tracing::info!(mode = mode.as_str(), "sync mode");
        *self.mode.lock() = Some(mode);
    }

    /// Counts the requests this client sends from now on.
    pub fn watch(&self, client: &AdminClient) {
        *self.client.lock() = Some((client.clone(), client.stats().requests_sent));
    }

    /// The progress as stored.
    pub fn snapshot(&self) -> Progress {
        let requests = self.client.lock().as_ref().map_or(0, |(c, before)| {
            c.stats().requests_sent.saturating_sub(*before)
        });
        Progress {
            phase: (*self.phase.lock()).to_owned(),
            users: self.users.load(Ordering::Relaxed),
            groups: self.groups.load(Ordering::Relaxed),
            sites: self.sites.load(Ordering::Relaxed),
            requests: i64::try_from(requests).unwrap_or(i64::MAX),
            mode: self.mode.lock().unwrap_or_default(),
            rows_written: self.rows.load(Ordering::Relaxed),
        }
    }
}

/// The heartbeat task, aborted when dropped.
pub struct Heartbeat(pub tokio::task::JoinHandle<()>);

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Writes progress every second until the returned handle is aborted.
pub fn spawn_heartbeat(
    db: Database,
    run_id: i64,
    tracker: Arc<Tracker>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let snapshot = tracker.snapshot();
            let db = db.clone();
            let written = tokio::task::spawn_blocking(move || {
                let mut conn = db.get()?;
                sync_runs::progress(&mut conn, run_id, &snapshot, Utc::now().naive_utc())
            })
            .await;
            if let Ok(Err(e)) = written {
                tracing::warn!(run_id, error = %e, "sync progress not recorded");
            }
        }
    })
}
