//! The walk that verifies a tenant's trail: every entry against its hash and its link to the
//! entry before it, and every seal against the entry it vouches for.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use super::canonical::{hash_of, GENESIS};
use super::seal::{self, Seal, SealKey};
use super::Entry;
use crate::schema::{audit_checkpoints, audit_entries};
use crate::{DbConnection, StoreError};

const VERIFY_BATCH: i64 = 2_000;

/// The outcome of walking a tenant's trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Entries checked.
    pub checked: i64,
    /// The first entry found broken: see [`Verification::reason`].
    pub first_broken_id: Option<i64>,
    /// Why it is broken: `content` (it does not match its hash), `link` (its link to the entry
    /// before it is broken: that one was changed or removed), `rehashed` (its hash is not the
    /// one it was sealed with: it or an entry before it was rewritten and the chain hashed
    /// again), `removed` (a sealed entry of this id is gone), `seal` (its seal was not made
    /// with this deployment's key) or `checkpoint` (the retention checkpoint, which names the
    /// last entry retention deleted, carries no seal: retention did not write it).
    pub reason: Option<&'static str>,
    /// The newest entry a seal vouched for during the walk.
    pub sealed_through: Option<i64>,
}

impl Verification {
    pub(super) fn broken(checked: i64, id: i64, reason: &'static str) -> Self {
        Self {
            checked,
            first_broken_id: Some(id),
            reason: Some(reason),
            sealed_through: None,
        }
    }
}

/// Where a walk starts: after entry `after`, expecting the next entry to link to `expected`.
pub(super) struct Start {
    after: i64,
    expected: String,
}

impl Start {
    /// After a sealed entry.
    pub(super) fn after(entry_id: i64, hash: String) -> Self {
        Self {
            after: entry_id,
            expected: hash,
        }
    }

    /// At a trail's first entry, which links to the genesis (no retention has run).
    pub(super) fn genesis() -> Self {
        Self::linked_to(None)
    }

    fn linked_to(checkpoint: Option<(i64, String)>) -> Self {
        Self {
            after: i64::MIN,
            expected: checkpoint.map_or_else(|| GENESIS.to_owned(), |c| c.1),
        }
    }
}

/// The tenant's retention checkpoint: the last entry retention deleted, and its hash.
pub(super) fn checkpoint(
    conn: &mut DbConnection,
    tenant_id: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    Ok(audit_checkpoints::table
        .find(tenant_id)
        .select((audit_checkpoints::entry_id, audit_checkpoints::hash))
        .first(conn)
        .optional()?)
}

/// Walks the tenant's whole trail in one snapshot (retention or appends meanwhile cannot tear
/// it): the seals at or before the retention checkpoint must be the checkpoint's own (retention
/// keeps only that one), then every retained entry and seal in id order. When `seal_at` is
/// given and everything verifies, the newest entry walked is sealed then. Entries carried by
/// their changes are linked first ([`super::link_pending`]).
pub fn verify(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    key: &SealKey,
    seal_at: Option<NaiveDateTime>,
) -> Result<Verification, StoreError> {
    super::link_pending(conn, tenant_id)?;
    let (walked, last) = crate::snapshot::in_snapshot(conn, |conn| {
        let seals = seal::all(conn, tenant_id)?;
        let checkpoint = checkpoint(conn, tenant_id)?;
        let retained = match &checkpoint {
            Some((id, hash)) => {
                let (before, after) = seals.split_at(seals.partition_point(|s| s.entry_id <= *id));
                for s in before {
                    if let Some(reason) = checkpoint_seal_fault(key, tenant_id, s, *id, hash) {
                        return Ok((Verification::broken(0, s.entry_id, reason), None));
                    }
                }
                // Retention seals every checkpoint it keeps: one without is not retention's.
                if before.is_empty() {
                    return Ok((Verification::broken(0, *id, "checkpoint"), None));
                }
                after
            }
            None => &seals[..],
        };
        walk(
            conn,
            tenant_id,
            Start::linked_to(checkpoint),
            i64::MAX,
            key,
            retained,
        )
    })?;
    if let (Some(now), None, Some((id, hash))) = (seal_at, walked.first_broken_id, last) {
        if seal::insert_if_kept(conn, tenant_id, key, id, &hash, now)? {
            return Ok(Verification {
                sealed_through: Some(id),
                ..walked
            });
        }
    }
    Ok(walked)
}

fn checkpoint_seal_fault(
    key: &SealKey,
    tenant_id: &str,
    seal: &Seal,
    checkpoint_id: i64,
    checkpoint_hash: &str,
) -> Option<&'static str> {
    if !key.vouches(tenant_id, seal) {
        Some("seal")
    } else if seal.entry_id != checkpoint_id {
        Some("removed")
    } else if seal.hash != checkpoint_hash {
        Some("rehashed")
    } else {
        None
    }
}

/// Walks the entries after `start` up to `through`, checking each against its hash and link
/// and each of `seals` (in entry order, all after `start`) against its entry; with the last
/// entry walked (id and hash).
pub(super) fn walk(
    conn: &mut DbConnection,
    tenant_id: &str,
    start: Start,
    through: i64,
    key: &SealKey,
    seals: &[Seal],
) -> Result<(Verification, Option<(i64, String)>), StoreError> {
    let Start {
        mut after,
        mut expected,
    } = start;
    let mut seals = seals.iter().peekable();
    let mut checked = 0;
    let mut sealed_through = None;
    let removed = |s: &Seal| {
        if key.vouches(tenant_id, s) {
            "removed"
        } else {
            "seal"
        }
    };
    loop {
        let batch: Vec<Entry> = audit_entries::table
            .filter(audit_entries::tenant_id.eq(tenant_id))
            .filter(audit_entries::id.gt(after))
            .filter(audit_entries::id.le(through))
            .order(audit_entries::id.asc())
            .limit(VERIFY_BATCH)
            .select(Entry::as_select())
            .load(conn)?;
        let Some(last) = batch.last() else {
            break;
        };
        after = last.id;
        for entry in &batch {
            checked += 1;
            if let Some(gone) = seals.next_if(|s| s.entry_id < entry.id) {
                let broken = Verification::broken(checked, gone.entry_id, removed(gone));
                return Ok((broken, None));
            }
            let fault = if entry.prev_hash != expected {
                Some("link")
            } else if hash_of(entry) != entry.hash {
                Some("content")
            } else {
                match seals.next_if(|s| s.entry_id == entry.id) {
                    Some(s) if !key.vouches(tenant_id, s) => Some("seal"),
                    Some(s) if s.hash != entry.hash => Some("rehashed"),
                    Some(_) => {
                        sealed_through = Some(entry.id);
                        None
                    }
                    None => None,
                }
            };
            if let Some(reason) = fault {
                return Ok((Verification::broken(checked, entry.id, reason), None));
            }
            expected.clone_from(&entry.hash);
        }
    }
    if let Some(gone) = seals.next() {
        let broken = Verification::broken(checked, gone.entry_id, removed(gone));
        return Ok((broken, None));
    }
    let verified = Verification {
        checked,
        first_broken_id: None,
        reason: None,
        sealed_through,
    };
    Ok((verified, (checked > 0).then_some((after, expected))))
}
