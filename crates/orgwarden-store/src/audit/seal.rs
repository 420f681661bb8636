//! Seals: a MAC of one entry's id and hash under a key derived from the master key. Anyone who
//! can write the database can rewrite an entry and hash every entry after it again, and the
//! chain alone would still verify; they cannot make a seal, so a sealed entry whose hash changed
//! (or which is gone) shows. An entry's hash covers every entry before it, so one seal vouches
//! for the trail up to its entry.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use orgwarden_ids::TenantId;
use sha2::Sha256;

use super::verify::{checkpoint, walk, Start, Verification};
use super::{Actor, Kind, NewEntry};
use crate::connection::with_backend;
use crate::schema::{audit_entries, audit_seals};
use crate::{DbConnection, StoreError};

/// What seals are made with: HMAC-SHA256 keyed by HMAC-SHA256(master key,
/// `orgwarden.audit.seal`). The database never holds it.
#[derive(Clone)]
pub struct SealKey {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealKey([redacted])")
    }
}

/// A seal as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_seals)]
pub(super) struct Seal {
    pub entry_id: i64,
    pub hash: String,
    pub mac: String,
}

impl SealKey {
    /// Derives the seal key from the raw master key.
    pub(crate) fn derive(master_key: &[u8]) -> Option<Self> {
        let mut derive = Hmac::<Sha256>::new_from_slice(master_key).ok()?;
        derive.update(b"orgwarden.audit.seal");
        let key = derive.finalize().into_bytes();
        Some(Self {
            mac: Hmac::<Sha256>::new_from_slice(&key).ok()?,
        })
    }

    /// The MAC, fed `["orgwarden.audit.seal.v1", tenantId, entryId, hash]` (compact JSON).
    fn mac_of(&self, tenant_id: &str, entry_id: i64, hash: &str) -> Hmac<Sha256> {
        let mut mac = self.mac.clone();
        let text = serde_json::json!(["orgwarden.audit.seal.v1", tenant_id, entry_id, hash]);
        mac.update(text.to_string().as_bytes());
        mac
    }

    /// The stored form of a seal's MAC: lower-case hex.
    fn sign(&self, tenant_id: &str, entry_id: i64, hash: &str) -> String {
        hex::encode(
            self.mac_of(tenant_id, entry_id, hash)
                .finalize()
                .into_bytes(),
        )
    }

    /// Whether `seal` was made with this key for this tenant (compared in constant time).
    pub(super) fn vouches(&self, tenant_id: &str, seal: &Seal) -> bool {
        hex::decode(&seal.mac).is_ok_and(|mac| {
            self.mac_of(tenant_id, seal.entry_id, &seal.hash)
                .verify_slice(&mac)
                .is_ok()
        })
    }
}

/// What [`seal`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sealing {
    /// The newest entry, of this id, is sealed now.
    Sealed(i64),
    /// The newest entry was sealed already, or there is none.
    UpToDate,
    /// The entries since the newest seal do not verify: nothing was sealed.
    Broken(Verification),
}

/// Seals the tenant's newest entry after checking the entries since the newest seal (or, with
/// none, the whole trail) against their hashes and links; a broken trail is not sealed. Entries
/// carried by their changes are linked first ([`super::link_pending`]).
pub fn seal(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    key: &SealKey,
    now: NaiveDateTime,
) -> Result<Sealing, StoreError> {
    super::link_pending(conn, tenant_id)?;
    let checked = crate::snapshot::in_snapshot(conn, |conn| checked_newest(conn, tenant_id, key))?;
    match checked {
        Ok((id, hash)) if insert_if_kept(conn, tenant_id, key, id, &hash, now)? => {
            Ok(Sealing::Sealed(id))
        }
        Ok(_) => Ok(Sealing::UpToDate),
        Err(answer) => Ok(answer),
    }
}

/// [`insert`] unless retention deleted the entry since it was checked (it deletes the seals of
/// what it deletes: a seal stored after that would vouch for an entry that is gone); whether
/// it stored the seal. Both take the tenant's trail lock, so they take turns.
pub(super) fn insert_if_kept(
    conn: &mut DbConnection,
    tenant_id: &str,
    key: &SealKey,
    entry_id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    crate::transaction(conn, |conn| {
        super::chain::lock_trail(conn, tenant_id)?;
        let kept = audit_entries::table
            .filter(audit_entries::tenant_id.eq(tenant_id))
            .filter(audit_entries::id.eq(entry_id))
            .count()
            .get_result::<i64>(conn)?
            > 0;
        if kept {
            insert(conn, tenant_id, key, entry_id, hash, now)?;
        }
        Ok(kept)
    })
}

/// In one snapshot: the tenant's newest entry (id and hash) once the entries since its newest
/// seal verify, or what [`seal`] answers instead.
fn checked_newest(
    conn: &mut DbConnection,
    tenant_id: &str,
    key: &SealKey,
) -> Result<Result<(i64, String), Sealing>, StoreError> {
    let newest: Option<(i64, String)> = audit_entries::table
        .filter(audit_entries::tenant_id.eq(tenant_id))
        .order(audit_entries::id.desc())
        .select((audit_entries::id, audit_entries::hash))
        .first(conn)
        .optional()?;
    let Some(newest) = newest else {
        return Ok(Err(Sealing::UpToDate));
    };
    let last_seal = newest_seal(conn, tenant_id)?;
    if let Some(forged) = last_seal.as_ref().filter(|s| !key.vouches(tenant_id, s)) {
        // As verify names it.
        let broken = Verification::broken(0, forged.entry_id, "seal");
        return Ok(Err(Sealing::Broken(broken)));
    }
    if last_seal.as_ref().is_some_and(|s| s.entry_id >= newest.0) {
        return Ok(Err(Sealing::UpToDate));
    }
    let start = match last_seal {
        Some(s) => Start::after(s.entry_id, s.hash),
        // Retention seals every checkpoint it keeps: one without is not retention's.
        None => match checkpoint(conn, tenant_id)? {
            Some((id, _)) => {
                let broken = Verification::broken(0, id, "checkpoint");
                return Ok(Err(Sealing::Broken(broken)));
            }
            None => Start::genesis(),
        },
    };
    let (walked, last) = walk(conn, tenant_id, start, newest.0, key, &[])?;
    Ok(match last {
        _ if walked.first_broken_id.is_some() => Err(Sealing::Broken(walked)),
        Some(walked_to) => Ok(walked_to),
        None => Err(Sealing::UpToDate),
    })
}

