//! The worker's side of the outbox: which webhooks have due deliveries, leasing them by
//! compare-and-set, and recording an attempt (with the failing streak that switches a webhook
//! off).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::{Attempt, Delivery, DeliveryState, Next, FAILING_DAYS_BEFORE_OFF};
use crate::schema::{tenants, webhook_attempts, webhook_deliveries, webhooks};
use crate::tenants::ACTIVE_STATES;
use crate::webhooks::Webhook;
use crate::{DbConnection, StoreError};

/// Webhooks (id, tenant) with a delivery due at `now` and not leased, at most `limit`, of
/// tenants whose app is installed and not disabled: a disabled tenant's deliveries wait until
/// it is enabled again, and nothing more goes out for an uninstalled one.
pub fn due_webhooks(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    limit: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(webhook_deliveries::table
        .filter(webhook_deliveries::state.eq(DeliveryState::Pending))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .filter(
            webhook_deliveries::lease_until
                .is_null()
                .or(webhook_deliveries::lease_until.lt(now)),
        )
        .filter(
            webhook_deliveries::tenant_id.eq_any(
                tenants::table
                    .filter(tenants::state.eq_any(ACTIVE_STATES))
                    .select(tenants::client_key),
            ),
        )
        .select((
            webhook_deliveries::webhook_id,
            webhook_deliveries::tenant_id,
        ))
        .distinct()
        .limit(limit)
        .load(conn)?)
}

/// Leases, for each `(webhook_id, n)` wanted, up to `n` due deliveries of that webhook to
/// `owner` (unique per call) until `until`, oldest due first, in one transaction; returns them
/// with their webhook. A delivery leased by someone else whose lease has not run out is left
/// alone.
pub fn claim(
    conn: &mut DbConnection,
    wanted: &[(i64, i64)],
    owner: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<Vec<(Delivery, Webhook)>, StoreError> {
    let free = || {
        webhook_deliveries::lease_until
            .is_null()
            .or(webhook_deliveries::lease_until.lt(now))
    };
    crate::transaction(conn, |conn| {
        let mut ids: Vec<String> = Vec::new();
        for &(webhook_id, n) in wanted {
            ids.extend(
                webhook_deliveries::table
                    .filter(webhook_deliveries::webhook_id.eq(webhook_id))
                    .filter(webhook_deliveries::state.eq(DeliveryState::Pending))
                    .filter(webhook_deliveries::next_attempt_at.le(now))
                    .filter(free())
                    .order(webhook_deliveries::next_attempt_at.asc())
                    .limit(n)
                    .select(webhook_deliveries::id)
                    .load::<String>(conn)?,
            );
        }
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(
            webhook_deliveries::table
                .filter(webhook_deliveries::id.eq_any(&ids))
                .filter(webhook_deliveries::state.eq(DeliveryState::Pending))
                .filter(free()),
        )
        .set((
            webhook_deliveries::lease_owner.eq(owner),
            webhook_deliveries::lease_until.eq(until),
        ))
        .execute(conn)?;
        Ok(webhook_deliveries::table
            .inner_join(webhooks::table)
            .filter(webhook_deliveries::id.eq_any(&ids))
            .filter(webhook_deliveries::lease_owner.eq(owner))
            .select((Delivery::as_select(), Webhook::as_select()))
            .load(conn)?)
    })
}

/// A finished attempt to record.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The delivery it was for, as claimed.
    pub delivery: Delivery,
    /// The lease owner that sent it.
    pub owner: String,
    /// Its log row.
    pub attempt: Attempt,
    /// What becomes of the delivery.
    pub next: Next,
    /// Why the webhook is switched off, should this failure be the one that does it.
    pub reason: String,
}

