//! Riding out a database outage (a PostgreSQL restart, a failover): work that failed because
//! the database could not be reached waits until it answers again and goes on, instead of
//! failing and leaving its leases to run out.

use std::future::Future;
use std::time::{Duration, Instant};

use orgwarden_store::{Database, DbConnection, StoreError};

use crate::sync::blocking;

/// How often an unreachable database is tried again.
const RETRY_EVERY: Duration = Duration::from_secs(1);
/// How long work waits for its database before it fails as it would have.
const GIVE_UP_AFTER: Duration = Duration::from_secs(600);
/// How many outages one piece of work rides out.
const MAX_RERUNS: usize = 5;

/// True when `error` came from an unreachable database.
fn is_unreachable(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<StoreError>()
            .is_some_and(StoreError::is_unreachable)
    })
}

/// True when a connection can be taken from the pool (the pool checks it first).
async fn reachable(db: &Database) -> bool {
    let db = db.clone();
    tokio::task::spawn_blocking(move || db.get().is_ok())
        .await
        .unwrap_or(false)
}

/// When `error` came from an unreachable database (or the database cannot be reached now),
/// waits until it answers and returns `Ok`; otherwise, or after [`GIVE_UP_AFTER`], `Err(error)`.
pub(crate) async fn ride_out(db: &Database, error: anyhow::Error) -> anyhow::Result<()> {
    if !is_unreachable(&error) && reachable(db).await {
        return Err(error);
    }
    tracing::warn!(
        error = format!("{error:#}"),
        "database unreachable; waiting for it"
    );
    let deadline = Instant::now() + GIVE_UP_AFTER;
    while !reachable(db).await {
        if Instant::now() >= deadline {
            return Err(error);
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
    tracing::info!("database reachable again; going on");
    Ok(())
}

/// Runs `work`, and again each time it failed through a database outage that has ended (at
/// most [`MAX_RERUNS`] times).
pub(crate) async fn rerun<F: Future<Output = anyhow::Result<()>>>(
    db: &Database,
    work: impl Fn() -> F,
) -> anyhow::Result<()> {
    let mut reruns = 0;
    loop {
        match work().await {
            Err(error) if reruns < MAX_RERUNS => {
                ride_out(db, error).await?;
                reruns += 1;
            }
            outcome => return outcome,
        }
    }
}

/// [`blocking`], tried once more after an outage it failed through.
pub(crate) async fn blocking_through<T: Send + 'static>(
    db: &Database,
    f: impl Fn(&mut DbConnection) -> Result<T, StoreError> + Clone + Send + 'static,
) -> anyhow::Result<T> {
    match blocking(db, f.clone()).await {
        Err(error) => {
            ride_out(db, error).await?;
            blocking(db, f).await
        }
        done => done,
    }
}
