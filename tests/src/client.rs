//! Test clients: [`YClient`], a real `yrs::Doc` synced over a real websocket the way
//! `y-websocket`'s provider does it, and [`RawClient`], for sending arbitrary frames.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU32, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, Result, anyhow, bail};
use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use tokio::{net::TcpStream, sync::mpsc, task::JoinHandle};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async, connect_async_with_config,
    tungstenite::{
        Message as WsMessage,
        protocol::{CloseFrame, WebSocketConfig},
    },
};
use yrs::{
    Doc, GetString, Origin, ReadTxn, StateVector, Text, Transact, Update,
    sync::{AwarenessUpdate, Message, SyncMessage, awareness::AwarenessUpdateEntry},
    updates::{
        decoder::{Decode, DecoderV1},
        encoder::Encode,
    },
};

/// Transactions with this origin came from the server and are not sent back.
const REMOTE: &str = "remote";

/// What a [`YClient`] has seen.
#[derive(Debug, Default, Clone)]
pub struct Seen {
    /// A SyncStep2 arrived: the client has everything the server had when it answered.
    pub synced: bool,
    /// The server's SyncStep1 arrived.
    pub server_step1: bool,
    /// Update messages received (including echoes of our own).
    pub updates: usize,
    /// Presence entries by client id: (clock, JSON).
    pub presence: HashMap<u64, (u32, String)>,
    /// The close frame the server sent, if any.
    pub closed: Option<(u16, String)>,
    /// The socket has ended.
    pub ended: bool,
    /// The reason of a "permission denied" auth message, if one came.
    pub permission_denied: Option<String>,
}

/// A Yjs client over a real websocket.
pub struct YClient {
    pub doc: Doc,
    out: mpsc::UnboundedSender<WsMessage>,
    seen: Arc<Mutex<Seen>>,
    awareness_clock: AtomicU32,
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl YClient {
    /// Connects a new empty document to `url`.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_doc(url, Doc::new()).await
    }

    /// Connects an existing document (which may hold offline edits) to `url`.
    pub async fn connect_doc(url: &str, doc: Doc) -> Result<Self> {
        Self::connect_with(url, &[], doc).await
    }

    /// Connects `doc` to `url`, sending extra request headers (a cookie, an origin).
    pub async fn connect_with(url: &str, headers: &[(&str, &str)], doc: Doc) -> Result<Self> {
        // Like a browser, accept whole documents of any size in one frame.
        let config = WebSocketConfig::default()
            .max_message_size(None)
            .max_frame_size(None);
        let request = request_with(url, headers)?;
        let (socket, _) = connect_async_with_config(request, Some(config), false)
            .await
            .with_context(|| format!("connecting to {url}"))?;
        Ok(Self::over(socket, doc))
    }

    fn over(socket: WebSocketStream<MaybeTlsStream<TcpStream>>, doc: Doc) -> Self {
        let (mut sink, mut stream) = socket.split();
        let (out, mut out_rx) = mpsc::unbounded_channel::<WsMessage>();
        let seen = Arc::new(Mutex::new(Seen::default()));

        // Like y-websocket: every local change goes out as an Update message.
        let local = out.clone();
        let _ = doc.observe_update_v1("ws", move |txn, event| {
            if txn.origin() != Some(&Origin::from(REMOTE)) {
                let msg = Message::Sync(SyncMessage::Update(event.update.clone()));
                let _ = local.send(WsMessage::Binary(msg.encode_v1().into()));
            }
        });
        let step1 = Message::Sync(SyncMessage::SyncStep1(doc.transact().state_vector()));
        let _ = out.send(WsMessage::Binary(step1.encode_v1().into()));

        let writer = tokio::spawn(async move {
            while let Some(msg) = out_rx.recv().await {
                if sink.send(msg).await.is_err() {
                    break;
                }
            }
        });
        let reply = out.clone();
        let reader_doc = doc.clone();
        let reader_seen = seen.clone();
        let reader = tokio::spawn(async move {
            while let Some(Ok(msg)) = stream.next().await {
                match msg {
                    WsMessage::Binary(data) => {
                        if let Err(err) = handle_frame(&reader_doc, &data, &reply, &reader_seen) {
                            eprintln!("test client: bad frame from server: {err}");
                        }
                    }
                    WsMessage::Close(frame) => {
                        let mut seen = lock(&reader_seen);
                        seen.closed = Some(
                            frame
                                .map(|f| (u16::from(f.code), f.reason.to_string()))
                                .unwrap_or((1005, String::new())),
                        );
                    }
                    _ => {}
                }
            }
            lock(&reader_seen).ended = true;
        });
        Self {
            doc,
            out,
            seen,
            awareness_clock: AtomicU32::new(0),
            reader,
            writer,
        }
    }

