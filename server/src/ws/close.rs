//! Websocket close codes: how the server tells a client why it was disconnected.
//! Documented for client authors in `docs/protocol.md`.
//!
//! Private codes follow the convention the stock y-websocket client keeps: 4400-4499
//! mirror HTTP's 4xx (permanent: the client stops reconnecting), 4500-4599 are "try
//! again" (the client reconnects with back-off).

use std::time::Duration;

use crate::room::{CloseReason, protocol::ProtocolError};

/// How long a close handshake may take before the socket is simply dropped.
pub(super) const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// The server is shutting down; reconnect later.
pub const GOING_AWAY: u16 = 1001;
/// A text frame, or a message type the protocol does not define.
pub const UNSUPPORTED_DATA: u16 = 1003;
/// A malformed message or a corrupt document update.
pub const INVALID_PAYLOAD: u16 = 1007;
/// A frame over the size limit.
pub const MESSAGE_TOO_BIG: u16 = 1009;
/// The store is unavailable; nothing unconfirmed was lost. Reconnect with back-off.
pub const INTERNAL_ERROR: u16 = 1011;
/// The room was reset; reconnect to resync.
pub const SERVICE_RESTART: u16 = 1012;
/// The document name in the URL is not valid.
pub const INVALID_DOCUMENT: u16 = 4400;
/// The caller's access to the document ended (signed out, token revoked or expired,
/// removed from the review). Permanent.
pub const ACCESS_ENDED: u16 = 4403;
/// An update touched more board fields than one update may. Permanent: sending the
/// same update again would be refused again.
pub const UPDATE_TOO_LARGE: u16 = 4413;
/// The caller's access changed (e.g. their role); reconnecting gives the new access.
pub const ACCESS_CHANGED: u16 = 4503;
/// The client stopped answering pings; reconnect.
pub const TIMED_OUT: u16 = 4508;
/// The client could not keep up with the room; reconnect to resync.
pub const TOO_SLOW: u16 = 4509;
/// The client sent messages faster than allowed; slow down, then reconnect.
pub const TOO_MANY_MESSAGES: u16 = 4529;

/// The close code and reason text for `reason`; `None` when no close frame is due.
pub fn frame_for(reason: &CloseReason) -> Option<(u16, String)> {
    let (code, text) = match reason {
        CloseReason::ClientGone => return None,
        CloseReason::Shutdown => (GOING_AWAY, "server shutting down".to_string()),
        CloseReason::TooSlow => (TOO_SLOW, "too slow: reconnect to resync".to_string()),
        CloseReason::RoomRestarted => (SERVICE_RESTART, "room restarted: reconnect".to_string()),
        CloseReason::Moved => (
            SERVICE_RESTART,
            "the board moved to another server: reconnect".to_string(),
        ),
        CloseReason::StoreUnavailable => (INTERNAL_ERROR, "storage unavailable".to_string()),
        CloseReason::Protocol(err @ ProtocolError::UnknownType(_)) => {
            (UNSUPPORTED_DATA, err.to_string())
        }
        CloseReason::Protocol(err) => (INVALID_PAYLOAD, err.to_string()),
        CloseReason::TextFrame => (
            UNSUPPORTED_DATA,
            "text frames are not supported".to_string(),
        ),
        CloseReason::TooBig => (MESSAGE_TOO_BIG, "message too big".to_string()),
        CloseReason::Flooding => (TOO_MANY_MESSAGES, "too many messages".to_string()),
        CloseReason::UpdateTooLarge { touched, most } => (
            UPDATE_TOO_LARGE,
            format!(
                "update refused: it touches {touched} board fields, at most {most} may change at once"
            ),
        ),
        CloseReason::TimedOut => (TIMED_OUT, "no answer to ping".to_string()),
        CloseReason::AccessEnded => (
            ACCESS_ENDED,
            "your access to this document ended".to_string(),
        ),
        CloseReason::AccessChanged => (
            ACCESS_CHANGED,
            "your access to this document changed: reconnect".to_string(),
        ),
    };
    // A close reason must fit in a control frame (123 bytes).
    Some((code, truncate(text, 120)))
}

/// A short label for metrics and logs.
pub fn label(reason: &CloseReason) -> &'static str {
    match reason {
        CloseReason::ClientGone => "client_gone",
        CloseReason::Shutdown => "shutdown",
        CloseReason::TooSlow => "too_slow",
        CloseReason::RoomRestarted => "room_restarted",
        CloseReason::Moved => "moved",
        CloseReason::StoreUnavailable => "store_unavailable",
        CloseReason::Protocol(_) => "protocol_error",
        CloseReason::TextFrame => "text_frame",
        CloseReason::TooBig => "too_big",
        CloseReason::Flooding => "flooding",
        CloseReason::UpdateTooLarge { .. } => "update_too_large",
        CloseReason::TimedOut => "timed_out",
        CloseReason::AccessEnded => "access_ended",
        CloseReason::AccessChanged => "access_changed",
    }
}

fn truncate(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(reason: CloseReason) -> Option<u16> {
        frame_for(&reason).map(|(code, _)| code)
    }

    #[test]
    fn room_reasons_have_their_documented_codes() {
        // What the room tests assert as reasons, as clients see them (docs/protocol.md).
        assert_eq!(code(CloseReason::StoreUnavailable), Some(1011));
        assert_eq!(code(CloseReason::RoomRestarted), Some(1012));
        assert_eq!(code(CloseReason::TooSlow), Some(4509));
        assert_eq!(code(CloseReason::Shutdown), Some(1001));
        assert_eq!(
            code(CloseReason::UpdateTooLarge {
                touched: 3,
                most: 2
            }),
            Some(4413)
        );
        assert_eq!(
            code(CloseReason::Protocol(ProtocolError::UnknownType(9))),
            Some(1003)
        );
        assert_eq!(
            code(CloseReason::Protocol(ProtocolError::CorruptUpdate(
                "x".into()
            ))),
            Some(1007)
        );
        // A client that left is not sent a close frame.
        assert_eq!(code(CloseReason::ClientGone), None);
        assert_eq!(label(&CloseReason::StoreUnavailable), "store_unavailable");
    }

    #[test]
    fn close_texts_fit_a_control_frame_and_keep_whole_characters() {
        let long = "é".repeat(200);
        let reason = CloseReason::Protocol(ProtocolError::CorruptUpdate(long));
        let (_, text) = frame_for(&reason).expect("a close frame");
        assert!(text.len() <= 120, "{} bytes", text.len());
        assert!(text.ends_with('é'));
    }
}
