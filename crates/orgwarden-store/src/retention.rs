//! History retention: the audit trail, finished operations (with their ledgers), ended sync
//! runs and ended webhook deliveries (with their attempts) older than the cutoff are deleted; the trail keeps a checkpoint hash and records what
//! retention deleted.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use orgwarden_ids::TenantId;

use crate::audit::{self, Actor, Kind, NewEntry, SealKey};
use crate::operations::RunState;
use crate::schema::{operation_items, operations, sync_runs, tenants, webhook_deliveries};
use crate::sync_runs::SyncRunState;
use crate::webhooks::outbox::DeliveryState;
use crate::{DbConnection, StoreError};

/// What one tenant's retention pass deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Deleted {
    /// Audit entries.
    pub audit_entries: usize,
    /// Finished operations.
    pub operations: usize,
    /// Ended sync runs.
    pub sync_runs: usize,
    /// Webhook deliveries that succeeded or failed for good.
    pub webhook_deliveries: usize,
}

/// Every tenant's id (retention runs per tenant).
pub fn tenant_ids(conn: &mut DbConnection) -> Result<Vec<TenantId>, StoreError> {
    Ok(tenants::table.select(tenants::client_key).load(conn)?)
}

/// Deletes the tenant's history from before `cutoff`, in one transaction, and records a
/// `retention.applied` entry when anything went (the trail's checkpoint is sealed with `key`).
pub fn apply(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    cutoff: NaiveDateTime,
    now: NaiveDateTime,
    key: &SealKey,
) -> Result<Deleted, StoreError> {
    crate::transaction(conn, |conn| {
        let old: Vec<i64> = operations::table
            .filter(operations::tenant_id.eq(tenant_id))
            .filter(operations::state.eq_any(RunState::FINISHED))
            .filter(operations::finished_at.lt(cutoff))
            .select(operations::id)
            .load(conn)?;
        for chunk in old.chunks(500) {
            diesel::delete(
                operation_items::table.filter(operation_items::operation_id.eq_any(chunk)),
            )
            .execute(conn)?;
            diesel::delete(operations::table.filter(operations::id.eq_any(chunk))).execute(conn)?;
        }
        let sync_runs = diesel::delete(
            sync_runs::table
                .filter(sync_runs::tenant_id.eq(tenant_id))
                .filter(sync_runs::state.eq_any(SyncRunState::ENDED))
                .filter(sync_runs::finished_at.lt(cutoff)),
        )
        .execute(conn)?;
        // Their attempts go with them (ON DELETE CASCADE).
        let webhook_deliveries = diesel::delete(
            webhook_deliveries::table
                .filter(webhook_deliveries::tenant_id.eq(tenant_id))
                .filter(webhook_deliveries::state.ne(DeliveryState::Pending))
                .filter(webhook_deliveries::created_at.lt(cutoff)),
        )
        .execute(conn)?;
        let deleted = Deleted {
            audit_entries: audit::delete_through(conn, tenant_id, cutoff, now, key)?,
            operations: old.len(),
            sync_runs,
            webhook_deliveries,
        };
        if deleted != Deleted::default() {
            let entry = NewEntry {
                kind: Kind::RetentionApplied,
                actor: Actor::system("orgwarden retention"),
                summary: format!(
                    "Retention deleted history from before {}: {} audit entries, {} operations, {} sync runs, {} webhook deliveries",
                    cutoff.format("%Y-%m-%d"),
                    deleted.audit_entries,
                    deleted.operations,
                    deleted.sync_runs,
                    deleted.webhook_deliveries
                ),
                details: serde_json::json!({
                    "cutoff": cutoff.and_utc(),
                    "auditEntries": deleted.audit_entries,
                    "operations": deleted.operations,
                    "syncRuns": deleted.sync_runs,
                    "webhookDeliveries": deleted.webhook_deliveries,
                }),
            };
            audit::record(conn, tenant_id, &entry, now)?;
        }
        Ok(deleted)
    })
}
