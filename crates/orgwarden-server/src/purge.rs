//! The periodic purge of uninstalled tenants.

use chrono::Utc;
use orgwarden_store::{tenants, Database, StoreError};

/// Purges every tenant whose retention has ended; returns how many were purged.
pub fn purge_due(db: &Database) -> Result<usize, StoreError> {
    let mut conn = db.get()?;
    let mut purged = 0;
    for client_key in tenants::due_for_purge(&mut conn, Utc::now().naive_utc())? {
        if tenants::purge(&mut conn, &client_key)? {
            purged += 1;
        }
    }
    Ok(purged)
}
