//! The per-item ledger of an operation: one row per user × step, moving pending → in_flight
//! (committed before the API call) → done / skipped / failed.

use orgwarden_ids::{AccountId, GroupId, TenantId};
use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::model::{BeforeImage, Op, Outcome, PlannedItem, Step};
use super::states::{ItemState, RunState};
use crate::connection::with_backend;
use crate::schema::{operation_items, operations};
use crate::{DbConnection, StoreError};

/// One ledger row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = operation_items)]
pub struct Item {
    /// Item id.
    pub id: i64,
    /// Operation id.
    pub operation_id: i64,
    /// Tenant id.
    pub tenant_id: TenantId,
    /// Position in the plan (the order steps of one user run in).
    pub seq: i32,
    /// Account id.
    pub account_id: AccountId,
    /// Index of the requested action.
    pub action_index: i32,
    /// Requested action `type` (or `revert`).
    pub action: String,
    /// The change (see [`super::Op`]).
    pub op: Op,
    /// Site of a product step.
    pub site_id: Option<String>,
    /// Product of a product step.
    pub product_key: Option<String>,
    /// Role of a role step.
    pub role: Option<String>,
    /// Group of a membership step.
    pub group_id: Option<GroupId>,
    /// Where it is in the ledger.
    pub state: ItemState,
    /// What it does, or why it was skipped.
    pub reason: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
    /// The user's state before the operation, JSON ([`BeforeImage`]).
    pub before_image: Option<String>,
    /// API attempts started.
    pub attempts: i32,
    /// For reverts: the item undone.
    pub source_item_id: Option<i64>,
    /// Last change.
    pub updated_at: NaiveDateTime,
}

impl Item {
    /// The change this item records.
    pub fn step(&self) -> Step {
        Step {
            op: self.op,
            site_id: self.site_id.clone(),
            product_key: self.product_key.clone(),
            role: self.role.clone(),
            group_id: self.group_id.as_ref().map(|g| g.to_string()),
        }
    }
}

// 15 columns per row: well under both backends' bind limits.
const ROWS_PER_INSERT: usize = 1000;

/// Writes the plan as the ledger and moves the operation of `owner` from `syncing` to `running`,
/// in one transaction. Returns false (writing nothing) if the operation is no longer `syncing`
/// under that lease (e.g. cancel was asked meanwhile).
pub fn write_ledger(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    operation_id: i64,
    owner: &str,
    plan: &[PlannedItem],
    before: &HashMap<String, BeforeImage>,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    crate::transaction(conn, |conn| {
        let moved = diesel::update(operations::table.find(operation_id))
            .filter(operations::tenant_id.eq(tenant_id))
            .filter(operations::lease_owner.eq(owner))
            .filter(operations::state.eq(RunState::Syncing))
            .set((
                operations::state.eq(RunState::Running),
                operations::phase.eq("executing"),
                operations::total.eq(i64::try_from(plan.len()).unwrap_or(i64::MAX)),
            ))
            .execute(conn)?;
        if moved == 0 {
            return Ok(false);
        }
        let images: HashMap<&str, String> = before
            .iter()
            .filter_map(|(id, image)| Some((id.as_str(), serde_json::to_string(image).ok()?)))
            .collect();
        for (chunk_no, chunk) in plan.chunks(ROWS_PER_INSERT).enumerate() {
            let rows: Vec<_> = chunk
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let seq = i32::try_from(chunk_no * ROWS_PER_INSERT + i).unwrap_or(i32::MAX);
                    let state = if item.outcome == Outcome::Act {
                        ItemState::Pending
                    } else {
                        ItemState::Skipped
                    };
                    (
                        operation_items::operation_id.eq(operation_id),
                        operation_items::tenant_id.eq(tenant_id),
                        operation_items::seq.eq(seq),
                        operation_items::account_id.eq(&item.account_id),
                        operation_items::action_index.eq(item.action_index),
                        operation_items::action.eq(item.action),
                        operation_items::op.eq(item.step.op),
                        operation_items::site_id.eq(item.step.site_id.as_deref()),
                        operation_items::product_key.eq(item.step.product_key.as_deref()),
                        operation_items::role.eq(item.step.role.as_deref()),
                        operation_items::group_id.eq(item.step.group_id.as_deref()),
                        operation_items::state.eq(state),
                        operation_items::reason.eq(Some(item.reason.as_str())),
                        operation_items::before_image
                            .eq(images.get(item.account_id.as_str()).map(String::as_str)),
                        operation_items::source_item_id.eq(item.source_item_id),
                        operation_items::updated_at.eq(now),
                    )
                })
                .collect();
            with_backend!(&mut *conn, |c| diesel::insert_into(operation_items::table)
                .values(&rows)
                .execute(c))?;
        }
        Ok(true)
    })
}

/// Items still to do (pending or in flight), in plan order.
pub fn unfinished(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    operation_id: i64,
) -> Result<Vec<Item>, StoreError> {
    Ok(operation_items::table
        .filter(operation_items::tenant_id.eq(tenant_id))
        .filter(operation_items::operation_id.eq(operation_id))
        .filter(operation_items::state.eq_any([ItemState::Pending, ItemState::InFlight]))
        .order(operation_items::seq.asc())
        .select(Item::as_select())
        .load(conn)?)
}

