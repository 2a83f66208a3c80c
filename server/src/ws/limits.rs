//! What one connection may send: messages per second (a token bucket per connection)
//! and the size of a message (enforced by the websocket library, recognised here).

use std::time::Instant;

/// A token bucket: `rate` messages per second, bursts of up to `burst`.
pub(super) struct RateLimiter {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    pub(super) fn new(rate: f64, burst: f64) -> Self {
        Self {
            rate,
            burst,
            tokens: burst,
            last: Instant::now(),
        }
    }

    pub(super) fn allow(&mut self, now: Instant) -> bool {
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
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
        let mut limiter = RateLimiter::new(10.0, 5.0);
        limiter.last = start;
        assert!((0..5).all(|_| limiter.allow(start)));
        assert!(!limiter.allow(start));
        assert!(limiter.allow(start + Duration::from_millis(100)));
        assert!(!limiter.allow(start + Duration::from_millis(100)));
    }
}
