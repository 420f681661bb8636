//! The schedule engine across DST changes (explicit instants) and its properties (proptest).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::{Plan, Schedule, SyncSlot};

const BERLIN: Tz = chrono_tz::Europe::Berlin;
const NEW_YORK: Tz = chrono_tz::America::New_York;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn plan(json: serde_json::Value) -> Plan {
    let schedule: Schedule = serde_json::from_value(json).unwrap();
    schedule
        .plan(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
        .unwrap()
}

/// The first `n` runs after `after`.
fn runs(plan: &Plan, zone: Tz, slot: Option<SyncSlot>, after: &str, n: usize) -> Vec<String> {
    let mut at = utc(after);
    let mut out = Vec::new();
    for _ in 0..n {
        at = plan.next_after(zone, slot, at).unwrap();
        out.push(at.to_rfc3339());
    }
    out
}

#[test]
fn a_daily_0230_runs_once_at_0300_on_spring_forward_and_once_on_fall_back() {
    let daily = plan(
        serde_json::json!({"kind": "interval", "every": 1, "unit": "days", "time": "02:30", "startDate": "2026-03-01"}),
    );
    // Berlin springs forward on 2026-03-29 (02:00 → 03:00 CEST).
    assert_eq!(
        runs(&daily, BERLIN, None, "2026-03-27T12:00:00Z", 3),
        [
            "2026-03-28T01:30:00+00:00",
            "2026-03-29T01:00:00+00:00",
            "2026-03-30T00:30:00+00:00"
        ]
    );
    // And falls back on 2026-10-25 (03:00 CEST → 02:00 CET): 02:30 happens twice, runs once.
    assert_eq!(
        runs(&daily, BERLIN, None, "2026-10-23T12:00:00Z", 3),
        [
            "2026-10-24T00:30:00+00:00",
            "2026-10-25T00:30:00+00:00",
            "2026-10-26T01:30:00+00:00"
        ]
    );
}

#[test]
fn weekly_follows_local_time_across_new_york_dst() {
    let weekly =
        plan(serde_json::json!({"kind": "weekly", "weekdays": ["sun", "wed"], "time": "02:30"}));
    // New York springs forward on Sunday 2026-03-08 at 02:00.
    assert_eq!(
        runs(&weekly, NEW_YORK, None, "2026-03-05T00:00:00Z", 3),
        [
            "2026-03-08T07:00:00+00:00",
            "2026-03-11T06:30:00+00:00",
            "2026-03-15T06:30:00+00:00"
        ]
    );
}

#[test]
fn month_intervals_on_the_31st_land_on_the_last_day() {
    let monthly = plan(
        serde_json::json!({"kind": "interval", "every": 1, "unit": "months", "time": "09:00", "startDate": "2026-01-31"}),
    );
    assert_eq!(
        runs(&monthly, chrono_tz::UTC, None, "2026-01-01T00:00:00Z", 4),
        [
            "2026-01-31T09:00:00+00:00",
            "2026-02-28T09:00:00+00:00",
            "2026-03-31T09:00:00+00:00",
            "2026-04-30T09:00:00+00:00"
        ]
    );
}

#[test]
fn once_runs_once_and_manual_never() {
    let once = plan(serde_json::json!({"kind": "once", "at": "2026-03-29T02:30"}));
    assert_eq!(
        once.next_after(BERLIN, None, utc("2026-03-01T00:00:00Z")),
        Some(utc("2026-03-29T01:00:00Z"))
    );
    assert_eq!(
        once.next_after(BERLIN, None, utc("2026-03-29T01:00:00Z")),
        None
    );
    let manual = plan(serde_json::json!({"kind": "manual"}));
    assert_eq!(
        manual.next_after(BERLIN, None, utc("2026-03-01T00:00:00Z")),
        None
    );
}

#[test]
fn runs_are_deferred_out_of_the_sync_slot_and_into_the_window() {
    let slot = Some(SyncSlot {
        hour: 2,
        zone: BERLIN,
    });
    let daily = plan(
        serde_json::json!({"kind": "interval", "every": 1, "unit": "days", "time": "02:30", "startDate": "2026-06-01"}),
    );
    assert_eq!(
        runs(&daily, BERLIN, slot, "2026-06-01T12:00:00Z", 1),
        ["2026-06-02T01:00:00+00:00"]
    );
    let windowed = plan(
        serde_json::json!({"kind": "weekly", "weekdays": ["mon"], "time": "07:00", "window": {"from": "22:00", "to": "06:00"}}),
    );
    // Monday 2026-06-01 07:00 is outside 22:00–06:00: it starts at 22:00 that evening.
    assert_eq!(
        runs(&windowed, BERLIN, None, "2026-05-31T12:00:00Z", 1),
        ["2026-06-01T20:00:00+00:00"]
    );
    let stuck = plan(
        serde_json::json!({"kind": "weekly", "weekdays": ["mon"], "time": "07:00", "window": {"from": "02:10", "to": "02:50"}}),
    );
    assert_eq!(
        stuck.next_after(BERLIN, slot, utc("2026-05-31T12:00:00Z")),
        None
    );
}

#[test]
fn a_run_moved_days_later_by_the_slot_and_window_is_not_skipped() {
    // Thursday 05:00 in Kolkata, outside its window 04:00–04:01: it opens on Friday 04:00,
    // inside Berlin's 00:00 sync slot while Berlin keeps summer time, so the run moves a day at
    // a time until Monday 26 October (after Berlin's clocks went back on Sunday).
    let plan = plan(
        serde_json::json!({"kind": "weekly", "weekdays": ["thu"], "time": "05:00", "window": {"from": "04:00", "to": "04:01"}}),
    );
    let slot = Some(SyncSlot {
        hour: 0,
        zone: BERLIN,
    });
    let kolkata = chrono_tz::Asia::Kolkata;
    let monday = utc("2026-10-25T22:30:00Z");
    assert_eq!(
        plan.next_after(kolkata, slot, utc("2026-10-20T00:00:00Z")),
        Some(monday)
    );
    // Asked a second before it, that run is found again (its Thursday is five days earlier).
    assert_eq!(
        plan.next_after(kolkata, slot, monday - chrono::Duration::seconds(1)),
        Some(monday)
    );
}

#[test]
fn invalid_fields_are_named() {
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let check = |json: serde_json::Value| {
        serde_json::from_value::<Schedule>(json)
            .unwrap()
            .plan(today)
            .unwrap_err()
            .field
    };
    assert_eq!(
        check(serde_json::json!({"kind": "once", "at": "2026-13-01T00:00"})),
        "schedule.at"
    );
    assert_eq!(
        check(serde_json::json!({"kind": "weekly", "weekdays": [], "time": "01:00"})),
        "schedule.weekdays"
    );
    assert_eq!(
        check(serde_json::json!({"kind": "weekly", "weekdays": ["mon"], "time": "25:00"})),
        "schedule.time"
    );
    assert_eq!(
        check(serde_json::json!({"kind": "interval", "every": 0, "unit": "days", "time": "01:00"})),
        "schedule.every"
    );
    assert_eq!(
        check(
            serde_json::json!({"kind": "interval", "every": 1, "unit": "days", "time": "01:00", "startDate": "x"})
        ),
        "schedule.startDate"
    );
    assert_eq!(
        check(serde_json::json!({"kind": "manual", "window": {"from": "01:00", "to": "01:00"}})),
        "schedule.window.to"
    );
}

const ZONES: [Tz; 5] = [
    chrono_tz::UTC,
    BERLIN,
    NEW_YORK,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Asia::Kolkata,
];

fn hhmm() -> impl Strategy<Value = String> {
    (0u32..24, 0u32..60).prop_map(|(h, m)| format!("{h:02}:{m:02}"))
}

fn window() -> impl Strategy<Value = Option<super::Window>> {
    proptest::option::of((hhmm(), hhmm()).prop_filter("distinct", |(a, b)| a != b))
        .prop_map(|w| w.map(|(from, to)| super::Window { from, to }))
}

fn schedule() -> impl Strategy<Value = Schedule> {
    let days = proptest::sample::subsequence(
        vec![
            super::Day::Mon,
            super::Day::Tue,
            super::Day::Wed,
            super::Day::Thu,
            super::Day::Fri,
            super::Day::Sat,
            super::Day::Sun,
        ],
        1..=7,
    );
    let unit = prop_oneof![
        Just(super::Unit::Days),
        Just(super::Unit::Weeks),
        Just(super::Unit::Months)
    ];
    prop_oneof![
        (days, hhmm(), window()).prop_map(|(weekdays, time, window)| Schedule::Weekly {
            weekdays,
            time,
            window
        }),
        (1u32..40, unit, hhmm(), 1u32..29, 1u32..13, window()).prop_map(
            |(every, unit, time, day, month, window)| Schedule::Interval {
                every,
                unit,
                time,
                start_date: Some(format!("2026-{month:02}-{day:02}")),
                window
            }
        ),
    ]
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (1_767_225_600i64..1_830_297_600).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_next_run_is_later_in_the_window_outside_the_slot_and_monotone(
        schedule in schedule(), zone in proptest::sample::select(ZONES.to_vec()),
        slot_hour in proptest::option::of(0u32..24), a in instant(), b in instant(),
    ) {
        let plan = schedule.plan(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
        let slot = slot_hour.map(|hour| SyncSlot { hour, zone: BERLIN });
        let (early, late) = if a <= b { (a, b) } else { (b, a) };
        let (first, second) = (plan.next_after(zone, slot, early), plan.next_after(zone, slot, late));
        if let Some(next) = first {
            prop_assert!(next > early);
            // Nothing was skipped: asking just before the run finds that run again.
            prop_assert_eq!(plan.next_after(zone, slot, next - chrono::Duration::seconds(1)), Some(next));
            if let Some(s) = slot {
                prop_assert!(s.end_if_inside(next).is_none());
            }
            if let Some(window) = plan.window {
                prop_assert!(super::next_run::in_window(window, next.with_timezone(&zone).time()));
            }
            if let Some(later) = second {
                prop_assert!(later >= next);
            }
        }
    }

    #[test]
    fn without_window_or_slot_a_weekly_run_is_on_a_chosen_day_at_its_time_or_after_a_gap(
        schedule in schedule(), zone in proptest::sample::select(ZONES.to_vec()), a in instant(),
    ) {
        let Schedule::Weekly { weekdays, time, .. } = schedule else { return Ok(()) };
        let plan = Schedule::Weekly { weekdays: weekdays.clone(), time: time.clone(), window: None }
            .plan(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).unwrap();
        let next = plan.next_after(zone, None, a).unwrap();
        let local = next.with_timezone(&zone);
        let wanted = chrono::NaiveTime::parse_from_str(&time, "%H:%M").unwrap();
        let day = chrono::Datelike::weekday(&local.date_naive());
        prop_assert!(weekdays.iter().any(|d| d.weekday() == day));
        // Either the exact local time, or the end of a DST gap that skipped it.
        let gap = local.time() > wanted && zone.from_local_datetime(&local.date_naive().and_time(wanted)).single().is_none();
        prop_assert!(local.time() == wanted || gap);
    }
}
