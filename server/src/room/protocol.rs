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
                    SYNC_STEP1 => {
                        ClientMessage::SyncStep1(contained(|| StateVector::decode_v1(payload))?)
                    }
                    SYNC_STEP2 | SYNC_UPDATE => ClientMessage::Update {
                        update: decode_update(payload)?,
                        raw: frame.slice_ref(payload),
                    },
                    other => return Err(ProtocolError::UnknownSyncType(other)),
                }
            }
            MSG_AWARENESS => {
                let payload = cursor.read_buf().map_err(malformed)?;
                let update = contained(|| AwarenessUpdate::decode_v1(payload))?;
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

/// Runs a yrs decoder, refusing what it rejects or panics on (it asserts on some
/// hostile input, such as a client id wider than 53 bits, instead of returning an error).
fn contained<T>(
    decode: impl FnOnce() -> Result<T, yrs::encoding::read::Error>,
) -> Result<T, ProtocolError> {
    match crate::fault::contain(decode) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(malformed(err)),
        Err(contained) => Err(malformed(contained)),
    }
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

#[cfg(test)]
mod tests {
    //! Every message type, several in one frame, and every way a frame can be cut short
    //! or lie about its lengths: each gives the messages or an error, never a panic.

    use std::collections::HashMap;

    use yrs::{
        ClientID, Doc, ReadTxn, Text, Transact, encoding::write::Write,
        sync::awareness::AwarenessUpdateEntry, updates::decoder::Decode,
    };

    use super::*;

    /// Decodes a frame received as these bytes.
    fn decode_frame(frame: &[u8]) -> Result<Vec<ClientMessage>, ProtocolError> {
        super::decode_frame(&Bytes::copy_from_slice(frame))
    }

    /// A small real update and the state vector after it.
    fn edit() -> (Vec<u8>, StateVector) {
        let doc = Doc::with_client_id(7);
        let text = doc.get_or_insert_text("log");
        text.insert(&mut doc.transact_mut(), 0, "hello");
        let txn = doc.transact();
        (
            txn.encode_state_as_update_v1(&StateVector::default()),
            txn.state_vector(),
        )
    }

    fn presence(json: &str) -> AwarenessUpdate {
        let entry = AwarenessUpdateEntry {
            clock: 3,
            json: json.into(),
        };
        AwarenessUpdate {
            clients: HashMap::from([(ClientID::new(7), entry)]),
        }
    }

    fn frame(kind: u64, parts: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut out = Vec::new();
        out.write_var(kind);
        parts(&mut out);
        out
    }

    fn sync(sub: u64, payload: &[u8]) -> Vec<u8> {
        frame(MSG_SYNC, |out| {
            out.write_var(sub);
            out.write_buf(payload);
        })
    }

    fn awareness_frame(update: &AwarenessUpdate) -> Vec<u8> {
        frame(MSG_AWARENESS, |out| out.write_buf(update.encode_v1()))
    }

    fn one(frame: &[u8]) -> ClientMessage {
        let mut messages = decode_frame(frame).expect("a valid frame");
        assert_eq!(messages.len(), 1, "{messages:?}");
        messages.remove(0)
    }

    #[test]
    fn sync_step1_carries_the_clients_state_vector() {
        let (_, sv) = edit();
        match one(&sync(SYNC_STEP1, &sv.encode_v1())) {
            ClientMessage::SyncStep1(decoded) => assert_eq!(decoded, sv),
            other => panic!("{other:?}"),
        }
        // What the server sends decodes the same way.
        match one(&sync_step1(&sv)) {
            ClientMessage::SyncStep1(decoded) => assert_eq!(decoded, sv),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sync_step2_and_update_carry_a_decoded_update_and_its_bytes() {
        let (update, sv) = edit();
        for sub in [SYNC_STEP2, SYNC_UPDATE] {
            match one(&sync(sub, &update)) {
                ClientMessage::Update {
                    update: decoded,
                    raw,
                } => {
                    assert_eq!(&raw[..], &update[..]);
                    assert_eq!(decoded.state_vector(), sv);
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(matches!(
            one(&super::update(&update)),
            ClientMessage::Update { .. }
        ));
        // The broadcast frame and the stored update share one buffer.
        let (frame, payload) = update_frame(&update);
        assert_eq!(&payload[..], &update[..]);
        match one(&frame) {
            ClientMessage::Update { raw, .. } => assert_eq!(raw, payload),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            one(&sync_step2(update)),
            ClientMessage::Update { .. }
        ));
    }

    #[test]
    fn awareness_carries_presence_whose_states_are_json_or_null() {
        for json in [r#"{"user":{"name":"Ana"}}"#, "null"] {
            match one(&awareness_frame(&presence(json))) {
                ClientMessage::Awareness(update) => {
                    assert_eq!(&*update.clients[&ClientID::new(7)].json, json);
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(matches!(
            one(&awareness(presence("{}"))),
            ClientMessage::Awareness(_)
        ));
        let not_json = decode_frame(&awareness_frame(&presence("{not json")));
        assert!(
            matches!(&not_json, Err(ProtocolError::Malformed(m)) if m.contains("not JSON")),
            "{not_json:?}"
        );
    }

    #[test]
    fn auth_messages_are_accepted_and_ignored() {
        let denied = frame(MSG_AUTH, |out| {
            out.write_var(0u64);
            out.write_string("permission denied");
        });
        assert!(matches!(one(&denied), ClientMessage::Auth));
        assert!(matches!(
            one(&permission_denied("read-only")),
            ClientMessage::Auth
        ));
        assert!(matches!(one(&[2, 1]), ClientMessage::Auth));
        // A denial whose reason is missing is malformed.
        assert!(matches!(
            decode_frame(&[2, 0]),
            Err(ProtocolError::Malformed(_))
        ));
    }

    #[test]
    fn a_query_for_presence_has_no_body() {
        assert!(matches!(one(&[3]), ClientMessage::AwarenessQuery));
        let many = decode_frame(&[3, 3, 3]).expect("three queries");
        assert_eq!(many.len(), 3);
    }

    #[test]
    fn several_messages_in_one_frame_come_out_in_order() {
        let (update, sv) = edit();
        let mut all = sync(SYNC_STEP1, &sv.encode_v1());
        all.extend(sync(SYNC_UPDATE, &update));
        all.extend(awareness_frame(&presence("{}")));
        all.push(3);
        all.extend([2, 1]);
        all.extend(sync(SYNC_STEP2, &update));
        let kinds: Vec<&str> = decode_frame(&all)
            .expect("a valid frame")
            .iter()
            .map(|m| match m {
                ClientMessage::SyncStep1(_) => "step1",
                ClientMessage::Update { .. } => "update",
                ClientMessage::Awareness(_) => "awareness",
                ClientMessage::AwarenessQuery => "query",
                ClientMessage::Auth => "auth",
            })
            .collect();
        assert_eq!(
            kinds,
            ["step1", "update", "awareness", "query", "auth", "update"]
        );

        // One bad message refuses the whole frame.
        let mut spoiled = all.clone();
        spoiled.push(9);
        assert_eq!(
            decode_frame(&spoiled).err(),
            Some(ProtocolError::UnknownType(9))
        );
    }

    #[test]
    fn unknown_types_and_empty_frames_are_refused() {
        assert_eq!(decode_frame(&[]).err(), Some(ProtocolError::Empty));
        assert_eq!(
            decode_frame(&[4]).err(),
            Some(ProtocolError::UnknownType(4))
        );
        assert_eq!(
            decode_frame(&[0xff, 0x01]).err(),
            Some(ProtocolError::UnknownType(0xff))
        );
        assert_eq!(
            decode_frame(&sync(3, &[0])).err(),
            Some(ProtocolError::UnknownSyncType(3))
        );
    }

    #[test]
    fn every_truncation_of_a_frame_is_refused_or_ends_on_a_message_boundary() {
        let (update, sv) = edit();
        let mut all = sync(SYNC_STEP1, &sv.encode_v1());
        let boundaries = [all.len()];
        all.extend(sync(SYNC_UPDATE, &update));
        let boundaries = [boundaries[0], all.len()];
        all.extend(awareness_frame(&presence(r#"{"a":1}"#)));
        for cut in 1..all.len() {
            match decode_frame(&all[..cut]) {
                Ok(messages) => assert!(
                    boundaries.contains(&cut),
                    "a frame cut at {cut} decoded: {messages:?}"
                ),
                Err(
                    ProtocolError::Malformed(_)
                    | ProtocolError::CorruptUpdate(_)
                    | ProtocolError::UnknownType(_)
                    | ProtocolError::UnknownSyncType(_),
                ) => assert!(!boundaries.contains(&cut), "cut at {cut}"),
                Err(ProtocolError::Empty) => unreachable!("the cut is never empty"),
            }
        }
    }

    #[test]
    fn length_prefixes_larger_than_the_frame_are_refused_without_allocating_them() {
        // A payload length of 2^63 with two bytes behind it.
        let mut huge = vec![MSG_SYNC as u8, SYNC_UPDATE as u8];
        huge.write_var(1u64 << 63);
        huge.extend([1, 2]);
        assert!(matches!(
            decode_frame(&huge),
            Err(ProtocolError::Malformed(_))
        ));
        // Ten bytes longer than the frame.
        assert!(matches!(
            decode_frame(&[0, 2, 12, 1, 2]),
            Err(ProtocolError::Malformed(_))
        ));
        // A varUint that never ends, or overflows 64 bits.
        assert!(matches!(
            decode_frame(&[0x80; 8]),
            Err(ProtocolError::Malformed(_))
        ));
        assert!(decode_frame(&[0xff; 16]).is_err());
        let mut awareness = vec![MSG_AWARENESS as u8];
        awareness.write_var(u64::MAX);
        assert!(matches!(
            decode_frame(&awareness),
            Err(ProtocolError::Malformed(_))
        ));
        // An awareness update claiming more clients than it holds.
        let claims = frame(MSG_AWARENESS, |out| out.write_buf([0xff, 0xff, 0xff, 0x0f]));
        assert!(matches!(
            decode_frame(&claims),
            Err(ProtocolError::Malformed(_))
        ));
    }

    #[test]
    fn garbage_updates_are_refused_as_corrupt_even_when_the_decoder_panics() {
        assert!(matches!(
            decode_frame(&sync(SYNC_UPDATE, &[1, 2, 3])),
            Err(ProtocolError::CorruptUpdate(_))
        ));
        assert!(matches!(
            decode_frame(&sync(SYNC_STEP1, &[5, 1])),
            Err(ProtocolError::Malformed(_))
        ));
        // Client 5: a GC block of 2^32 - 2 clocks, then "hello": the clock overflows
        // u32, which panics inside yrs where overflow checks are on (debug builds).
        let overflowing = [
            1, 2, 5, 0, 0, 254, 255, 255, 255, 15, 4, 1, 3, b'l', b'o', b'g', 5, b'h', b'e', b'l',
            b'l', b'o', 0,
        ];
        let refused = decode_update(&overflowing).err();
        assert!(
            matches!(refused, Some(ProtocolError::CorruptUpdate(_))),
            "{refused:?}"
        );
        if cfg!(debug_assertions) {
            assert_eq!(
                refused,
                Some(ProtocolError::CorruptUpdate(
                    crate::fault::Contained.to_string()
                ))
            );
        }
        assert!(decode_frame(&sync(SYNC_UPDATE, &overflowing)).is_err());
    }

    #[test]
    fn random_frames_never_panic() {
        let (update, sv) = edit();
        let mut valid = sync(SYNC_STEP1, &sv.encode_v1());
        valid.extend(sync(SYNC_UPDATE, &update));
        valid.extend(awareness_frame(&presence("{}")));
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..20_000 {
            let frame: Vec<u8> = if round % 2 == 0 {
                // Noise.
                let len = (next() % 48) as usize;
                (0..len).map(|_| next() as u8).collect()
            } else {
                // A valid frame with a few bytes changed.
                let mut frame = valid.clone();
                for _ in 0..1 + next() % 3 {
                    let at = (next() % frame.len() as u64) as usize;
                    frame[at] = next() as u8;
                }
                frame
            };
            // Decoding returns, whatever it returns.
            let _ = decode_frame(&frame);
        }
        // The valid frame still decodes after all that.
        assert_eq!(decode_frame(&valid).map(|m| m.len()).ok(), Some(3));
        let _ = Update::decode_v1(&update).expect("a valid update");
    }

    /// yrs asserts (in debug builds) that a client id fits 53 bits; a hostile client's
    /// wider id in presence or a state vector is refused, never a panic.
    #[test]
    fn client_ids_wider_than_53_bits_are_refused() {
        let wide: u64 = 1 << 60;
        let mut presence = EncoderV1::new();
        presence.write_var(1u32);
        presence.write_var(wide);
        presence.write_var(1u32);
        presence.write_string("{}");
        let mut frame = EncoderV1::new();
        frame.write_var(MSG_AWARENESS);
        frame.write_buf(presence.to_vec());
        let refused = decode_frame(&Bytes::from(frame.to_vec()));
        assert!(
            matches!(refused, Err(ProtocolError::Malformed(_))),
            "{refused:?}"
        );

        let mut sv = EncoderV1::new();
        sv.write_var(1u32);
        sv.write_var(wide);
        sv.write_var(3u32);
        let mut frame = EncoderV1::new();
        frame.write_var(MSG_SYNC);
        frame.write_var(SYNC_STEP1);
        frame.write_buf(sv.to_vec());
        let refused = decode_frame(&Bytes::from(frame.to_vec()));
        assert!(
            matches!(refused, Err(ProtocolError::Malformed(_))),
            "{refused:?}"
        );
    }
}
