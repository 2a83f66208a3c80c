//! What one connection may send: messages per second (a token bucket per connection)
//! and the size of a message (enforced by the websocket library, recognised here).

use std::time::Instant;

use crate::quota::TokenBucket;

/// Messages per connection: `rate` a second, bursts of up to `burst`.
pub(super) struct RateLimiter {
    bucket: TokenBucket,
}

impl RateLimiter {
    pub(super) fn new(rate: f64, burst: f64) -> Self {
        Self {
            bucket: TokenBucket::new(rate, burst, Instant::now()),
        }
    }

    pub(super) fn allow(&mut self, now: Instant) -> bool {
        self.bucket.take(now).is_ok()
    }
}

/// Whether a read failed because the message was over the size limit.
pub(super) fn is_too_big(err: axum::Error) -> bool {
    use tokio_tungstenite::tungstenite::{Error, error::CapacityError};
    matches!(
        err.into_inner().downcast_ref::<Error>(),
        Some(Error::Capacity(CapacityError::MessageTooLong { .. }))
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn rate_limiter_allows_bursts_then_the_sustained_rate() {
        let start = Instant::now();
        let mut limiter = RateLimiter {
            bucket: TokenBucket::new(10.0, 5.0, start),
        };
        assert!((0..5).all(|_| limiter.allow(start)));
        assert!(!limiter.allow(start));
        assert!(limiter.allow(start + Duration::from_millis(100)));
        assert!(!limiter.allow(start + Duration::from_millis(100)));
    }
}
