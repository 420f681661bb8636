//! Bulk operations: the `operations` rows, their per-item ledger, the exemption list, and the
//! mirror facts a plan is made from. Every row carries `tenant_id` and every query filters on it
//! (the job-side lookups by id read the tenant from the row and filter on it from then on).

pub mod exemptions;
mod facts;
mod items;
mod model;
mod runs;

pub use facts::{load as load_facts, site_products, Facts, GroupFacts, GroupGrant, UserFacts};
pub use items::{
    all as all_items, counts, mark_finished, mark_in_flight, of_user as items_of_user, skip_pending, unfinished,
    write_ledger, Counts, Item,
};
pub use model::{
    item_state, op_state, Action, AppTarget, BeforeImage, DirectRole, Op, Outcome, PlannedItem, Selection, Step,
    REVERT_ACTION,
};
pub use runs::{
    claim, create, find, find_for_job, finish, heartbeat, list, orphans, release, request_cancel, set_phase,
    transition, NewOperation, Operation, Totals,
};

/// Deletes the tenant's operations, ledgers and exemptions (purge).
pub(crate) fn purge(conn: &mut crate::DbConnection, tenant_id: &str) -> Result<(), crate::StoreError> {
    runs::purge(conn, tenant_id)?;
    exemptions::purge(conn, tenant_id)
}
