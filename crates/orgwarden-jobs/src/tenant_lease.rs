//! At most one API-heavy job (sync, operation, task run) per tenant at a time, in the whole
//! cluster: the job holds the tenant's lease (a `tenant_leases` row, renewed while it runs) and
//! so is the only user of the tenant's Admin API budget. A job whose tenant is busy goes back to
//! the end of its queue without counting as a failure, so the workers move on to other tenants'
//! jobs: across tenants, work is taken round-robin in queue order. Work that fails through a
//! database outage is run again, still holding the lease, once the database answers.

use orgwarden_ids::TenantId;
use std::future::Future;
use std::time::Duration;

use chrono::Utc;
use orgwarden_store::{tenant_leases, Database};

use crate::outage;
use crate::sync::{blocking, SyncContext};
use crate::{Job, Queue};

/// A lease not renewed for this long has lost its worker and is taken over.
pub const LEASE_SECS: i64 = 30;
/// The holder renews its lease this often…
const RENEW_EVERY: Duration = Duration::from_secs(10);
/// …and this soon after a renewal failed (the database may be back before the lease runs out).
const RENEW_AGAIN: Duration = Duration::from_secs(1);
/// A job whose tenant is busy is tried again after this long.
pub const BUSY_RETRY: Duration = Duration::from_secs(2);

/// What the API-heavy jobs need: the sync context, and the queue a job goes back on while its
/// tenant is busy.
#[derive(Clone)]
pub struct TenantJobContext {
    /// The database, cipher, HTTP client and Admin API settings.
    pub sync: SyncContext,
    /// Where a job waits for its tenant.
    pub queue: Queue,
}

/// Runs `work()` holding `tenant_id`'s lease (again after a database outage it failed
/// through); when another job holds the lease, puts `job` back on the queue (due after
/// [`BUSY_RETRY`]) and returns `Ok` without running `work`.
pub(crate) async fn one_per_tenant<J: Job, F: Future<Output = anyhow::Result<()>>>(
    ctx: &TenantJobContext,
    tenant_id: &TenantId,
    job: J,
    work: impl Fn() -> F,
) -> anyhow::Result<()> {
    let db = &ctx.sync.db;
    let lease = match Lease::acquire(db, tenant_id).await {
        Err(error) => {
            outage::ride_out(db, error).await?;
            Lease::acquire(db, tenant_id).await?
        }
        acquired => acquired?,
    };
    let Some(_lease) = lease else {
        tracing::debug!(
            queue = J::NAME,
            tenant = %tenant_id,
            "tenant busy; job waits"
        );
        return ctx.queue.enqueue_after(job, BUSY_RETRY).await;
    };
    outage::rerun(db, work).await
}

/// Runs `work` holding `tenant_id`'s lease, waiting while another job holds it: for work done
/// outside the queue (the `orgwarden sync` command).
pub async fn hold<T>(
    db: &Database,
    tenant_id: &TenantId,
    work: impl Future<Output = T>,
) -> anyhow::Result<T> {
    let _lease = loop {
        if let Some(lease) = Lease::acquire(db, tenant_id).await? {
            break lease;
        }
        tokio::time::sleep(BUSY_RETRY).await;
    };
    Ok(work.await)
}

/// A held lease: renewed in the background, released when dropped.
struct Lease {
    db: Database,
    tenant_id: TenantId,
    owner: String,
    renewer: tokio::task::JoinHandle<()>,
}

impl Lease {
    async fn acquire(db: &Database, tenant_id: &TenantId) -> anyhow::Result<Option<Self>> {
        let owner = uuid::Uuid::new_v4().to_string();
        let (tenant, who) = (tenant_id.to_owned(), owner.clone());
        let taken = blocking(db, move |conn| {
            let now = Utc::now().naive_utc();
            let until = now + chrono::Duration::seconds(LEASE_SECS);
            tenant_leases::acquire(conn, &tenant, &who, now, until)
        })
        .await?;
        Ok(taken.then(|| Self {
            renewer: spawn_renewer(db.clone(), tenant_id.to_owned(), owner.clone()),
            db: db.clone(),
            tenant_id: tenant_id.to_owned(),
            owner,
        }))
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.renewer.abort();
        let (db, tenant, owner) = (
            self.db.clone(),
            std::mem::take(&mut self.tenant_id),
            std::mem::take(&mut self.owner),
        );
        // Off the async threads; if this fails, the lease runs out within LEASE_SECS anyway.
        tokio::task::spawn_blocking(move || {
            let released = db
                .get()
                .and_then(|mut conn| tenant_leases::release(&mut conn, &tenant, &owner));
            if let Err(e) = released {
                tracing::warn!(%tenant, error = %e, "tenant lease not released; it runs out");
            }
        });
    }
}

fn spawn_renewer(db: Database, tenant: TenantId, owner: String) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut wait = RENEW_EVERY;
        loop {
            tokio::time::sleep(wait).await;
            let (t, o) = (tenant.clone(), owner.clone());
            let renewed = blocking(&db, move |conn| {
                let until = Utc::now().naive_utc() + chrono::Duration::seconds(LEASE_SECS);
                tenant_leases::renew(conn, &t, &o, until)
            })
            .await;
            match renewed {
                Ok(true) => wait = RENEW_EVERY,
                Ok(false) => {
                    tracing::warn!(%tenant, "tenant lease lost (not renewed in time)");
                    return;
                }
                Err(e) => {
                    tracing::warn!(%tenant, error = %e, "tenant lease not renewed");
                    wait = RENEW_AGAIN;
                }
            }
        }
    })
}
