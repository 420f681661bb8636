//! The evaluation: limit, usage, state and what is allowed, as a pure function of the inputs.
//!
//! Over the limit means `managed_users > limit`. Being over starts a grace period at the first
//! evaluation that sees it (the caller stores [`LicenseEvaluation::grace_started_at`] and passes it
//! back); the grace period is the half-open interval `[started, started + grace_days × 24 h)`, and
//! from `started + grace_days × 24 h` on the state is exceeded. Any evaluation at or under the limit
//! clears the stored start, so the next excess starts a new, full grace period.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::{message, Edition};

/// Everything the engine needs; the caller reads it from Jira, the mirror and its own storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LicenseInput {
    /// The edition from the Marketplace license, or from configuration.
    pub edition: Edition,
    /// Billable users of the installation site (Jira's application-role / license counts).
    pub install_site_billable_users: u64,
    /// Billable users of the whole organization in the mirror: the users the app manages.
    pub managed_users: u64,
    /// The grace start stored by the previous evaluation, if any.
    pub grace_started_at: Option<DateTime<Utc>>,
    /// The current time (injected, so tests can move it).
    pub now: DateTime<Utc>,
}

/// Where the organization stands against the limit, ordered by severity (`Ok < Grace < Exceeded`).
///
/// Serialized as `ok`, `grace` or `exceeded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum LicenseState {
    /// At or under the limit.
    Ok,
    /// Over the limit, within the grace period: everything still works, with warnings.
    Grace,
    /// Over the limit after the grace period: operations and tasks are refused, reading works.
    Exceeded,
}

impl LicenseState {
    /// Whether operations and tasks may run: in `Ok` and `Grace`, not in `Exceeded`. Reading is
    /// always allowed.
    pub fn may_act(self) -> bool {
        self != Self::Exceeded
    }
}

/// The outcome of [`evaluate`]; serialized in camelCase for the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct LicenseEvaluation {
    /// The edition evaluated: `standard`, `advanced`, `custom:N` or `fixed:N`.
    #[cfg_attr(feature = "schema", schema(value_type = String))]
    pub edition: Edition,
    /// The edition's multiplier; `None` for a fixed limit.
    pub multiplier: Option<u32>,
    /// Billable users of the installation site, as given.
    pub install_site_billable_users: u64,
    /// How many users of the organization may be managed.
    pub limit: u64,
    /// How many are managed, as given.
    pub managed_users: u64,
    /// `managed_users × 100 / limit`, rounded down, saturating at `u32::MAX` (also when the limit
    /// is 0 and users are managed). The state, not this number, says whether the limit is exceeded.
    pub usage_percent: u32,
    /// Where the organization stands.
    pub state: LicenseState,
    /// The grace start to store: the stored one, or `now` when the excess is new; `None` at or
    /// under the limit (clear it).
    pub grace_started_at: Option<DateTime<Utc>>,
    /// When the grace period ends (in `Grace`) or ended (in `Exceeded`, the moment acting stopped).
    pub grace_ends_at: Option<DateTime<Utc>>,
    /// Whole days left in `Grace`, rounded up (so at least 1); `None` otherwise.
    pub grace_days_left: Option<u32>,
    /// Whether operations and tasks may run ([`LicenseState::may_act`]).
    pub may_act: bool,
    /// One human paragraph: where things stand and, when over the limit, what is blocked when and
    /// how to fix it.
    pub message: String,
}

/// Evaluates the license. Pure and total: never panics, whatever the numbers and times.
pub fn evaluate(input: &LicenseInput) -> LicenseEvaluation {
    let edition = input.edition;
    let limit = edition.limit(input.install_site_billable_users);
    let (state, grace_started_at, grace_ends_at) = if input.managed_users > limit {
        // Recorded once: a stored start always wins over `now`.
        let started = input.grace_started_at.unwrap_or(input.now);
        let ends = grace_end(started, edition.grace_days());
        let state = if input.now < ends {
            LicenseState::Grace
        } else {
            LicenseState::Exceeded
        };
        (state, Some(started), Some(ends))
    } else {
        (LicenseState::Ok, None, None)
    };
    let grace_days_left = match (state, grace_ends_at) {
        (LicenseState::Grace, Some(ends)) => Some(days_left(ends, input.now)),
        _ => None,
    };
    let mut evaluation = LicenseEvaluation {
        edition,
        multiplier: edition.multiplier(),
        install_site_billable_users: input.install_site_billable_users,
        limit,
        managed_users: input.managed_users,
        usage_percent: usage_percent(input.managed_users, limit),
        state,
        grace_started_at,
        grace_ends_at,
        grace_days_left,
        may_act: state.may_act(),
        message: String::new(),
    };
    evaluation.message = message::describe(&evaluation);
    evaluation
}

