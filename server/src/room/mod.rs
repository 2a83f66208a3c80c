//! Rooms: one actor per open document.
//!
//! The actor ([`actor`]) owns the document's `yrs::Doc` and its presence table; nothing
//! else touches them, so they need no lock. Connections talk to it through a bounded
//! inbox and receive frames through their own bounded outbox. [`Rooms`] maps document
//! names to running actors; it is locked only briefly and never across an `.await`.
//!
//! This module speaks the y-websocket protocol but knows nothing of HTTP or SQL: it
//! stores through [`Journal`](crate::store::Journal) and [`Store`](crate::store::Store).

mod actor;
pub mod guard;
mod presence;
pub mod protocol;
#[cfg(test)]
mod tests;

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, OnceLock,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use bytes::Bytes;
use tokio::sync::{mpsc, oneshot};
use tokio_util::{sync::CancellationToken, task::TaskTracker};

use crate::{
    access::Author,
    audit::AuditEvent,
    board::{
        Board,
        bin::{Binned, PutBackError},
    },
    cluster::{Cluster, Heartbeat, Owner, Ownership},
    document::DocumentName,
    metrics::Metrics,
    store::{Journal, Store},
};
use protocol::ClientMessage;

/// Identifies one connection for the lifetime of the process.
pub type PeerId = u64;

/// Tunables for every room.
#[derive(Debug, Clone)]
pub struct RoomConfig {
    /// How long a room with no connections stays in memory.
    pub idle_grace: Duration,
    /// Compact a document's update log once it holds this many updates...
    pub compact_after_updates: usize,
    /// ...or this many bytes.
    pub compact_after_bytes: usize,
    /// Presence entries not refreshed for this long are removed (y-protocols uses 30 s).
    pub presence_timeout: Duration,
    /// Frames a connection may have queued before it counts as too slow.
    pub outbox_frames: usize,
    /// Bytes a connection may have queued before it counts as too slow.
    pub outbox_bytes: usize,
    /// Most board fields one update may touch; a larger one is refused and its
    /// connection closed (4413).
    pub max_update_changes: usize,
}

impl Default for RoomConfig {
    fn default() -> Self {
        Self {
            idle_grace: Duration::from_secs(30),
            compact_after_updates: 500,
            compact_after_bytes: 4 << 20,
            presence_timeout: Duration::from_secs(30),
            outbox_frames: 1024,
            outbox_bytes: 32 << 20,
            max_update_changes: 20_000,
        }
    }
}

/// Why the server ends a connection. The websocket layer maps each to a close code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloseReason {
    /// The client closed or vanished.
    ClientGone,
    /// The server is shutting down.
    Shutdown,
    /// The connection's outbox overflowed: it could not keep up with the room.
    TooSlow,
    /// The room was reset (for example after an internal fault); reconnecting resyncs.
    RoomRestarted,
    /// The store could not load or append; nothing unconfirmed was broadcast.
    StoreUnavailable,
    /// The client sent something the protocol does not allow.
    Protocol(protocol::ProtocolError),
    /// The client sent a text frame.
    TextFrame,
    /// The client sent a frame over the size limit.
    TooBig,
    /// The client sent messages faster than allowed.
    Flooding,
    /// The client sent an update that touches more board fields than one update may.
    UpdateTooLarge { touched: usize, most: usize },
    /// The client stopped answering pings.
    TimedOut,
    /// The caller's access to the document ended (signed out, token revoked or expired,
    /// removed from the review, no longer a participant).
    AccessEnded,
    /// The caller's access to the document changed (their role changed).
    AccessChanged,
    /// Another node serves the document now (this one lost it, or could not reach it);
    /// reconnecting finds the new owner.
    Moved,
}

/// Shared between a connection's tasks and its room: how to stop it, and how much is
/// waiting to be written to it.
#[derive(Debug, Default)]
pub struct PeerControl {
    closed: CancellationToken,
    reason: OnceLock<CloseReason>,
    queued_bytes: AtomicUsize,
}

impl PeerControl {
    /// Asks the connection to close. The first reason given wins.
    pub fn close(&self, reason: CloseReason) {
        let _ = self.reason.set(reason);
        self.closed.cancel();
    }

    /// Resolves once [`close`](Self::close) has been called.
    pub async fn closed(&self) {
        self.closed.cancelled().await
    }

    pub fn is_closed(&self) -> bool {
        self.closed.is_cancelled()
    }

    pub fn reason(&self) -> Option<&CloseReason> {
        self.reason.get()
    }

