//! The room actor: owns one document and everyone connected to it.
//!
//! Invariants:
//! - Only this task touches the `Doc` and the presence table.
//! - An update is appended to the store before any connection is sent it, and before
//!   the document is read for anyone (SyncStep2, or a newcomer's SyncStep1). Updates
//!   that arrive together are appended in one transaction.
//! - Sending never waits: a connection whose outbox is full is closed as too slow, so
//!   one stuck client cannot stall the room or grow memory without bound.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
    time::{Duration, Instant},
};

use bytes::Bytes;
use tokio::{
    sync::mpsc,
    time::{MissedTickBehavior, interval, sleep_until},
};
use tracing::{Instrument, debug, error, info, info_span, warn};
use yrs::{Doc, ReadTxn, StateVector, Transact, Update, updates::decoder::Decode};

mod apply;

use super::{
    CloseReason, PeerId, PeerLink, RestoreTarget, Restored, RoomContext, RoomError, RoomMsg, Rooms,
    guard,
    presence::Presence,
    protocol::{self, ClientMessage, ProtocolError},
};
use crate::{
    access::{self, DocumentKind, DocumentPlace},
    audit::{AuditEvent, BinEntry, Change, Edit, FieldText},
    board::{
        Board,
        bin::{Binned, PutBackError, Shadow},
        changes::ChangeLog,
        locks, refs,
        texts::Runs,
    },
    clock::now_ms,
    cluster::{Claimed, Owner},
    document::DocumentName,
    fault::{Contained, contain},
    store::{Append, Lease, StoreError},
};

/// How often stale presence entries are looked for (y-protocols checks every 3 s).
const PRESENCE_SWEEP: Duration = Duration::from_secs(3);
/// Most messages taken from the inbox per turn; they share one group commit. A turn
/// also stops once its frames hold a quarter of a connection's outbox limit, so that
/// the fan-out of one turn never overflows a healthy connection's outbox.
const BATCH: usize = 128;
/// After a failed compaction, wait this long before trying again.
const COMPACTION_RETRY: Duration = Duration::from_secs(30);
/// Updates at least this large are applied on a blocking thread; smaller ones take
/// microseconds, less than the hand-off would.
const OFFLOAD_BYTES: usize = 64 << 10;

/// Why a room stopped early.
#[derive(Debug, thiserror::Error)]
enum Fault {
    /// The store failed to load or append.
    #[error("store failure: {0}")]
    Store(Arc<StoreError>),
    /// The stored document could not be decoded or applied.
    #[error("the stored document is unreadable: {0}")]
    CorruptStore(String),
    /// Applying an update panicked inside the CRDT library; the in-memory document can
    /// no longer be trusted (the store can: the update was not appended).
    #[error("applying an update panicked")]
    Panicked,
    /// Another node claimed the document (or this one cannot tell that it still owns
    /// it): nothing more may be stored or sent from here.
    #[error("another node serves the document now")]
    Moved,
}

impl Fault {
    fn of_store(err: Arc<StoreError>) -> Self {
        if matches!(*err, StoreError::Fenced) {
            Fault::Moved
        } else {
            Fault::Store(err)
        }
    }
}

/// An applied update waiting for its group commit.
struct Unflushed {
    /// What goes into the log.
    stored: Bytes,
    /// Who made it and what it changed, for the audit trail.
    edit: Option<Arc<Edit>>,
    /// What goes to every connection once stored.
    frame: Option<Bytes>,
    /// When a client's update reached the room (`None` for the server's own).
    received: Option<Instant>,
}

pub(super) struct Actor {
    name: DocumentName,
    generation: u64,
    rooms: Rooms,
    self_tx: mpsc::WeakSender<RoomMsg>,
    ctx: RoomContext,
    doc: Doc,
    /// What each applied update changed, in board terms.
    changes: ChangeLog,
    /// Every entity's last content, for the bin (review boards only).
    shadow: Shadow,
    /// Who is changing which text, for the words before and after in the history.
    runs: Runs,
    presence: Presence,
    peers: HashMap<PeerId, PeerLink>,
    /// Read-only connections already told that their writes are refused.
    told_read_only: HashSet<PeerId>,
    /// Case group connections already told that agreed work is locked.
    told_agreed: HashSet<PeerId>,
    unflushed: Vec<Unflushed>,
    /// Highest seq appended for this document.
    last_seq: i64,
    /// Updates and bytes in the log since the merged state.
    log_updates: usize,
    log_bytes: usize,
    compacting: Option<usize>,
    next_compaction: Instant,
    /// In a cluster, this node's claim on the document, and when it was made.
    lease: Option<(Lease, Instant)>,
}

