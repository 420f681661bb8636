//! The delivery worker: polls the outbox, leases due deliveries with a compare-and-set (a
//! restart re-sends at most the attempts that were in flight: their lease runs out), and sends
//! them within bounds — a global pool, and a few at a time per tenant and per webhook — so a
//! slow receiver holds only its own slots and other tenants' deliveries go on. Once a day (by
//! its clock) it also checks the saved keys' expiry (`orgKeyExpiry`).

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use orgwarden_store::webhooks::outbox::{self, Delivery, Finished};
use orgwarden_store::webhooks::{self, Webhook};
use orgwarden_store::{Backend, Cipher, Database, DbConnection, StoreError};
use parking_lot::Mutex;
use tokio::sync::Notify;

use super::attempt::{self, Outcome};
use super::guard;
use crate::sync::blocking;
use crate::Clock;

/// How many deliveries are sent at once.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// In the whole process.
    pub global: usize,
    /// Per tenant.
    pub per_tenant: usize,
    /// Per webhook.
    pub per_webhook: usize,
    /// How often the outbox is polled when nothing finishes.
    pub poll: Duration,
    /// How long a claimed delivery stays leased (longer than an attempt's 10 s).
    pub lease: chrono::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            global: 64,
            per_tenant: 8,
            per_webhook: 4,
            poll: Duration::from_millis(250),
            lease: chrono::Duration::seconds(60),
        }
    }
}

/// What the worker needs.
#[derive(Clone)]
pub struct DeliveryContext {
    /// The database.
    pub db: Database,
    /// Decrypts webhook secrets and API keys.
    pub cipher: Cipher,
    /// The time deliveries are scheduled by.
    pub clock: Clock,
    /// Allow private targets and plain http.
    pub allow_private: bool,
    /// Concurrency bounds.
    pub limits: Limits,
}

#[derive(Default)]
struct InFlight {
    total: usize,
    tenants: HashMap<String, usize>,
    webhooks: HashMap<i64, usize>,
}

impl InFlight {
    fn spare(&self, limits: &Limits, tenant: &str, webhook: i64) -> usize {
        let tenant = limits
            .per_tenant
            .saturating_sub(self.tenants.get(tenant).copied().unwrap_or(0));
        let webhook = limits
            .per_webhook
            .saturating_sub(self.webhooks.get(&webhook).copied().unwrap_or(0));
        limits
            .global
            .saturating_sub(self.total)
            .min(tenant)
            .min(webhook)
    }

    fn add(&mut self, tenant: &str, webhook: i64, n: isize) {
        let apply = |v: &mut usize| *v = v.saturating_add_signed(n);
        apply(&mut self.total);
        apply(self.tenants.entry(tenant.to_owned()).or_default());
        apply(self.webhooks.entry(webhook).or_default());
    }
}

/// Runs the worker until `stop` completes; attempts in flight then are abandoned (their lease
/// runs out and another worker sends them again).
pub async fn run_deliveries(
    ctx: DeliveryContext,
    stop: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    let client = guard::client(ctx.allow_private)?;
    let in_flight = Arc::new(Mutex::new(InFlight::default()));
    let done = Arc::new(Notify::new());
    let owner = format!("{}-{}", std::process::id(), outbox_token());
    let mut claims = 0_u64;
    let mut checked_on: Option<NaiveDate> = None;
    let mut tasks = tokio::task::JoinSet::new();
    let recorder = spawn_recorder(ctx.db.clone());
    tokio::pin!(stop);
    loop {
        let now = ctx.clock.now();
        if checked_on != Some(now.date_naive()) {
            let (cipher, today) = (ctx.cipher.clone(), now.date_naive());
            match blocking(&ctx.db, move |conn| {
                webhooks::check_all_key_expiries(conn, &cipher, today, now.naive_utc())
            })
            .await
            {
                Ok(_) => checked_on = Some(today),
                Err(e) => tracing::warn!(error = %e, "key expiry check failed"),
            }
        }
        let due = blocking(&ctx.db, move |conn| {
            outbox::due_webhooks(conn, now.naive_utc(), 10_000)
        })
        .await;
        let due = due.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "webhook outbox poll failed");
            Vec::new()
        });
        // Each webhook's spare slots are reserved before the claim (so two webhooks of one
        // tenant do not both take the tenant's last slot) and what was not claimed is given back.
        let wanted: Vec<(i64, String, usize)> = {
            let mut in_flight = in_flight.lock();
            due.into_iter()
                .filter_map(|(webhook_id, tenant)| {
                    let spare = in_flight.spare(&ctx.limits, &tenant, webhook_id);
                    in_flight.add(&tenant, webhook_id, spare as isize);
                    (spare > 0).then_some((webhook_id, tenant, spare))
                })
                .collect()
        };
        if !wanted.is_empty() {
            claims += 1;
            let claim_owner = format!("{owner}-{claims}");
            let (lease_owner, until) = (claim_owner.clone(), now + ctx.limits.lease);
            let batch: Vec<(i64, i64)> = wanted
                .iter()
                .map(|(webhook_id, _, spare)| (*webhook_id, *spare as i64))
                .collect();
            let claimed = write(&ctx.db, move |conn| {
                outbox::claim(
                    conn,
                    &batch,
                    &lease_owner,
                    now.naive_utc(),
                    until.naive_utc(),
                )
            })
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "webhook deliveries not claimed");
                Vec::new()
            });
            {
                let mut in_flight = in_flight.lock();
                for (webhook_id, tenant, spare) in &wanted {
                    let taken = claimed
                        .iter()
                        .filter(|(d, _)| d.webhook_id == *webhook_id)
                        .count();
                    in_flight.add(tenant, *webhook_id, -((spare - taken) as isize));
                }
            }
            for (delivery, webhook) in claimed {
                let (ctx, client, in_flight, done, recorder) = (
                    ctx.clone(),
                    client.clone(),
                    in_flight.clone(),
                    done.clone(),
                    recorder.clone(),
                );
                let claim_owner = claim_owner.clone();
                tasks.spawn(async move {
                    let finished = deliver(&ctx, &client, delivery, &webhook, claim_owner).await;
                    let (tenant, webhook_id) = (finished.delivery.tenant_id.clone(), webhook.id);
                    let (recorded, wait) = tokio::sync::oneshot::channel();
                    if recorder.send((finished, recorded)).is_ok() {
                        // The slot stays taken until the attempt is on record.
                        let _ = wait.await;
                    }
                    in_flight.lock().add(&tenant, webhook_id, -1);
                    done.notify_one();
                });
            }
        }
        while tasks.try_join_next().is_some() {}
        tokio::select! {
            () = &mut stop => return Ok(()),
            () = done.notified() => tokio::time::sleep(Duration::from_millis(5)).await,
            () = tokio::time::sleep(ctx.limits.poll) => {}
        }
    }
}

