//! `orgKeyExpiry`: the saved key's expiry announced 7 days before (once per key and expiry
//! date) and on its last day (once too), remembered in `webhook_notices`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use orgwarden_ids::TenantId;
use sha2::{Digest, Sha256};

use super::{enqueue_event, Event, KeyExpiry};
use crate::connection::with_backend;
use crate::schema::webhook_notices;
use crate::{org_connections, Cipher, DbConnection, StoreError};

/// How many days before the key's expiry the first reminder goes.
const KEY_EXPIRY_NOTICE_DAYS: i64 = 7;

/// Records that `notice` was sent to the tenant; false when it had been already.
pub fn record_notice(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    notice: &str,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let row = (
        webhook_notices::tenant_id.eq(tenant_id),
        webhook_notices::notice.eq(notice),
        webhook_notices::sent_at.eq(now),
    );
    let inserted = with_backend!(&mut *conn, |c| diesel::insert_into(webhook_notices::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(inserted > 0)
}

/// Sends `orgKeyExpiry` for the tenant's saved key when `today` is within 7 days of its expiry
/// (once per key and expiry date) and again on or after its last day (once too). Returns whether it queued
/// an event.
pub fn check_key_expiry(
    conn: &mut DbConnection,
    cipher: &Cipher,
    tenant_id: &TenantId,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let Some(saved) = org_connections::find(conn, tenant_id)? else {
        return Ok(false);
    };
    let Ok(expires_on) = NaiveDate::parse_from_str(&saved.expires_on, "%Y-%m-%d") else {
        return Ok(false);
    };
    let days_left = (expires_on - today).num_days();
    let threshold = match days_left {
        d if d <= 0 => 0,
        d if d <= KEY_EXPIRY_NOTICE_DAYS => KEY_EXPIRY_NOTICE_DAYS,
        _ => return Ok(false),
    };
    let digest = Sha256::digest(saved.api_key(cipher)?.as_bytes());
    let api_key_id = hex::encode(&digest[..8]);
    if !record_notice(
        conn,
        tenant_id,
        &format!("orgKeyExpiry:{api_key_id}:{expires_on}:{threshold}"),
        now,
    )? {
        return Ok(false);
    }
    let event = Event::OrgKeyExpiry(KeyExpiry {
        api_key_id,
        name: format!(
            "Organization API key of {} (…{})",
            saved.org_name, saved.key_hint
        ),
        expires_on,
        days_left,
    });
    enqueue_event(conn, tenant_id, &event, now)?;
    Ok(true)
}

/// [`check_key_expiry`] for every tenant with a saved key, each in its own transaction;
/// returns how many events it queued.
pub fn check_all_key_expiries(
    conn: &mut DbConnection,
    cipher: &Cipher,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    let mut queued = 0;
    for tenant_id in org_connections::tenant_ids(conn)? {
        if crate::transaction(conn, |conn| {
            check_key_expiry(conn, cipher, &tenant_id, today, now)
        })? {
            queued += 1;
        }
    }
    Ok(queued)
}
