//! The states the ledger moves through: an operation's, and each of its items'.

use crate::text_enum::text_enum;

text_enum! {
    /// Ledger states of an item.
    pub enum ItemState {
        /// Not started.
        Pending = "pending",
        /// Marked before its API call; re-checked after a crash.
        InFlight = "in_flight",
        /// Done.
        Done = "done",
        /// Not done, by plan or by cancel; `reason` says why.
        Skipped = "skipped",
        /// Tried and refused or failing; `error` says why.
        Failed = "failed",
        /// A dry run's planned change: it would be done, nothing was executed.
        WouldAct = "would_act",
    }
}

text_enum! {
    /// States of an operation.
    pub enum RunState {
        /// Recorded, waiting for a worker.
        Queued = "queued",
        /// Refreshing the selected users (pre-operation sync) and planning.
        Syncing = "syncing",
        /// Working through the ledger.
        Running = "running",
        /// Cancel asked: no new items start.
        Cancelling = "cancelling",
        /// Cancelled.
        Cancelled = "cancelled",
        /// Every item done, skipped or failed.
        Completed = "completed",
        /// Could not run (e.g. the pre-operation sync failed).
        Failed = "failed",
    }
}

impl RunState {
    /// States that still need a worker.
    pub const ACTIVE: [Self; 4] = [Self::Queued, Self::Syncing, Self::Running, Self::Cancelling];
    /// Final states.
    pub const FINISHED: [Self; 3] = [Self::Cancelled, Self::Completed, Self::Failed];

    /// Whether the operation has ended.
    pub fn is_finished(self) -> bool {
        Self::FINISHED.contains(&self)
    }
}
