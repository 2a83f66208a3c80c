//! One open connection: the reader task hands decoded frames to the room, the writer
//! task drains the connection's outbox and sends pings; either ending closes the other.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use bytes::Bytes;
use futures_util::{SinkExt, StreamExt, stream::SplitSink, stream::SplitStream};
use tokio::{sync::mpsc, time::timeout};
use tracing::{Instrument, debug, info_span, warn};

use super::{
    close::{self, CLOSE_TIMEOUT},
    limits::{RateLimiter, is_too_big},
    recheck::recheck_access,
    upgrade::Grant,
};
use crate::{
    access::DocumentAccess,
    document::DocumentName,
    quota::Place,
    room::{CloseReason, PeerControl, PeerLink, RoomHandle, protocol},
    state::AppState,
};

pub(super) async fn serve(
    app: AppState,
    document: DocumentName,
    socket: WebSocket,
    grant: Grant,
    _place: Place<String>,
) {
    let peer = app.next_peer_id();
    let access = grant.access;
    let span = info_span!("conn", %document, peer, who = %grant.author.name, ?access);
    async move {
        app.metrics.connections.inc();
        let may_write = access != DocumentAccess::Read;
        let (mut link, outbox) =
            PeerLink::new(peer, grant.author.clone(), may_write, &app.rooms_config);
        link.may_change_agreed = access == DocumentAccess::Edit;
        let control = link.control.clone();
        let recheck = tokio::spawn(
            recheck_access(
                app.clone(),
                document.clone(),
                Arc::new(grant),
                control.clone(),
            )
            .in_current_span(),
        );
        let heard = Arc::new(AtomicBool::new(true));
        let (sink, stream) = socket.split();
        let writer = tokio::spawn(
            write_loop(sink, outbox, control.clone(), heard.clone(), app.clone()).in_current_span(),
        );
        match app.rooms.join(&document, link.clone()).await {
            Ok(room) => {
                debug!("connected");
                let room_alive = read_loop(stream, &room, &link, &heard, &app).await;
                room.leave().await;
                if !room_alive {
                    // The room stopped and will have said why; give it a moment.
                    let _ = timeout(Duration::from_secs(1), control.closed()).await;
                    control.close(CloseReason::RoomRestarted);
                }
            }
            Err(_) => control.close(CloseReason::Shutdown),
        }
        control.close(CloseReason::ClientGone);
        recheck.abort();
        let _ = writer.await;
        let reason = control.reason().cloned().unwrap_or(CloseReason::ClientGone);
        app.metrics.connections.dec();
        app.metrics.closed(close::label(&reason));
        debug!(reason = close::label(&reason), "disconnected");
    }
    .instrument(span)
    .await
}

/// Reads frames until the connection should end. Returns false if the room stopped.
async fn read_loop(
    mut stream: SplitStream<WebSocket>,
    room: &RoomHandle,
    link: &PeerLink,
    heard: &AtomicBool,
    app: &AppState,
) -> bool {
    let control = &*link.control;
    let mut limiter = RateLimiter::new(app.ws.messages_per_second, app.ws.message_burst);
    loop {
        let next = tokio::select! {
            biased;
            _ = control.closed() => return true,
            next = stream.next() => next,
        };
        let message = match next {
            None | Some(Ok(Message::Close(_))) => return true,
            Some(Err(err)) => {
                if is_too_big(err) {
                    warn!("refused a message over the size limit");
                    control.close(CloseReason::TooBig);
                }
                return true;
            }
            Some(Ok(message)) => message,
        };
        heard.store(true, Ordering::Relaxed);
        let frame = match message {
            Message::Binary(frame) => frame,
            Message::Text(_) => {
                warn!("refused a text frame");
                control.close(CloseReason::TextFrame);
                return true;
            }
            Message::Ping(_) | Message::Pong(_) | Message::Close(_) => continue,
        };
        app.metrics.bytes_in.inc_by(frame.len() as u64);
        if !limiter.allow(Instant::now()) {
            warn!("closing a connection that sent too many messages");
            control.close(CloseReason::Flooding);
            return true;
        }
        let messages = match protocol::decode_frame(&frame) {
            Ok(messages) => messages,
            Err(err) => {
                warn!(error = %err, bytes = frame.len(), "refused a bad frame");
                if matches!(err, protocol::ProtocolError::CorruptUpdate(_)) {
                    app.metrics.updates_rejected.inc();
                }
                control.close(CloseReason::Protocol(err));
                return true;
            }
        };
        let delivered = tokio::select! {
            biased;
            _ = control.closed() => return true,
            delivered = room.send(messages, frame.len()) => delivered,
        };
        if !delivered {
            return false;
        }
    }
}

/// Sends queued frames and pings until the connection is closed, then says why.
async fn write_loop(
    mut sink: SplitSink<WebSocket, Message>,
    mut outbox: mpsc::Receiver<Bytes>,
    control: Arc<PeerControl>,
    heard: Arc<AtomicBool>,
    app: AppState,
) {
    let every = app.ws.ping_interval;
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        let message = tokio::select! {
            biased;
            _ = control.closed() => break,
            frame = outbox.recv() => match frame {
                Some(frame) => {
                    control.sent(frame.len());
                    app.metrics.bytes_out.inc_by(frame.len() as u64);
                    Message::Binary(frame)
                }
                None => break,
            },
            _ = ping.tick() => {
                if !heard.swap(false, Ordering::Relaxed) {
                    control.close(CloseReason::TimedOut);
                    break;
                }
                Message::Ping(Bytes::new())
            }
        };
        // A stuck client must not hold the writer: closing interrupts the send.
        let sent = tokio::select! {
            biased;
            _ = control.closed() => false,
            sent = sink.send(message) => sent.is_ok(),
        };
        if !sent {
            control.close(CloseReason::ClientGone);
            break;
        }
    }
    let reason = control.reason().cloned().unwrap_or(CloseReason::ClientGone);
    if reason == CloseReason::Shutdown {
        // Everything already queued was stored before it was queued; deliver it.
        while let Ok(frame) = outbox.try_recv() {
            let send = sink.send(Message::Binary(frame));
            if !matches!(timeout(CLOSE_TIMEOUT, send).await, Ok(Ok(()))) {
                break;
            }
        }
    }
    if let Some((code, text)) = close::frame_for(&reason) {
        let frame = CloseFrame {
            code,
            reason: text.into(),
        };
        let _ = timeout(CLOSE_TIMEOUT, sink.send(Message::Close(Some(frame)))).await;
    }
    let _ = timeout(CLOSE_TIMEOUT, sink.close()).await;
}
