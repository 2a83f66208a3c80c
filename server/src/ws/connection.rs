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
    forward,
    limits::{RateLimiter, is_too_big},
    recheck::recheck_access,
    upgrade::Grant,
};
use crate::{
    access::DocumentAccess,
    document::DocumentName,
    quota::Place,
    room::{CloseReason, JoinError, PeerControl, PeerLink, RoomHandle, protocol},
    state::AppState,
};

pub(super) async fn serve(
    app: AppState,
    document: DocumentName,
    socket: WebSocket,
    grant: Grant,
    _place: Option<Place<String>>,
) {
    let peer = app.next_peer_id();
    let access = grant.access;
    let span = info_span!("conn", %document, peer, who = %grant.author.name, ?access, forwarded = grant.forwarded);
    async move {
        app.metrics.connections.inc();
        let may_write = access != DocumentAccess::Read;
        let (mut link, outbox) =
            PeerLink::new(peer, grant.author.clone(), may_write, &app.rooms_config);
        link.may_change_agreed = access == DocumentAccess::Edit;
        let control = link.control.clone();
        let grant = Arc::new(grant);
        // A relayed connection's access is rechecked by the node it came through.
        let recheck = (!grant.forwarded).then(|| {
            tokio::spawn(
                recheck_access(
                    app.clone(),
                    document.clone(),
                    grant.clone(),
                    control.clone(),
                )
                .in_current_span(),
            )
        });
        match route(&app, &document, &link, &grant).await {
            Route::Owner(owner) => {
                app.metrics.cluster_forwarded_connections.inc();
                debug!("relaying to the owner");
                forward::relay(&app, socket, *owner, control.clone()).await;
                app.metrics.cluster_forwarded_connections.dec();
            }
            Route::Room(room) => {
                let heard = Arc::new(AtomicBool::new(true));
                let (sink, stream) = socket.split();
                let writer = tokio::spawn(
                    write_loop(sink, outbox, control.clone(), heard.clone(), app.clone())
                        .in_current_span(),
                );
                debug!("connected");
                let room_alive = read_loop(stream, &room, &link, &heard, &app).await;
                room.leave().await;
                if !room_alive {
                    // The room stopped and will have said why; give it a moment.
                    let _ = timeout(Duration::from_secs(1), control.closed()).await;
                    control.close(CloseReason::RoomRestarted);
                }
                control.close(CloseReason::ClientGone);
                let _ = writer.await;
            }
            Route::Closed => {
                // Only the close frame is due.
                let (sink, _) = socket.split();
                let heard = Arc::new(AtomicBool::new(true));
                write_loop(sink, outbox, control.clone(), heard, app.clone()).await;
            }
        }
        control.close(CloseReason::ClientGone);
        if let Some(recheck) = recheck {
            recheck.abort();
        }
        let reason = control.reason().cloned().unwrap_or(CloseReason::ClientGone);
        app.metrics.connections.dec();
        app.metrics.closed(close::label(&reason));
        debug!(reason = close::label(&reason), "disconnected");
    }
    .instrument(span)
    .await
}

/// Where a connection's frames go.
enum Route {
    /// This node's room for the document.
    Room(RoomHandle),
    /// The node that serves the document, over the internal link.
    Owner(Box<forward::OwnerLink>),
    /// Nowhere: the connection was closed with its reason.
    Closed,
}

/// Most time spent finding a document's owner: while an owner that died still looks
/// alive (its heartbeat not yet stale), its documents can be neither joined nor
/// claimed; the connection waits, and is told to reconnect if it lasts longer.
fn route_deadline(app: &AppState) -> Duration {
    app.cluster.as_ref().map_or(Duration::ZERO, |c| {
        c.heartbeat_interval() * 8 + Duration::from_secs(2)
    })
}

/// Joins the document's room here, or opens the link to the node that serves it.
async fn route(app: &AppState, document: &DocumentName, link: &PeerLink, grant: &Grant) -> Route {
    let control = &link.control;
    let deadline = tokio::time::Instant::now() + route_deadline(app);
    let mut pause = Duration::from_millis(50);
    loop {
        let owner = match app.rooms.join(document, link.clone()).await {
            Ok(room) => return Route::Room(room),
            Err(JoinError::ShuttingDown) => {
                control.close(CloseReason::Shutdown);
                return Route::Closed;
            }
            Err(JoinError::Unavailable) => {
                control.close(CloseReason::StoreUnavailable);
                return Route::Closed;
            }
            Err(JoinError::Elsewhere(owner)) => owner,
        };
        if grant.forwarded {
            // Relayed here because this node was the owner; it no longer is.
            control.close(CloseReason::Moved);
            return Route::Closed;
        }
        match forward::connect(app, &owner, document, &grant.author, grant.access).await {
            Ok(link) => return Route::Owner(Box::new(link)),
            Err(err) if tokio::time::Instant::now() >= deadline => {
                warn!(error = %err, owner = %owner.address, "could not reach the document's owner");
                control.close(CloseReason::Moved);
                return Route::Closed;
            }
            Err(err) => {
                debug!(error = %err, owner = %owner.address, "owner unreachable; trying again");
            }
        }
        // The owner may have died: once its heartbeat is stale, the next join claims it.
        tokio::select! {
            _ = control.closed() => return Route::Closed,
            _ = tokio::time::sleep(pause) => {}
        }
        pause = (pause * 2).min(Duration::from_millis(250));
    }
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
