//! Reading a ledger: items per state (progress) and the items that touched one user (history).

use orgwarden_ids::{AccountId, TenantId};
use std::collections::HashMap;

use diesel::prelude::*;

use super::items::Item;
use super::states::ItemState;
use crate::schema::operation_items;
use crate::{DbConnection, StoreError};

/// Items per state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Not started.
    pub pending: i64,
    /// Started, not finished.
    pub in_flight: i64,
    /// Done.
    pub done: i64,
    /// Skipped.
    pub skipped: i64,
    /// Failed.
    pub failed: i64,
    /// Would be done (dry runs).
    pub would_act: i64,
}

impl Counts {
    /// All items.
    pub fn total(&self) -> i64 {
        self.pending + self.in_flight + self.done + self.skipped + self.failed + self.would_act
    }

    /// The counts of these items' states.
    pub fn of_states(states: impl IntoIterator<Item = ItemState>) -> Self {
        let mut counts = Self::default();
        for state in states {
            counts.add(state, 1);
        }
        counts
    }

    fn add(&mut self, state: ItemState, n: i64) {
        match state {
            ItemState::Pending => self.pending += n,
            ItemState::InFlight => self.in_flight += n,
            ItemState::Done => self.done += n,
            ItemState::Skipped => self.skipped += n,
            ItemState::WouldAct => self.would_act += n,
            ItemState::Failed => self.failed += n,
        }
    }
}

/// Items per state of each of the tenant's operations `ids`.
pub fn counts(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    ids: &[i64],
) -> Result<HashMap<i64, Counts>, StoreError> {
    let rows: Vec<(i64, ItemState, i64)> = operation_items::table
        .filter(operation_items::tenant_id.eq(tenant_id))
        .filter(operation_items::operation_id.eq_any(ids))
        .group_by((operation_items::operation_id, operation_items::state))
        .select((
            operation_items::operation_id,
            operation_items::state,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut out: HashMap<i64, Counts> = HashMap::new();
    for (id, state, n) in rows {
        out.entry(id).or_default().add(state, n);
    }
    Ok(out)
}

/// Where one item acted and how far it got.
#[derive(Debug, Clone, Queryable)]
pub struct ItemPlace {
    /// Its user.
    pub account_id: AccountId,
    /// The site of a product step.
    pub site_id: Option<String>,
    /// The product of a product step.
    pub product_key: Option<String>,
    /// Where it is in the ledger.
    pub state: ItemState,
}

/// Each item of the tenant's operation `id`, in no order (the progress of the share of its
/// steps a limited admin sees).
pub fn item_places(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    id: i64,
) -> Result<Vec<ItemPlace>, StoreError> {
    Ok(operation_items::table
        .filter(operation_items::tenant_id.eq(tenant_id))
        .filter(operation_items::operation_id.eq(id))
        .select((
            operation_items::account_id,
            operation_items::site_id,
            operation_items::product_key,
            operation_items::state,
        ))
        .load(conn)?)
}

/// The newest items that touched `account_id` in any of the tenant's operations.
pub fn of_user(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    account_id: &AccountId,
    limit: i64,
) -> Result<Vec<Item>, StoreError> {
    Ok(operation_items::table
        .filter(operation_items::tenant_id.eq(tenant_id))
        .filter(operation_items::account_id.eq(account_id))
        .order(operation_items::id.desc())
        .limit(limit)
        .select(Item::as_select())
        .load(conn)?)
}
