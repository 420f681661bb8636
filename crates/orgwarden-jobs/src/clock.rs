//! The time jobs act on: the system clock, or in tests a clock they move by hand.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use parking_lot::Mutex;

/// A source of "now". Cloning shares it: moving a manual clock moves every clone.
#[derive(Clone, Default)]
pub struct Clock(Option<Arc<Mutex<DateTime<Utc>>>>);

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            None => f.write_str("Clock(system)"),
            Some(at) => write!(f, "Clock(manual {})", at.lock()),
        }
    }
}

impl Clock {
    /// The system clock (the default).
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock that stands at `at` until moved (tests).
    pub fn manual(at: DateTime<Utc>) -> Self {
        Self(Some(Arc::new(Mutex::new(at))))
    }

    /// The current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.0.as_ref().map_or_else(Utc::now, |at| *at.lock())
    }

    /// Moves a manual clock forward by `by` (no effect on the system clock).
    pub fn advance(&self, by: Duration) {
        if let Some(at) = &self.0 {
            let mut at = at.lock();
            *at += by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_clones_share_it() {
        let start = DateTime::<Utc>::UNIX_EPOCH;
        let clock = Clock::manual(start);
        let clone = clock.clone();
        assert_eq!(clock.now(), start);
        clone.advance(Duration::days(2));
        assert_eq!(clock.now(), start + Duration::days(2));
        assert!(Clock::system().now() > start);
    }
}
