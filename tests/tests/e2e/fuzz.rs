//! Fuzzing the decoder and the room: random frames and mutated updates from read-only
//! and editing peers, crafted writes from read-only peers, and valid edits go straight
//! to `decode_frame` and to a room over a real SQLite file. Whatever arrives, nothing
//! panics, a read-only peer never changes the document, and the room's document always
//! equals what the store holds.
//!
//! `scripts/test` runs a few cases; run longer on demand with
//! `FUZZ_CASES=2000 cargo test -p board-tests --test e2e -- fuzz`.

use std::sync::{
    Arc, OnceLock,
    atomic::{AtomicU64, Ordering},
};

use anyhow::{Result, anyhow};
use board_server::{
    access::Author,
    document::DocumentName,
    metrics::Metrics,
    room::{PeerLink, RoomConfig, RoomContext, RoomHandle, Rooms, protocol},
    store::{self, Journal, Store, StoreOptions},
};
use proptest::prelude::*;
use tokio::runtime::Runtime;
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use yrs::{
    Any, ClientID, Doc, Map, Options, Out, ReadTxn, StateVector, Text, Transact, Update,
    sync::{Message, SyncMessage},
    updates::{decoder::Decode, encoder::Encode},
};

/// One thing that happens to the room.
#[derive(Debug, Clone)]
enum Op {
    /// The editor changes the board through its own document (a valid update).
    Edit { what: u8, at: u16, text: String },
    /// Random bytes as a frame, from the editor or the reader.
    Random { reader: bool, bytes: Vec<u8> },
    /// A valid write with one byte changed, from the reader or the editor: an editor may
    /// write, so what it can do with a corrupted update is a question of the document
    /// staying consistent.
    Mutated { reader: bool, at: u16, byte: u8 },
    /// A reader's write shaped to slip past a weak check.
    Crafted { shape: u8 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        // Astral characters too: a corrupted update may point between the two UTF-16
        // halves of one, which splits it (both halves become U+FFFD, as in Yjs).
        3 => (any::<u8>(), any::<u16>(), "[a-zé😀𝄞 ]{0,12}")
            .prop_map(|(what, at, text)| Op::Edit { what, at, text }),
        2 => (any::<bool>(), proptest::collection::vec(any::<u8>(), 0..64))
            .prop_map(|(reader, bytes)| Op::Random { reader, bytes }),
        2 => (any::<bool>(), any::<u16>(), any::<u8>())
            .prop_map(|(editor, at, byte)| Op::Mutated { reader: !editor, at, byte }),
        2 => any::<u8>().prop_map(|shape| Op::Crafted { shape }),
    ]
}

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(24)
}

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = protocol::decode_frame(&bytes::Bytes::from(bytes));
    }

    #[test]
    fn readers_never_write_and_the_room_equals_the_store(
        clients in (1u64..1 << 40, 1u64..1 << 40),
        ops in proptest::collection::vec(op(), 1..40)
    ) {
        runtime().block_on(run(clients, ops)).map_err(|e| TestCaseError::fail(format!("{e:#}")))?;
    }
}

/// An editor's update whose item names its neighbours the wrong way round (the right
/// one left of the left one) is refused whole, and the room keeps exactly what is
/// stored. yrs would otherwise place it one way live and another on replay.
#[test]
fn an_item_against_its_own_neighbours_is_refused_whole() {
    runtime()
        .block_on(async {
            let mut bench = Bench::new().await?;
            let editor_doc = Doc::with_options(Options {
                client_id: ClientID::new(7),
                ..Options::default()
            });
            bench
                .send(false, &frame(&edit(&editor_doc, 0, 0, "abcdef")))
                .await?;
            // "X" typed between "c" (clock 2) and "d" (clock 3) names 7#2 and 7#3; swap
            // the clocks of the two neighbours.
            let mut honest = edit(&copy(&editor_doc, None), 0, 3, "X");
            let at = honest
                .windows(4)
                .position(|w| w == [7, 2, 7, 3])
                .ok_or_else(|| anyhow!("the neighbours are encoded as expected"))?;
            honest[at + 1] = 3;
            honest[at + 3] = 2;
            bench.send(false, &frame(&honest)).await?;
            // The snapshot queues behind the update, so the room has dealt with it.
            let room = content(&doc_from(&bench.state().await?)?);
            if !bench.editor.link.control.is_closed() {
                return Err(anyhow!("the editor's connection stays open"));
            }
            if room.title != "abcdef" {
                return Err(anyhow!("the room kept the item: {:?}", room.title));
            }
            let stored = bench.store.load(bench.name.as_str()).await?;
            let replayed = Doc::new();
            for blob in stored.state.iter().chain(stored.updates.iter()) {
                replayed
                    .transact_mut()
                    .apply_update(Update::decode_v1(blob)?)?;
            }
            if content(&replayed) != room {
                return Err(anyhow!("the room differs from the store"));
            }
            Ok::<_, anyhow::Error>(())
        })
        .expect("refused whole");
}

