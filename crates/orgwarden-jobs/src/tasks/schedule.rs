//! The schedule of an automated task as an admin writes it (the contract's JSON), and its
//! checked form ([`Plan`]) that the engine in `next_run` computes instants from.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

/// A daily time window (in the task's time zone) outside which a run does not start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// Opens at `HH:MM`.
    #[cfg_attr(feature = "schema", schema(example = "22:00"))]
    pub from: String,
    /// Closes at `HH:MM` (before `from`: the window spans midnight).
    #[cfg_attr(feature = "schema", schema(example = "06:00"))]
    pub to: String,
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Day {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Day {
    pub(crate) fn weekday(self) -> Weekday {
        match self {
            Self::Mon => Weekday::Mon,
            Self::Tue => Weekday::Tue,
            Self::Wed => Weekday::Wed,
            Self::Thu => Weekday::Thu,
            Self::Fri => Weekday::Fri,
            Self::Sat => Weekday::Sat,
            Self::Sun => Weekday::Sun,
        }
    }
}

/// The unit of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Unit {
    Days,
    Weeks,
    Months,
}

/// When a task runs; times are in the task's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum Schedule {
    /// Only when started by hand.
    Manual {
        /// Unused for manual tasks; accepted for symmetry.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window: Option<Window>,
    },
    /// Once, at `YYYY-MM-DDTHH:MM`.
    Once {
        /// The local date and time.
        #[cfg_attr(feature = "schema", schema(example = "2027-01-15T02:30"))]
        at: String,
        /// Optional daily window.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window: Option<Window>,
    },
    /// On these weekdays at `time`.
    Weekly {
        /// Days of the week.
        weekdays: Vec<Day>,
        /// `HH:MM`.
        #[cfg_attr(feature = "schema", schema(example = "02:30"))]
        time: String,
        /// Optional daily window.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window: Option<Window>,
    },
    /// Every `every` days, weeks or months from `startDate`, at `time`. A month interval
    /// starting on the 31st runs on each month's last day when it is shorter.
    Interval {
        /// How many units between runs.
        every: u32,
        /// Days, weeks or months.
        unit: Unit,
        /// `HH:MM`.
        #[cfg_attr(feature = "schema", schema(example = "02:30"))]
        time: String,
        /// `YYYY-MM-DD`; the day the task is saved when absent.
        #[serde(default, rename = "startDate", skip_serializing_if = "Option::is_none")]
        start_date: Option<String>,
        /// Optional daily window.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        window: Option<Window>,
    },
}

/// A field of a schedule that is not valid, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    /// The field, e.g. `schedule.time`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

fn error(field: &str, message: &str) -> ScheduleError {
    ScheduleError {
        field: format!("schedule.{field}"),
        message: message.to_owned(),
    }
}

fn time(field: &str, value: &str) -> Result<NaiveTime, ScheduleError> {
    NaiveTime::parse_from_str(value, "%H:%M")
        .map_err(|_| error(field, "must be HH:MM (00:00–23:59)"))
}

/// What recurs: the base instants of a plan, before the window and the sync slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Recurrence {
    Manual,
    Once(NaiveDateTime),
    Weekly {
        days: Vec<Weekday>,
        time: NaiveTime,
    },
    Every {
        step: Step,
        time: NaiveTime,
        start: NaiveDate,
    },
}

/// The distance between two runs of an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Days(u32),
    Months(u32),
}

/// A checked schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub(crate) recurrence: Recurrence,
    pub(crate) window: Option<(NaiveTime, NaiveTime)>,
}

impl Schedule {
    /// The schedule with `startDate` filled in with `today` where an interval has none (done
    /// when a task is saved, so its runs do not drift).
    pub fn with_start_date(mut self, today: NaiveDate) -> Self {
        if let Self::Interval { start_date, .. } = &mut self {
            if start_date.is_none() {
                *start_date = Some(today.format("%Y-%m-%d").to_string());
            }
        }
        self
    }

    /// True for a manual schedule.
    pub fn is_manual(&self) -> bool {
        matches!(self, Self::Manual { .. })
    }

    /// Checks every field; the error names the first wrong one. An interval without a start
    /// date starts on `today`.
    pub fn plan(&self, today: NaiveDate) -> Result<Plan, ScheduleError> {
        let (recurrence, window) = match self {
            Self::Manual { window } => (Recurrence::Manual, window),
            Self::Once { at, window } => {
                let at = NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M")
                    .map_err(|_| error("at", "must be YYYY-MM-DDTHH:MM"))?;
                (Recurrence::Once(at), window)
            }
            Self::Weekly {
                weekdays,
                time: t,
                window,
            } => {
                if weekdays.is_empty() {
                    return Err(error("weekdays", "choose at least one day"));
                }
                let days = weekdays.iter().map(|d| d.weekday()).collect();
                (
                    Recurrence::Weekly {
                        days,
                        time: time("time", t)?,
                    },
                    window,
                )
            }
            Self::Interval {
                every,
                unit,
                time: t,
                start_date,
                window,
            } => {
                let (max, step) = match unit {
                    Unit::Days => (366, Step::Days(*every)),
                    Unit::Weeks => (104, Step::Days(every.saturating_mul(7))),
                    Unit::Months => (60, Step::Months(*every)),
                };
                if !(1..=max).contains(every) {
                    return Err(error("every", &format!("must be between 1 and {max}")));
                }
                let start = match start_date {
                    None => today,
                    Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                        .map_err(|_| error("startDate", "must be YYYY-MM-DD"))?,
                };
                (
                    Recurrence::Every {
                        step,
                        time: time("time", t)?,
                        start,
                    },
                    window,
                )
            }
        };
        let window = match window {
            None => None,
            Some(w) => {
                let (from, to) = (time("window.from", &w.from)?, time("window.to", &w.to)?);
                if from == to {
                    return Err(error("window.to", "must differ from window.from"));
                }
                Some((from, to))
            }
        };
        Ok(Plan { recurrence, window })
    }
}
