//! What a sync run is, where it is, and what it reads and writes.

use crate::text_enum::text_enum;

text_enum! {
    /// Kinds of sync.
    pub enum SyncKind {
        /// Right after the API key is saved.
        Initial = "initial",
        /// The daily sync.
        Daily = "daily",
        /// "Sync users".
        Manual = "manual",
        /// Only the users an operation will touch.
        PreOperation = "pre_operation",
        /// After an operation.
        PostOperation = "post_operation",
    }
}

text_enum! {
    /// States of a sync run.
    pub enum SyncRunState {
        /// Recorded, waiting for a worker.
        Queued = "queued",
        /// A worker has it.
        Running = "running",
        /// Ended and published.
        Succeeded = "succeeded",
        /// Ended with an error.
        Failed = "failed",
    }
}

impl SyncRunState {
    /// States of a run that has not ended (at most one per tenant).
    pub const ACTIVE: [Self; 2] = [Self::Queued, Self::Running];
    /// States of a run that has ended.
    pub const ENDED: [Self; 2] = [Self::Succeeded, Self::Failed];

    /// Whether the run has ended.
    pub fn has_ended(self) -> bool {
        Self::ENDED.contains(&self)
    }
}

text_enum! {
    /// What a sync reads and writes (`Full` until decided).
    #[derive(Default)]
    pub enum SyncMode {
        /// Every user, into a new generation.
        #[default]
        Full = "full",
        /// What the organization's events named since the last sync, in place.
        Incremental = "incremental",
        /// Given users, in place.
        Partial = "partial",
    }
}
