//! Several nodes on one PostgreSQL database (docs/cluster.md).
//!
//! Each node heartbeats in the database; each open document has one owner, claimed with
//! an epoch in one atomic statement. The owner's group commit stores a document's
//! updates only while its epoch is current (the fence, see
//! [`Store::append_leased`](crate::store::Store::append_leased)), so a node that lost a
//! document can neither store nor broadcast for it. Other nodes relay their clients'
//! frames to the owner over an internal websocket signed with the cluster's secret.
//!
//! SQLite serves one process: there is no cluster, and [`Cluster::start`] gives `None`.

mod signing;

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use rand::Rng;
use tracing::info;

pub use signing::{ForwardedCaller, SignatureError, Signed};

use crate::{
    metrics::Metrics,
    store::{Claim, ClusterTables, Directory, Lease, StoreError},
};

/// How a node takes part in a cluster.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    /// Where the other nodes reach this one (`http://host:port`).
    pub address: String,
    /// A node whose heartbeat is older than this is taken for dead: its documents may be
    /// claimed by others. It heartbeats four times within it.
    pub owner_timeout: Duration,
}

/// This node's membership of the cluster. Cheap to share.
pub struct Cluster {
    node: Arc<str>,
    address: String,
    tables: ClusterTables,
    secret: signing::Key,
    owner_timeout: Duration,
    metrics: Arc<Metrics>,
    /// When the last heartbeat was recorded (by this node's clock).
    last_heartbeat: Mutex<Instant>,
}

/// What a heartbeat learned.
#[derive(Debug)]
pub struct Heartbeat {
    /// When the question was asked: a room claimed after it is not judged by it.
    pub asked: Instant,
    pub owned: Ownership,
}

/// Which documents this node owns, as far as a heartbeat can tell.
#[derive(Debug)]
pub enum Ownership {
    /// The database's answer: these documents, with their epochs.
    Known(Vec<(String, i64)>),
    /// The database did not answer, but did within the owner timeout: nobody can have
    /// taken anything yet.
    Unknown,
    /// The database has not answered for a whole owner timeout: other nodes may have
    /// taken any document, so none may be served until it answers again.
    Lost,
}

impl Cluster {
    /// Joins the cluster of the PostgreSQL database `directory` is on; `None` on SQLite.
    pub async fn start(
        directory: &Directory,
        config: ClusterConfig,
        metrics: Arc<Metrics>,
    ) -> Result<Option<Arc<Self>>, StoreError> {
        let Directory::Postgres(pool) = directory else {
            return Ok(None);
        };
        let tables = ClusterTables::new(pool.clone());
        let candidate: [u8; 32] = rand::rng().random();
        let secret = tables.secret(&signing::hex(&candidate)).await?;
        let node: Arc<str> = uuid::Uuid::new_v4().to_string().into();
        tables.join(&node, &config.address).await?;
        info!(%node, address = %config.address, timeout_s = config.owner_timeout.as_secs_f64(), "joined the cluster");
        Ok(Some(Arc::new(Self {
            node,
            address: config.address,
            tables,
            secret: signing::Key::new(secret.as_bytes()),
            owner_timeout: config.owner_timeout,
            metrics,
            last_heartbeat: Mutex::new(Instant::now()),
        })))
    }

    /// This node's id (new at every start).
    pub fn node(&self) -> &str {
        &self.node
    }

    /// Where the other nodes reach this one.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// How often to heartbeat.
    pub fn heartbeat_interval(&self) -> Duration {
        self.owner_timeout / 4
    }

    /// Claims `document` for this node if nobody live serves it.
    pub async fn claim(&self, document: &str) -> Result<Claimed, StoreError> {
        match self
            .tables
            .claim(document, &self.node, self.owner_timeout)
            .await?
        {
            Claim::Owned { epoch, took_over } => {
                self.metrics.cluster_claims.inc();
                if took_over {
                    self.metrics.cluster_takeovers.inc();
                    info!(
                        document,
                        epoch, "took over a document from a node that stopped"
                    );
                }
                Ok(Claimed::Owned(Lease {
                    node: self.node.clone(),
                    epoch,
                }))
            }
            Claim::Elsewhere { node, address } => Ok(Claimed::Elsewhere(Owner { node, address })),
        }
    }

    /// Gives `lease`'s document up (its room left memory).
    pub async fn release(&self, document: &str, lease: &Lease) -> Result<(), StoreError> {
        self.tables.release(document, &self.node, lease.epoch).await
    }

    /// Records a heartbeat and reads which documents this node still owns.
    pub async fn heartbeat(&self) -> Heartbeat {
        let asked = Instant::now();
        let beat = async {
            if !self.tables.heartbeat(&self.node).await? {
                // Marked as gone (it took too long to answer and someone cleaned up):
                // join again under the same id, so claims can succeed once more.
                self.tables.join(&self.node, &self.address).await?;
            }
            self.tables.owned_by(&self.node).await
        };
        // A database that stopped answering (a half-open link) must not stall the
        // heartbeat: past the owner timeout nobody may count on what it said before.
        let beat = async {
            tokio::time::timeout(self.owner_timeout, beat)
                .await
                .unwrap_or(Err(StoreError::TimedOut))
        };
        match beat.await {
            Ok(owned) => {
                *self.lock_heartbeat() = asked;
                Heartbeat {
                    asked,
                    owned: Ownership::Known(owned),
                }
            }
            Err(err) => {
                self.metrics.cluster_heartbeat_failures.inc();
                tracing::warn!(error = %err, "could not record the heartbeat");
                let since = self.lock_heartbeat().elapsed();
                let owned = if since < self.owner_timeout {
                    Ownership::Unknown
                } else {
                    Ownership::Lost
                };
                Heartbeat { asked, owned }
            }
        }
    }

    /// True while the last heartbeat is recent enough that no other node may have taken
    /// this node's documents (for the readiness check).
    pub fn is_current(&self) -> bool {
        self.lock_heartbeat().elapsed() < self.owner_timeout
    }

    /// How long a commit may take before its room gives up on it (and on the
    /// document): a link to the database that stopped answering must not hold a room
    /// past the point where another node may take it over.
    pub fn commit_timeout(&self) -> Duration {
        (self.owner_timeout * 2).max(Duration::from_secs(2))
    }

    /// Claims like [`claim`](Self::claim), giving up after the owner timeout.
    pub async fn claim_in_time(&self, document: &str) -> Result<Claimed, StoreError> {
        tokio::time::timeout(self.owner_timeout, self.claim(document))
            .await
            .unwrap_or(Err(StoreError::TimedOut))
    }

    /// Leaves the cluster on a graceful shutdown: releases what is still owned.
    pub async fn leave(&self) -> Result<(), StoreError> {
        self.tables.leave(&self.node).await
    }

    /// Signs what a forwarding node tells the owner about a connection.
    pub fn sign(&self, document: &str, caller: &ForwardedCaller) -> Signed {
        self.secret.sign(&self.node, document, caller)
    }

    /// Checks a forwarded connection's signature and age.
    pub fn verify(
        &self,
        document: &str,
        signed: &Signed,
    ) -> Result<ForwardedCaller, SignatureError> {
        self.secret.verify(document, signed)
    }

    fn lock_heartbeat(&self) -> std::sync::MutexGuard<'_, Instant> {
        self.last_heartbeat
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }
}

/// What a claim came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claimed {
    Owned(Lease),
    Elsewhere(Owner),
}

/// The live node that serves a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub node: String,
    /// `http://host:port`.
    pub address: String,
}