/// The worker's SQLite writes, one at a time: writers queued here wait for their turn, instead of
/// sleeping in SQLite's busy handler (which backs off up to 100 ms) while another commits.
static SQLITE_WRITES: Mutex<()> = Mutex::new(());

async fn write<T: Send + 'static>(
    db: &Database,
    f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
) -> anyhow::Result<T> {
    let gate = db.backend() == Backend::Sqlite;
    blocking(db, move |conn| {
        let _turn = gate.then(|| SQLITE_WRITES.lock());
        f(conn)
    })
    .await
}

fn outbox_token() -> String {
    use rand::Rng;
    format!("{:08x}", rand::thread_rng().gen::<u32>())
}

/// The most finished attempts recorded in one transaction.
const RECORD_BATCH: usize = 256;

/// A finished attempt, and who waits for it to be on record.
type ToRecord = (Finished, tokio::sync::oneshot::Sender<()>);

/// Records finished attempts as they come, many per transaction: under load an attempt's write
/// would otherwise cost a commit of its own (on SQLite, one at a time).
fn spawn_recorder(db: Database) -> tokio::sync::mpsc::UnboundedSender<ToRecord> {
    let (send, mut receive) = tokio::sync::mpsc::unbounded_channel::<ToRecord>();
    tokio::spawn(async move {
        let mut batch = Vec::with_capacity(RECORD_BATCH);
        while receive.recv_many(&mut batch, RECORD_BATCH).await > 0 {
            let (finished, waiting): (Vec<_>, Vec<_>) =
                std::mem::take(&mut batch).into_iter().unzip();
            let recorded = write(&db, move |conn| outbox::record_attempts(conn, &finished)).await;
            if let Err(e) = recorded {
                tracing::warn!(error = %e, "webhook attempts not recorded");
            }
            for waiter in waiting {
                let _ = waiter.send(());
            }
        }
    });
    send
}

async fn deliver(
    ctx: &DeliveryContext,
    client: &reqwest::Client,
    delivery: Delivery,
    webhook: &Webhook,
    owner: String,
) -> Finished {
    let at = ctx.clock.now();
    let started = Instant::now();
    let outcome = match webhook.secret(&ctx.cipher) {
        Ok(secret) => {
            attempt::send(
                client,
                ctx.allow_private,
                &webhook.url,
                &secret,
                &delivery,
                chrono::Utc::now(),
            )
            .await
        }
        Err(e) => Outcome {
            status: None,
            response: None,
            error: Some(format!("the secret could not be read: {e}")),
            retryable: false,
        },
    };
    let number = delivery.attempts + 1;
    let next = attempt::next_step(&outcome, number, at.naive_utc(), delivery.retry_until);
    let reason = format!(
        "Switched off on {}: its deliveries failed for {} days in a row (last: {}). Fix the receiver, then switch it on again.",
        at.format("%Y-%m-%d"),
        outbox::FAILING_DAYS_BEFORE_OFF,
        outcome.error.as_deref().unwrap_or("failed")
    );
    Finished {
        attempt: attempt::log_row(number, at.naive_utc(), started, &outcome, next),
        delivery,
        owner,
        next,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spare_slots_respect_every_bound() {
        let limits = Limits {
            global: 5,
            per_tenant: 3,
            per_webhook: 2,
            ..Limits::default()
        };
        let mut in_flight = InFlight::default();
        assert_eq!(in_flight.spare(&limits, "a", 1), 2);
        in_flight.add("a", 1, 2);
        assert_eq!(in_flight.spare(&limits, "a", 1), 0);
        assert_eq!(in_flight.spare(&limits, "a", 2), 1);
        in_flight.add("b", 3, 2);
        assert_eq!(in_flight.spare(&limits, "c", 4), 1);
        in_flight.add("a", 1, -2);
        assert_eq!(in_flight.spare(&limits, "a", 1), 2);
    }
}