    /// Called by the writer after a queued frame left for the socket.
    pub fn sent(&self, bytes: usize) {
        self.queued_bytes.fetch_sub(bytes, Ordering::Relaxed);
    }
}

/// A room's way to reach one connection.
#[derive(Debug, Clone)]
pub struct PeerLink {
    pub id: PeerId,
    pub outbox: mpsc::Sender<Bytes>,
    pub control: Arc<PeerControl>,
    /// Whom the audit trail names for this connection's edits.
    pub author: Arc<Author>,
    /// False for a read-only role: the room refuses any update that would change the
    /// document (see [`guard`]).
    pub may_write: bool,
    /// False for the case group: what their updates do to agreed work is undone at
    /// once (see [`crate::board::locks`]).
    pub may_change_agreed: bool,
}

impl PeerLink {
    /// Creates a connection's link and the receiving end of its outbox.
    pub fn new(
        id: PeerId,
        author: Author,
        may_write: bool,
        config: &RoomConfig,
    ) -> (Self, mpsc::Receiver<Bytes>) {
        let (outbox, rx) = mpsc::channel(config.outbox_frames.max(1));
        let link = Self {
            id,
            outbox,
            control: Arc::new(PeerControl::default()),
            author: Arc::new(author),
            may_write,
            may_change_agreed: true,
        };
        (link, rx)
    }

    /// Queues a frame without waiting. False if the connection is too far behind: what
    /// already waits for it has reached `max_queued_bytes`. One frame may overshoot the
    /// limit (so a document larger than the limit can still be sent to a newcomer);
    /// memory per connection stays bounded by the limit plus one frame.
    pub fn offer(&self, frame: Bytes, max_queued_bytes: usize) -> bool {
        let len = frame.len();
        let before = self.control.queued_bytes.fetch_add(len, Ordering::Relaxed);
        if before >= max_queued_bytes {
            self.control.sent(len);
            return false;
        }
        match self.outbox.try_send(frame) {
            Ok(()) => true,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.control.sent(len);
                false
            }
            // The connection is already leaving; its Leave message is on the way.
            Err(mpsc::error::TrySendError::Closed(_)) => {
                self.control.sent(len);
                true
            }
        }
    }
}

/// What a room's inbox carries.
enum RoomMsg {
    Join {
        link: PeerLink,
        /// `Err` when another node serves the document: the connection goes there.
        accepted: oneshot::Sender<Result<(), Owner>>,
    },
    Leave(PeerId),
    Frame {
        /// When the connection handed it to the room.
        received: Instant,
        peer: PeerId,
        messages: Vec<ClientMessage>,
        /// The frame's size on the wire, to bound how much one turn of the room takes.
        bytes: usize,
    },
    Compacted {
        upto_seq: i64,
        ok: bool,
    },
    /// Reply with the whole document as stored so far, and its log position.
    Snapshot {
        reply: oneshot::Sender<Result<(Vec<u8>, i64), RoomError>>,
    },
    /// Bring the board's content to `target` as one forward change by `author`, stored
    /// with `event`; answers what came of it.
    Restore {
        target: RestoreTarget,
        author: Author,
        event: Box<AuditEvent>,
        reply: oneshot::Sender<Result<Restored, RoomError>>,
    },
    /// What a heartbeat `asked` learned of the document's owner: `epoch` is this node's
    /// current epoch for it, `None` when this node no longer owns it.
    Ownership {
        asked: Instant,
        epoch: Option<i64>,
    },
}

/// What a restore brings the board to. The item restores are worked out inside the
/// room, on the board as it is at that moment, so that no edit made meanwhile is undone.
#[derive(Debug, Clone)]
pub enum RestoreTarget {
    /// A snapshot's whole board.
    Board(Box<Board>),
    /// The board with one item from its bin put back.
    PutBack(Box<Binned>),
    /// The board with one item, or one field of it, taken from a snapshot's board.
    Take {
        source: Box<Board>,
        kind: String,
        id: String,
        field: Option<String>,
    },
}

/// What came of a restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restored {
    /// The board changed, as one forward change stored with its audit event.
    Changed,
    /// The board already was the target: nothing was stored, the event included.
    Unchanged,
    /// The item could not be put back; nothing changed.
    Refused(PutBackError),
}

/// Why a room could not answer a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoomError {
    #[error("the server is shutting down")]
    ShuttingDown,
    #[error("the document could not be loaded or stored")]
    Unavailable,
    #[error("another node serves the document")]
    Elsewhere(Owner),
}

/// Refusals from [`Rooms::join`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    #[error("the server is shutting down")]
    ShuttingDown,
    #[error("another node serves the document")]
    Elsewhere(Owner),
    #[error("the document could not be loaded")]
    Unavailable,
}

