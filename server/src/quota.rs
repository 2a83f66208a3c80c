//! How much one holder may use at once: connections kept open ([`Quota`]: websockets
//! per account or access token, TCP connections per client address) and how fast it
//! may act ([`TokenBucket`]: messages per connection, sign-in attempts per address).
//! Without a cap one holder can keep thousands of sockets, each with its buffers and
//! tasks, or guess passwords as fast as the server answers.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::{Duration, Instant},
};

/// A token bucket: holds up to `capacity` tokens, refills at `rate` tokens per second,
/// and each event takes one. Bursts of up to `capacity`, then the sustained `rate`.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    rate: f64,
    capacity: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket, as of `now`.
    pub fn new(rate: f64, capacity: f64, now: Instant) -> Self {
        Self {
            rate,
            capacity,
            tokens: capacity,
            last: now,
        }
    }

    /// Takes a token at `now`; `Err` with how long until the next one when empty.
    pub fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.capacity);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - self.tokens) / self.rate;
            Err(Duration::try_from_secs_f64(wait).unwrap_or(Duration::MAX))
        }
    }
}

/// Open connections per key (a credential, an address), up to `limit` each.
#[derive(Debug)]
pub struct Quota<K> {
    limit: usize,
    open: Mutex<HashMap<K, usize>>,
}

/// One open connection counted against its key; dropping it releases the place,
/// whichever way the connection ends.
#[derive(Debug)]
pub struct Place<K: Hash + Eq> {
    quota: Arc<Quota<K>>,
    key: K,
}

impl<K: Hash + Eq + Clone> Quota<K> {
    /// A quota of `limit` open connections per key (at least one).
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            limit: limit.max(1),
            open: Mutex::new(HashMap::new()),
        })
    }

    /// A place for one more connection of `key`, or `None` when it already holds `limit`.
    pub fn try_take(self: &Arc<Self>, key: K) -> Option<Place<K>> {
        let mut open = self.lock();
        let count = open.entry(key.clone()).or_insert(0);
        if *count >= self.limit {
            return None;
        }
        *count += 1;
        Some(Place {
            quota: self.clone(),
            key,
        })
    }

    /// Connections `key` holds open now.
    #[cfg(test)]
    fn open(&self, key: &K) -> usize {
        self.lock().get(key).copied().unwrap_or(0)
    }

    /// The counts stay right even if a holder panicked: each update is one step.
    fn lock(&self) -> MutexGuard<'_, HashMap<K, usize>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<K: Hash + Eq> Drop for Place<K> {
    fn drop(&mut self) {
        let mut open = self
            .quota
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                // Forget idle credentials so the map only holds connected ones.
                open.remove(&self.key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_bucket_allows_a_burst_then_refills_at_its_rate() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(2.0, 3.0, start);
        assert!((0..3).all(|_| bucket.take(start).is_ok()));
        assert_eq!(bucket.take(start), Err(Duration::from_millis(500)));
        let later = start + Duration::from_millis(500);
        assert!(bucket.take(later).is_ok());
        assert!(bucket.take(later).is_err());
        // A long pause refills it to its capacity, no more.
        let much_later = later + Duration::from_secs(60);
        assert!((0..3).all(|_| bucket.take(much_later).is_ok()));
        assert!(bucket.take(much_later).is_err());
        // With no refill, the wait is as long as a wait can be.
        let mut empty = TokenBucket::new(0.0, 1.0, start);
        assert!(empty.take(start).is_ok());
        assert_eq!(empty.take(start), Err(Duration::MAX));
    }

    #[test]
    fn a_credential_gets_at_most_its_limit_and_places_come_back() {
        let quota = Quota::<String>::new(2);
        let first = quota.try_take("token:a".into());
        let second = quota.try_take("token:a".into());
        assert!(first.is_some() && second.is_some());
        assert!(quota.try_take("token:a".into()).is_none());
        assert!(
            quota.try_take("user:b".into()).is_some(),
            "another credential has its own places"
        );
        drop(first);
        assert_eq!(quota.open(&"token:a".to_string()), 1);
        let third = quota.try_take("token:a".into());
        assert!(third.is_some());
        drop((second, third));
        assert_eq!(quota.open(&"token:a".to_string()), 0);
        assert!(
            quota.lock().is_empty(),
            "no entry is left for idle credentials"
        );
    }
}