impl Actor {
    pub(super) fn new(
        name: DocumentName,
        generation: u64,
        rooms: Rooms,
        self_tx: mpsc::WeakSender<RoomMsg>,
        ctx: RoomContext,
    ) -> Self {
        let doc = Doc::new();
        Self {
            name,
            generation,
            rooms,
            self_tx,
            ctx,
            changes: ChangeLog::watch(&doc),
            shadow: Shadow::default(),
            runs: Runs::default(),
            doc,
            presence: Presence::default(),
            peers: HashMap::new(),
            told_read_only: HashSet::new(),
            told_agreed: HashSet::new(),
            unflushed: Vec::new(),
            last_seq: 0,
            log_updates: 0,
            log_bytes: 0,
            compacting: None,
            next_compaction: Instant::now(),
            lease: None,
        }
    }
}

pub(super) async fn run(mut actor: Actor, mut rx: mpsc::Receiver<RoomMsg>) {
    let span = info_span!("room", document = %actor.name);
    async move {
        let metrics = actor.ctx.metrics.clone();
        metrics.rooms_open.inc();
        match actor.claim().await {
            Ok(None) => match actor.load().await {
                Ok(()) => actor.serve(&mut rx).await,
                Err(fault) => {
                    error!(%fault, "could not open the document");
                    actor.retire(&mut rx, Some(CloseReason::StoreUnavailable));
                    actor.release();
                }
            },
            Ok(Some(owner)) => actor.turn_away(&mut rx, owner),
            Err(fault) => {
                error!(%fault, "could not claim the document");
                actor.retire(&mut rx, Some(CloseReason::StoreUnavailable));
            }
        }
        metrics.rooms_open.dec();
        debug!("room closed");
    }
    .instrument(span)
    .await
}

impl Actor {
    /// In a cluster, claims the document for this node; `Some` names the live node that
    /// serves it instead.
    async fn claim(&mut self) -> Result<Option<Owner>, Fault> {
        let Some(cluster) = self.ctx.cluster.clone() else {
            return Ok(None);
        };
        match cluster.claim_in_time(self.name.as_str()).await {
            Ok(Claimed::Owned(lease)) => {
                debug!(epoch = lease.epoch, "claimed");
                self.ctx.metrics.cluster_owned_rooms.inc();
                self.lease = Some((lease, Instant::now()));
                Ok(None)
            }
            Ok(Claimed::Elsewhere(owner)) => Ok(Some(owner)),
            Err(err) => Err(Fault::Store(Arc::new(err))),
        }
    }

    /// Answers everyone waiting that another node serves the document, and stops.
    fn turn_away(&mut self, rx: &mut mpsc::Receiver<RoomMsg>, owner: Owner) {
        {
            let mut map = self.rooms.lock();
            self.leave_registry(&mut map);
            rx.close();
        }
        while let Ok(msg) = rx.try_recv() {
            match msg {
                RoomMsg::Join { accepted, .. } => {
                    let _ = accepted.send(Err(owner.clone()));
                }
                RoomMsg::Snapshot { reply } => {
                    let _ = reply.send(Err(RoomError::Elsewhere(owner.clone())));
                }
                RoomMsg::Restore { reply, .. } => {
                    let _ = reply.send(Err(RoomError::Elsewhere(owner.clone())));
                }
                _ => {}
            }
        }
    }

