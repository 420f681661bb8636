//! The one check every acting feature (operations, task runs) makes before it acts.
//!
//! Reading is never checked: everything stays readable whatever the license state.

use chrono::{DateTime, Utc};

use crate::LicenseEvaluation;

/// Why acting is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalReason {
    /// Over the limit after the grace period.
    Exceeded,
    /// The Marketplace license is not active.
    Inactive,
    /// The license was never evaluated and the first days after the first install are over.
    Unevaluated,
}

/// Operations and tasks are refused. `Display` is the human message: what is blocked since when,
/// and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct LicenseRefusal {
    /// Why.
    pub reason: RefusalReason,
    /// The license limit (0 when unknown).
    pub limit: u64,
    /// The users managed (0 when unknown).
    pub managed_users: u64,
    /// Since when acting is refused: the end of the grace period, or of the first days after
    /// the install for a license never evaluated; `None` for an inactive license.
    pub grace_ended_at: Option<DateTime<Utc>>,
    /// The human explanation.
    pub message: String,
}

impl LicenseRefusal {
    /// Stable error code of a refusal over the limit ([`RefusalReason::Exceeded`]).
    pub const CODE: &'static str = "license_exceeded";

    /// Stable error code for the API envelope: `license_exceeded`, `license_inactive` or
    /// `license_unevaluated`.
    pub fn code(&self) -> &'static str {
        match self.reason {
            RefusalReason::Exceeded => Self::CODE,
            RefusalReason::Inactive => "license_inactive",
            RefusalReason::Unevaluated => "license_unevaluated",
        }
    }
}

/// `Ok(())` when operations and tasks may run, a [`LicenseRefusal`] when they may not. Fails
/// closed: refuses if either the state or `may_act` says no.
pub fn enforce(evaluation: &LicenseEvaluation) -> Result<(), LicenseRefusal> {
    if evaluation.may_act && evaluation.state.may_act() {
        return Ok(());
    }
    Err(LicenseRefusal {
        reason: RefusalReason::Exceeded,
        limit: evaluation.limit,
        managed_users: evaluation.managed_users,
        grace_ended_at: evaluation.grace_ends_at,
        message: evaluation.message.clone(),
    })
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone};

    use super::*;
    use crate::{evaluate, Edition, LicenseInput};

    #[test]
    fn refuses_only_after_grace() {
        let start = Utc.with_ymd_and_hms(2025, 1, 10, 0, 0, 0).unwrap();
        let mut input = LicenseInput {
            edition: Edition::Standard,
            install_site_billable_users: 10,
            managed_users: 21,
            grace_started_at: Some(start),
            now: start + TimeDelta::days(29),
        };
        assert_eq!(enforce(&evaluate(&input)), Ok(()));
        input.now = start + TimeDelta::days(30);
        let refusal = enforce(&evaluate(&input)).unwrap_err();
        assert_eq!((refusal.limit, refusal.managed_users), (20, 21));
        assert_eq!(refusal.grace_ended_at, Some(input.now));
        assert!(refusal
            .to_string()
            .contains("operations and tasks are refused since 2025-02-09"));
        input.managed_users = 20;
        assert_eq!(enforce(&evaluate(&input)), Ok(()));
    }

    #[test]
    fn fails_closed_on_inconsistent_evaluations() {
        let now = Utc.with_ymd_and_hms(2025, 1, 10, 0, 0, 0).unwrap();
        let input = LicenseInput {
            edition: Edition::Fixed { limit: 1 },
            install_site_billable_users: 0,
            managed_users: 0,
            grace_started_at: None,
            now,
        };
        let mut evaluation = evaluate(&input);
        evaluation.may_act = false;
        assert!(enforce(&evaluation).is_err());
        assert_eq!(LicenseRefusal::CODE, "license_exceeded");
    }
}
