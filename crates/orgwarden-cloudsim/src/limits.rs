//! Injected latency, faults and the per-key token-bucket rate limiter.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use parking_lot::Mutex;
use rand::Rng;
use serde::{Deserialize, Serialize};

/// A fault the simulator can serve instead of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FaultKind {
    /// 500 Internal Server Error.
    #[serde(rename = "500")]
    E500,
    /// 502 Bad Gateway.
    #[serde(rename = "502")]
    E502,
    /// 503 Service Unavailable.
    #[serde(rename = "503")]
    E503,
    /// The connection is dropped without an answer.
    #[serde(rename = "reset")]
    Reset,
}

impl FaultKind {
    /// Stats key.
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::E500 => "500",
            FaultKind::E502 => "502",
            FaultKind::E503 => "503",
            FaultKind::Reset => "reset",
        }
    }
}

/// Latency, rate limit and fault settings (the body of `POST /__sim/faults`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultSettings {
    /// Added latency per API request, in milliseconds.
    pub latency_ms: u64,
    /// Requests per second per API key; `None` or 0 = unlimited.
    pub rate_limit: Option<f64>,
    /// Bucket capacity (default: the rate, at least 1).
    pub burst: Option<u32>,
    /// Share (0–1) of API requests answered with a random fault.
    pub fault_rate: f64,
    /// Faults served to the next API requests, in order, before any random one.
    #[serde(default)]
    pub fail_next: VecDeque<FaultKind>,
}

/// A partial update of [`FaultSettings`]; absent fields are kept (`rateLimit: 0` turns limiting off).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultUpdate {
    latency_ms: Option<u64>,
    rate_limit: Option<f64>,
    burst: Option<u32>,
    fault_rate: Option<f64>,
    fail_next: Option<Vec<FaultKind>>,
}

/// Outcome of asking the limiter for one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RateDecision {
    /// No limit configured.
    Unlimited,
    /// Allowed; header values.
    Allowed {
        /// `X-RateLimit-Limit`.
        limit: u32,
        /// `X-RateLimit-Remaining`.
        remaining: u32,
        /// `X-RateLimit-Reset`.
        reset: DateTime<Utc>,
    },
    /// Over the limit.
    Limited {
        /// `X-RateLimit-Limit`.
        limit: u32,
        /// `X-RateLimit-Reset`.
        reset: DateTime<Utc>,
        /// `Retry-After` seconds.
        retry_after: u64,
    },
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Shared limiter and fault injector.
pub struct Limits {
    settings: Mutex<FaultSettings>,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Limits {
    /// Starts with the given settings.
    pub fn new(settings: FaultSettings) -> Limits {
        Limits {
            settings: Mutex::new(settings),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Current settings.
    pub fn settings(&self) -> FaultSettings {
        self.settings.lock().clone()
    }

    /// Applies a partial update; buckets restart full when the rate or burst changes.
    pub fn update(&self, update: FaultUpdate) -> FaultSettings {
        let mut s = self.settings.lock();
        if let Some(v) = update.latency_ms {
            s.latency_ms = v;
        }
        if update.rate_limit.is_some() || update.burst.is_some() {
            if let Some(r) = update.rate_limit {
                s.rate_limit = (r > 0.0).then_some(r);
            }
            if update.burst.is_some() {
                s.burst = update.burst.filter(|b| *b > 0);
            }
            self.buckets.lock().clear();
        }
        if let Some(v) = update.fault_rate {
            s.fault_rate = v.clamp(0.0, 1.0);
        }
        if let Some(v) = update.fail_next {
            s.fail_next = v.into();
        }
        s.clone()
    }

    /// Replaces all settings.
    pub fn replace(&self, settings: FaultSettings) {
        *self.settings.lock() = settings;
        self.buckets.lock().clear();
    }

    /// Latency to add before answering.
    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.settings.lock().latency_ms)
    }

    /// The fault to serve for this request, if any.
    pub fn pick_fault(&self) -> Option<FaultKind> {
        let mut s = self.settings.lock();
        if let Some(f) = s.fail_next.pop_front() {
            return Some(f);
        }
        if s.fault_rate <= 0.0 {
            return None;
        }
        let mut rng = rand::thread_rng();
        if !rng.gen_bool(s.fault_rate.clamp(0.0, 1.0)) {
            return None;
        }
        const KINDS: [FaultKind; 4] = [
            FaultKind::E500,
            FaultKind::E502,
            FaultKind::E503,
            FaultKind::Reset,
        ];
        Some(KINDS[rng.gen_range(0..KINDS.len())])
    }

    /// Takes one token from the key's bucket.
    pub fn admit(&self, key: &str) -> RateDecision {
        let (rate, burst) = {
            let s = self.settings.lock();
            match s.rate_limit {
                Some(r) if r > 0.0 => (r, s.burst.unwrap_or_else(|| (r.ceil() as u32).max(1))),
                _ => return RateDecision::Unlimited,
            }
        };
        let cap = f64::from(burst);
        let now = Instant::now();
        let mut buckets = self.buckets.lock();
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: cap,
            last: now,
        });
        let elapsed = now.duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(cap);
        bucket.last = now;
        let wall = Utc::now();
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            let full_in = (cap - bucket.tokens) / rate;
            RateDecision::Allowed {
                limit: burst,
                remaining: bucket.tokens.floor() as u32,
                reset: wall + chrono::Duration::milliseconds((full_in * 1000.0).ceil() as i64),
            }
        } else {
            let wait = (1.0 - bucket.tokens) / rate;
            RateDecision::Limited {
                limit: burst,
                reset: wall + chrono::Duration::milliseconds((wait * 1000.0).ceil() as i64),
                retry_after: (wait.ceil() as u64).max(1),
            }
        }
    }
}
