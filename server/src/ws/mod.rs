//! The websocket endpoint `/sync/{document}`: socket reading and writing, pings, size
//! and rate limits, close codes. Protocol semantics live in [`crate::room`].
//!
//! Each connection runs two tasks: the reader (decodes frames and hands them to the
//! room, waiting if the room's inbox is full) and the writer (drains the connection's
//! outbox and sends pings). Either one ending closes the other through [`PeerControl`].

pub mod close;

use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    extract::{
        Path, Query, State,
        ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade},
    },
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use bytes::Bytes;
use futures_util::{SinkExt, StreamExt, stream::SplitSink, stream::SplitStream};
use tokio::{
    sync::{broadcast, mpsc},
    time::timeout,
};
use tracing::{Instrument, debug, error, info, info_span, warn};

use crate::{
    access::{Actor, Caller, DocumentAccess, DocumentPlace, changes::AccessChange},
    auth,
    document::DocumentName,
    quota::Place,
    room::{CloseReason, PeerControl, PeerLink, RoomHandle, protocol},
    state::AppState,
    store::StoreError,
};

/// How long a close handshake may take before the socket is simply dropped.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /sync/{document}`: checks who is calling and what they may do with the
/// document, then upgrades to the y-websocket protocol.
///
/// Refusals happen before the upgrade, as plain HTTP: 403 for a browser page from
/// another origin, 401 without a valid credential (session cookie, `?token=` or
/// `Authorization: Bearer`), 404 for a document the caller may not open, exactly as
/// for one that does not exist, 429 when the credential already holds its most open
/// websockets.
pub async fn sync(
    State(app): State<AppState>,
    Path(document): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    // Browsers always send Origin on a websocket; other clients need not.
    if let Some(origin) = headers.get(header::ORIGIN)
        && !auth::allowed_origin(origin, &headers, &app.auth)
    {
        warn!(origin = ?origin, "refused a websocket from another origin");
        app.metrics.refused("origin");
        return (StatusCode::FORBIDDEN, "origin not allowed").into_response();
    }
    let caller = match auth::resolve_caller(
        &app.directory,
        &headers,
        params.get("token").map(String::as_str),
    )
    .await
    {
        Ok(Some((caller, _))) => caller,
        Ok(None) => {
            app.metrics.refused("unauthenticated");
            return (StatusCode::UNAUTHORIZED, "sign in or give a valid token").into_response();
        }
        Err(err) => {
            error!(error = %err, "could not check a websocket's credentials");
            return (StatusCode::SERVICE_UNAVAILABLE, "storage unavailable").into_response();
        }
    };
    let limit = app.ws.max_message_bytes;
    let upgrade = upgrade
        .max_message_size(limit)
        .max_frame_size(limit)
        // Small buffers keep an idle connection cheap; they grow for large messages.
        .read_buffer_size(4 << 10)
        .write_buffer_size(0);
    let name = match DocumentName::parse(&document) {
        Ok(name) => name,
        Err(err) => {
            warn!(document = %document.escape_debug(), error = %err, "refused a bad document name");
            return upgrade.on_upgrade(move |mut socket| async move {
                let frame = CloseFrame {
                    code: close::INVALID_DOCUMENT,
                    reason: err.to_string().into(),
                };
                let _ = timeout(CLOSE_TIMEOUT, socket.send(Message::Close(Some(frame)))).await;
            });
        }
    };
    let access = match document_access_for(&app, &caller, &name).await {
        Ok(Some(access)) => access,
        Ok(None) => {
            app.metrics.refused("not_found");
            return (StatusCode::NOT_FOUND, "no such document").into_response();
        }
        Err(err) => {
            error!(error = %err, "could not check access to a document");
            return (StatusCode::SERVICE_UNAVAILABLE, "storage unavailable").into_response();
        }
    };
    let author = caller.actor();
    let Some(place) = app
        .socket_quota
        .try_take(format!("{}:{}", author.kind, author.id))
    else {
        warn!(who = %author.name, "refused a websocket over the credential's limit");
        app.metrics.refused("too_many");
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "this account or token already has its most open connections",
        )
            .into_response();
    };
    // Only the credentials are kept for rechecks: an idle connection stays small.
    let mut credentials = HeaderMap::new();
    for name in [header::COOKIE, header::AUTHORIZATION] {
        for value in headers.get_all(&name) {
            credentials.append(name.clone(), value.clone());
        }
    }
    let grant = Grant {
        author,
        access,
        headers: credentials,
        token: params.get("token").cloned(),
    };
    let tracker = app.tracker.clone();
    // The place is released when `serve` ends, or here if the upgrade never happens.
    upgrade.on_upgrade(move |socket| tracker.track_future(serve(app, name, socket, grant, place)))
}

