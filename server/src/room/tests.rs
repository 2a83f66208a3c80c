//! The room actor on the in-memory store: group commit across peers, store failures,
//! contained CRDT panics, idle exit and compaction. Every test waits for a condition
//! (a frame, a closed connection, the store having seen something, the room's task
//! ending), never for time.

use std::sync::{Arc, Once};

use bytes::Bytes;
use tokio::sync::mpsc;
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use yrs::{
    Doc, GetString, ReadTxn, StateVector, Text, Transact, Update,
    sync::{Message, SyncMessage},
    updates::decoder::Decode,
};

use super::{
    CloseReason, PeerControl, PeerLink, RoomConfig, RoomContext, RoomHandle, Rooms,
    protocol::{self, ClientMessage},
};
use crate::{
    access::Author,
    document::DocumentName,
    metrics::Metrics,
    store::{Append, Journal, Store, memory::MemoryStore},
};

/// What a test returns: any error fails it with its message.
type Result<T = (), E = Box<dyn std::error::Error + Send + Sync>> = std::result::Result<T, E>;

/// Rooms on an in-memory store.
struct Harness {
    rooms: Rooms,
    store: Arc<MemoryStore>,
    tracker: TaskTracker,
    config: RoomConfig,
}

impl Harness {
    fn new(config: RoomConfig) -> Self {
        quiet_contained_panics();
        let store = Arc::new(MemoryStore::new());
        let metrics = Arc::new(Metrics::new());
        let tracker = TaskTracker::new();
        let rooms = Rooms::new(RoomContext {
            store: store.clone(),
            journal: Journal::spawn(store.clone(), metrics.clone()),
            metrics,
            config: config.clone(),
            shutdown: CancellationToken::new(),
            tracker: tracker.clone(),
            cluster: None,
        });
        Self {
            rooms,
            store,
            tracker,
            config,
        }
    }

    /// Joins the room of `document` as an editor whose Yjs client id is `id`.
    async fn join(&self, document: &DocumentName, id: u64) -> Result<Peer> {
        let author = Author {
            kind: "user",
            id: format!("user-{id}"),
            name: format!("Person {id}"),
            agency: "Health visiting".into(),
        };
        let (link, outbox) = PeerLink::new(id, author, true, &self.config);
        let control = link.control.clone();
        let handle = self.rooms.join(document, link).await?;
        Ok(Peer {
            handle,
            control,
            outbox,
            doc: Doc::with_client_id(id),
        })
    }

    /// Waits until every room task (and its background work) has ended.
    async fn rooms_stopped(&self) {
        self.tracker.close();
        self.tracker.wait().await;
        self.tracker.reopen();
    }
}

/// Contained panics are logged as refused input, as in the server, not printed as
/// failures of the test that provoked them.
fn quiet_contained_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(crate::fault::install_panic_hook);
}

/// One connection, as its room sees it, with the client's own document.
struct Peer {
    handle: RoomHandle,
    control: Arc<PeerControl>,
    outbox: mpsc::Receiver<Bytes>,
    doc: Doc,
}

impl Peer {
    /// Appends `words` to the shared text in the client's document and sends the update.
    async fn edit(&self, words: &str) -> Result<()> {
        let log = self.doc.get_or_insert_text("log");
        let before = self.doc.transact().state_vector();
        {
            let mut txn = self.doc.transact_mut();
            let len = log.len(&txn);
            log.insert(&mut txn, len, words);
        }
        let raw = self.doc.transact().encode_state_as_update_v1(&before);
        self.send_update(raw).await
    }

    async fn send_update(&self, raw: Vec<u8>) -> Result<()> {
        let update = protocol::decode_update(&raw)?;
        let bytes = raw.len();
        let message = ClientMessage::Update {
            update,
            raw: raw.into(),
        };
        self.send(vec![message], bytes).await
    }

    async fn send(&self, messages: Vec<ClientMessage>, bytes: usize) -> Result<()> {
        if !self.handle.send(messages, bytes).await {
            return Err("the room has stopped".into());
        }
        Ok(())
    }

    /// The next frame the room queued for this connection.
    async fn next(&mut self) -> Result<Message> {
        let frame = self
            .outbox
            .recv()
            .await
            .ok_or("the room dropped the connection")?;
        Ok(Message::decode_v1(&frame)?)
    }

    /// The next frame, which must be a document update; returns the update.
    async fn next_update(&mut self) -> Result<Vec<u8>> {
        match self.next().await? {
            Message::Sync(SyncMessage::Update(update)) => Ok(update),
            other => Err(format!("expected an update, got {other:?}").into()),
        }
    }

    /// Every frame queued for the connection until the room let go of it.
    async fn frames_until_dropped(&mut self) -> Result<Vec<Message>> {
        let mut frames = Vec::new();
        while let Some(frame) = self.outbox.recv().await {
            frames.push(Message::decode_v1(&frame)?);
        }
        Ok(frames)
    }

