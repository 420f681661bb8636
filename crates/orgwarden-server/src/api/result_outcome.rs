//! What a results list says happened to a step, and what a task run's state is.

use orgwarden_store::operations::{Counts, ItemState, Operation, RunState};
use serde::Serialize;
use utoipa::ToSchema;

/// A step's outcome in a results list: its ledger state, or for a task's dry run what it would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ResultOutcome {
    /// Where the step is in the ledger.
    State(ItemState),
    /// A task's dry run: whether the step would be done.
    DryRun(DryRunOutcome),
}

/// What a dry run's step would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum DryRunOutcome {
    /// It would be done.
    WouldAct,
    /// It would be skipped.
    Skip,
}

impl ResultOutcome {
    /// The outcome as a task's dry run reports it: `wouldAct` for a planned change, else `skip`.
    pub fn as_dry_run(self) -> Self {
        Self::DryRun(match self {
            Self::State(ItemState::WouldAct) | Self::DryRun(DryRunOutcome::WouldAct) => {
                DryRunOutcome::WouldAct
            }
            _ => DryRunOutcome::Skip,
        })
    }

    /// The outcome as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::State(state) => state.as_str(),
            Self::DryRun(DryRunOutcome::WouldAct) => "wouldAct",
            Self::DryRun(DryRunOutcome::Skip) => "skip",
        }
    }
}

/// The state of a task's run, from its operation's state and ledger counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum TaskRunState {
    /// Queued or working.
    Running,
    /// Every step done or skipped.
    Succeeded,
    /// Some steps failed, some were done.
    PartiallySucceeded,
    /// It could not run, or every step that acted failed.
    Failed,
    /// Cancelled.
    Cancelled,
}

impl TaskRunState {
    /// The run state the contract names, from the operation's state and counts.
    pub fn of(op: &Operation, counts: &Counts) -> Self {
        match op.state {
            RunState::Completed
                if counts.failed > 0 && counts.done == 0 && counts.would_act == 0 =>
            {
                Self::Failed
            }
            RunState::Completed if counts.failed > 0 => Self::PartiallySucceeded,
            RunState::Completed => Self::Succeeded,
            RunState::Failed => Self::Failed,
            RunState::Cancelled => Self::Cancelled,
            _ => Self::Running,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_serialize_as_the_api_spells_them() {
        let spelled = |o: ResultOutcome| serde_json::to_value(o).unwrap_or_default();
        for state in ItemState::ALL {
            let outcome = ResultOutcome::State(*state);
            assert_eq!(spelled(outcome), state.as_str());
            assert_eq!(outcome.as_str(), state.as_str());
        }
        let would = ResultOutcome::State(ItemState::WouldAct).as_dry_run();
        assert_eq!(spelled(would), "wouldAct");
        assert_eq!(would.as_str(), "wouldAct");
        let skip = ResultOutcome::State(ItemState::Skipped).as_dry_run();
        assert_eq!((spelled(skip), skip.as_str()), ("skip".into(), "skip"));
    }
}