/// Every item of the tenant's operation, in plan order.
pub fn all(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    operation_id: i64,
) -> Result<Vec<Item>, StoreError> {
    Ok(operation_items::table
        .filter(operation_items::tenant_id.eq(tenant_id))
        .filter(operation_items::operation_id.eq(operation_id))
        .order(operation_items::seq.asc())
        .select(Item::as_select())
        .load(conn)?)
}

/// Up to `limit` items of the tenant's operation from plan position `from` on (only those in
/// `state`, when given), in plan order (a page of the ledger; the next starts at the last
/// item's `seq` + 1).
pub fn page(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    operation_id: i64,
    (from, state): (i32, Option<ItemState>),
    limit: i64,
) -> Result<Vec<Item>, StoreError> {
    let mut query = operation_items::table
        .filter(operation_items::operation_id.eq(operation_id))
        .filter(operation_items::seq.ge(from))
        .filter(operation_items::tenant_id.eq(tenant_id))
        .into_boxed();
    if let Some(state) = state {
        query = query.filter(operation_items::state.eq(state));
    }
    Ok(query
        .order(operation_items::seq.asc())
        .limit(limit)
        .select(Item::as_select())
        .load(conn)?)
}

/// Marks an item in flight (before its API call) and counts the attempt, only while its
/// operation is running under `owner`'s lease: `false` once a cancel was asked or another
/// worker took the operation over, and then the call must not be made.
pub fn mark_in_flight(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    (operation_id, owner): (i64, &str),
    item_id: i64,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let running_for_owner = operations::table
        .filter(operations::id.eq(operation_id))
        .filter(operations::state.eq(RunState::Running))
        .filter(operations::lease_owner.eq(owner))
        .select(operations::id);
    let marked = diesel::update(operation_items::table.find(item_id))
        .filter(operation_items::tenant_id.eq(tenant_id))
        .filter(operation_items::operation_id.eq_any(running_for_owner))
        .set((
            operation_items::state.eq(ItemState::InFlight),
            operation_items::attempts.eq(operation_items::attempts + 1),
            operation_items::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(marked > 0)
}

/// Ends an item: `done` (with an optional note), `skipped` (with the reason) or `failed`
/// (with the error).
pub fn mark_finished(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    item_id: i64,
    state: ItemState,
    reason: Option<&str>,
    error: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let row = operation_items::table
        .find(item_id)
        .filter(operation_items::tenant_id.eq(tenant_id));
    match reason {
        Some(reason) => diesel::update(row)
            .set((
                operation_items::state.eq(state),
                operation_items::reason.eq(reason),
                operation_items::error.eq(error),
                operation_items::updated_at.eq(now),
            ))
            .execute(conn)?,
        None => diesel::update(row)
            .set((
                operation_items::state.eq(state),
                operation_items::error.eq(error),
                operation_items::updated_at.eq(now),
            ))
            .execute(conn)?,
    };
    Ok(())
}

/// Skips every pending item (cancel); returns how many.
pub fn skip_pending(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    operation_id: i64,
    reason: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    settle_pending(
        conn,
        tenant_id,
        operation_id,
        ItemState::Skipped,
        Some(reason),
        now,
    )
}

/// Fails the operation's items still in flight (a stopped worker's calls that the run ended
/// before checking) with `error`; returns how many.
pub fn fail_in_flight(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    operation_id: i64,
    error: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        operation_items::table
            .filter(operation_items::tenant_id.eq(tenant_id))
            .filter(operation_items::operation_id.eq(operation_id))
            .filter(operation_items::state.eq(ItemState::InFlight)),
    )
    .set((
        operation_items::state.eq(ItemState::Failed),
        operation_items::error.eq(error),
        operation_items::updated_at.eq(now),
    ))
    .execute(conn)?)
}

/// Moves the operation's pending items to `state` (with `reason`, when given).
fn settle_pending(
    conn: &mut DbConnection,
    tenant_id: &str,
    operation_id: i64,
    state: ItemState,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    let pending = operation_items::table
        .filter(operation_items::tenant_id.eq(tenant_id))
        .filter(operation_items::operation_id.eq(operation_id))
        .filter(operation_items::state.eq(ItemState::Pending));
    let settled = (
        operation_items::state.eq(state),
        operation_items::updated_at.eq(now),
    );
    Ok(match reason {
        Some(reason) => diesel::update(pending)
            .set((settled, operation_items::reason.eq(reason)))
            .execute(conn)?,
        None => diesel::update(pending).set(settled).execute(conn)?,
    })
}

/// Ends a dry run's ledger: every pending item becomes `would_act` (nothing was executed).
pub fn mark_would_act(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    operation_id: i64,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    settle_pending(
        conn,
        tenant_id,
        operation_id,
        ItemState::WouldAct,
        None,
        now,
    )
}
