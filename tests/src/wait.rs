//! Waiting for a condition, never for a length of time.

use std::{
    future::Future,
    time::{Duration, Instant},
};

use anyhow::Result;

/// How long [`poll_until`] pauses between tries.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// Runs `attempt` until it succeeds and returns its value. Between tries it pauses
/// briefly; once `timeout` has passed it gives up with the last try's error. The deadline
/// is the only time bound, so make it generous: on a fast machine the first success ends
/// the wait, and on a slow one the wait simply lasts longer.
///
/// For a condition, fail the try while the condition does not hold (`anyhow::ensure!`),
/// saying what was seen instead.
pub async fn poll_until<T, F, Fut>(what: &str, timeout: Duration, mut attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(err) if Instant::now() >= deadline => {
                return Err(err.context(format!("timed out after {timeout:?} waiting for {what}")));
            }
            Err(_) => tokio::time::sleep(POLL_INTERVAL).await,
        }
    }
}