    /// Waits for the room to close the connection; returns why.
    async fn closed(&self) -> Option<CloseReason> {
        self.control.closed().await;
        self.control.reason().cloned()
    }
}

fn document(name: &str) -> Result<DocumentName> {
    Ok(DocumentName::parse(name)?)
}

/// The shared text in a state or update.
fn text_of(updates: &[&[u8]]) -> Result<String> {
    let doc = Doc::new();
    let log = doc.get_or_insert_text("log");
    for update in updates {
        doc.transact_mut()
            .apply_update(Update::decode_v1(update)?)?;
    }
    let txn = doc.transact();
    Ok(log.get_string(&txn))
}

/// A frame that is a document update (what must not go out before it is stored).
fn is_update(message: &Message) -> bool {
    matches!(
        message,
        Message::Sync(SyncMessage::Update(_) | SyncMessage::SyncStep2(_))
    )
}

#[tokio::test]
async fn a_joiner_gets_the_rooms_state_vector_first() -> Result<()> {
    let harness = Harness::new(RoomConfig::default());
    let mut ana = harness.join(&document("r1/board")?, 1).await?;
    match ana.next().await? {
        Message::Sync(SyncMessage::SyncStep1(sv)) => assert_eq!(sv, StateVector::default()),
        other => return Err(format!("expected SyncStep1, got {other:?}").into()),
    }
    assert_eq!(harness.rooms.lock().len(), 1);
    Ok(())
}

#[tokio::test]
async fn updates_from_several_peers_share_one_commit_and_go_out_only_once_stored() -> Result<()> {
    let harness = Harness::new(RoomConfig::default());
    let name = document("r1/board")?;
    let mut peers = Vec::new();
    for id in 1..=3 {
        let mut peer = harness.join(&name, id).await?;
        peer.next().await?; // SyncStep1
        peers.push(peer);
    }

    // The room's first commit waits in the store; meanwhile every peer edits.
    let held = harness.store.hold_appends();
    peers[0].edit("first ").await?;
    harness.store.wait_until(|seen| seen.held == 1).await;
    for (peer, words) in peers.iter().zip(["ana ", "sam ", "kim "]) {
        // Returns once the message waits in the room's inbox.
        peer.edit(words).await?;
    }
    for peer in &mut peers {
        assert!(
            peer.outbox.try_recv().is_err(),
            "nothing may be sent before it is stored"
        );
    }
    held.release();

    // Everyone gets all four updates, their own included, in the order stored.
    for peer in &mut peers {
        let mut updates = Vec::new();
        for _ in 0..4 {
            updates.push(peer.next_update().await?);
        }
        let updates: Vec<&[u8]> = updates.iter().map(Vec::as_slice).collect();
        let text = text_of(&updates)?;
        for words in ["first ", "ana ", "sam ", "kim "] {
            assert!(text.contains(words), "{words:?} missing from {text:?}");
        }
    }
    let seen = harness.store.seen();
    let key = |seq| ("r1/board".to_string(), seq);
    assert_eq!(
        seen.batches,
        vec![vec![key(1)], vec![key(2), key(3), key(4)]],
        "the three waiting edits are one commit"
    );
    let stored = harness.store.load("r1/board").await?;
    assert_eq!((stored.updates.len(), stored.last_seq), (4, 4));
    Ok(())
}

#[tokio::test]
async fn a_failed_append_closes_every_peer_with_store_unavailable_and_sends_nothing() -> Result<()>
{
    let harness = Harness::new(RoomConfig::default());
    let name = document("r1/board")?;
    let mut ana = harness.join(&name, 1).await?;
    let mut sam = harness.join(&name, 2).await?;
    ana.edit("kept ").await?;
    for peer in [&mut ana, &mut sam] {
        peer.next().await?; // SyncStep1
        peer.next_update().await?;
    }

    harness.store.fail_appends(true);
    ana.edit("never stored ").await?;
    // 1011 on the wire (see ws::close): the clients keep their edits and resync later.
    assert_eq!(ana.closed().await, Some(CloseReason::StoreUnavailable));
    assert_eq!(sam.closed().await, Some(CloseReason::StoreUnavailable));
    for peer in [&mut ana, &mut sam] {
        let frames = peer.frames_until_dropped().await?;
        assert!(
            !frames.iter().any(is_update),
            "an unstored update was sent: {frames:?}"
        );
    }
    harness.rooms_stopped().await;
    assert!(
        harness.rooms.lock().is_empty(),
        "the failed room left memory"
    );
    let stored = harness.store.load("r1/board").await?;
    assert_eq!(stored.last_seq, 1);

    // Once the database is back, the next connection loads what is stored.
    harness.store.fail_appends(false);
    let mut kim = harness.join(&name, 3).await?;
    kim.next().await?; // SyncStep1
    kim.send(vec![ClientMessage::SyncStep1(StateVector::default())], 3)
        .await?;
    match kim.next().await? {
        Message::Sync(SyncMessage::SyncStep2(state)) => assert_eq!(text_of(&[&state])?, "kept "),
        other => return Err(format!("expected SyncStep2, got {other:?}").into()),
    }
    Ok(())
}