    /// Gives the document up in the cluster (the room is leaving memory).
    fn release(&mut self) {
        let (Some((lease, _)), Some(cluster)) = (self.lease.take(), self.ctx.cluster.clone())
        else {
            return;
        };
        self.ctx.metrics.cluster_owned_rooms.dec();
        let name = self.name.clone();
        self.ctx.tracker.spawn(async move {
            if let Err(err) = cluster.release(name.as_str(), &lease).await {
                // The claim then lapses with the node's heartbeat, or is taken by this
                // node again.
                warn!(document = %name, error = %err, "could not release a document");
            }
        });
    }

    async fn load(&mut self) -> Result<(), Fault> {
        let started = Instant::now();
        let stored = self
            .ctx
            .store
            .load(self.name.as_str())
            .await
            .map_err(|e| Fault::Store(Arc::new(e)))?;
        // One transaction per stored update: yrs grows memory faster than linearly when
        // one transaction integrates a long log.
        let doc = &self.doc;
        let blobs = stored.state.iter().chain(stored.updates.iter());
        let applied = contain(|| {
            for blob in blobs {
                let update = Update::decode_v1(blob).map_err(|e| e.to_string())?;
                doc.transact_mut()
                    .apply_update(update)
                    .map_err(|e| e.to_string())?;
            }
            Ok::<_, String>(())
        });
        match applied {
            Ok(Ok(())) => {}
            Ok(Err(err)) => return Err(Fault::CorruptStore(err)),
            Err(_) => {
                return Err(Fault::CorruptStore(
                    "applying the stored log panicked".into(),
                ));
            }
        }
        // Loading is not editing: what the stored log changed is already recorded.
        self.changes.take();
        self.last_seq = stored.last_seq;
        self.log_updates = stored.updates.len();
        self.log_bytes = stored.updates.iter().map(Vec::len).sum();
        self.ctx.metrics.rooms_loaded.inc();
        info!(
            updates = self.log_updates,
            merged_state = stored.state.is_some(),
            ms = started.elapsed().as_secs_f64() * 1e3,
            "room opened"
        );
        self.maybe_compact();
        Ok(())
    }

    async fn serve(&mut self, rx: &mut mpsc::Receiver<RoomMsg>) {
        let mut batch = Vec::with_capacity(BATCH);
        let mut sweep = interval(PRESENCE_SWEEP);
        sweep.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let grace = self.ctx.config.idle_grace;
        let mut idle_since = Some(tokio::time::Instant::now());
        let shutdown = self.ctx.shutdown.clone();
        loop {
            let idle_deadline = idle_since.map(|since| since + grace);
            tokio::select! {
                biased;
                _ = shutdown.cancelled() => {
                    self.shut_down(rx).await;
                    return;
                }
                first = rx.recv() => {
                    let Some(first) = first else {
                        return;
                    };
                    self.take_batch(first, rx, &mut batch);
                    if let Err(fault) = self.handle(&mut batch).await {
                        self.fail(fault, rx);
                        return;
                    }
                }
                _ = sweep.tick() => {
                    let timeout = self.ctx.config.presence_timeout;
                    if let Some(expired) = self.presence.expire(Instant::now(), timeout) {
                        self.broadcast(protocol::awareness(expired));
                    }
                }
                _ = sleep_until(idle_deadline.unwrap_or_else(tokio::time::Instant::now)),
                    if idle_deadline.is_some() =>
                {
                    if self.retire(rx, None) {
                        self.release();
                        return;
                    }
                    idle_since = None;
                }
            }
            if self.peers.is_empty() {
                idle_since.get_or_insert_with(tokio::time::Instant::now);
            } else {
                idle_since = None;
            }
        }
    }

