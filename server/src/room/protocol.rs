//! The y-websocket wire protocol: decoding client frames, encoding server frames.
//!
//! A frame holds one or more messages back to back. Each starts with a varUint type:
//! 0 sync (sub-type 0 SyncStep1, 1 SyncStep2, 2 Update), 1 awareness, 2 auth,
//! 3 awareness query. See `docs/protocol.md`.

use bytes::Bytes;
use yrs::{
    StateVector, Update,
    encoding::{
        read::{Cursor, Read},
        write::Write,
    },
    sync::{AwarenessUpdate, Message, SyncMessage},
    updates::{
        decoder::Decode,
        encoder::{Encode, Encoder, EncoderV1},
    },
};

const MSG_SYNC: u64 = 0;
const MSG_AWARENESS: u64 = 1;
const MSG_AUTH: u64 = 2;
const MSG_QUERY_AWARENESS: u64 = 3;
const SYNC_STEP1: u64 = 0;
const SYNC_STEP2: u64 = 1;
const SYNC_UPDATE: u64 = 2;

/// One decoded message from a client.
#[derive(Debug)]
pub enum ClientMessage {
    /// The client's state vector: answer with what it is missing.
    SyncStep1(StateVector),
    /// A document update (from SyncStep2 or Update), already decoded and checked.
    Update { update: Update, raw: Bytes },
    /// Presence entries.
    Awareness(AwarenessUpdate),
    /// "Send me every presence entry you know."
    AwarenessQuery,
    /// An auth message; clients have nothing to say here, so it is ignored.
    Auth,
}

/// Why a frame was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("empty frame")]
    Empty,
    #[error("malformed message: {0}")]
    Malformed(String),
    #[error("unknown message type {0}")]
    UnknownType(u64),
    #[error("unknown sync message type {0}")]
    UnknownSyncType(u64),
    #[error("corrupt document update: {0}")]
    CorruptUpdate(String),
}

fn malformed(err: impl std::fmt::Display) -> ProtocolError {
    ProtocolError::Malformed(err.to_string())
}

/// Decodes every message of one binary frame. The frame is all-or-nothing: if any
/// message in it is bad, none is returned. An update's raw bytes share the frame's
/// buffer rather than being copied.
pub fn decode_frame(frame: &Bytes) -> Result<Vec<ClientMessage>, ProtocolError> {
    if frame.is_empty() {
        return Err(ProtocolError::Empty);
    }
    let mut cursor = Cursor::new(&frame[..]);
    let mut messages = Vec::with_capacity(1);
    while cursor.has_content() {
        let kind: u64 = cursor.read_var().map_err(malformed)?;
        let message = match kind {
            MSG_SYNC => {
                let sub: u64 = cursor.read_var().map_err(malformed)?;
                let payload = cursor.read_buf().map_err(malformed)?;
                match sub {
                    SYNC_STEP1 => ClientMessage::SyncStep1(
                        StateVector::decode_v1(payload).map_err(malformed)?,
                    ),
                    SYNC_STEP2 | SYNC_UPDATE => ClientMessage::Update {
                        update: decode_update(payload)?,
                        raw: frame.slice_ref(payload),
                    },
                    other => return Err(ProtocolError::UnknownSyncType(other)),
                }
            }
            MSG_AWARENESS => {
                let payload = cursor.read_buf().map_err(malformed)?;
                let update = AwarenessUpdate::decode_v1(payload).map_err(malformed)?;
                for entry in update.clients.values() {
                    if &*entry.json != "null" {
                        serde_json::from_str::<serde::de::IgnoredAny>(&entry.json)
                            .map_err(|e| malformed(format!("awareness state is not JSON: {e}")))?;
                    }
                }
                ClientMessage::Awareness(update)
            }
            MSG_AUTH => {
                let sub: u64 = cursor.read_var().map_err(malformed)?;
                if sub == 0 {
                    cursor.read_string().map_err(malformed)?;
                }
                ClientMessage::Auth
            }
            MSG_QUERY_AWARENESS => ClientMessage::AwarenessQuery,
            other => return Err(ProtocolError::UnknownType(other)),
        };
        messages.push(message);
    }
    Ok(messages)
}

/// Decodes a v1 update, refusing anything the decoder rejects or panics on.
pub fn decode_update(payload: &[u8]) -> Result<Update, ProtocolError> {
    match crate::fault::contain(|| Update::decode_v1(payload)) {
        Ok(Ok(update)) => Ok(update),
        Ok(Err(err)) => Err(ProtocolError::CorruptUpdate(err.to_string())),
        Err(contained) => Err(ProtocolError::CorruptUpdate(contained.to_string())),
    }
}

/// `[0, 0, sv]`: the server's SyncStep1.
pub fn sync_step1(sv: &StateVector) -> Bytes {
    Message::Sync(SyncMessage::SyncStep1(sv.clone()))
        .encode_v1()
        .into()
}

/// `[0, 1, update]`: the answer to a client's SyncStep1.
pub fn sync_step2(update: Vec<u8>) -> Bytes {
    Message::Sync(SyncMessage::SyncStep2(update))
        .encode_v1()
        .into()
}

/// `[0, 2, update]`: an update broadcast to the room.
pub fn update(update: &[u8]) -> Bytes {
    update_frame(update).0
}

/// `[0, 2, update]` built once, with the update itself as a view into the same buffer:
/// the room stores the second and broadcasts the first without copying either.
pub fn update_frame(update: &[u8]) -> (Bytes, Bytes) {
    let mut encoder = EncoderV1::new();
    encoder.write_var(MSG_SYNC);
    encoder.write_var(SYNC_UPDATE);
    encoder.write_buf(update);
    let frame = Bytes::from(encoder.to_vec());
    let payload = frame.slice(frame.len() - update.len()..);
    (frame, payload)
}

/// `[2, 0, reason]`: the y-protocols auth message "permission denied". The stock client
/// logs the reason; the connection stays open (a read-only caller still receives).
pub fn permission_denied(reason: &str) -> Bytes {
    Message::Auth(Some(reason.to_string())).encode_v1().into()
}

/// `[1, awareness]`: presence entries.
pub fn awareness(update: AwarenessUpdate) -> Bytes {
    Message::Awareness(update).encode_v1().into()
}
