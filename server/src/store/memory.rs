//! An in-memory [`Store`] for unit tests, with switches that make it fail or wait.
//!
//! It keeps the contract of the SQL store: a document is a merged state plus the
//! updates after it; a batch is stored whole or not at all (a seq already stored, or
//! repeated in the batch, refuses the whole batch, like the primary key does); a
//! compaction replaces the log up to its seq and never replaces a newer state.
//!
//! For failure paths a test can make appends or loads fail ([`MemoryStore::fail_appends`],
//! [`MemoryStore::fail_loads`]), hold every append until it is released
//! ([`MemoryStore::hold_appends`]), and wait for what the store has seen
//! ([`MemoryStore::wait_until`]) instead of waiting for time.

use std::{
    collections::{BTreeMap, HashMap},
    sync::{
        Mutex,
        atomic::{AtomicBool, Ordering},
    },
};

use async_trait::async_trait;
use tokio::sync::watch;

use super::{Append, Directory, Store, StoreError, StoredDocument};

/// What the store has seen so far, for tests to wait on.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Seen {
    /// Appends waiting for [`Held`] to be released.
    pub held: usize,
    /// Calls to `append`, successful or not (empty batches excluded).
    pub append_calls: usize,
    /// Batches committed, each as its `(document, seq)` pairs in order.
    pub batches: Vec<Vec<(String, i64)>>,
    /// Calls to `load`.
    pub loads: usize,
    /// Compactions stored.
    pub compactions: usize,
}

#[derive(Debug, Default)]
struct Document {
    /// The merged state and the seq it covers.
    state: Option<(i64, Vec<u8>)>,
    updates: BTreeMap<i64, Vec<u8>>,
}

/// Documents in a map, behind one lock: every operation is atomic.
#[derive(Debug)]
pub(crate) struct MemoryStore {
    documents: Mutex<HashMap<String, Document>>,
    fail_appends: AtomicBool,
    fail_loads: AtomicBool,
    closed: AtomicBool,
    /// True while appends are held.
    hold: watch::Sender<bool>,
    seen: watch::Sender<Seen>,
}

/// Holds every append (before it stores anything) until dropped or released.
pub(crate) struct Held<'a> {
    store: &'a MemoryStore,
}