/// What a connection was allowed on upgrade, and the credentials to check it again.
struct Grant {
    author: Actor,
    access: DocumentAccess,
    headers: HeaderMap,
    token: Option<String>,
}

/// Checks the connection's credentials again as soon as the server changes access
/// that concerns it (a role, a membership, notes participants, a token, a session), and
/// every `access_recheck` as a backstop; closes it with 4403 once its access ends, or
/// 4503 once it changes. A database hiccup keeps what was granted.
async fn recheck_access(
    app: AppState,
    document: DocumentName,
    grant: Arc<Grant>,
    control: Arc<PeerControl>,
) {
    let review_id = DocumentPlace::of(document.as_str())
        .map(|place| place.review_id.to_string())
        .unwrap_or_default();
    let mut changes = app.access_changes.subscribe();
    let concerns =
        |change: &AccessChange| change.concerns(&review_id, grant.author.kind, &grant.author.id);
    loop {
        let due = tokio::time::Instant::now() + jittered(app.ws.access_recheck);
        loop {
            tokio::select! {
                _ = control.closed() => return,
                _ = tokio::time::sleep_until(due) => break,
                change = changes.recv() => match change {
                    Ok(change) if !concerns(&change) => {}
                    // Concerned, or too far behind to know: check now.
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => break,
                    // The sender lives in `app`, which this task holds.
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
        // Boxed: the database futures are large, and a connection spends its life
        // asleep between checks, holding only what the sleep needs.
        let now = Box::pin(async {
            let caller =
                auth::resolve_caller(&app.directory, &grant.headers, grant.token.as_deref())
                    .await?;
            match caller {
                Some((caller, _)) => document_access_for(&app, &caller, &document).await,
                None => Ok(None),
            }
        })
        .await;
        match now {
            Ok(access) if access == Some(grant.access) => {}
            Ok(None) => {
                info!("closing a connection whose access ended");
                control.close(CloseReason::AccessEnded);
                return;
            }
            Ok(Some(_)) => {
                info!("closing a connection whose access changed");
                control.close(CloseReason::AccessChanged);
                return;
            }
            Err(err) => warn!(error = %err, "could not recheck a connection's access"),
        }
    }
}

/// `period` give or take half: connections that opened together (a room after a
/// restart) spread their rechecks instead of querying the database all at once.
fn jittered(period: Duration) -> Duration {
    period.mul_f64(0.5 + rand::random::<f64>())
}

/// What `caller` may do with `document`; `None` when it must look like it does not exist.
async fn document_access_for(
    app: &AppState,
    caller: &Caller,
    document: &DocumentName,
) -> Result<Option<DocumentAccess>, StoreError> {
    let Some(place) = DocumentPlace::of(document.as_str()) else {
        return Ok(None);
    };
    auth::document_access_of(&app.directory, caller, &place).await
}

async fn serve(
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
        let may_write = access == DocumentAccess::Edit;
        let (link, outbox) =
            PeerLink::new(peer, grant.author.clone(), may_write, &app.rooms_config);
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

fn is_too_big(err: axum::Error) -> bool {
    use tokio_tungstenite::tungstenite::{Error, error::CapacityError};
    matches!(
        err.into_inner().downcast_ref::<Error>(),
        Some(Error::Capacity(CapacityError::MessageTooLong { .. }))
    )
}

/// A token bucket: `rate` messages per second, bursts of up to `burst`.
struct RateLimiter {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    fn new(rate: f64, burst: f64) -> Self {
        Self {
            rate,
            burst,
            tokens: burst,
            last: Instant::now(),
        }
    }

    fn allow(&mut self, now: Instant) -> bool {
        let elapsed = now.duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limiter_allows_bursts_then_the_sustained_rate() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(10.0, 5.0);
        limiter.last = start;
        assert!((0..5).all(|_| limiter.allow(start)));
        assert!(!limiter.allow(start));
        assert!(limiter.allow(start + Duration::from_millis(100)));
        assert!(!limiter.allow(start + Duration::from_millis(100)));
    }
}