/// A joined connection's handle on its room.
#[derive(Clone)]
pub struct RoomHandle {
    peer: PeerId,
    tx: mpsc::Sender<RoomMsg>,
}

impl RoomHandle {
    /// Hands decoded messages to the room, waiting while its inbox is full.
    /// False if the room has stopped.
    pub async fn send(&self, messages: Vec<ClientMessage>, bytes: usize) -> bool {
        let msg = RoomMsg::Frame {
            received: Instant::now(),
            peer: self.peer,
            messages,
            bytes,
        };
        self.tx.send(msg).await.is_ok()
    }

    /// Tells the room the connection has gone.
    pub async fn leave(&self) {
        let _ = self.tx.send(RoomMsg::Leave(self.peer)).await;
    }
}

/// What every room needs from the rest of the server.
#[derive(Clone)]
pub struct RoomContext {
    pub store: Arc<dyn Store>,
    pub journal: Journal,
    pub metrics: Arc<Metrics>,
    pub config: RoomConfig,
    /// Cancelled when the server shuts down.
    pub shutdown: CancellationToken,
    /// Tracks room actors and their background work, so shutdown can wait for them.
    pub tracker: TaskTracker,
    /// This node's membership of a cluster (PostgreSQL); `None`: it serves alone.
    pub cluster: Option<Arc<Cluster>>,
}

struct Entry {
    generation: u64,
    tx: mpsc::Sender<RoomMsg>,
}

/// The registry of running rooms.
#[derive(Clone)]
pub struct Rooms {
    inner: Arc<RoomsInner>,
}

struct RoomsInner {
    map: Mutex<HashMap<DocumentName, Entry>>,
    next_generation: AtomicU64,
    ctx: RoomContext,
}

/// Messages a room's inbox holds before senders wait.
const INBOX_DEPTH: usize = 1024;

impl Rooms {
    pub fn new(ctx: RoomContext) -> Self {
        Self {
            inner: Arc::new(RoomsInner {
                map: Mutex::new(HashMap::new()),
                next_generation: AtomicU64::new(1),
                ctx,
            }),
        }
    }

    /// Cancelled when the server begins to shut down.
    pub fn shutdown_signal(&self) -> CancellationToken {
        self.inner.ctx.shutdown.clone()
    }

    /// Joins `link` to the room of `document`, starting the room if it is not running.
    /// The room then sends its SyncStep1 and the presence it knows.
    pub async fn join(
        &self,
        document: &DocumentName,
        link: PeerLink,
    ) -> Result<RoomHandle, JoinError> {
        loop {
            if self.inner.ctx.shutdown.is_cancelled() {
                return Err(JoinError::ShuttingDown);
            }
            let (generation, tx) = self.room_for(document);
            let (accepted, answer) = oneshot::channel();
            let join = RoomMsg::Join {
                link: link.clone(),
                accepted,
            };
            if tx.send(join).await.is_ok() {
                match answer.await {
                    Ok(Ok(())) => return Ok(RoomHandle { peer: link.id, tx }),
                    Ok(Err(owner)) => return Err(JoinError::Elsewhere(owner)),
                    // The room could not open the document (it closed the link and
                    // logged why).
                    Err(_) if link.control.is_closed() => return Err(JoinError::Unavailable),
                    Err(_) => {}
                }
            }
            // The room retired between lookup and join: forget it and start afresh.
            self.forget(document, generation);
        }
    }

    /// The document's whole state, everything in it stored, and its log position. Loads
    /// the document if no room has it open (the room then leaves after its grace). When
    /// another node serves it, reads what is stored: everything anyone has been sent.
    pub async fn snapshot(&self, document: &DocumentName) -> Result<(Vec<u8>, i64), RoomError> {
        match self
            .ask(document, |reply| RoomMsg::Snapshot { reply })
            .await
        {
            Err(RoomError::Elsewhere(_)) => self.read_stored(document).await,
            answer => answer,
        }
    }

    /// The stored document as one update, merged on a blocking thread.
    async fn read_stored(&self, document: &DocumentName) -> Result<(Vec<u8>, i64), RoomError> {
        let stored = self
            .inner
            .ctx
            .store
            .load(document.as_str())
            .await
            .map_err(|err| {
                tracing::error!(error = %err, "could not read a stored document");
                RoomError::Unavailable
            })?;
        let last_seq = stored.last_seq;
        let blobs: Vec<Vec<u8>> = stored.state.into_iter().chain(stored.updates).collect();
        let merged = tokio::task::spawn_blocking(move || {
            crate::fault::contain(|| yrs::merge_updates_v1(&blobs).map_err(|e| e.to_string()))
        })
        .await;
        match merged {
            Ok(Ok(Ok(state))) => Ok((state, last_seq)),
            _ => {
                tracing::error!(%document, "a stored document could not be merged");
                Err(RoomError::Unavailable)
            }
        }
    }

