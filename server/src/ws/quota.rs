//! How many websockets one credential may hold open at once: a person's account or an
//! access token. Without a cap one credential can hold thousands of sockets, each with
//! its buffers, room membership and access rechecks.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
};

/// Open websockets per credential, up to `limit` each.
#[derive(Debug)]
pub struct SocketQuota {
    limit: usize,
    open: Mutex<HashMap<String, usize>>,
}

/// One open websocket counted against its credential; dropping it releases the place,
/// whichever way the connection ends.
#[derive(Debug)]
pub struct SocketPlace {
    quota: Arc<SocketQuota>,
    key: String,
}

impl SocketQuota {
    /// A quota of `limit` open websockets per credential (at least one).
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            limit: limit.max(1),
            open: Mutex::new(HashMap::new()),
        })
    }

    /// A place for one more websocket of `key`, or `None` when it already holds `limit`.
    pub fn try_take(self: &Arc<Self>, key: String) -> Option<SocketPlace> {
        let mut open = self.lock();
        let count = open.entry(key.clone()).or_insert(0);
        if *count >= self.limit {
            return None;
        }
        *count += 1;
        Some(SocketPlace {
            quota: self.clone(),
            key,
        })
    }

    /// Websockets `key` holds open now.
    pub fn open(&self, key: &str) -> usize {
        self.lock().get(key).copied().unwrap_or(0)
    }

    /// The counts stay right even if a holder panicked: each update is one step.
    fn lock(&self) -> MutexGuard<'_, HashMap<String, usize>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for SocketPlace {
    fn drop(&mut self) {
        let mut open = self.quota.lock();
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
        let quota = SocketQuota::new(2);
        let first = quota.try_take("token:a".into());
        let second = quota.try_take("token:a".into());
        assert!(first.is_some() && second.is_some());
        assert!(quota.try_take("token:a".into()).is_none());
        assert!(
            quota.try_take("user:b".into()).is_some(),
            "another credential has its own places"
        );
        drop(first);
        assert_eq!(quota.open("token:a"), 1);
        let third = quota.try_take("token:a".into());
        assert!(third.is_some());
        drop((second, third));
        assert_eq!(quota.open("token:a"), 0);
        assert!(
            quota.lock().is_empty(),
            "no entry is left for idle credentials"
        );
    }
}