/// Records `audit.broken` for a break [`seal`] found (`broken`), unless the tenant's newest
/// `audit.broken` entry already names the same entry and reason; whether it recorded one.
pub fn record_broken(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    broken: &Verification,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let details = serde_json::json!({
        "firstBrokenId": broken.first_broken_id,
        "reason": broken.reason,
    });
    crate::transaction(conn, |conn| {
        // Two workers finding the same break record it once.
        super::chain::lock_trail(conn, tenant_id)?;
        let last: Option<String> = audit_entries::table
            .filter(audit_entries::tenant_id.eq(tenant_id))
            .filter(audit_entries::kind.eq(Kind::AuditBroken.as_str()))
            .order(audit_entries::id.desc())
            .select(audit_entries::details)
            .first(conn)
            .optional()?;
        if last.is_some_and(|d| {
            serde_json::from_str::<serde_json::Value>(&d).ok() == Some(details.clone())
        }) {
            return Ok(false);
        }
        let entry = NewEntry {
            kind: Kind::AuditBroken,
            actor: Actor::system("orgwarden seal check"),
            summary: format!(
                "The audit trail is broken at entry #{} ({}): it was changed outside the app",
                broken.first_broken_id.unwrap_or_default(),
                broken.reason.unwrap_or("unknown")
            ),
            details: details.clone(),
        };
        super::record(conn, tenant_id, &entry, now)?;
        Ok(true)
    })
}

/// Stores a seal of entry `entry_id` with `hash` (kept as it is if one exists).
pub(super) fn insert(
    conn: &mut DbConnection,
    tenant_id: &str,
    key: &SealKey,
    entry_id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let row = (
        audit_seals::tenant_id.eq(tenant_id),
        audit_seals::entry_id.eq(entry_id),
        audit_seals::hash.eq(hash),
        audit_seals::mac.eq(key.sign(tenant_id, entry_id, hash)),
        audit_seals::sealed_at.eq(now),
    );
    with_backend!(&mut *conn, |c| diesel::insert_into(audit_seals::table)
        .values(row)
        .on_conflict((audit_seals::tenant_id, audit_seals::entry_id))
        .do_nothing()
        .execute(c))?;
    Ok(())
}

fn newest_seal(conn: &mut DbConnection, tenant_id: &str) -> Result<Option<Seal>, StoreError> {
    Ok(audit_seals::table
        .filter(audit_seals::tenant_id.eq(tenant_id))
        .order(audit_seals::entry_id.desc())
        .select(Seal::as_select())
        .first(conn)
        .optional()?)
}

/// The tenant's seals in entry order.
pub(super) fn all(conn: &mut DbConnection, tenant_id: &str) -> Result<Vec<Seal>, StoreError> {
    Ok(audit_seals::table
        .filter(audit_seals::tenant_id.eq(tenant_id))
        .order(audit_seals::entry_id.asc())
        .select(Seal::as_select())
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal_of(key: &SealKey, tenant: &str, id: i64, hash: &str) -> Seal {
        Seal {
            entry_id: id,
            hash: hash.into(),
            mac: key.sign(tenant, id, hash),
        }
    }

    /// A seal holds for its own tenant, entry and hash under its own key only.
    #[test]
    fn a_seal_vouches_for_its_tenant_entry_and_hash_only() {
        let key = SealKey::derive(&[7; 32]).expect("a key");
        let other_key = SealKey::derive(&[8; 32]).expect("a key");
        let good = seal_of(&key, "t1", 5, "ab");
        assert!(key.vouches("t1", &good));
        assert!(!other_key.vouches("t1", &good));
        assert!(!key.vouches("t2", &good));
        let moved = Seal {
            entry_id: 6,
            ..good.clone()
        };
        assert!(!key.vouches("t1", &moved));
        let rehashed = Seal {
            hash: "cd".into(),
            ..good.clone()
        };
        assert!(!key.vouches("t1", &rehashed));
        let garbled = Seal {
            mac: "not hex".into(),
            ..good
        };
        assert!(!key.vouches("t1", &garbled));
    }

    /// The MAC is HMAC-SHA256 under HMAC-SHA256(master, "orgwarden.audit.seal") of the
    /// documented compact JSON, byte for byte.
    #[test]
    fn the_mac_follows_the_documented_form() {
        let master = [7u8; 32];
        let mut derive = Hmac::<Sha256>::new_from_slice(&master).expect("any length");
        derive.update(b"orgwarden.audit.seal");
        let seal_key = derive.finalize().into_bytes();
        let mut mac = Hmac::<Sha256>::new_from_slice(&seal_key).expect("any length");
        mac.update(br#"["orgwarden.audit.seal.v1","t\"1",5,"ab"]"#);
        let expected = hex::encode(mac.finalize().into_bytes());
        let key = SealKey::derive(&master).expect("a key");
        assert_eq!(key.sign("t\"1", 5, "ab"), expected);
    }
}
