//! Reading a ledger: items per state (progress) and the items that touched one user (history).

use orgwarden_ids::{AccountId, TenantId};
use std::collections::HashMap;

use diesel::prelude::*;

use super::items::Item;
use super::states::ItemState;
use crate::access::Administered;
use crate::schema::operation_items;
use crate::sql::{Bind, Sql};
use crate::users::{same_mirror, within_rows};
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

/// Items of one state, as [`shown_counts`] counts them.
#[derive(QueryableByName)]
struct StateCount {
    #[diesel(sql_type = diesel::sql_types::Text)]
    state: ItemState,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Items per state of the tenant's operation `id` that an admin confined to `within` sees in
/// mirror `generation` (`None`: before the first sync, nothing): the steps of users with access
/// to something they administer, on a product of a site they administer or with no product (a
/// status or a group membership). Counted in the database, so following another admin's
/// operation reads neither its steps nor the users.
pub fn shown_counts(
    conn: &mut DbConnection,
    tenant_id: &TenantId,
    generation: Option<i64>,
    id: i64,
    within: &[Administered],
) -> Result<Counts, StoreError> {
    let Some(generation) = generation else {
        return Ok(Counts::default());
    };
    let mut sql = Sql::for_conn(conn);
    sql.push("SELECT i.state, COUNT(*) AS n FROM operation_items i WHERE i.tenant_id = ")
        .bind(Bind::Text(tenant_id.to_string()))
        .push(" AND i.operation_id = ")
        .bind(Bind::Int(id))
        .push(" AND (i.site_id IS NULL OR i.product_key IS NULL OR (1 = 1");
    within_rows(&mut sql, "i", within);
    sql.push(")) AND EXISTS (SELECT 1 FROM user_access w WHERE ");
    same_mirror(&mut sql, "w", tenant_id.as_str(), generation);
    sql.push(" AND w.account_id = i.account_id");
    within_rows(&mut sql, "w", within);
    sql.push(") GROUP BY i.state");
    let mut counts = Counts::default();
    for row in sql.load::<StateCount>(conn)? {
        counts.add(row.state, row.n);
    }
    Ok(counts)
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
