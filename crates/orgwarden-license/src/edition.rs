//! Editions and their terms: multiplier (or fixed limit), grace period and history retention.
//!
//! Standard and Advanced follow the seed product exactly (×2 / 30 days / 3 months and ×5 / 60 days
//! / 6 months). Custom and fixed licenses are what the seed product offers organizations that
//! outgrow Advanced, so they get Advanced's grace period and retention.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};

/// A license edition: how the managed-user limit is derived, and the terms that come with it.
///
/// Its text form (`Display`, `FromStr`, serde) is `standard`, `advanced`, `custom:N` (N × the
/// installation site's billable users) or `fixed:N` (N users whatever the site's size).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Edition {
    /// Up to 2 × the installation site's billable users; 30-day grace; 3 months of history.
    Standard,
    /// Up to 5 × the installation site's billable users; 60-day grace; 6 months of history.
    Advanced,
    /// A negotiated multiplier of the installation site's billable users.
    Custom {
        /// Users managed per billable user of the installation site.
        multiplier: u32,
    },
    /// A negotiated limit, independent of the installation site's size.
    Fixed {
        /// How many users of the organization may be managed.
        limit: u64,
    },
}

/// Why a text is not an edition (see [`Edition`] for the accepted forms).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown edition {0:?}: expected standard, advanced, custom:N (multiplier N >= 1) or fixed:N (limit N >= 1)")]
pub struct EditionParseError(String);

impl Edition {
    /// Users managed per billable user of the installation site; `None` for a fixed limit.
    pub fn multiplier(&self) -> Option<u32> {
        match self {
            Self::Standard => Some(2),
            Self::Advanced => Some(5),
            Self::Custom { multiplier } => Some(*multiplier),
            Self::Fixed { .. } => None,
        }
    }

    /// The managed-user limit for an installation site with `install_site_billable_users`
    /// billable users: billable × multiplier (saturating at `u64::MAX`), or the fixed limit.
    pub fn limit(&self, install_site_billable_users: u64) -> u64 {
        match *self {
            Self::Fixed { limit } => limit,
            Self::Standard | Self::Advanced | Self::Custom { .. } => {
                let multiplier = self.multiplier().map_or(0, u64::from);
                install_site_billable_users.saturating_mul(multiplier)
            }
        }
    }

    /// Length of the grace period, in days of 24 hours, once the limit is exceeded.
    pub fn grace_days(&self) -> u32 {
        match self {
            Self::Standard => 30,
            Self::Advanced | Self::Custom { .. } | Self::Fixed { .. } => 60,
        }
    }

    /// How many calendar months of run history (operation and task runs, logs) are kept.
    pub fn retention_months(&self) -> u32 {
        match self {
            Self::Standard => 3,
            Self::Advanced | Self::Custom { .. } | Self::Fixed { .. } => 6,
        }
    }

    /// The oldest instant whose history is still kept at `now`: `now` minus
    /// [`retention_months`](Self::retention_months) calendar months (the day clamped to the
    /// month's end, e.g. 31 May → 28/29 February), or the earliest representable instant.
    pub fn retention_cutoff(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now.checked_sub_months(Months::new(self.retention_months()))
            .unwrap_or(DateTime::<Utc>::MIN_UTC)
    }

    /// Human name for messages: "Standard", "Advanced", "custom (×7)", "fixed-limit".
    pub(crate) fn label(&self) -> String {
        match self {
            Self::Standard => "Standard".to_owned(),
            Self::Advanced => "Advanced".to_owned(),
            Self::Custom { multiplier } => format!("custom (×{multiplier})"),
            Self::Fixed { .. } => "fixed-limit".to_owned(),
        }
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Standard => f.write_str("standard"),
            Self::Advanced => f.write_str("advanced"),
            Self::Custom { multiplier } => write!(f, "custom:{multiplier}"),
            Self::Fixed { limit } => write!(f, "fixed:{limit}"),
        }
    }
}

impl FromStr for Edition {
    type Err = EditionParseError;

