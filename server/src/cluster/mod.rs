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
mod tls;

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use rand::Rng;
use tracing::info;

pub use signing::{ForwardedCaller, SignatureError, Signed, sign_with_secret};
pub use tls::{ClusterTls, ThroughClusterListener, TlsError};

use crate::{
    access::changes::{AccessChange, AccessChanges},
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
    /// The address is the one this node just bound (no `--advertise`): a node still on
    /// record there must have stopped.
    pub holds_address: bool,
    /// Mutual TLS between nodes, when configured.
    pub tls: Option<ClusterTls>,
}

/// Why a node could not join its cluster.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "in a cluster the other nodes must reach this one: {0} is not an address they can use; \
         give --advertise http://HOST:PORT (or --listen on a specific address)"
    )]
    Address(String),
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
    /// True while the node has been out of touch with the database for a whole owner
    /// timeout: a room waiting for a commit then gives up on its board at once.
    lost: tokio::sync::watch::Sender<bool>,
    /// Signatures of relayed connections already accepted.
    used: Mutex<signing::Used>,
    /// Mutual TLS between nodes, when configured.
    tls: Option<ClusterTls>,
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
    ) -> Result<Option<Arc<Self>>, ClusterError> {
        let Directory::Postgres(pool) = directory else {
            return Ok(None);
        };
        let host = config
            .address
            .split("://")
            .nth(1)
            .unwrap_or_default()
            .rsplit_once(':')
            .map_or("", |(host, _)| host);
        if matches!(host, "" | "0.0.0.0" | "[::]") {
            return Err(ClusterError::Address(config.address));
        }
        let tables = ClusterTables::new(pool.clone());
        let candidate: [u8; 32] = rand::rng().random();
        let secret = tables.secret(&signing::hex(&candidate)).await?;
        let node: Arc<str> = uuid::Uuid::new_v4().to_string().into();
        tables
            .join(&node, &config.address, config.holds_address)
            .await?;
        info!(%node, address = %config.address, timeout_s = config.owner_timeout.as_secs_f64(), "joined the cluster");
        Ok(Some(Arc::new(Self {
            node,
            address: config.address,
            tables,
            secret: signing::Key::new(secret.as_bytes()),
            owner_timeout: config.owner_timeout,
            metrics,
            last_heartbeat: Mutex::new(Instant::now()),
            lost: tokio::sync::watch::Sender::new(false),
            used: Mutex::default(),
            tls: config.tls,
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

    /// The cluster listener's TLS settings, with mutual TLS.
    pub fn tls_server(&self) -> Option<Arc<rustls::ServerConfig>> {
        self.tls.as_ref().map(|tls| tls.server.clone())
    }

    /// True when nodes talk over mutual TLS: relayed connections are accepted only on
    /// the cluster's own listener.
    pub fn requires_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Opens a connection to another node at `address` (`http://host:port`, or with
    /// mutual TLS `https://host:port`, presenting this node's certificate).
    pub async fn connect_to(&self, address: &str) -> std::io::Result<Box<dyn NodeIo>> {
        let refuse =
            |why: &str| std::io::Error::new(std::io::ErrorKind::InvalidInput, why.to_string());
        let (secure, authority) = match address.split_once("://") {
            Some(("http", rest)) => (false, rest),
            Some(("https", rest)) => (true, rest),
            _ => {
                return Err(refuse(
                    "a node address is http://HOST:PORT or https://HOST:PORT",
                ));
            }
        };
        let authority = authority.trim_end_matches('/');
        let tcp = tokio::net::TcpStream::connect(authority).await?;
        tcp.set_nodelay(true)?;
        match (secure, &self.tls) {
            (false, None) => Ok(Box::new(tcp)),
            (true, Some(tls)) => {
                let host = authority
                    .rsplit_once(':')
                    .map_or(authority, |(host, _)| host)
                    .trim_start_matches('[')
                    .trim_end_matches(']');
                let name = rustls_pki_types::ServerName::try_from(host.to_string())
                    .map_err(|_| refuse("the node's host is not a name or an address"))?;
                let connector = tokio_rustls::TlsConnector::from(tls.client.clone());
                Ok(Box::new(connector.connect(name, tcp).await?))
            }
            (true, None) => Err(refuse(
                "this node has no TLS settings to reach an https:// node",
            )),
            (false, Some(_)) => Err(refuse(
                "nodes talk over TLS here; the address is not https://",
            )),
        }
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
                self.tables.join(&self.node, &self.address, false).await?;
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
                self.lost
                    .send_if_modified(|lost| std::mem::replace(lost, false));
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
                    self.lost
                        .send_if_modified(|lost| !std::mem::replace(lost, true));
                    Ownership::Lost
                };
                Heartbeat { asked, owned }
            }
        }
    }

    /// Resolves once the node has been out of touch with the database for a whole owner
    /// timeout (at once if it is now).
    pub async fn lost(&self) {
        let mut lost = self.lost.subscribe();
        let _ = lost.wait_for(|lost| *lost).await;
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
        // Long enough that a slow but healthy database (a checkpoint) is waited for.
        (self.owner_timeout * 4).max(Duration::from_secs(10))
    }

    /// Claims like [`claim`](Self::claim), giving up after the owner timeout.
    pub async fn claim_in_time(&self, document: &str) -> Result<Claimed, StoreError> {
        tokio::time::timeout(self.owner_timeout, self.claim(document))
            .await
            .unwrap_or(Err(StoreError::TimedOut))
    }

    /// Carries access changes between the nodes until `stop`: those made here go out
    /// (`pg_notify`), those made elsewhere reach this node's connections. When this node
    /// may have missed some (its listening connection broke), every connection here
    /// checks its access again.
    pub async fn relay_access_changes(
        self: Arc<Self>,
        changes: AccessChanges,
        stop: tokio_util::sync::CancellationToken,
    ) {
        let Some(mut outward) = changes.outward() else {
            return;
        };
        let sending = {
            let cluster = self.clone();
            async move {
                while let Some(change) = outward.recv().await {
                    let payload = format!("{}|{}", cluster.node, encode_change(&change));
                    if let Err(err) = cluster.tables.notify(ACCESS_CHANNEL, &payload).await {
                        tracing::warn!(error = %err, "could not tell the other nodes of an access change");
                    }
                }
            }
        };
        let hearing = async {
            loop {
                let mut listener = match self.tables.listen(ACCESS_CHANNEL).await {
                    Ok(listener) => listener,
                    Err(err) => {
                        tracing::warn!(error = %err, "cannot hear the other nodes' access changes; trying again");
                        tokio::time::sleep(self.owner_timeout).await;
                        continue;
                    }
                };
                // Whatever was said while this node was not listening is lost.
                changes.deliver(AccessChange::Everyone);
                loop {
                    match listener.try_recv().await {
                        Ok(Some(note)) => {
                            let Some((node, change)) = note.payload().split_once('|') else {
                                continue;
                            };
                            if node != &*self.node
                                && let Some(change) = decode_change(change)
                            {
                                changes.deliver(change);
                            }
                        }
                        // The connection was lost and is listening again.
                        Ok(None) => changes.deliver(AccessChange::Everyone),
                        Err(_) => break,
                    }
                }
            }
        };
        tokio::select! {
            _ = stop.cancelled() => {}
            _ = sending => {}
            _ = hearing => {}
        }
    }

    /// Leaves the cluster on a graceful shutdown: releases what is still owned.
    pub async fn leave(&self) -> Result<(), StoreError> {
        self.tables.leave(&self.node).await
    }

    /// Signs what a forwarding node tells `owner` about a connection.
    pub fn sign(&self, owner: &Owner, document: &str, caller: &ForwardedCaller) -> Signed {
        self.secret.sign(&self.node, &owner.node, document, caller)
    }

    /// Checks a forwarded connection's signature, its age, and that it was not used
    /// before.
    pub fn verify(
        &self,
        document: &str,
        signed: &Signed,
    ) -> Result<ForwardedCaller, SignatureError> {
        let caller = self.secret.verify(&self.node, document, signed)?;
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        if !used.first_use(signed) {
            return Err(SignatureError::Replayed);
        }
        Ok(caller)
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

/// A connection to another node, over TLS or not.
pub trait NodeIo: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send {}

impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send> NodeIo for T {}

/// The live node that serves a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub node: String,
    /// `http://host:port`.
    pub address: String,
}

/// The channel access changes travel on between nodes.
const ACCESS_CHANNEL: &str = "board_access_changes";

fn encode_change(change: &AccessChange) -> String {
    match change {
        AccessChange::Review(id) => format!("review:{id}"),
        AccessChange::User(id) => format!("user:{id}"),
        AccessChange::Token(id) => format!("token:{id}"),
        AccessChange::Everyone => "everyone:".to_string(),
    }
}

fn decode_change(text: &str) -> Option<AccessChange> {
    let (kind, id) = text.split_once(':')?;
    let id = id.to_string();
    match kind {
        "review" => Some(AccessChange::Review(id)),
        "user" => Some(AccessChange::User(id)),
        "token" => Some(AccessChange::Token(id)),
        "everyone" => Some(AccessChange::Everyone),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_changes_survive_the_trip_between_nodes() {
        for change in [
            AccessChange::Review("r-1".into()),
            AccessChange::User("u:2".into()),
            AccessChange::Token("t3".into()),
            AccessChange::Everyone,
        ] {
            assert_eq!(decode_change(&encode_change(&change)), Some(change));
        }
        assert_eq!(decode_change("nonsense"), None);
        assert_eq!(decode_change("admin:x"), None);
    }
}