    /// A copy of what the client has seen so far.
    pub fn seen(&self) -> Seen {
        lock(&self.seen).clone()
    }

    /// Waits for the server's answer to our SyncStep1.
    pub async fn synced(&self) -> Result<()> {
        self.wait("initial sync", |s| s.synced).await
    }

    /// Waits until `ready` holds for what the client has seen (10 s at most).
    pub async fn wait(&self, what: &str, ready: impl Fn(&Seen) -> bool) -> Result<()> {
        eventually(what, Duration::from_secs(10), || ready(&lock(&self.seen))).await
    }

    /// Waits for the server's close frame and returns its code.
    pub async fn close_code(&self) -> Result<u16> {
        self.wait("a close frame", |s| s.closed.is_some() || s.ended)
            .await?;
        self.seen()
            .closed
            .map(|(code, _)| code)
            .ok_or_else(|| anyhow!("the connection ended without a close frame"))
    }

    /// Appends to the text `name`.
    pub fn push(&self, name: &str, content: &str) {
        let text = self.doc.get_or_insert_text(name);
        let mut txn = self.doc.transact_mut();
        text.push(&mut txn, content);
    }

    /// Inserts into the text `name` at `index` (clamped).
    pub fn insert(&self, name: &str, index: u32, content: &str) {
        let text = self.doc.get_or_insert_text(name);
        let mut txn = self.doc.transact_mut();
        let index = index.min(text.len(&txn));
        text.insert(&mut txn, index, content);
    }

    /// Removes up to `len` characters from the text `name` at `index` (clamped).
    pub fn remove(&self, name: &str, index: u32, len: u32) {
        let text = self.doc.get_or_insert_text(name);
        let mut txn = self.doc.transact_mut();
        let size = text.len(&txn);
        if index < size {
            text.remove_range(&mut txn, index, len.min(size - index));
        }
    }

    /// The text `name` as a string.
    pub fn text(&self, name: &str) -> String {
        let text = self.doc.get_or_insert_text(name);
        text.get_string(&self.doc.transact())
    }

    /// The whole document as one update (for comparing states).
    pub fn state(&self) -> Vec<u8> {
        self.doc
            .transact()
            .encode_state_as_update_v1(&StateVector::default())
    }

    /// The document read as a board (docs/board-schema.md).
    pub fn board(&self) -> Result<board_server::board::Board> {
        Ok(board_server::board::Board::from_update(&self.state())?)
    }

    /// This document's Yjs client id.
    pub fn client_id(&self) -> u64 {
        self.doc.client_id().get()
    }

    /// Publishes our presence (`None` removes it), like `awareness.setLocalState`.
    pub fn set_presence(&self, state: Option<&serde_json::Value>) {
        let clock = self.awareness_clock.fetch_add(1, Ordering::Relaxed) + 1;
        let json = state.map_or_else(|| "null".to_string(), |v| v.to_string());
        let update = AwarenessUpdate {
            clients: HashMap::from([(
                self.doc.client_id(),
                AwarenessUpdateEntry {
                    clock,
                    json: json.into(),
                },
            )]),
        };
        self.send_raw(Message::Awareness(update).encode_v1());
    }

    /// Sends an awareness query (message type 3).
    pub fn query_presence(&self) {
        self.send_raw(Message::AwarenessQuery.encode_v1());
    }

    /// Sends arbitrary bytes as one binary frame.
    pub fn send_raw(&self, frame: impl Into<Bytes>) {
        let _ = self.out.send(WsMessage::Binary(frame.into()));
    }

    /// Closes politely with a close frame.
    pub async fn close(self) {
        let _ = self.out.send(WsMessage::Close(None));
        let _ = self.wait("the close handshake", |s| s.ended).await;
    }

    /// Drops the TCP connection without a close frame, as a crashed browser would.
    pub fn vanish(self) {
        drop(self);
    }
}

impl Drop for YClient {
    fn drop(&mut self) {
        // The document may live on (offline) and connect again later.
        let _ = self.doc.unobserve_update_v1("ws");
        self.reader.abort();
        self.writer.abort();
    }
}

fn lock(seen: &Mutex<Seen>) -> std::sync::MutexGuard<'_, Seen> {
    seen.lock().unwrap_or_else(|p| p.into_inner())
}

