//! The gate in front of acting (operations and task runs): the evaluation's verdict, the
//! Marketplace license, and a bounded first period for a tenant whose license was never evaluated.
//!
//! - An inactive Marketplace license refuses, whatever the evaluation.
//! - An evaluation decides as [`enforce`] does (refused once the grace period is over).
//! - No evaluation yet (Jira's counts could not be read since the install) allows acting for the
//!   first [`UNEVALUATED_DAYS`] days after the first install, half-open like the grace period, then
//!   refuses until an evaluation succeeds.

use chrono::{DateTime, TimeDelta, Utc};

use crate::{enforce, LicenseEvaluation, LicenseRefusal, RefusalReason};

/// Days after the first install during which a tenant whose license was never evaluated may act.
pub const UNEVALUATED_DAYS: u32 = 14;

/// What the gate weighs.
#[derive(Debug, Clone, Copy)]
pub struct GateInput<'a> {
    /// The stored evaluation, re-evaluated at `now`; `None` before the first one.
    pub evaluation: Option<&'a LicenseEvaluation>,
    /// The Marketplace license as last read: `Some(false)` inactive; `None` unknown or free.
    pub marketplace_active: Option<bool>,
    /// When the tenant first installed the app (a reinstall does not start the first period
    /// again).
    pub first_installed_at: DateTime<Utc>,
    /// The current time.
    pub now: DateTime<Utc>,
}

/// `Ok(())` when operations and tasks may run now, the [`LicenseRefusal`] saying why not
/// otherwise. Pure.
pub fn gate(input: &GateInput<'_>) -> Result<(), LicenseRefusal> {
    let (limit, managed_users) = input
        .evaluation
        .map_or((0, 0), |e| (e.limit, e.managed_users));
    if input.marketplace_active == Some(false) {
        return Err(LicenseRefusal {
            reason: RefusalReason::Inactive,
            limit,
            managed_users,
            grace_ended_at: None,
            message: "The app's Marketplace license on this Jira site is not active: operations \
                      and tasks are refused; all data stays readable. To fix it, renew or \
                      subscribe to orgwarden in Jira (Settings → Apps → Manage apps), then open \
                      the license panel again."
                .to_owned(),
        });
    }
    if let Some(evaluation) = input.evaluation {
        return enforce(evaluation);
    }
    let ends = TimeDelta::try_days(i64::from(UNEVALUATED_DAYS))
        .and_then(|days| input.first_installed_at.checked_add_signed(days))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    if input.now < ends {
        return Ok(());
    }
    Err(LicenseRefusal {
        reason: RefusalReason::Unevaluated,
        limit,
        managed_users,
        grace_ended_at: Some(ends),
        message: format!(
            "The license could not be checked since orgwarden was first installed ({}): operations \
             and tasks are allowed for the first {UNEVALUATED_DAYS} days only and are refused since \
             {}; all data stays readable. To fix it, run a sync or open the license panel, which \
             read the license from Jira (the app needs Jira's permission to read the license \
             count).",
            input.first_installed_at.format("%Y-%m-%d"),
            ends.format("%Y-%m-%d %H:%M UTC"),
        ),
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::{evaluate, Edition, LicenseInput};

    fn installed() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
    }

    fn input(
        evaluation: Option<&LicenseEvaluation>,
        active: Option<bool>,
        days: i64,
    ) -> GateInput<'_> {
        GateInput {
            evaluation,
            marketplace_active: active,
            first_installed_at: installed(),
            now: installed() + TimeDelta::days(days),
        }
    }

    fn evaluation(managed_users: u64) -> LicenseEvaluation {
        evaluate(&LicenseInput {
            edition: Edition::Fixed { limit: 10 },
            install_site_billable_users: 0,
            managed_users,
            grace_started_at: Some(installed()),
            now: installed() + TimeDelta::days(100),
        })
    }

    #[test]
    fn unevaluated_licenses_allow_acting_for_the_first_days_only() {
        assert_eq!(gate(&input(None, None, 0)), Ok(()));
        let last = GateInput {
            now: installed() + TimeDelta::days(14) - TimeDelta::seconds(1),
            ..input(None, None, 0)
        };
        assert_eq!(gate(&last), Ok(()));
        let refusal = gate(&input(None, None, 14)).unwrap_err();
        assert_eq!(refusal.reason, RefusalReason::Unevaluated);
        assert_eq!(refusal.code(), "license_unevaluated");
        assert_eq!(
            refusal.grace_ended_at,
            Some(installed() + TimeDelta::days(14))
        );
        assert!(
            refusal
                .message
                .contains("refused since 2025-06-15 12:00 UTC"),
            "{}",
            refusal.message
        );
        // An unknown Marketplace license changes nothing.
        assert_eq!(
            gate(&input(None, None, 400)).unwrap_err().reason,
            RefusalReason::Unevaluated
        );
    }

    #[test]
    fn an_evaluation_decides_once_there_is_one() {
        let ok = evaluation(10);
        assert_eq!(gate(&input(Some(&ok), None, 400)), Ok(()));
        assert_eq!(gate(&input(Some(&ok), Some(true), 400)), Ok(()));
        let exceeded = evaluation(11);
        let refusal = gate(&input(Some(&exceeded), Some(true), 1)).unwrap_err();
        assert_eq!(refusal.reason, RefusalReason::Exceeded);
        assert_eq!(refusal.code(), LicenseRefusal::CODE);
    }

    #[test]
    fn an_inactive_marketplace_license_always_refuses() {
        let ok = evaluation(1);
        for evaluation in [None, Some(&ok)] {
            let refusal = gate(&input(evaluation, Some(false), 0)).unwrap_err();
            assert_eq!(refusal.reason, RefusalReason::Inactive);
            assert_eq!(refusal.code(), "license_inactive");
            assert!(refusal.to_string().contains("not active"));
        }
    }

    #[test]
    fn far_times_do_not_panic() {
        let far = GateInput {
            first_installed_at: DateTime::<Utc>::MAX_UTC,
            now: DateTime::<Utc>::MIN_UTC,
            ..input(None, None, 0)
        };
        assert_eq!(gate(&far), Ok(()));
    }
}
