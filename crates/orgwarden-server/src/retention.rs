//! The daily retention job: each tenant's audit trail, finished operations and ended sync runs
//! older than the retention are deleted (the trail keeps its checkpoint hash, sealed) and every
//! trail is verified whole; and the hourly sealing of each tenant's newest audit entry.

use chrono::{DateTime, Duration, Utc};
use orgwarden_ids::TenantId;
use orgwarden_license::Edition;
use orgwarden_store::audit::{self, SealKey, Sealing};
use orgwarden_store::{retention, Database, DbConnection, StoreError};

/// How long history is kept.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// The app's edition (3 months Standard, 6 months Advanced and above).
    pub edition: Edition,
    /// Days set for the deployment (`ORGWARDEN_RETENTION_DAYS`), instead of the edition's.
    pub days: Option<u32>,
}

impl Retention {
    /// The oldest instant still kept at `now`.
    pub fn cutoff(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self.days {
            Some(days) => now - Duration::days(i64::from(days)),
            None => self.edition.retention_cutoff(now),
        }
    }

    /// Deletes every tenant's history from before the cutoff; returns the number of tenants
    /// that had something to delete.
    pub fn apply(
        &self,
        db: &Database,
        key: &SealKey,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let cutoff = self.cutoff(now).naive_utc();
        let mut conn = db.get()?;
        let mut touched = 0;
        for tenant in retention::tenant_ids(&mut conn)? {
            let deleted = retention::apply(&mut conn, &tenant, cutoff, now.naive_utc(), key)?;
            if deleted != retention::Deleted::default() {
                touched += 1;
                tracing::info!(
                    tenant = %tenant,
                    audit_entries = deleted.audit_entries,
                    operations = deleted.operations,
                    sync_runs = deleted.sync_runs,
                    "retention deleted old history"
                );
            }
        }
        Ok(touched)
    }
}

/// Seals each tenant's newest audit entry (after checking the entries since its last seal);
/// returns how many trails were sealed. A trail that does not verify is left unsealed, logged,
/// and gets an `audit.broken` entry (once per break).
pub fn seal_trails(db: &Database, key: &SealKey, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let mut conn = db.get()?;
    let mut sealed = 0;
    for tenant in retention::tenant_ids(&mut conn)? {
        match audit::seal(&mut conn, &tenant, key, now.naive_utc())? {
            Sealing::Sealed(_) => sealed += 1,
            Sealing::UpToDate => {}
            Sealing::Broken(v) => report_broken(&mut conn, &tenant, &v, now)?,
        }
    }
    Ok(sealed)
}

/// Verifies every tenant's whole trail, sealing the newest entry of each that verifies; returns
/// how many were broken (logged, with an `audit.broken` entry once per break). Run daily:
/// [`seal_trails`] checks only the entries since the newest seal.
pub fn verify_trails(
    db: &Database,
    key: &SealKey,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let mut conn = db.get()?;
    let mut broken = 0;
    for tenant in retention::tenant_ids(&mut conn)? {
        let v = audit::verify(&mut conn, &tenant, key, Some(now.naive_utc()))?;
        if v.first_broken_id.is_some() {
            broken += 1;
            report_broken(&mut conn, &tenant, &v, now)?;
        }
    }
    Ok(broken)
}

fn report_broken(
    conn: &mut DbConnection,
    tenant: &TenantId,
    v: &audit::Verification,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tracing::warn!(
        tenant = %tenant,
        entry = v.first_broken_id,
        reason = v.reason,
        "audit trail broken: not sealed"
    );
    audit::record_broken(conn, tenant, v, now.naive_utc())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_override_the_edition() {
        let now = DateTime::parse_from_rfc3339("2026-12-02T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let standard = Retention {
            edition: Edition::Standard,
            days: None,
        };
        assert_eq!(
            standard.cutoff(now).to_rfc3339(),
            "2026-09-02T00:00:00+00:00"
        );
        let advanced = Retention {
            edition: Edition::Advanced,
            days: None,
        };
        assert_eq!(
            advanced.cutoff(now).to_rfc3339(),
            "2026-06-02T00:00:00+00:00"
        );
        let custom = Retention {
            edition: Edition::Advanced,
            days: Some(10),
        };
        assert_eq!(custom.cutoff(now).to_rfc3339(), "2026-11-22T00:00:00+00:00");
    }
}
