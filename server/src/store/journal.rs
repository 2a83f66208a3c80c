//! Group commit: one task writes every room's updates, batching the appends that
//! arrive together (from one room or many) into a single transaction.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use tokio::sync::{mpsc, oneshot};

use super::{Append, Store, StoreError};
use crate::metrics::Metrics;

/// Most append requests folded into one transaction.
const MAX_REQUESTS_PER_COMMIT: usize = 256;
/// Requests waiting for the writer before senders feel back-pressure.
const QUEUE_DEPTH: usize = 1024;

type Reply = Result<(), Arc<StoreError>>;

struct Request {
    items: Vec<Append>,
    reply: oneshot::Sender<Reply>,
}

/// A cheap handle to the group-commit writer.
///
/// The writer stops once every handle is dropped and the queue is empty, so waiting on
/// the tracker after all rooms have stopped waits for the last commit.
#[derive(Clone)]
pub struct Journal {
    tx: mpsc::Sender<Request>,
}

impl Journal {
    /// Starts the writer.
    pub fn spawn(store: Arc<dyn Store>, metrics: Arc<Metrics>) -> Self {
        Self::spawn_limited(store, metrics, None)
    }

    /// Starts the writer; a commit that takes longer than `limit` is abandoned and
    /// answered as failed (its outcome unknown, so nothing of it is broadcast and its
    /// rooms reload from the database).
    pub fn spawn_limited(
        store: Arc<dyn Store>,
        metrics: Arc<Metrics>,
        limit: Option<Duration>,
    ) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE_DEPTH);
        tokio::spawn(run(store, metrics, rx, limit));
        Self { tx }
    }

    /// Appends `items` durably; returns once they are committed (or the commit failed).
    pub async fn append(&self, items: Vec<Append>) -> Result<(), Arc<StoreError>> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Request { items, reply })
            .await
            .map_err(|_| Arc::new(StoreError::Closed))?;
        answer.await.map_err(|_| Arc::new(StoreError::Closed))?
    }
}

async fn run(
    store: Arc<dyn Store>,
    metrics: Arc<Metrics>,
    mut rx: mpsc::Receiver<Request>,
    limit: Option<Duration>,
) {
    let mut requests: Vec<Request> = Vec::with_capacity(MAX_REQUESTS_PER_COMMIT);
    let mut items = Vec::new();
    let mut documents = Vec::new();
    while rx.recv_many(&mut requests, MAX_REQUESTS_PER_COMMIT).await > 0 {
        items.clear();
        // Each request is one room's, so one document's: what a fence refusal answers.
        documents.clear();
        for request in &mut requests {
            documents.push(request.items.first().map(|i| i.document.clone()));
            items.append(&mut request.items);
        }
        let started = Instant::now();
        let commit = store.append_leased(&items);
        let result = match limit {
            Some(limit) => tokio::time::timeout(limit, commit)
                .await
                .unwrap_or(Err(StoreError::TimedOut)),
            None => commit.await,
        }
        .map_err(Arc::new);
        metrics
            .store_append_seconds
            .observe(started.elapsed().as_secs_f64());
        match &result {
            Ok(refused) => {
                metrics.store_appended_updates.inc_by(items.len() as u64);
                metrics.cluster_fenced.inc_by(refused.len() as u64);
            }
            Err(err) => {
                metrics.store_append_failures.inc();
                tracing::error!(error = %err, updates = items.len(), "appending updates failed");
            }
        }
        for (request, document) in requests.drain(..).zip(documents.iter()) {
            let answer = match &result {
                Ok(refused) if document.as_ref().is_some_and(|d| refused.contains(d)) => {
                    Err(Arc::new(StoreError::Fenced))
                }
                Ok(_) => Ok(()),
                Err(err) => Err(err.clone()),
            };
            // A room that gave up waiting has nothing left to tell.
            let _ = request.reply.send(answer);
        }
    }
    tracing::debug!("journal writer stopped");
}
