//! The websocket client: connects and syncs the way y-websocket's provider does.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async_with_config,
    tungstenite::{Message as WsMessage, protocol::CloseFrame},
};
use yrs::{
    Doc, ReadTxn, Transact, Update,
    sync::{Message, MessageReader, SyncMessage},
    updates::{
        decoder::{Decode, DecoderV1},
        encoder::Encode,
    },
};

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub(crate) fn decode_frame(frame: &[u8]) -> Result<Vec<Message>> {
    let mut decoder = DecoderV1::from(frame);
    MessageReader::new(&mut decoder)
        .map(|message| message.map_err(anyhow::Error::from))
        .collect()
}

pub(crate) fn apply(doc: &Doc, update: &[u8]) -> Result<()> {
    let update = Update::decode_v1(update)?;
    doc.transact_mut_with("server").apply_update(update)?;
    Ok(())
}

pub(crate) fn binary(message: Message) -> WsMessage {
    WsMessage::Binary(message.encode_v1().into())
}

pub(crate) fn describe_close(frame: Option<CloseFrame>) -> String {
    match frame {
        Some(frame) => format!("close {} {}", u16::from(frame.code), frame.reason),
        None => "close without a code".into(),
    }
}

/// A connected client that has the server's state.
pub(crate) struct Synced {
    pub(crate) socket: Socket,
    /// From the start of the connect to the arrival of the server's SyncStep2.
    pub(crate) received: Duration,
    /// ...and to the end of applying it.
    pub(crate) applied: Duration,
}

/// Connects the way y-websocket's provider does: sends SyncStep1, answers the server's
/// SyncStep1 from `local` (the client's own edits), and applies the server's SyncStep2
/// into `doc`. Returns once the SyncStep2 is applied.
pub(crate) async fn connect_synced(url: &str, doc: &Doc, local: &Doc) -> Result<Synced> {
    let started = Instant::now();
    // Browsers disable Nagle's algorithm on websockets; so do we.
    let (mut socket, _) = connect_async_with_config(url, None, true)
        .await
        .with_context(|| format!("connecting to {url}"))?;
    let step1 = SyncMessage::SyncStep1(doc.transact().state_vector());
    socket.send(binary(Message::Sync(step1))).await?;
    loop {
        let frame = match socket.next().await {
            Some(Ok(WsMessage::Binary(frame))) => frame,
            Some(Ok(WsMessage::Close(frame))) => {
                bail!(
                    "the server closed before the sync: {}",
                    describe_close(frame)
                )
            }
            Some(Ok(_)) => continue,
            Some(Err(err)) => return Err(err).context("reading from the server"),
            None => bail!("the connection ended before the sync"),
        };
        let received = started.elapsed();
        let mut synced = false;
        for message in decode_frame(&frame)? {
            match message {
                Message::Sync(SyncMessage::SyncStep1(sv)) => {
                    let missing = local.transact().encode_state_as_update_v1(&sv);
                    let step2 = SyncMessage::SyncStep2(missing);
                    socket.send(binary(Message::Sync(step2))).await?;
                }
                Message::Sync(SyncMessage::SyncStep2(update)) => {
                    apply(doc, &update)?;
                    synced = true;
                }
                Message::Sync(SyncMessage::Update(update)) => apply(doc, &update)?,
                _ => {}
            }
        }
        if synced {
            return Ok(Synced {
                socket,
                received,
                applied: started.elapsed(),
            });
        }
    }
}

/// Closes politely, without waiting long for the handshake.
pub(crate) async fn close(mut socket: Socket) {
    let _ = tokio::time::timeout(Duration::from_secs(2), socket.close(None)).await;
}