#[tokio::test]
async fn a_room_that_cannot_load_closes_its_joiners_and_leaves_memory() -> Result<()> {
    let harness = Harness::new(RoomConfig::default());
    let name = document("r1/board")?;
    harness.store.fail_loads(true);
    let ana = harness.join(&name, 1).await?;
    assert_eq!(ana.closed().await, Some(CloseReason::StoreUnavailable));
    harness.rooms_stopped().await;
    assert!(harness.rooms.lock().is_empty());

    harness.store.fail_loads(false);
    let mut sam = harness.join(&name, 2).await?;
    assert!(matches!(
        sam.next().await?,
        Message::Sync(SyncMessage::SyncStep1(_))
    ));
    assert!(!sam.control.is_closed());
    Ok(())
}

/// A v1 update that makes yrs panic while decoding it (a clock past `u32::MAX`: an
/// arithmetic overflow, which panics in the debug builds tests run in).
const PANICKING_UPDATE: [u8; 23] = [
    1, 2, 5, 0, // one client, two blocks, client 5 from clock 0
    0, 254, 255, 255, 255, 15, // a GC block of 2^32 - 2 clocks
    4, 1, 3, b'l', b'o', b'g', 5, b'h', b'e', b'l', b'l', b'o', // "hello" in "log"
    0,    // no deletions
];

#[tokio::test]
async fn a_crdt_panic_on_the_stored_log_is_contained_and_the_room_closes() -> Result<()> {
    if !cfg!(debug_assertions) {
        return Ok(()); // the input panics only where overflow checks are on
    }
    let harness = Harness::new(RoomConfig::default());
    let name = document("r1/board")?;
    // What an old server might have stored: the decoder panics on it.
    harness
        .store
        .append(&[Append {
            document: name.as_arc(),
            seq: 1,
            data: Bytes::from_static(&PANICKING_UPDATE),
            edit: None,
            lease: None,
        }])
        .await?;
    let ana = harness.join(&name, 1).await?;
    assert_eq!(ana.closed().await, Some(CloseReason::StoreUnavailable));
    harness.rooms_stopped().await;
    assert!(harness.rooms.lock().is_empty());

    // The process, the journal and other rooms carry on.
    let mut sam = harness.join(&document("r2/board")?, 2).await?;
    sam.next().await?;
    sam.edit("fine").await?;
    assert_eq!(text_of(&[&sam.next_update().await?])?, "fine");
    Ok(())
}

#[tokio::test]
async fn a_room_without_connections_leaves_memory_after_its_grace() -> Result<()> {
    let config = RoomConfig {
        idle_grace: std::time::Duration::from_millis(20),
        ..RoomConfig::default()
    };
    let harness = Harness::new(config.clone());
    let name = document("r1/board")?;
    let mut ana = harness.join(&name, 1).await?;
    ana.next().await?;
    ana.edit("stored ").await?;
    ana.next_update().await?;
    let left = tokio::time::Instant::now();
    ana.handle.leave().await;

    harness.rooms_stopped().await;
    assert!(
        harness.rooms.lock().is_empty(),
        "the idle room left the registry"
    );
    assert!(
        left.elapsed() >= config.idle_grace,
        "left before its grace: {:?}",
        left.elapsed()
    );
    // Leaving is just dropping: everything was already stored.
    assert_eq!(harness.store.load("r1/board").await?.last_seq, 1);

    // A snapshot opens the document without a connection; that room leaves too.
    let loads = harness.store.seen().loads;
    let (state, seq) = harness.rooms.snapshot(&name).await?;
    assert_eq!((text_of(&[&state])?, seq), ("stored ".to_string(), 1));
    harness.rooms_stopped().await;
    assert!(harness.rooms.lock().is_empty());
    assert_eq!(
        harness.store.seen().loads,
        loads + 1,
        "loaded once, by the new room"
    );
    Ok(())
}

#[tokio::test]
async fn a_long_log_is_compacted_into_one_state() -> Result<()> {
    let config = RoomConfig {
        compact_after_updates: 3,
        ..RoomConfig::default()
    };
    let harness = Harness::new(config);
    let name = document("r1/board")?;
    let mut ana = harness.join(&name, 1).await?;
    ana.next().await?;
    for words in ["one ", "two ", "three "] {
        ana.edit(words).await?;
        ana.next_update().await?;
    }
    harness.store.wait_until(|seen| seen.compactions == 1).await;
    let stored = harness.store.load("r1/board").await?;
    assert_eq!((stored.updates.len(), stored.last_seq), (0, 3));
    let state = stored.state.ok_or("a merged state")?;
    assert_eq!(text_of(&[&state])?, "one two three ");

    // The log goes on after the merged state.
    ana.edit("four").await?;
    ana.next_update().await?;
    let stored = harness.store.load("r1/board").await?;
    assert_eq!((stored.updates.len(), stored.last_seq), (1, 4));
    Ok(())
}