/// Records finished attempts in one transaction: each is logged and its delivery moves to its
/// next step; on failure the webhook's failing streak starts (or goes on), and a delivery given
/// up after [`FAILING_DAYS_BEFORE_OFF`] days of it switches the webhook off with the reason,
/// its pending deliveries failed. A delivery whose lease was taken over meanwhile keeps its state (the attempt is
/// logged all the same). Each attempt is recorded in a savepoint of its own: one whose delivery
/// was deleted meanwhile (with its webhook or its tenant) is dropped without undoing the others.
pub fn record_attempts(conn: &mut DbConnection, finished: &[Finished]) -> Result<(), StoreError> {
    use diesel::result::{DatabaseErrorKind, Error};
    crate::transaction(conn, |conn| {
        for f in finished {
            match crate::transaction(conn, |conn| record(conn, f)) {
                Err(StoreError::Query(Error::DatabaseError(
                    DatabaseErrorKind::ForeignKeyViolation,
                    _,
                ))) => {
                    tracing::info!(delivery = %f.delivery.id, "attempt not recorded: its delivery is gone");
                }
                recorded => recorded?,
            }
        }
        Ok(())
    })
}

fn record(conn: &mut DbConnection, f: &Finished) -> Result<(), StoreError> {
    let Finished {
        delivery,
        owner,
        attempt,
        next,
        reason,
    } = f;
    let next = *next;
    let now = attempt.at;
    diesel::insert_into(webhook_attempts::table)
        .values((
            webhook_attempts::delivery_id.eq(&delivery.id),
            webhook_attempts::tenant_id.eq(&delivery.tenant_id),
            webhook_attempts::attempt.eq(attempt.attempt),
            webhook_attempts::at.eq(now),
            webhook_attempts::status_code.eq(attempt.status_code),
            webhook_attempts::duration_ms.eq(attempt.duration_ms),
            webhook_attempts::response.eq(&attempt.response),
            webhook_attempts::error.eq(&attempt.error),
            webhook_attempts::next_attempt_at.eq(attempt.next_attempt_at),
        ))
        .execute(conn)?;
    let (new_state, next_at) = match next {
        Next::Succeeded => (DeliveryState::Succeeded, None),
        Next::RetryAt(at) => (DeliveryState::Pending, Some(at)),
        Next::Failed => (DeliveryState::Failed, None),
    };
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::id.eq(&delivery.id))
            .filter(webhook_deliveries::lease_owner.eq(owner)),
    )
    .set((
        webhook_deliveries::attempts.eq(attempt.attempt),
        webhook_deliveries::state.eq(new_state),
        webhook_deliveries::next_attempt_at.eq(next_at),
        webhook_deliveries::lease_owner.eq(None::<String>),
        webhook_deliveries::lease_until.eq(None::<NaiveDateTime>),
        webhook_deliveries::last_status_code.eq(attempt.status_code),
        webhook_deliveries::last_duration_ms.eq(Some(attempt.duration_ms)),
        webhook_deliveries::last_attempt_at.eq(Some(now)),
    ))
    .execute(conn)?;
    let webhook = webhooks::table.find(delivery.webhook_id);
    if next == Next::Succeeded {
        diesel::update(webhook.filter(webhooks::failing_since.is_not_null()))
            .set(webhooks::failing_since.eq(None::<NaiveDateTime>))
            .execute(conn)?;
        return Ok(());
    }
    diesel::update(webhook.filter(webhooks::failing_since.is_null()))
        .set(webhooks::failing_since.eq(Some(now)))
        .execute(conn)?;
    // Only a delivery given up switches its webhook off: a failure days after the last one
    // (the streak not broken by a success only because no event came between) has retries
    // left to succeed.
    if next != Next::Failed {
        return Ok(());
    }
    let cutoff = now - Duration::days(FAILING_DAYS_BEFORE_OFF);
    let switched_off = diesel::update(
        webhook
            .filter(webhooks::active.eq(true))
            .filter(webhooks::failing_since.le(cutoff)),
    )
    .set((
        webhooks::active.eq(false),
        webhooks::disabled_reason.eq(Some(reason)),
    ))
    .execute(conn)?;
    if switched_off > 0 {
        super::fail_pending(conn, delivery.webhook_id)?;
    }
    Ok(())
}
