//! How many connections one holder may keep open at once: websockets per account or
//! access token, TCP connections per client address. Without a cap one holder can keep
//! thousands of sockets, each with its buffers and tasks.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
};

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
    pub fn open(&self, key: &K) -> usize {
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
