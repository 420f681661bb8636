//! Bulk operations: the `operations` rows, their per-item ledger, the exemption list, and the
//! mirror facts a plan is made from. Every row carries `tenant_id` and every query filters on it
//! (the job-side lookups by id read the tenant from the row and filter on it from then on).

pub mod exemptions;
mod facts;
mod items;
mod lease;
mod model;
mod progress;
mod runs;
mod states;

pub use facts::{load as load_facts, site_products, Facts, GroupFacts, GroupGrant, UserFacts};
pub use items::{
    all as all_items, fail_in_flight, mark_finished, mark_in_flight, mark_would_act,
    page as items_page, skip_pending, unfinished, write_ledger, Item,
};
pub use lease::{
    active_of_tenant, claim, finish, heartbeat, orphans, release, set_phase, transition, Totals,
};
pub use model::{
    Action, AppTarget, BeforeImage, DirectRole, Op, Outcome, PlannedItem, Selection, Step,
    REVERT_ACTION,
};
pub use progress::{counts, of_user as items_of_user, shown_counts, Counts};
pub use runs::{
    create, find, find_for_job, list, request_cancel, revert_under_way, NewOperation, Operation,
};
pub use states::{ItemState, RunState};

/// Deletes the tenant's operations, ledgers and exemptions (purge).
pub(crate) fn purge(
    conn: &mut crate::DbConnection,
    tenant_id: &str,
) -> Result<(), crate::StoreError> {
    runs::purge(conn, tenant_id)?;
    exemptions::purge(conn, tenant_id)
}
