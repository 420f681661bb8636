//! What the Automation receiver holds: the configured webhook paths and the requests that arrived
//! (the newest 10,000).

use std::collections::HashMap;

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

/// Most requests kept (the oldest are dropped).
const KEEP: usize = 10_000;

/// How one incoming webhook path answers.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HookConfig {
    /// The path after `/automation/webhooks/`.
    pub path: String,
    /// The token the request must carry (absent: any request is accepted).
    #[serde(default)]
    pub token: Option<String>,
    /// The answer's status (default 200).
    #[serde(default)]
    pub status: Option<u16>,
    /// Milliseconds to wait before answering.
    #[serde(default)]
    pub delay_ms: Option<u64>,
}

/// A request the receiver got.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Received {
    /// The path after `/automation/webhooks/`.
    pub path: String,
    /// When it arrived (RFC 3339).
    pub received_at: String,
    /// The token was right (or none was configured).
    pub accepted: bool,
    /// The status answered.
    pub status: u16,
    /// Headers, lower-case names.
    pub headers: HashMap<String, String>,
    /// The body as received.
    pub body: String,
}

/// The receiver's state.
#[derive(Debug, Default)]
pub struct Receiver {
    hooks: Mutex<HashMap<String, HookConfig>>,
    received: Mutex<Vec<Received>>,
}

impl Receiver {
    /// Configures a path (given without its surrounding slashes), replacing what it had.
    pub fn set_hook(&self, path: String, hook: HookConfig) {
        self.hooks.lock().insert(path, hook);
    }

    /// How `path` answers (the defaults when it was never configured).
    pub fn hook(&self, path: &str) -> HookConfig {
        self.hooks.lock().get(path).cloned().unwrap_or_default()
    }

    /// Records a request, dropping the oldest past `KEEP`.
    pub fn record(&self, request: Received) {
        let mut received = self.received.lock();
        if received.len() >= KEEP {
            received.remove(0);
        }
        received.push(request);
    }

    /// The requests that arrived, oldest first, those for `path` only when given.
    pub fn deliveries(&self, path: Option<&str>) -> Vec<Received> {
        self.received
            .lock()
            .iter()
            .filter(|r| path.is_none_or(|p| p.trim_matches('/') == r.path))
            .cloned()
            .collect()
    }
}