/// A case the fuzz target found: the editor's corrupted update continues the editor's
/// own client id with a block whose origin does not exist, so it would wait; the
/// editor's next honest update takes the same clock. yrs then integrated the waiting
/// block live but not on replay. A waiting block that continues a known client is
/// refused whole.
#[test]
fn a_waiting_block_continuing_a_known_client_is_refused() {
    let r0 = Op::Mutated {
        reader: true,
        at: 0,
        byte: 0,
    };
    let blank = |what: u8, at: u16| Op::Edit {
        what,
        at,
        text: String::new(),
    };
    let ops = vec![
        r0.clone(),
        Op::Edit {
            what: 20,
            at: 0,
            text: "aéaé".into(),
        },
        blank(202, 0),
        Op::Mutated {
            reader: false,
            at: 26647,
            byte: 5,
        },
        blank(34, 1),
        r0.clone(),
        blank(145, 1645),
        r0,
        Op::Mutated {
            reader: false,
            at: 1237,
            byte: 128,
        },
        blank(58, 0),
    ];
    runtime()
        .block_on(run((34359738368, 34359738364), ops))
        .expect("the room equals the store");
}

/// A room over a fresh SQLite file, with one editing and one read-only peer.
struct Bench {
    _dir: tempfile::TempDir,
    store: Arc<dyn Store>,
    rooms: Rooms,
    name: DocumentName,
    config: RoomConfig,
    editor: Peer,
    reader: Peer,
    next_peer: AtomicU64,
}

struct Peer {
    link: PeerLink,
    room: RoomHandle,
}

impl Bench {
    async fn new() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("fuzz.db").display());
        let store = store::open(&url, StoreOptions::default()).await?;
        let metrics = Arc::new(Metrics::new());
        let config = RoomConfig {
            compact_after_updates: 16,
            ..RoomConfig::default()
        };
        let rooms = Rooms::new(RoomContext {
            journal: Journal::spawn(store.clone(), metrics.clone()),
            store: store.clone(),
            metrics,
            config: config.clone(),
            shutdown: CancellationToken::new(),
            tracker: TaskTracker::new(),
            cluster: None,
        });
        let name = DocumentName::parse("fuzz-review/board").map_err(|e| anyhow!("{e}"))?;
        let next_peer = AtomicU64::new(1);
        let editor = join(&rooms, &name, &config, &next_peer, true).await?;
        let reader = join(&rooms, &name, &config, &next_peer, false).await?;
        Ok(Self {
            _dir: dir,
            store,
            rooms,
            name,
            config,
            editor,
            reader,
            next_peer,
        })
    }

    /// Decodes `frame` and hands it to the room as the websocket layer would; a peer
    /// the room closed (a corrupt update) is replaced, as its client would reconnect.
    async fn send(&mut self, reader: bool, frame: &[u8]) -> Result<()> {
        let Ok(messages) = protocol::decode_frame(&bytes::Bytes::copy_from_slice(frame)) else {
            return Ok(()); // the connection would be closed with 1007
        };
        let peer = if reader { &self.reader } else { &self.editor };
        if !peer.room.send(messages, frame.len()).await {
            return Err(anyhow!("the room stopped"));
        }
        Ok(())
    }

    async fn rejoin_closed(&mut self) -> Result<()> {
        for reader in [false, true] {
            let peer = if reader { &self.reader } else { &self.editor };
            if peer.link.control.is_closed() {
                let fresh = join(
                    &self.rooms,
                    &self.name,
                    &self.config,
                    &self.next_peer,
                    !reader,
                )
                .await?;
                *(if reader {
                    &mut self.reader
                } else {
                    &mut self.editor
                }) = fresh;
            }
        }
        Ok(())
    }

    /// The room's whole document, everything in it stored.
    async fn state(&self) -> Result<Vec<u8>> {
        let (state, _) = self
            .rooms
            .snapshot(&self.name)
            .await
            .map_err(|e| anyhow!("snapshot: {e}"))?;
        Ok(state)
    }
}