    /// Fills `batch` with `first` and whatever else is waiting, within the turn's bounds.
    fn take_batch(
        &self,
        first: RoomMsg,
        rx: &mut mpsc::Receiver<RoomMsg>,
        batch: &mut Vec<RoomMsg>,
    ) {
        let budget = (self.ctx.config.outbox_bytes / 4).max(1);
        let mut bytes = 0;
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            if let RoomMsg::Frame { bytes: size, .. } = &msg {
                bytes += size;
            }
            batch.push(msg);
            if batch.len() < BATCH && bytes < budget {
                next = rx.try_recv().ok();
            }
        }
    }

    /// Handles a batch of inbox messages, then commits and broadcasts their updates.
    async fn handle(&mut self, batch: &mut Vec<RoomMsg>) -> Result<(), Fault> {
        for msg in batch.drain(..) {
            match msg {
                RoomMsg::Join { link, accepted } => {
                    // The newcomer's first look at the document must be durable state.
                    self.flush().await?;
                    if accepted.send(Ok(())).is_err() {
                        continue; // the connection gave up waiting
                    }
                    debug!(peer = link.id, "joined");
                    let id = link.id;
                    self.peers.insert(id, link);
                    let sv = self.doc.transact().state_vector();
                    self.send_to(id, protocol::sync_step1(&sv));
                    if let Some(all) = self.presence.all() {
                        self.send_to(id, protocol::awareness(all));
                    }
                }
                RoomMsg::Leave(peer) => {
                    debug!(peer, "left");
                    self.remove_peer(peer, None);
                }
                RoomMsg::Frame {
                    peer,
                    messages,
                    received,
                    ..
                } => {
                    for message in messages {
                        // Whatever a closed connection still had in flight is dropped:
                        // the client keeps its edits and resends them on reconnect.
                        if !self.peers.contains_key(&peer) {
                            break;
                        }
                        self.on_message(peer, message, received).await?;
                    }
                }
                RoomMsg::Compacted { upto_seq, ok } => self.compacted(upto_seq, ok),
                RoomMsg::Snapshot { reply } => {
                    self.flush().await?;
                    let state = self
                        .doc
                        .transact()
                        .encode_state_as_update_v1(&StateVector::default());
                    let _ = reply.send(Ok((state, self.last_seq)));
                }
                RoomMsg::Restore {
                    target,
                    author,
                    event,
                    reply,
                } => {
                    self.flush().await?;
                    let changed = self.restore(target, author, *event).await?;
                    self.flush().await?;
                    let _ = reply.send(Ok(changed));
                }
                RoomMsg::Ownership { asked, epoch } => {
                    let claimed = self.lease.as_ref();
                    if claimed.is_some_and(|(lease, at)| asked > *at && epoch != Some(lease.epoch))
                    {
                        return Err(Fault::Moved);
                    }
                }
            }
        }
        self.flush().await
    }

    async fn on_message(
        &mut self,
        peer: PeerId,
        message: ClientMessage,
        received: Instant,
    ) -> Result<(), Fault> {
        match message {
            ClientMessage::SyncStep1(sv) => {
                self.flush().await?;
                let missing = self.doc.transact().encode_state_as_update_v1(&sv);
                self.send_to(peer, protocol::sync_step2(missing));
            }
            ClientMessage::Update { update, raw } => {
                if self.may_apply(peer, &update)? {
                    self.apply(peer, update, raw, received).await?;
                }
            }
            ClientMessage::Awareness(update) => {
                let Some(link) = self.peers.get(&peer) else {
                    return Ok(());
                };
                let who = link.author.clone();
                if let Some(accepted) = self.presence.apply(update, peer, &who, Instant::now()) {
                    self.ctx.metrics.awareness_updates.inc();
                    self.broadcast(protocol::awareness(accepted));
                }
            }
            ClientMessage::AwarenessQuery => {
                if let Some(all) = self.presence.all() {
                    self.send_to(peer, protocol::awareness(all));
                }
            }
            ClientMessage::Auth => {}
        }
        Ok(())
    }

    /// Appends every unflushed update in one transaction, then broadcasts them.
    async fn flush(&mut self) -> Result<(), Fault> {
        if self.unflushed.is_empty() {
            return Ok(());
        }
        let document = self.name.as_arc();
        let first_seq = self.last_seq + 1;
        let lease = self.lease.as_ref().map(|(lease, _)| lease.clone());
        // The appends take what is stored and the audit's view; the frames stay here
        // until the commit says they may go.
        let items: Vec<Append> = self
            .unflushed
            .iter_mut()
            .zip(first_seq..)
            .map(|(u, seq)| Append {
                document: document.clone(),
                seq,
                data: std::mem::take(&mut u.stored),
                edit: u.edit.take(),
                lease: lease.clone(),
            })
            .collect();
        let count = items.len();
        let bytes: usize = items.iter().map(|a| a.data.len()).sum();
        let commit = self.ctx.journal.append(items);
        match &self.ctx.cluster {
            // Cut off from the database, the node may have lost the board meanwhile: it
            // stops waiting and sends nothing (the commit, if it lands, is fenced or
            // simply loaded by whoever serves the board next).
            Some(cluster) => tokio::select! {
                committed = commit => committed.map_err(Fault::of_store)?,
                _ = cluster.lost() => return Err(Fault::Moved),
            },
            None => commit.await.map_err(Fault::of_store)?,
        }
        self.last_seq += count as i64;
        self.log_updates += count;
        self.log_bytes += bytes;
        self.ctx.metrics.updates_applied.inc_by(count as u64);
        // Drained through a taken vector, so its allocation is kept for the next turn.
        let mut applied = std::mem::take(&mut self.unflushed);
        for update in applied.drain(..) {
            if let Some(frame) = update.frame {
                self.broadcast(frame);
            }
            if let Some(received) = update.received {
                let delay = received.elapsed().as_secs_f64();
                self.ctx.metrics.update_delay_seconds.observe(delay);
            }
        }
        self.unflushed = applied;
        self.maybe_compact();
        Ok(())
    }

    /// Starts folding the log into one merged state once it is long enough.
    fn maybe_compact(&mut self) {
        let config = &self.ctx.config;
        let due = self.log_updates >= config.compact_after_updates
            || self.log_bytes >= config.compact_after_bytes;
        if !due || self.compacting.is_some() || Instant::now() < self.next_compaction {
            return;
        }
        // The document equals the store here (everything is flushed), so its state is
        // exactly the log up to `last_seq`, garbage-collected.
        let state = self
            .doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let upto_seq = self.last_seq;
        self.compacting = Some(self.log_bytes);
        let store = self.ctx.store.clone();
        let metrics = self.ctx.metrics.clone();
        let name = self.name.clone();
        let tx = self.self_tx.clone();
        let span = info_span!("compaction", document = %self.name, upto_seq);
        self.ctx.tracker.spawn(
            async move {
                let started = Instant::now();
                let ok = match store.compact(name.as_str(), &state, upto_seq).await {
                    Ok(()) => {
                        metrics.compactions.inc();
                        debug!(
                            bytes = state.len(),
                            ms = started.elapsed().as_secs_f64() * 1e3,
                            "compacted"
                        );
                        true
                    }
                    Err(err) => {
                        metrics.compaction_failures.inc();
                        warn!(error = %err, "compaction failed; the log is kept");
                        false
                    }
                };
                if let Some(tx) = tx.upgrade() {
                    let _ = tx.send(RoomMsg::Compacted { upto_seq, ok }).await;
                }
            }
            .instrument(span),
        );
    }

    fn compacted(&mut self, upto_seq: i64, ok: bool) {
        let bytes_folded = self.compacting.take().unwrap_or(0);
        if ok {
            self.log_updates = usize::try_from(self.last_seq - upto_seq).unwrap_or(0);
            self.log_bytes = self.log_bytes.saturating_sub(bytes_folded);
            // Updates that arrived meanwhile may already make the log long enough.
            self.maybe_compact();
        } else {
            self.next_compaction = Instant::now() + COMPACTION_RETRY;
        }
    }

    /// Queues `frame` for every connection; closes those that are too far behind.
    fn broadcast(&mut self, frame: Bytes) {
        let limit = self.ctx.config.outbox_bytes;
        let slow: Vec<PeerId> = self
            .peers
            .values()
            .filter(|link| !link.offer(frame.clone(), limit))
            .map(|link| link.id)
            .collect();
        for peer in slow {
            self.remove_peer(peer, Some(CloseReason::TooSlow));
        }
    }

    fn send_to(&mut self, peer: PeerId, frame: Bytes) {
        let limit = self.ctx.config.outbox_bytes;
        if let Some(link) = self.peers.get(&peer)
            && !link.offer(frame, limit)
        {
            self.remove_peer(peer, Some(CloseReason::TooSlow));
        }
    }

    /// Removes a connection (closing it with `reason`, if given) and relays the removal
    /// of the presence entries it supplied.
    fn remove_peer(&mut self, peer: PeerId, reason: Option<CloseReason>) {
        let Some(link) = self.peers.remove(&peer) else {
            return;
        };
        self.told_read_only.remove(&peer);
        self.told_agreed.remove(&peer);
        if let Some(reason) = reason {
            if reason == CloseReason::TooSlow {
                warn!(peer, "closing a connection that fell behind");
                self.ctx.metrics.clients_closed_slow.inc();
            }
            link.control.close(reason);
        }
        if let Some(removed) = self.presence.remove_owned_by(peer, Instant::now()) {
            self.broadcast(protocol::awareness(removed));
        }
    }

    /// Leaves the registry if nothing is waiting; returns true if the room may stop.
    /// Joins that slip in meanwhile are refused (their joiner retries with a new room),
    /// or, when `refuse_with` is given, accepted and closed with that reason.
    fn retire(
        &mut self,
        rx: &mut mpsc::Receiver<RoomMsg>,
        refuse_with: Option<CloseReason>,
    ) -> bool {
        {
            let mut map = self.rooms.lock();
            if refuse_with.is_none() && (!rx.is_empty() || !self.peers.is_empty()) {
                return false;
            }
            self.leave_registry(&mut map);
            rx.close();
        }
        while let Ok(msg) = rx.try_recv() {
            if let (RoomMsg::Join { link, accepted }, Some(reason)) = (msg, &refuse_with)
                && accepted.send(Ok(())).is_ok()
            {
                link.control.close(reason.clone());
            }
        }
        debug!("room retired");
        true
    }

    /// Takes this room out of the registry (if the entry is still this room's, not a
    /// newer one's), under the registry's lock held by the caller.
    fn leave_registry(&self, map: &mut HashMap<DocumentName, super::Entry>) {
        if map
            .get(&self.name)
            .is_some_and(|e| e.generation == self.generation)
        {
            map.remove(&self.name);
        }
    }

    /// Stops after a fault: closes everyone, leaves the registry.
    fn fail(&mut self, fault: Fault, rx: &mut mpsc::Receiver<RoomMsg>) {
        let reason = match &fault {
            Fault::Store(_) | Fault::CorruptStore(_) => CloseReason::StoreUnavailable,
            Fault::Panicked => CloseReason::RoomRestarted,
            Fault::Moved => CloseReason::Moved,
        };
        if matches!(fault, Fault::Moved) {
            info!(
                peers = self.peers.len(),
                "another node serves the document now; connections will follow it"
            );
            // Not ours to release any more.
            if self.lease.take().is_some() {
                self.ctx.metrics.cluster_owned_rooms.dec();
            }
        } else {
            error!(%fault, peers = self.peers.len(), "room failed; connections will resync");
        }
        for (_, link) in self.peers.drain() {
            link.control.close(reason.clone());
        }
        self.retire(rx, None);
        self.release();
    }

    /// Finishes what is queued, then closes every connection as the server stops.
    async fn shut_down(&mut self, rx: &mut mpsc::Receiver<RoomMsg>) {
        rx.close();
        let mut batch = Vec::new();
        while let Some(msg) = rx.recv().await {
            batch.push(msg);
        }
        if let Err(fault) = self.handle(&mut batch).await {
            error!(%fault, "could not finish queued work during shutdown");
        }
        for (_, link) in self.peers.drain() {
            link.control.close(CloseReason::Shutdown);
        }
        self.rooms.forget(&self.name, self.generation);
        // Handed over at once: the next node need not wait for the heartbeat to lapse.
        if let (Some((lease, _)), Some(cluster)) = (self.lease.take(), &self.ctx.cluster) {
            self.ctx.metrics.cluster_owned_rooms.dec();
            let release = cluster.release(self.name.as_str(), &lease);
            // Bounded: a database that does not answer must not hold the shutdown.
            if !matches!(
                tokio::time::timeout(cluster.heartbeat_interval() * 4, release).await,
                Ok(Ok(()))
            ) {
                warn!("could not release the document; it lapses with the heartbeat");
            }
        }
    }
}