    /// Tells every room what a heartbeat learned of this node's documents; a room this
    /// node no longer owns closes its connections, which reconnect to the new owner.
    pub fn observe(&self, heartbeat: &Heartbeat) {
        let owned: HashMap<&str, i64> = match &heartbeat.owned {
            Ownership::Unknown => return,
            Ownership::Known(owned) => owned.iter().map(|(d, e)| (d.as_str(), *e)).collect(),
            Ownership::Lost => HashMap::new(),
        };
        let rooms: Vec<(DocumentName, mpsc::Sender<RoomMsg>)> = self
            .lock()
            .iter()
            .map(|(name, entry)| (name.clone(), entry.tx.clone()))
            .collect();
        for (name, tx) in rooms {
            let message = RoomMsg::Ownership {
                asked: heartbeat.asked,
                epoch: owned.get(name.as_str()).copied(),
            };
            // A full inbox is a busy room: the next heartbeat tells it again.
            let _ = tx.try_send(message);
        }
    }

    /// Heartbeats until shutdown, telling the rooms what each beat learned; then leaves
    /// the cluster once every room has released its document.
    pub async fn heartbeat(&self, cluster: Arc<Cluster>) {
        let shutdown = self.inner.ctx.shutdown.clone();
        let mut every = tokio::time::interval(cluster.heartbeat_interval());
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = every.tick() => {}
            }
            let beat = cluster.heartbeat().await;
            self.observe(&beat);
        }
    }

    /// Brings the board's content to `target` as one forward change by `author`,
    /// stored and broadcast like any edit, with `event` in the audit trail in the same
    /// transaction; returns once it is stored.
    pub async fn restore(
        &self,
        document: &DocumentName,
        target: RestoreTarget,
        author: Author,
        event: AuditEvent,
    ) -> Result<Restored, RoomError> {
        let event = Box::new(event);
        self.ask(document, |reply| RoomMsg::Restore {
            target: target.clone(),
            author: author.clone(),
            event: event.clone(),
            reply,
        })
        .await
    }

    /// Sends a request to the document's room (starting it if needed) and waits for the
    /// answer; a room that retires meanwhile is replaced once.
    async fn ask<T>(
        &self,
        document: &DocumentName,
        message: impl Fn(oneshot::Sender<Result<T, RoomError>>) -> RoomMsg,
    ) -> Result<T, RoomError> {
        for _ in 0..2 {
            if self.inner.ctx.shutdown.is_cancelled() {
                return Err(RoomError::ShuttingDown);
            }
            let (generation, tx) = self.room_for(document);
            let (reply, answer) = oneshot::channel();
            if tx.send(message(reply)).await.is_ok() {
                if let Ok(value) = answer.await {
                    return value;
                }
                // The room failed while answering (it logged why).
                return Err(RoomError::Unavailable);
            }
            self.forget(document, generation);
        }
        Err(RoomError::Unavailable)
    }

    fn room_for(&self, document: &DocumentName) -> (u64, mpsc::Sender<RoomMsg>) {
        let mut map = self.lock();
        if let Some(entry) = map.get(document) {
            return (entry.generation, entry.tx.clone());
        }
        let generation = self.inner.next_generation.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(INBOX_DEPTH);
        map.insert(
            document.clone(),
            Entry {
                generation,
                tx: tx.clone(),
            },
        );
        drop(map);
        let ctx = self.inner.ctx.clone();
        // The actor loads the document inside its own task, so every joiner that
        // arrives meanwhile waits in its inbox and the document is loaded once.
        ctx.tracker.clone().spawn(actor::run(
            actor::Actor::new(
                document.clone(),
                generation,
                self.clone(),
                tx.downgrade(),
                ctx,
            ),
            rx,
        ));
        (generation, tx)
    }

    /// Removes the entry for `document` if it still belongs to `generation`.
    fn forget(&self, document: &DocumentName, generation: u64) {
        let mut map = self.lock();
        if map
            .get(document)
            .is_some_and(|e| e.generation == generation)
        {
            map.remove(document);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<DocumentName, Entry>> {
        // The map stays consistent even if a holder panicked: every critical section
        // is a single insert, lookup or remove.
        self.inner.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}