/// `started + days × 24 h`, or the last representable instant when that overflows.
fn grace_end(started: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    TimeDelta::try_days(i64::from(days))
        .and_then(|grace| started.checked_add_signed(grace))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Whole days from `now` to `ends` (> `now`), rounded up.
fn days_left(ends: DateTime<Utc>, now: DateTime<Utc>) -> u32 {
    let left = ends.signed_duration_since(now);
    let whole = left.num_days();
    let partial = TimeDelta::try_days(whole).is_some_and(|whole| left > whole);
    u32::try_from(whole.saturating_add(i64::from(partial))).unwrap_or(u32::MAX)
}

fn usage_percent(managed: u64, limit: u64) -> u32 {
    match u128::from(managed)
        .saturating_mul(100)
        .checked_div(u128::from(limit))
    {
        Some(percent) => u32::try_from(percent).unwrap_or(u32::MAX),
        None if managed == 0 => 0,
        None => u32::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, day, hour, 0, 0).unwrap()
    }

    fn input(
        managed_users: u64,
        grace_started_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> LicenseInput {
        LicenseInput {
            edition: Edition::Standard,
            install_site_billable_users: 100,
            managed_users,
            grace_started_at,
            now,
        }
    }

    #[test]
    fn at_the_limit_is_ok() {
        let e = evaluate(&input(200, None, at(1, 0)));
        assert_eq!(
            (e.limit, e.state, e.usage_percent, e.may_act),
            (200, LicenseState::Ok, 100, true)
        );
        assert_eq!(
            (e.grace_started_at, e.grace_ends_at, e.grace_days_left),
            (None, None, None)
        );
    }

    #[test]
    fn first_excess_starts_grace_now_and_keeps_the_stored_start() {
        let e = evaluate(&input(201, None, at(1, 9)));
        assert_eq!(e.state, LicenseState::Grace);
        assert_eq!(e.grace_started_at, Some(at(1, 9)));
        assert_eq!(e.grace_ends_at, Some(at(31, 9)));
        assert_eq!(e.grace_days_left, Some(30));
        let later = evaluate(&input(250, e.grace_started_at, at(2, 10)));
        assert_eq!(later.grace_started_at, Some(at(1, 9)));
        assert_eq!(later.grace_days_left, Some(29));
    }

    #[test]
    fn grace_ends_exactly_thirty_days_later() {
        let started = Some(at(1, 9));
        let last_second = at(31, 9) - TimeDelta::seconds(1);
        let e = evaluate(&input(201, started, last_second));
        assert_eq!(
            (e.state, e.grace_days_left, e.may_act),
            (LicenseState::Grace, Some(1), true)
        );
        let e = evaluate(&input(201, started, at(31, 9)));
        assert_eq!((e.state, e.may_act), (LicenseState::Exceeded, false));
        assert_eq!(e.grace_ends_at, Some(at(31, 9)));
        assert_eq!(e.grace_started_at, started);
    }

    #[test]
    fn advanced_grace_is_sixty_days() {
        let start = at(1, 0);
        let mut i = input(
            501,
            Some(start),
            start + TimeDelta::days(60) - TimeDelta::nanoseconds(1),
        );
        i.edition = Edition::Advanced;
        assert_eq!(evaluate(&i).state, LicenseState::Grace);
        i.now = start + TimeDelta::days(60);
        assert_eq!(evaluate(&i).state, LicenseState::Exceeded);
    }

    #[test]
    fn back_under_the_limit_clears_grace() {
        let e = evaluate(&input(200, Some(at(1, 0)), at(28, 0)));
        assert_eq!((e.state, e.grace_started_at), (LicenseState::Ok, None));
    }

    #[test]
    fn zero_billable_users_means_limit_zero() {
        let mut i = input(0, None, at(1, 0));
        i.install_site_billable_users = 0;
        let e = evaluate(&i);
        assert_eq!(
            (e.limit, e.state, e.usage_percent),
            (0, LicenseState::Ok, 0)
        );
        i.managed_users = 1;
        let e = evaluate(&i);
        assert_eq!((e.state, e.usage_percent), (LicenseState::Grace, u32::MAX));
        assert!(e.message.contains("no billable users"), "{}", e.message);
    }

    #[test]
    fn extremes_do_not_panic() {
        let max = DateTime::<Utc>::MAX_UTC;
        let min = DateTime::<Utc>::MIN_UTC;
        let mut i = input(u64::MAX, Some(max), min);
        i.install_site_billable_users = u64::MAX;
        assert_eq!(evaluate(&i).state, LicenseState::Ok);
        i.install_site_billable_users = 1;
        let e = evaluate(&i);
        assert_eq!((e.state, e.grace_ends_at), (LicenseState::Grace, Some(max)));
        assert!(
            e.grace_days_left > Some(36_500_000),
            "{:?}",
            e.grace_days_left
        );
        i.now = max;
        assert_eq!(evaluate(&i).state, LicenseState::Exceeded);
        i.grace_started_at = Some(min);
        assert_eq!(evaluate(&i).state, LicenseState::Exceeded);
    }

    #[test]
    fn serializes_for_the_api() {
        let e = evaluate(&input(201, None, at(1, 9)));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["state"], "grace");
        assert_eq!(json["edition"], "standard");
        assert_eq!(json["installSiteBillableUsers"], 100);
        assert_eq!(json["graceEndsAt"], "2025-03-31T09:00:00Z");
        assert_eq!(
            serde_json::from_value::<LicenseEvaluation>(json).unwrap(),
            e
        );
        assert_eq!(
            serde_json::to_string(&LicenseState::Exceeded).unwrap(),
            "\"exceeded\""
        );
    }
}