fn handle_frame(
    doc: &Doc,
    data: &[u8],
    reply: &mpsc::UnboundedSender<WsMessage>,
    seen: &Mutex<Seen>,
) -> Result<()> {
    let mut decoder = DecoderV1::from(data);
    let mut count = 0;
    for message in yrs::sync::MessageReader::new(&mut decoder) {
        count += 1;
        match message? {
            Message::Sync(SyncMessage::SyncStep1(sv)) => {
                let update = doc.transact().encode_state_as_update_v1(&sv);
                let step2 = Message::Sync(SyncMessage::SyncStep2(update));
                let _ = reply.send(WsMessage::Binary(step2.encode_v1().into()));
                lock(seen).server_step1 = true;
            }
            Message::Sync(SyncMessage::SyncStep2(update)) => {
                apply_remote(doc, &update)?;
                lock(seen).synced = true;
            }
            Message::Sync(SyncMessage::Update(update)) => {
                apply_remote(doc, &update)?;
                lock(seen).updates += 1;
            }
            Message::Awareness(update) => {
                let mut seen = lock(seen);
                for (client, entry) in update.clients {
                    if &*entry.json == "null" {
                        seen.presence.remove(&client.get());
                    } else {
                        seen.presence
                            .insert(client.get(), (entry.clock, entry.json.to_string()));
                    }
                }
            }
            Message::Auth(reason) => {
                lock(seen).permission_denied = Some(reason.unwrap_or_default());
            }
            _ => {}
        }
    }
    if count == 0 {
        bail!("empty frame");
    }
    Ok(())
}

fn apply_remote(doc: &Doc, update: &[u8]) -> Result<()> {
    let update = Update::decode_v1(update)?;
    doc.transact_mut_with(REMOTE).apply_update(update)?;
    Ok(())
}

/// A websocket handshake request for `url` with extra headers.
pub fn request_with(
    url: &str,
    headers: &[(&str, &str)],
) -> Result<tokio_tungstenite::tungstenite::handshake::client::Request> {
    use tokio_tungstenite::tungstenite::{client::IntoClientRequest, http::HeaderValue};
    let mut request = url.into_client_request()?;
    for (name, value) in headers {
        request.headers_mut().insert(
            tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(name.as_bytes())?,
            HeaderValue::from_str(value)?,
        );
    }
    Ok(request)
}

/// The HTTP status a websocket handshake to `url` answers: 101 when it upgrades, else
/// the refusal's status.
pub async fn handshake_status(url: &str, headers: &[(&str, &str)]) -> Result<u16> {
    use tokio_tungstenite::tungstenite::Error;
    match tokio_tungstenite::connect_async(request_with(url, headers)?).await {
        Ok((mut socket, response)) => {
            let _ = socket.close(None).await;
            Ok(response.status().as_u16())
        }
        Err(Error::Http(response)) => Ok(response.status().as_u16()),
        Err(err) => Err(err.into()),
    }
}

/// A websocket that sends whatever it is told to, for bad-input tests.
pub struct RawClient {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

impl RawClient {
    pub async fn connect(url: &str) -> Result<Self> {
        let (socket, _) = connect_async(url).await?;
        Ok(Self { socket })
    }

    pub async fn send(&mut self, message: WsMessage) -> Result<()> {
        self.socket.send(message).await?;
        Ok(())
    }

    pub async fn send_binary(&mut self, frame: impl Into<Bytes>) -> Result<()> {
        self.send(WsMessage::Binary(frame.into())).await
    }

    /// Reads until the server closes; returns the close code and reason.
    pub async fn closed(&mut self) -> Result<(u16, String)> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, self.socket.next()).await {
                Err(_) => bail!("the server did not close the connection"),
                Ok(None) => bail!("the connection ended without a close frame"),
                Ok(Some(Err(err))) => bail!("the connection failed without a close frame: {err}"),
                Ok(Some(Ok(WsMessage::Close(frame)))) => {
                    return Ok(frame
                        .map(|CloseFrame { code, reason }| (u16::from(code), reason.to_string()))
                        .unwrap_or((1005, String::new())));
                }
                Ok(Some(Ok(_))) => {}
            }
        }
    }

    /// The underlying socket, to stop reading from it (a stuck client).
    pub fn into_inner(self) -> WebSocketStream<MaybeTlsStream<TcpStream>> {
        self.socket
    }
}

/// Polls `ready` until it holds or `timeout` passes.
pub async fn eventually(
    what: &str,
    timeout: Duration,
    mut ready: impl FnMut() -> bool,
) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if ready() {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("timed out after {timeout:?} waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Encodes a y-websocket update message `[0, 2, update]`.
pub fn update_message(update: &[u8]) -> Vec<u8> {
    Message::Sync(SyncMessage::Update(update.to_vec())).encode_v1()
}

/// Encodes a SyncStep1 message for an empty document.
pub fn empty_step1() -> Vec<u8> {
    Message::Sync(SyncMessage::SyncStep1(StateVector::default())).encode_v1()
}
