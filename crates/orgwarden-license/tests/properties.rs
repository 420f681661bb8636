//! Property tests of the license engine: totality, monotonicity, the grace boundary, clearing.
// Helpers outside #[test] functions unwrap too; a panic is a test failure here.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeDelta, Utc};
use orgwarden_license::{enforce, evaluate, Edition, LicenseInput, LicenseState};
use proptest::prelude::*;

fn edition() -> impl Strategy<Value = Edition> {
    prop_oneof![
        Just(Edition::Standard),
        Just(Edition::Advanced),
        any::<u32>().prop_map(|multiplier| Edition::Custom { multiplier }),
        any::<u64>().prop_map(|limit| Edition::Fixed { limit }),
    ]
}

/// Counts biased towards the interesting places: small, around a limit, and the extremes.
fn count() -> impl Strategy<Value = u64> {
    prop_oneof![
        0..1_000u64,
        Just(u64::MAX),
        (u64::MAX - 10)..=u64::MAX,
        any::<u64>()
    ]
}

/// Any representable instant, at nanosecond precision, with the extremes over-weighted.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
    prop_oneof![
        Just(min),
        Just(max),
        (min.timestamp()..=max.timestamp(), 0..1_000_000_000u32)
            .prop_map(move |(secs, nanos)| DateTime::from_timestamp(secs, nanos).unwrap_or(max)),
    ]
}

/// Instants far enough from the ends of the range that a 60-day grace period fits.
fn ordinary_instant() -> impl Strategy<Value = DateTime<Utc>> {
    (
        -8_000_000_000_000i64..8_000_000_000_000,
        0..1_000_000_000u32,
    )
        .prop_map(|(secs, nanos)| DateTime::from_timestamp(secs, nanos).unwrap())
}

fn input() -> impl Strategy<Value = LicenseInput> {
    (
        edition(),
        count(),
        count(),
        proptest::option::of(instant()),
        instant(),
    )
        .prop_map(
            |(edition, install_site_billable_users, managed_users, grace_started_at, now)| {
                LicenseInput {
                    edition,
                    install_site_billable_users,
                    managed_users,
                    grace_started_at,
                    now,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn total_and_consistent(input in input()) {
        let e = evaluate(&input);
        let over = input.managed_users > e.limit;
        prop_assert_eq!(e.state == LicenseState::Ok, !over);
        prop_assert_eq!(e.grace_started_at.is_some(), over);
        prop_assert_eq!(e.grace_ends_at.is_some(), over);
        prop_assert_eq!(e.grace_days_left.is_some(), e.state == LicenseState::Grace);
        prop_assert!(e.grace_days_left != Some(0));
        prop_assert_eq!(e.may_act, e.state != LicenseState::Exceeded);
        prop_assert_eq!(enforce(&e).is_ok(), e.may_act);
        prop_assert!(!e.message.is_empty());
        if let (Some(stored), true) = (input.grace_started_at, over) {
            prop_assert_eq!(e.grace_started_at, Some(stored));
        }
        if let (None, true) = (input.grace_started_at, over) {
            prop_assert_eq!(e.grace_started_at, Some(input.now));
        }
    }

    #[test]
    fn limit_is_billable_times_multiplier_saturating(edition in edition(), billable in count()) {
        let expected = match edition.multiplier() {
            Some(m) => u64::try_from(u128::from(billable) * u128::from(m)).unwrap_or(u64::MAX),
            None => match edition { Edition::Fixed { limit } => limit, _ => unreachable!() },
        };
        prop_assert_eq!(evaluate(&LicenseInput {
            edition,
            install_site_billable_users: billable,
            managed_users: 0,
            grace_started_at: None,
            now: DateTime::<Utc>::MIN_UTC,
        }).limit, expected);
    }

    #[test]
    fn more_managed_users_never_improve_the_state(input in input(), a in count(), b in count()) {
        let (fewer, more) = (a.min(b), a.max(b));
        let fewer = evaluate(&LicenseInput { managed_users: fewer, ..input });
        let more = evaluate(&LicenseInput { managed_users: more, ..input });
        prop_assert!(fewer.state <= more.state);
        prop_assert!(fewer.usage_percent <= more.usage_percent);
        prop_assert!(fewer.may_act || !more.may_act);
    }

    #[test]
    fn grace_ends_exactly_on_its_day(
        edition in edition(),
        started in ordinary_instant(),
        after in 0i64..1_000_000_000_000,
    ) {
        let input = |now| LicenseInput {
            edition,
            install_site_billable_users: 0,
            managed_users: u64::MAX,
            grace_started_at: Some(started),
            now,
        };
        prop_assume!(edition.limit(0) < u64::MAX);
        let ends = started + TimeDelta::days(i64::from(edition.grace_days()));
        let last = evaluate(&input(ends - TimeDelta::nanoseconds(1)));
        prop_assert_eq!(last.state, LicenseState::Grace);
        prop_assert_eq!(last.grace_days_left, Some(1));
        let at_end = evaluate(&input(ends));
        prop_assert_eq!(at_end.state, LicenseState::Exceeded);
        prop_assert_eq!(at_end.grace_ends_at, Some(ends));
        prop_assert_eq!(evaluate(&input(ends + TimeDelta::nanoseconds(after))).state, LicenseState::Exceeded);
        let during = started + TimeDelta::nanoseconds(after % (ends - started).num_nanoseconds().unwrap());
        prop_assert_eq!(evaluate(&input(during)).state, LicenseState::Grace);
    }

    #[test]
    fn back_under_the_limit_clears_grace(input in input()) {
        let limit = input.edition.limit(input.install_site_billable_users);
        let under = LicenseInput { managed_users: input.managed_users.min(limit), ..input };
        let e = evaluate(&under);
        prop_assert_eq!(e.state, LicenseState::Ok);
        prop_assert_eq!(e.grace_started_at, None);
        prop_assert!(enforce(&e).is_ok());
    }

    /// Feeding the stored start back through a run of evaluations: exceeded exactly when the
    /// organization has been continuously over the limit for the whole grace period.
    #[test]
    fn stored_grace_start_over_time(
        edition in edition(),
        start in ordinary_instant(),
        steps in proptest::collection::vec((0u64..40, 0i64..30 * 86_400), 1..40),
    ) {
        let (billable, mut now, mut stored) = (10, start, None);
        let mut over_since: Option<DateTime<Utc>> = None;
        let grace = TimeDelta::days(i64::from(edition.grace_days()));
        for (managed, advance) in steps {
            now += TimeDelta::seconds(advance);
            let e = evaluate(&LicenseInput {
                edition,
                install_site_billable_users: billable,
                managed_users: managed,
                grace_started_at: stored,
                now,
            });
            over_since = if managed > e.limit { over_since.or(Some(now)) } else { None };
            let expected = match over_since {
                None => LicenseState::Ok,
                Some(since) if now - since >= grace => LicenseState::Exceeded,
                Some(_) => LicenseState::Grace,
            };
            prop_assert_eq!(e.state, expected);
            prop_assert_eq!(e.grace_started_at, over_since);
            stored = e.grace_started_at;
        }
    }
}
