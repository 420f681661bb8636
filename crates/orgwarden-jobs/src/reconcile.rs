//! A tiny periodic loop for reconcilers: code that re-enqueues work our tables record as queued
//! or running but that has no live job (a crash between commit and enqueue, or a dead worker
//! whose lease expired).

use std::future::Future;
use std::time::Duration;

use tokio::time::MissedTickBehavior;

/// Calls `tick` now and then every `period`, forever; an error is logged and the loop goes on
/// (a successful tick's value, e.g. a count of re-enqueued rows, is ignored). Stop it by dropping
/// the future (e.g. in `tokio::select!` with the shutdown signal).
pub async fn every<F, Fut, T>(period: Duration, mut tick: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<T>>,
{
    let mut interval = tokio::time::interval(period.max(Duration::from_millis(1)));
    interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        if let Err(error) = tick().await {
            tracing::warn!(error = format!("{error:#}"), "periodic reconciler failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn keeps_ticking_after_an_error() {
        let ticks = Arc::new(AtomicU32::new(0));
        let counter = ticks.clone();
        let reconciler = every(Duration::from_millis(5), move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                anyhow::ensure!(n != 0, "first tick fails");
                Ok(())
            }
        });
        let enough = async {
            while ticks.load(Ordering::SeqCst) < 3 {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        };
        tokio::select! {
            () = reconciler => unreachable!("every never returns"),
            () = enough => {}
        }
    }
}
