//! The schedule engine: the next instant a task starts, as a pure function of its plan, its
//! time zone, the tenant's daily sync slot and the instant after which to look.
//!
//! Local times are resolved in the time zone: a time a spring-forward skips runs at the first
//! minute after the gap (02:30 → 03:00), a time a fall-back repeats runs at its first
//! occurrence only. A run due outside the window starts at the window's next opening; a run due
//! inside the sync slot starts at the slot's end.

use chrono::{
    DateTime, Days, LocalResult, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;

use super::schedule::{Plan, Recurrence, Step};

/// The tenant's daily sync slot: one hour from `hour`:00 in `zone`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncSlot {
    /// Hour of the day, 0–23.
    pub hour: u32,
    /// The tenant's time zone.
    pub zone: Tz,
}

/// Base instants looked at before giving up (about five years of daily runs).
const MAX_CANDIDATES: usize = 2000;
/// Moves out of the slot and into the window before a candidate is given up.
const MAX_ADJUSTMENTS: usize = 8;
/// Days before `after`'s local date from which base instants are looked at: each of the
/// [`MAX_ADJUSTMENTS`] moves takes a run at most a day and an hour later, so a base up to about
/// eight days before `after` may still start after it.
const LOOK_BACK_DAYS: u64 = 10;

/// The instant of local `time` on `date` in `zone` (see the module docs for DST).
pub fn resolve(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    let mut t = local;
    // Gaps are at most a few hours; a minute at a time finds the first valid local minute.
    for _ in 0..(26 * 60) {
        match zone.from_local_datetime(&t) {
            LocalResult::Single(x) => return x.with_timezone(&Utc),
            LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
            // Schedule times are whole minutes, so this lands on the gap's end.
            LocalResult::None => t += chrono::Duration::minutes(1),
        }
    }
    Utc.from_utc_datetime(&local)
}

impl SyncSlot {
    /// The slot's end when `x` lies inside it.
    pub(super) fn end_if_inside(&self, x: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let day = x.with_timezone(&self.zone).date_naive();
        let start = resolve(self.zone, day.and_time(hour(self.hour)));
        let end = if self.hour >= 23 {
            resolve(
                self.zone,
                day.checked_add_days(Days::new(1))?.and_time(NaiveTime::MIN),
            )
        } else {
            resolve(self.zone, day.and_time(hour(self.hour + 1)))
        };
        (start <= x && x < end).then_some(end)
    }
}

fn hour(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// True when local time `t` lies in the window `[from, to)` (wrapping past midnight when
/// `to < from`).
pub(super) fn in_window((from, to): (NaiveTime, NaiveTime), t: NaiveTime) -> bool {
    if from < to {
        from <= t && t < to
    } else {
        t >= from || t < to
    }
}

/// The window's next opening when `x` lies outside it.
fn opening_if_outside(
    window: (NaiveTime, NaiveTime),
    zone: Tz,
    x: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let local = x.with_timezone(&zone).naive_local();
    if in_window(window, local.time()) {
        return None;
    }
    let day = local.date();
    let open = resolve(zone, day.and_time(window.0));
    if open > x {
        return Some(open);
    }
    Some(resolve(
        zone,
        day.checked_add_days(Days::new(1))?.and_time(window.0),
    ))
}

impl Plan {
    /// True when the task runs only when started by hand.
    pub fn is_manual(&self) -> bool {
        self.recurrence == Recurrence::Manual
    }

    /// The first instant strictly after `after` at which the task starts, or `None` when it
    /// never will (manual, a past `once`, or a window that lies inside the sync slot).
    pub fn next_after(
        &self,
        zone: Tz,
        slot: Option<SyncSlot>,
        after: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let from = after
            .with_timezone(&zone)
            .date_naive()
            .checked_sub_days(Days::new(LOOK_BACK_DAYS))?;
        self.bases(from)
            .take(MAX_CANDIDATES)
            .filter_map(|base| self.adjust(resolve(zone, base), zone, slot))
            .find(|at| *at > after)
    }

    /// The first instant at or after `at` at which a run may start (outside the sync slot,
    /// inside the window), or `None` when there is none.
    pub fn start_at(
        &self,
        zone: Tz,
        slot: Option<SyncSlot>,
        at: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        self.adjust(at, zone, slot)
    }

    /// Moves `x` out of the sync slot and into the window.
    fn adjust(
        &self,
        mut x: DateTime<Utc>,
        zone: Tz,
        slot: Option<SyncSlot>,
    ) -> Option<DateTime<Utc>> {
        for _ in 0..MAX_ADJUSTMENTS {
            if let Some(end) = slot.and_then(|s| s.end_if_inside(x)) {
                x = end;
            } else if let Some(open) = self.window.and_then(|w| opening_if_outside(w, zone, x)) {
                x = open;
            } else {
                return Some(x);
            }
        }
        None
    }

    /// The local base date-times, in order, from about `from` on.
    fn bases(&self, from: NaiveDate) -> Box<dyn Iterator<Item = NaiveDateTime> + '_> {
        match &self.recurrence {
            Recurrence::Manual => Box::new(std::iter::empty()),
            Recurrence::Once(at) => Box::new(std::iter::once(*at)),
            Recurrence::Weekly { days, time } => Box::new(
                from.iter_days()
                    .filter(move |d| days.contains(&chrono::Datelike::weekday(d)))
                    .map(move |d| d.and_time(*time)),
            ),
            Recurrence::Every {
                step: Step::Days(n),
                time,
                start,
            } => {
                let n = i64::from((*n).max(1));
                let skip = ((from - *start).num_days() / n).max(0);
                Box::new((skip..).map_while(move |k| {
                    let days = u64::try_from(k * n).ok()?;
                    Some(start.checked_add_days(Days::new(days))?.and_time(*time))
                }))
            }
            Recurrence::Every {
                step: Step::Months(n),
                time,
                start,
            } => {
                let n = i64::from((*n).max(1));
                let months = months_between(*start, from) - 1;
                let skip = (months / n).max(0);
                Box::new((skip..).map_while(move |k| {
                    let months = u32::try_from(k * n).ok()?;
                    // chrono clamps to the month's last day: the 31st lands on the 30th, 28th…
                    Some(
                        start
                            .checked_add_months(Months::new(months))?
                            .and_time(*time),
                    )
                }))
            }
        }
    }
}

/// Whole calendar months from `a` to `b` (negative when `b` is earlier).
fn months_between(a: NaiveDate, b: NaiveDate) -> i64 {
    use chrono::Datelike;
    (i64::from(b.year()) - i64::from(a.year())) * 12 + i64::from(b.month()) - i64::from(a.month())
}
