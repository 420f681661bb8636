//! The client-side token bucket, shared by all clones of one client.
//!
//! Implemented as GCRA ("virtual scheduling"): every caller reserves the next free slot under a
//! short lock and sleeps until it, so any number of concurrent callers are paced precisely at
//! the configured rate, first come first served, without polling. A 429 pauses the bucket: no
//! request starts before the pause ends, and afterwards pacing restarts without a burst (the
//! server's own bucket has just been emptied).

use std::time::Duration;

use parking_lot::Mutex;
use tokio::time::Instant;

/// Paces the requests of one client.
#[derive(Debug)]
pub(crate) struct Limiter {
    /// Time between two requests; `None` switches pacing off.
    interval: Option<Duration>,
    /// How far ahead of the theoretical schedule a request may start (burst × interval).
    tolerance: Duration,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Theoretical arrival time of the next request.
    tat: Instant,
    /// No request starts before this instant (set by 429 answers).
    paused_until: Instant,
}

impl Limiter {
    /// A bucket refilling at `per_second` with room for `burst` requests.
    pub(crate) fn new(per_second: f64, burst: u32) -> Self {
        let interval = (per_second.is_finite() && per_second > 0.0)
            .then(|| Duration::from_secs_f64(1.0 / per_second));
        let tolerance = interval.map_or(Duration::ZERO, |i| i * burst.max(1));
        let now = Instant::now();
        Self {
            interval,
            tolerance,
            state: Mutex::new(State {
                tat: now,
                paused_until: now,
            }),
        }
    }

    /// Waits until this caller may send one request.
    pub(crate) async fn acquire(&self) {
        loop {
            let start_at = self.reserve();
            tokio::time::sleep_until(start_at).await;
            // A 429 may have paused the bucket while we slept: take a new slot after the pause.
            if self.state.lock().paused_until <= Instant::now() {
                return;
            }
        }
    }

    /// Waits until a request may start at once without taking a slot that an
    /// [`acquire`](Self::acquire) caller has reserved: background requests only use the rate
    /// that foreground ones leave unused, and never delay them.
    pub(crate) async fn acquire_idle(&self) {
        loop {
            let now = Instant::now();
            let wake = {
                let mut state = self.state.lock();
                if state.tat <= now && state.paused_until <= now {
                    if let Some(interval) = self.interval {
                        state.tat = now + interval;
                    }
                    return;
                }
                state.tat.max(state.paused_until)
            };
            tokio::time::sleep_until(wake).await;
        }
    }

    /// Reserves the next slot and returns when it starts.
    fn reserve(&self) -> Instant {
        let now = Instant::now();
        let mut state = self.state.lock();
        let Some(interval) = self.interval else {
            return state.paused_until.max(now);
        };
        let tat = state.tat.max(now);
        state.tat = tat + interval;
        let earliest = (tat + interval).checked_sub(self.tolerance).unwrap_or(now);
        earliest.max(now).max(state.paused_until)
    }

    /// Stops every request of this client from starting for `wait`.
    pub(crate) fn pause_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut state = self.state.lock();
        if until > state.paused_until {
            state.paused_until = until;
        }
        if let Some(interval) = self.interval {
            // Restart at the steady rate when the pause ends, with no burst.
            let restart = (until + self.tolerance)
                .checked_sub(interval)
                .unwrap_or(until);
            if restart > state.tat {
                state.tat = restart;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn background_requests_wait_for_reserved_slots() {
        let limiter = Limiter::new(100.0, 1);
        let booked: Vec<Instant> = (0..3).map(|_| limiter.reserve()).collect();
        limiter.acquire_idle().await;
        // It started only once no booked foreground slot was ahead of it…
        assert!(Instant::now() >= booked[2]);
        // …and took a slot of its own: the next foreground request comes after it.
        assert!(limiter.reserve() > booked[2]);
    }

    #[tokio::test]
    async fn bursts_then_paces() {
        let limiter = Limiter::new(100.0, 3);
        let start = Instant::now();
        let slots: Vec<Duration> = (0..6).map(|_| limiter.reserve() - start).collect();
        assert!(
            slots[..3].iter().all(|s| *s < Duration::from_millis(5)),
            "{slots:?}"
        );
        // Slots 4..6 follow at 10 ms intervals.
        for (n, slot) in slots[3..].iter().enumerate() {
            let expected = Duration::from_millis(10 * (n as u64 + 1));
            assert!(
                slot.abs_diff(expected) < Duration::from_millis(5),
                "{slots:?}"
            );
        }
    }

    #[tokio::test]
    async fn a_pause_delays_everyone_and_restarts_without_burst() {
        let limiter = Limiter::new(100.0, 5);
        let start = Instant::now();
        limiter.pause_for(Duration::from_millis(200));
        let first = limiter.reserve() - start;
        let second = limiter.reserve() - start;
        assert!(first >= Duration::from_millis(200), "{first:?}");
        assert!(
            second >= first + Duration::from_millis(9),
            "{first:?} {second:?}"
        );
    }

    #[tokio::test]
    async fn no_rate_means_no_pacing() {
        let limiter = Limiter::new(0.0, 1);
        let start = Instant::now();
        for _ in 0..100 {
            assert!(limiter.reserve() - start < Duration::from_millis(5));
        }
    }
}