async fn join(
    rooms: &Rooms,
    name: &DocumentName,
    config: &RoomConfig,
    next_peer: &AtomicU64,
    may_write: bool,
) -> Result<Peer> {
    let id = next_peer.fetch_add(1, Ordering::Relaxed);
    let author = Author {
        kind: "user",
        id: format!("u{id}"),
        name: format!("Person {id}"),
        agency: "Fuzzing".into(),
    };
    let (link, mut outbox) = PeerLink::new(id, author, may_write, config);
    // Drain what the room sends, as a healthy client would.
    tokio::spawn(async move { while outbox.recv().await.is_some() {} });
    let room = rooms
        .join(name, link.clone())
        .await
        .map_err(|e| anyhow!("join: {e}"))?;
    Ok(Peer { link, room })
}

/// Runs `ops` with the editor as client `clients.0` and new copies numbered from
/// `clients.1` (which client id is lower decides ties between concurrent inserts).
async fn run(clients: (u64, u64), ops: Vec<Op>) -> Result<()> {
    let mut bench = Bench::new().await?;
    NEXT_CLIENT.with(|next| next.set(clients.1));
    let editor_doc = Doc::with_options(Options {
        client_id: ClientID::new(clients.0),
        ..Options::default()
    });
    for op in ops {
        bench.rejoin_closed().await?;
        let reader = match &op {
            Op::Edit { .. } => false,
            Op::Random { reader, .. } | Op::Mutated { reader, .. } => *reader,
            Op::Crafted { .. } => true,
        };
        let before = if reader {
            Some(bench.state().await?)
        } else {
            None
        };
        let synced = doc_from(&bench.state().await?)?;
        match op {
            Op::Edit { what, at, text } => {
                let update = edit(&editor_doc, what, at, &text);
                bench.send(false, &frame(&update)).await?;
            }
            Op::Random { reader, bytes } => bench.send(reader, &bytes).await?,
            Op::Mutated { reader, at, byte } => {
                let mut message = frame(&edit(&copy(&synced, None), 0, at, "mutant"));
                let i = usize::from(at) % message.len();
                message[i] = byte;
                bench.send(reader, &message).await?;
            }
            Op::Crafted { shape } => {
                let update = crafted(&synced, shape);
                bench.send(true, &frame(&update)).await?;
            }
        }
        if let Some(before) = before {
            let after = bench.state().await?;
            if content(&doc_from(&before)?) != content(&doc_from(&after)?) {
                return Err(anyhow!("a read-only peer changed the document"));
            }
        }
    }
    // The room's document equals the stored log, replayed.
    let room = doc_from(&bench.state().await?)?;
    let stored = bench.store.load(bench.name.as_str()).await?;
    let replayed = Doc::new();
    for blob in stored.state.iter().chain(stored.updates.iter()) {
        let update = Update::decode_v1(blob).map_err(|e| anyhow!("stored: {e}"))?;
        replayed
            .transact_mut()
            .apply_update(update)
            .map_err(|e| anyhow!("stored: {e}"))?;
    }
    let (room, replayed) = (content(&room), content(&replayed));
    if room != replayed {
        return Err(anyhow!(
            "the room's document differs from the store: {room:?} != {replayed:?}"
        ));
    }
    Ok(())
}

fn frame(update: &[u8]) -> Vec<u8> {
    Message::Sync(SyncMessage::Update(update.to_vec())).encode_v1()
}

/// A document holding `state`, which must decode and apply like any client's would.
fn doc_from(state: &[u8]) -> Result<Doc> {
    let doc = Doc::new();
    let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let update = Update::decode_v1(state).map_err(|e| anyhow!("state: {e}"))?;
        doc.transact_mut()
            .apply_update(update)
            .map_err(|e| anyhow!("state: {e}"))
    }));
    match applied {
        Ok(result) => result.map(|()| doc),
        Err(_) => Err(anyhow!("the room's state panics a client that reads it")),
    }
}