impl Held<'_> {
    pub fn release(self) {}
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.store.hold.send_replace(false);
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryStore {
    pub fn new() -> Self {
        Self {
            documents: Mutex::new(HashMap::new()),
            fail_appends: AtomicBool::new(false),
            fail_loads: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            hold: watch::Sender::new(false),
            seen: watch::Sender::new(Seen::default()),
        }
    }

    /// While true, every append fails (after any hold) and stores nothing.
    pub fn fail_appends(&self, fail: bool) {
        self.fail_appends.store(fail, Ordering::SeqCst);
    }

    /// While true, every load fails.
    pub fn fail_loads(&self, fail: bool) {
        self.fail_loads.store(fail, Ordering::SeqCst);
    }

    /// Holds every append until the returned guard is released or dropped.
    pub fn hold_appends(&self) -> Held<'_> {
        self.hold.send_replace(true);
        Held { store: self }
    }

    /// What the store has seen so far.
    pub fn seen(&self) -> Seen {
        self.seen.borrow().clone()
    }

    /// Waits until what the store has seen satisfies `condition`, and returns it.
    pub async fn wait_until(&self, condition: impl FnMut(&Seen) -> bool) -> Seen {
        let mut seen = self.seen.subscribe();
        seen.wait_for(condition)
            .await
            .expect("the store owns the sender")
            .clone()
    }

    fn failure() -> StoreError {
        // What a database that went away answers.
        StoreError::Database(sqlx::Error::PoolTimedOut)
    }

    fn check_open(&self) -> Result<(), StoreError> {
        if self.closed.load(Ordering::SeqCst) {
            return Err(StoreError::Database(sqlx::Error::PoolClosed));
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Document>> {
        self.documents.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[async_trait]
impl Store for MemoryStore {
    async fn load(&self, document: &str) -> Result<StoredDocument, StoreError> {
        self.check_open()?;
        self.seen.send_modify(|seen| seen.loads += 1);
        if self.fail_loads.load(Ordering::SeqCst) {
            return Err(Self::failure());
        }
        let documents = self.lock();
        let Some(stored) = documents.get(document) else {
            return Ok(StoredDocument::default());
        };
        let state_seq = stored.state.as_ref().map_or(0, |(seq, _)| *seq);
        let updates: Vec<(i64, Vec<u8>)> = stored
            .updates
            .range(state_seq + 1..)
            .map(|(seq, data)| (*seq, data.clone()))
            .collect();
        Ok(StoredDocument {
            state: stored.state.as_ref().map(|(_, data)| data.clone()),
            last_seq: updates.last().map_or(state_seq, |(seq, _)| *seq),
            updates: updates.into_iter().map(|(_, data)| data).collect(),
        })
    }

    async fn append(&self, batch: &[Append]) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        self.check_open()?;
        self.seen.send_modify(|seen| seen.append_calls += 1);
        let mut hold = self.hold.subscribe();
        if *hold.borrow_and_update() {
            self.seen.send_modify(|seen| seen.held += 1);
            let _ = hold.wait_for(|held| !held).await;
            self.seen.send_modify(|seen| seen.held -= 1);
        }
        if self.fail_appends.load(Ordering::SeqCst) {
            return Err(Self::failure());
        }
        let mut documents = self.lock();
        // All or nothing: check every seq before storing any.
        let mut keys: Vec<(&str, i64)> = Vec::with_capacity(batch.len());
        for append in batch {
            let key = (&*append.document, append.seq);
            let stored = documents.get(key.0).is_some_and(|d| {
                d.updates.contains_key(&key.1) || d.state.as_ref().is_some_and(|(s, _)| *s >= key.1)
            });
            if stored || keys.contains(&key) {
                return Err(StoreError::Database(sqlx::Error::Protocol(format!(
                    "duplicate seq {} for {}",
                    key.1, key.0
                ))));
            }
            keys.push(key);
        }
        for append in batch {
            documents
                .entry(append.document.to_string())
                .or_default()
                .updates
                .insert(append.seq, append.data.to_vec());
        }
        drop(documents);
        let committed = keys.iter().map(|(d, s)| (d.to_string(), *s)).collect();
        self.seen.send_modify(|seen| seen.batches.push(committed));
        Ok(())
    }

    async fn compact(&self, document: &str, state: &[u8], upto_seq: i64) -> Result<(), StoreError> {
        self.check_open()?;
        let mut documents = self.lock();
        let stored = documents.entry(document.to_string()).or_default();
        if stored.state.as_ref().is_none_or(|(seq, _)| upto_seq > *seq) {
            stored.state = Some((upto_seq, state.to_vec()));
        }
        stored.updates.retain(|seq, _| *seq > upto_seq);
        drop(documents);
        self.seen.send_modify(|seen| seen.compactions += 1);
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.check_open()?;
        if self.fail_appends.load(Ordering::SeqCst) || self.fail_loads.load(Ordering::SeqCst) {
            return Err(Self::failure());
        }
        Ok(())
    }

    async fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }

    fn backend(&self) -> &'static str {
        "memory"
    }

    /// The in-memory store keeps no directory: this is an empty SQLite database in
    /// memory, without tables, opened on first use. Tests of the directory use a real
    /// store (see the contract tests in the tests crate).
    fn directory(&self) -> Directory {
        Directory::Sqlite(
            sqlx::SqlitePool::connect_lazy("sqlite::memory:")
                .expect("an in-memory SQLite URL is valid"),
        )
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use bytes::Bytes;

    use super::*;

    /// What a test returns: any error fails it with its message.
    type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

    fn append(document: &str, seq: i64, data: &[u8]) -> Append {
        Append {
            document: Arc::from(document),
            seq,
            data: Bytes::copy_from_slice(data),
            edit: None,
            lease: None,
        }
    }

    #[tokio::test]
    async fn appends_load_back_in_seq_order_per_document() -> TestResult {
        let store = MemoryStore::new();
        assert_eq!(store.load("a").await?, StoredDocument::default());
        store
            .append(&[
                append("a", 1, b"a1"),
                append("b", 1, b"b1"),
                append("a", 2, b"a2"),
            ])
            .await?;
        store.append(&[append("a", 3, b"a3")]).await?;
        let a = store.load("a").await?;
        assert_eq!(
            a.updates,
            vec![b"a1".to_vec(), b"a2".to_vec(), b"a3".to_vec()]
        );
        assert_eq!((a.last_seq, a.state), (3, None));
        assert_eq!(store.load("b").await?.last_seq, 1);
        assert_eq!(
            store.seen().batches,
            vec![
                vec![("a".into(), 1), ("b".into(), 1), ("a".into(), 2)],
                vec![("a".into(), 3)]
            ]
        );
        Ok(())
    }

    #[tokio::test]
    async fn a_batch_with_a_stored_or_repeated_seq_stores_nothing() -> TestResult {
        let store = MemoryStore::new();
        store.append(&[append("a", 1, b"a1")]).await?;
        assert!(
            store
                .append(&[append("b", 1, b"b1"), append("a", 1, b"again")])
                .await
                .is_err()
        );
        assert!(
            store
                .append(&[append("c", 1, b"c1"), append("c", 1, b"c1")])
                .await
                .is_err()
        );
        assert!(store.load("b").await?.is_empty());
        assert!(store.load("c").await?.is_empty());
        assert_eq!(store.load("a").await?.updates, vec![b"a1".to_vec()]);
        Ok(())
    }

    #[tokio::test]
    async fn compaction_replaces_the_log_and_never_goes_back() -> TestResult {
        let store = MemoryStore::new();
        let batch: Vec<Append> = (1..=4).map(|seq| append("a", seq, &[seq as u8])).collect();
        store.append(&batch).await?;
        store.compact("a", b"upto3", 3).await?;
        let a = store.load("a").await?;
        assert_eq!(a.state.as_deref(), Some(&b"upto3"[..]));
        assert_eq!((a.updates, a.last_seq), (vec![vec![4]], 4));
        // An older state is ignored.
        store.compact("a", b"upto2", 2).await?;
        assert_eq!(store.load("a").await?.state.as_deref(), Some(&b"upto3"[..]));
        // A seq already covered by the state cannot be appended again.
        assert!(store.append(&[append("a", 2, b"late")]).await.is_err());
        store.compact("a", b"upto4", 4).await?;
        let a = store.load("a").await?;
        assert_eq!(
            (a.state.as_deref(), a.updates.len(), a.last_seq),
            (Some(&b"upto4"[..]), 0, 4)
        );
        assert_eq!(store.seen().compactions, 3);
        Ok(())
    }

    #[tokio::test]
    async fn switches_make_operations_fail_and_holds_wait_for_release() -> TestResult {
        let store = Arc::new(MemoryStore::new());
        store.fail_loads(true);
        assert!(store.load("a").await.is_err());
        assert!(store.ping().await.is_err());
        store.fail_loads(false);
        store.ping().await?;

        store.fail_appends(true);
        assert!(store.append(&[append("a", 1, b"x")]).await.is_err());
        store.fail_appends(false);

        let held = store.hold_appends();
        let task = tokio::spawn({
            let store = store.clone();
            async move { store.append(&[append("a", 1, b"x")]).await }
        });
        store.wait_until(|seen| seen.held == 1).await;
        assert!(
            store.load("a").await?.is_empty(),
            "nothing stored while held"
        );
        held.release();
        task.await??;
        assert_eq!(store.load("a").await?.last_seq, 1);
        let seen = store.seen();
        assert_eq!(
            (seen.held, seen.append_calls, seen.loads),
            (0, 2, 3),
            "{seen:?}"
        );

        store.close().await;
        assert!(store.ping().await.is_err());
        assert!(store.load("a").await.is_err());
        assert_eq!(store.backend(), "memory");
        Ok(())
    }
}
