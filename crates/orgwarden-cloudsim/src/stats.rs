//! Request counters served by `GET /__sim/stats`.

use std::collections::BTreeMap;

use parking_lot::Mutex;
use serde::Serialize;

/// Counters since start or the last reset.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsSnapshot {
    /// Total requests counted (all endpoints, `/__sim` excluded).
    pub total_requests: u64,
    /// Requests per endpoint (`METHOD /route/{pattern}`).
    pub requests: BTreeMap<String, u64>,
    /// Answers per status code.
    pub statuses: BTreeMap<u16, u64>,
    /// 429s served.
    pub rate_limited: u64,
    /// 401s served for unknown or expired keys.
    pub unauthorized: u64,
    /// Faults served per kind (`500`, `502`, `503`, `reset`).
    pub faults: BTreeMap<String, u64>,
    /// Mutations per subject (account or group id) and action.
    pub mutations: BTreeMap<String, BTreeMap<String, u64>>,
}

/// Thread-safe counters.
#[derive(Default)]
pub struct Stats {
    inner: Mutex<StatsSnapshot>,
}

impl Stats {
    /// Counts one answered request.
    pub fn request(&self, endpoint: String, status: u16) {
        let mut s = self.inner.lock();
        s.total_requests += 1;
        *s.requests.entry(endpoint).or_default() += 1;
        *s.statuses.entry(status).or_default() += 1;
        if status == 429 {
            s.rate_limited += 1;
        }
    }

    /// Counts a 401 for a bad key.
    pub fn unauthorized(&self) {
        self.inner.lock().unauthorized += 1;
    }

    /// Counts a served fault (a reset is counted as a request here, since it has no status).
    pub fn fault(&self, kind: &str, endpoint: String) {
        let mut s = self.inner.lock();
        *s.faults.entry(kind.to_string()).or_default() += 1;
        if kind == "reset" {
            s.total_requests += 1;
            *s.requests.entry(endpoint).or_default() += 1;
        }
    }

    /// A copy of the counters.
    pub fn snapshot(&self) -> StatsSnapshot {
        self.inner.lock().clone()
    }

    /// Zeroes every counter.
    pub fn reset(&self) {
        *self.inner.lock() = StatsSnapshot::default();
    }
}