thread_local! {
    /// Client ids handed to new copies, from a fixed start in each case, so that a
    /// failing case replays exactly (and shrinks) instead of depending on random ids.
    static NEXT_CLIENT: std::cell::Cell<u64> = const { std::cell::Cell::new(1000) };
}

/// A copy of `doc` under `client` (or the next client id of this case).
fn copy(doc: &Doc, client: Option<ClientID>) -> Doc {
    let client_id = client.unwrap_or_else(|| {
        ClientID::new(NEXT_CLIENT.with(|next| {
            let id = next.get();
            next.set(id + 1);
            id
        }))
    });
    let copy = Doc::with_options(Options {
        client_id,
        ..Options::default()
    });
    let state = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    if let Ok(update) = Update::decode_v1(&state) {
        let _ = copy.transact_mut().apply_update(update);
    }
    copy
}

/// Makes one change on `doc` and returns it as an update.
fn edit(doc: &Doc, what: u8, at: u16, text: &str) -> Vec<u8> {
    let title = doc.get_or_insert_text("title");
    let findings = doc.get_or_insert_map("findings");
    let before = doc.transact().state_vector();
    {
        let mut txn = doc.transact_mut();
        // Offsets on character boundaries, as a real client's are: yrs counts a string's
        // bytes, and anything else in a text (an embed, which an editor may put there)
        // as one.
        let mut bounds = Vec::new();
        let mut end = 0u32;
        for chunk in title.diff(&txn, yrs::types::text::YChange::identity) {
            match chunk.insert {
                Out::Any(Any::String(text)) => {
                    bounds.extend(text.char_indices().map(|(i, _)| end + i as u32));
                    end += text.len() as u32;
                }
                _ => {
                    bounds.push(end);
                    end += 1;
                }
            }
        }
        bounds.push(end);
        // Content `diff` does not show (binary content, which an editor may also put in a
        // text) still takes a position; where it sits is unknown here, so only the start
        // is a sure boundary.
        if end != yrs::types::text::Text::len(&title, &txn) {
            bounds = vec![0];
        }
        let i = usize::from(at) % bounds.len();
        match what % 4 {
            0 => title.insert(&mut txn, bounds[i], text),
            1 if i + 1 < bounds.len() => {
                title.remove_range(&mut txn, bounds[i], bounds[i + 1] - bounds[i])
            }
            2 => {
                findings.insert(&mut txn, format!("f{}", at % 8), text);
            }
            _ => {
                findings.remove(&mut txn, &format!("f{}", at % 8));
            }
        }
    }
    doc.transact().encode_state_as_update_v1(&before)
}

/// A reader's write that claims to change nothing: a reused client id, a clock past 0,
/// a delete set alone, or an ordinary new client.
fn crafted(synced: &Doc, shape: u8) -> Vec<u8> {
    let known: Vec<ClientID> = synced
        .transact()
        .state_vector()
        .iter()
        .map(|(client, _)| *client)
        .collect();
    let reused = known.get(usize::from(shape) % known.len().max(1)).copied();
    match shape % 4 {
        0 => edit(&copy(synced, reused), 2, u16::from(shape), "planted"),
        1 => {
            let doc = copy(synced, None);
            edit(&doc, 0, 0, "first");
            edit(&doc, 2, u16::from(shape), "second")
        }
        2 => edit(&copy(synced, None), 3, u16::from(shape), ""),
        _ => edit(&copy(synced, reused), 1, u16::from(shape), ""),
    }
}

/// The document's state vector and what a person sees of it.
#[derive(Debug, PartialEq)]
struct Content {
    clocks: Vec<(u64, u32)>,
    title: String,
    findings: Vec<(String, String)>,
}

fn content(doc: &Doc) -> Content {
    let title = doc.get_or_insert_text("title");
    let findings = doc.get_or_insert_map("findings");
    let txn = doc.transact();
    let mut entries: Vec<(String, String)> = findings
        .iter(&txn)
        .map(|(key, value)| {
            let value = match value {
                Out::Any(Any::String(text)) => text.to_string(),
                other => format!("{other:?}"),
            };
            (key.to_string(), value)
        })
        .collect();
    entries.sort();
    let mut clocks: Vec<(u64, u32)> = txn
        .state_vector()
        .iter()
        .map(|(client, clock)| (client.get(), *clock))
        .collect();
    clocks.sort();
    Content {
        clocks,
        title: yrs::GetString::get_string(&title, &txn),
        findings: entries,
    }
}
