//! The one trait a background job implements.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// A unit of background work.
///
/// A job carries ids only, never data, and must be idempotent: its progress lives in our own
/// tables, so a retried or re-enqueued job resumes instead of repeating. `Clone` is cheap for an
/// ids-only value and lets the queue retry a failed run in-process; apalis needs `Unpin`.
#[async_trait::async_trait]
pub trait Job: Clone + Unpin + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The queue name, e.g. `"sync"`; stable across releases (queued rows refer to it).
    const NAME: &'static str;
    /// Shared state the handler needs (database pool, HTTP client…), cloned per run.
    type Context: Clone + Send + Sync + 'static;
    /// Does the work. An error is logged and retried; so is a panic.
    async fn run(self, ctx: Self::Context) -> anyhow::Result<()>;
}