    /// Parses the text form, ignoring case and surrounding whitespace. A zero multiplier or
    /// limit is refused: it is a configuration mistake, not a license.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || EditionParseError(s.to_owned());
        let text = s.trim().to_ascii_lowercase();
        let positive = |n: &str| n.trim().parse::<u64>().ok().filter(|n| *n > 0);
        match text.split_once(':') {
            None if text == "standard" => Ok(Self::Standard),
            None if text == "advanced" => Ok(Self::Advanced),
            Some(("custom", n)) => positive(n)
                .and_then(|n| u32::try_from(n).ok())
                .map(|multiplier| Self::Custom { multiplier })
                .ok_or_else(err),
            Some(("fixed", n)) => positive(n)
                .map(|limit| Self::Fixed { limit })
                .ok_or_else(err),
            _ => Err(err()),
        }
    }
}

impl TryFrom<String> for Edition {
    type Error = EditionParseError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Edition> for String {
    fn from(edition: Edition) -> Self {
        edition.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn seed_product_terms() {
        // "If you install on a 100-user Jira site with Standard Edition, you can manage up to 200".
        assert_eq!(Edition::Standard.limit(100), 200);
        assert_eq!(Edition::Advanced.limit(100), 500);
        assert_eq!(
            (
                Edition::Standard.grace_days(),
                Edition::Advanced.grace_days()
            ),
            (30, 60)
        );
        assert_eq!(
            (
                Edition::Standard.retention_months(),
                Edition::Advanced.retention_months()
            ),
            (3, 6)
        );
    }

    #[test]
    fn custom_and_fixed_limits() {
        assert_eq!(Edition::Custom { multiplier: 7 }.limit(100), 700);
        assert_eq!(Edition::Custom { multiplier: 0 }.limit(100), 0);
        assert_eq!(Edition::Fixed { limit: 1234 }.limit(0), 1234);
        assert_eq!(Edition::Fixed { limit: 1234 }.multiplier(), None);
        assert_eq!(Edition::Advanced.limit(u64::MAX), u64::MAX);
        assert_eq!(
            Edition::Custom {
                multiplier: u32::MAX
            }
            .limit(u64::MAX / 2),
            u64::MAX
        );
    }

    #[test]
    fn text_form_round_trips() {
        for edition in [
            Edition::Standard,
            Edition::Advanced,
            Edition::Custom { multiplier: 12 },
            Edition::Fixed { limit: 10_000 },
        ] {
            assert_eq!(edition.to_string().parse::<Edition>(), Ok(edition));
            let json = serde_json::to_string(&edition).unwrap();
            assert_eq!(serde_json::from_str::<Edition>(&json).unwrap(), edition);
        }
        assert_eq!(" Advanced ".parse::<Edition>(), Ok(Edition::Advanced));
        assert_eq!("CUSTOM: 3".parse(), Ok(Edition::Custom { multiplier: 3 }));
        assert_eq!(
            serde_json::to_string(&Edition::Fixed { limit: 9 }).unwrap(),
            "\"fixed:9\""
        );
    }

    #[test]
    fn rejects_unknown_and_zero() {
        for bad in [
            "",
            "premium",
            "custom",
            "custom:0",
            "custom:-1",
            "custom:4294967296",
            "fixed:0",
            "fixed:x",
            "standard:2",
            "x2",
        ] {
            let err = bad.parse::<Edition>().unwrap_err();
            assert!(
                err.to_string().contains("expected standard, advanced"),
                "{bad}"
            );
        }
        assert!(serde_json::from_str::<Edition>("\"premium\"").is_err());
    }

    #[test]
    fn retention_cutoff_uses_calendar_months() {
        let now = Utc.with_ymd_and_hms(2025, 5, 31, 12, 0, 0).unwrap();
        let standard = Utc.with_ymd_and_hms(2025, 2, 28, 12, 0, 0).unwrap();
        let advanced = Utc.with_ymd_and_hms(2024, 11, 30, 12, 0, 0).unwrap();
        assert_eq!(Edition::Standard.retention_cutoff(now), standard);
        assert_eq!(Edition::Advanced.retention_cutoff(now), advanced);
        let min = DateTime::<Utc>::MIN_UTC;
        assert_eq!(Edition::Standard.retention_cutoff(min), min);
    }
}
