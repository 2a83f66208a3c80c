//! The group-commit journal, on the in-memory store: appends submitted together share
//! one store batch, a failed batch fails every waiter, and a caller that gives up
//! waiting neither loses nor duplicates anyone else's appends.

use std::{pin::pin, sync::Arc};

use bytes::Bytes;
use futures_util::poll;

use super::{Append, Journal, Store, memory::MemoryStore};
use crate::metrics::Metrics;

/// What a test returns: any error fails it with its message.
type Result<T = (), E = Box<dyn std::error::Error + Send + Sync>> = std::result::Result<T, E>;

fn append(document: &str, seq: i64) -> Append {
    Append {
        document: Arc::from(document),
        seq,
        data: Bytes::from(format!("{document}#{seq}")),
        edit: None,
        lease: None,
    }
}

fn journal() -> (Arc<MemoryStore>, Journal) {
    let store = Arc::new(MemoryStore::new());
    let journal = Journal::spawn(store.clone(), Arc::new(Metrics::new()));
    (store, journal)
}

/// Starts an append that the writer takes into its own batch, which the held store
/// then keeps waiting: the appends submitted after it queue up together.
async fn occupy_the_writer(
    store: &Arc<MemoryStore>,
    journal: &Journal,
) -> tokio::task::JoinHandle<Result<(), Arc<super::StoreError>>> {
    let journal = journal.clone();
    let first = tokio::spawn(async move { journal.append(vec![append("first", 1)]).await });
    store.wait_until(|seen| seen.held == 1).await;
    first
}

fn keys(document: &str, seqs: &[i64]) -> Vec<(String, i64)> {
    seqs.iter()
        .map(|seq| (document.to_string(), *seq))
        .collect()
}

#[tokio::test]
async fn appends_submitted_together_are_committed_in_one_batch() -> Result<()> {
    let (store, journal) = journal();
    let held = store.hold_appends();
    let first = occupy_the_writer(&store, &journal).await;

    // Three rooms' appends queue while the writer is busy.
    let mut a = pin!(journal.append(vec![append("a", 1), append("a", 2)]));
    let mut b = pin!(journal.append(vec![append("b", 1)]));
    let mut c = pin!(journal.append(vec![append("c", 1)]));
    assert!(poll!(a.as_mut()).is_pending());
    assert!(poll!(b.as_mut()).is_pending());
    assert!(poll!(c.as_mut()).is_pending());

    held.release();
    first.await??;
    let (a, b, c) = tokio::join!(a, b, c);
    a?;
    b?;
    c?;
    let seen = store.seen();
    assert_eq!(seen.append_calls, 2, "{seen:?}");
    assert_eq!(
        seen.batches,
        vec![
            keys("first", &[1]),
            [keys("a", &[1, 2]), keys("b", &[1]), keys("c", &[1])].concat(),
        ]
    );
    assert_eq!(
        store.load("a").await?.updates,
        vec![b"a#1".to_vec(), b"a#2".to_vec()]
    );
    Ok(())
}

#[tokio::test]
async fn a_failed_batch_fails_every_waiter_and_the_journal_carries_on() -> Result<()> {
    let (store, journal) = journal();
    let held = store.hold_appends();
    let first = occupy_the_writer(&store, &journal).await;
    let mut a = pin!(journal.append(vec![append("a", 1)]));
    let mut b = pin!(journal.append(vec![append("b", 1), append("b", 2)]));
    assert!(poll!(a.as_mut()).is_pending());
    assert!(poll!(b.as_mut()).is_pending());

    store.fail_appends(true);
    held.release();
    assert!(first.await?.is_err());
    let (a, b) = tokio::join!(a, b);
    assert!(a.is_err(), "{a:?}");
    assert!(b.is_err(), "{b:?}");
    let seen = store.seen();
    assert_eq!((seen.append_calls, seen.batches.len()), (2, 0), "{seen:?}");
    for document in ["first", "a", "b"] {
        assert!(
            store.load(document).await?.is_empty(),
            "{document} was stored"
        );
    }

    // The writer is still there once the database is back.
    store.fail_appends(false);
    journal.append(vec![append("a", 1)]).await?;
    assert_eq!(store.load("a").await?.last_seq, 1);
    Ok(())
}

#[tokio::test]
async fn a_caller_that_stops_waiting_loses_or_duplicates_nothing_of_others() -> Result<()> {
    let (store, journal) = journal();
    let held = store.hold_appends();
    let first = occupy_the_writer(&store, &journal).await;

    let mut a = pin!(journal.append(vec![append("a", 1)]));
    assert!(poll!(a.as_mut()).is_pending());
    {
        // Queued, then abandoned before its commit.
        let mut gone = pin!(journal.append(vec![append("gone", 1)]));
        assert!(poll!(gone.as_mut()).is_pending());
    }
    let mut c = pin!(journal.append(vec![append("c", 1)]));
    assert!(poll!(c.as_mut()).is_pending());
    // The caller of the batch being written stops waiting too.
    first.abort();
    assert!(first.await.is_err_and(|e| e.is_cancelled()));

    held.release();
    let (a, c) = tokio::join!(a, c);
    a?;
    c?;
    // Everything submitted is stored exactly once: the abandoned requests were already
    // with the writer, and a batch is all or nothing.
    let seen = store.seen();
    assert_eq!(
        seen.batches,
        vec![
            keys("first", &[1]),
            [keys("a", &[1]), keys("gone", &[1]), keys("c", &[1])].concat(),
        ]
    );
    for document in ["first", "a", "gone", "c"] {
        let stored = store.load(document).await?;
        assert_eq!(
            (stored.updates.len(), stored.last_seq),
            (1, 1),
            "{document}"
        );
    }
    // And the journal goes on serving.
    journal.append(vec![append("a", 2)]).await?;
    assert_eq!(store.load("a").await?.last_seq, 2);
    Ok(())
}

#[tokio::test]
async fn an_append_after_the_writer_is_gone_reports_the_store_closed() -> Result<()> {
    // A journal whose writer stopped (its runtime ended) answers Closed, not a hang.
    let store = Arc::new(MemoryStore::new());
    let journal = std::thread::spawn({
        let store = store.clone();
        move || -> Result<Journal> {
            let runtime = tokio::runtime::Builder::new_current_thread().build()?;
            Ok(runtime.block_on(async { Journal::spawn(store, Arc::new(Metrics::new())) }))
        }
    })
    .join()
    .map_err(|_| "the runtime thread panicked")??;
    let err = journal
        .append(vec![append("a", 1)])
        .await
        .expect_err("the writer is gone");
    assert!(matches!(*err, super::StoreError::Closed), "{err}");
    assert!(store.load("a").await?.is_empty());
    Ok(())
}
