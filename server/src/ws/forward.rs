//! Forwarding in a cluster: a connection for a document another node serves is relayed
//! to that node over an internal websocket, `/internal/sync/{document}`, which carries
//! the caller as this node checked them, signed with the cluster's secret. The relay
//! holds no state: frames in flight when either end dies were never stored nor sent to
//! anyone, and the client sends them again when it reconnects.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use axum::{
    Extension,
    extract::{
        Path, State,
        ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade},
    },
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use futures_util::{SinkExt, StreamExt};
use tokio::time::timeout;
use tokio_tungstenite::{
    WebSocketStream, client_async_with_config,
    tungstenite::{Message as Upstream, client::IntoClientRequest, protocol::WebSocketConfig},
};
use tracing::{debug, warn};

use super::{
    close::{self, CLOSE_TIMEOUT},
    connection::serve,
    limits::is_too_big,
    upgrade::Grant,
};
use crate::{
    access::Author,
    cluster::{ForwardedCaller, NodeIo, Owner, Signed, ThroughClusterListener},
    document::DocumentName,
    room::{CloseReason, PeerControl},
    state::AppState,
};

/// The internal link to a document's owner.
pub(super) type OwnerLink = WebSocketStream<Box<dyn NodeIo>>;

/// How long opening the internal link may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// `GET /internal/sync/{document}`: a connection another node of the cluster relays.
/// Answers 404 unless the node is in a cluster and the signature holds; the caller's
/// access is the one the forwarding node checked and signed.
pub async fn internal_sync(
    State(app): State<AppState>,
    Path(document): Path<String>,
    through: Option<Extension<ThroughClusterListener>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let Some(cluster) = app.cluster.clone() else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    // With mutual TLS, relayed connections come only through the cluster's listener.
    if cluster.requires_tls() && through.is_none() {
        app.metrics.refused("cluster_listener");
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let signed = Signed {
        node: header(Signed::NODE_HEADER),
        time_ms: header(Signed::TIME_HEADER).parse().unwrap_or(0),
        nonce: header(Signed::NONCE_HEADER),
        caller: header(Signed::CALLER_HEADER),
        signature: header(Signed::SIGNATURE_HEADER),
    };
    let caller = match cluster.verify(&document, &signed) {
        Ok(caller) => caller,
        Err(err) => {
            warn!(error = %err, from = %signed.node.escape_debug(), "refused an internal connection");
            app.metrics.refused("cluster_signature");
            return (StatusCode::NOT_FOUND, "not found").into_response();
        }
    };
    let Ok(name) = DocumentName::parse(&document) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let upgrade = super::upgrade::sized(upgrade, &app);
    let grant = Grant {
        author: caller.author(),
        access: caller.access,
        headers: HeaderMap::new(),
        token: None,
        forwarded: true,
    };
    let tracker = app.tracker.clone();
    upgrade.on_upgrade(move |socket| tracker.track_future(serve(app, name, socket, grant, None)))
}

/// Opens the internal link to `owner` for a caller this node checked.
pub(super) async fn connect(
    app: &AppState,
    owner: &Owner,
    document: &DocumentName,
    author: &Author,
    access: crate::access::DocumentAccess,
) -> Result<OwnerLink, ForwardError> {
    let cluster = app.cluster.as_ref().ok_or(ForwardError::NoCluster)?;
    let base = owner
        .address
        .strip_prefix("http://")
        .map(|rest| format!("ws://{rest}"))
        .or_else(|| {
            owner
                .address
                .strip_prefix("https://")
                .map(|rest| format!("wss://{rest}"))
        })
        .ok_or(ForwardError::Address)?;
    let url = format!("{base}/internal/sync/{document}");
    let mut request = url
        .into_client_request()
        .map_err(|_| ForwardError::Address)?;
    let signed = cluster.sign(
        owner,
        document.as_str(),
        &ForwardedCaller::new(author, access),
    );
    let headers = request.headers_mut();
    for (name, value) in [
        (Signed::NODE_HEADER, signed.node),
        (Signed::TIME_HEADER, signed.time_ms.to_string()),
        (Signed::NONCE_HEADER, signed.nonce),
        (Signed::CALLER_HEADER, signed.caller),
        (Signed::SIGNATURE_HEADER, signed.signature),
    ] {
        let value = HeaderValue::from_str(&value).map_err(|_| ForwardError::Address)?;
        headers.insert(name, value);
    }
    let limit = app.ws.max_message_bytes;
    let config = WebSocketConfig::default()
        .max_message_size(Some(limit))
        .max_frame_size(Some(limit));
    let connecting = async {
        let stream = cluster
            .connect_to(&owner.address)
            .await
            .map_err(|e| ForwardError::Connect(e.to_string()))?;
        client_async_with_config(request, stream, Some(config))
            .await
            .map_err(|e| ForwardError::Connect(e.to_string()))
    };
    match timeout(CONNECT_TIMEOUT, connecting).await {
        Ok(Ok((link, _))) => Ok(link),
        Ok(Err(err)) => Err(err),
        Err(_) => Err(ForwardError::Connect("timed out".into())),
    }
}

/// Why the owner could not be reached.
#[derive(Debug, thiserror::Error)]
pub(super) enum ForwardError {
    #[error("this node is not in a cluster")]
    NoCluster,
    #[error("the owner's address is not a URL this node can reach")]
    Address,
    #[error("could not reach the owner: {0}")]
    Connect(String),
}

/// Relays frames between the client and the owner until either ends, then closes the
/// other: with the owner's own close frame when it sent one, or with 1012 ("reconnect")
/// when the link to the owner broke.
pub(super) async fn relay(
    app: &AppState,
    socket: WebSocket,
    owner: OwnerLink,
    control: Arc<PeerControl>,
) {
    let (mut client_tx, mut client_rx) = socket.split();
    let (mut owner_tx, mut owner_rx) = owner.split();
    // The server stopping closes relayed connections as it closes its own (1001).
    let shutdown = app.rooms.shutdown_signal();
    let stop_on_shutdown = async {
        tokio::select! {
            _ = shutdown.cancelled() => control.close(CloseReason::Shutdown),
            _ = control.closed() => {}
        }
    };
    let heard_client = Arc::new(AtomicBool::new(true));
    let heard_owner = AtomicBool::new(true);
    // Client to owner, on a task of its own so both directions run at once. The owner
    // applies the protocol's checks and limits itself.
    let up = {
        let (control, heard_client, metrics) =
            (control.clone(), heard_client.clone(), app.metrics.clone());
        async move {
            loop {
                let next = tokio::select! {
                    biased;
                    _ = control.closed() => break,
                    next = client_rx.next() => next,
                };
                let frame = match next {
                    Some(Ok(Message::Binary(frame))) => frame,
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {
                        heard_client.store(true, Ordering::Relaxed);
                        continue;
                    }
                    Some(Ok(Message::Text(_))) => {
                        control.close(CloseReason::TextFrame);
                        break;
                    }
                    Some(Ok(Message::Close(_))) | None => {
                        control.close(CloseReason::ClientGone);
                        break;
                    }
                    Some(Err(err)) => {
                        let reason = if is_too_big(err) {
                            CloseReason::TooBig
                        } else {
                            CloseReason::ClientGone
                        };
                        control.close(reason);
                        break;
                    }
                };
                heard_client.store(true, Ordering::Relaxed);
                metrics.bytes_in.inc_by(frame.len() as u64);
                let sent = tokio::select! {
                    biased;
                    _ = control.closed() => break,
                    sent = owner_tx.send(Upstream::Binary(frame)) => sent,
                };
                if sent.is_err() {
                    control.close(CloseReason::Moved);
                    break;
                }
            }
            let _ = timeout(CLOSE_TIMEOUT, owner_tx.close()).await;
        }
    };
    let up = tokio::spawn(up);
    // Owner to client, with pings both ways: a silent client, or a silent owner (the
    // link black-holed), ends the relay within two intervals.
    let down = async {
        let every = app.ws.ping_interval;
        let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        let mut relayed: Option<CloseFrame> = None;
        let mut owner_silent = 0;
        loop {
            let message = tokio::select! {
                biased;
                _ = control.closed() => break,
                next = owner_rx.next() => match next {
                    Some(Ok(Upstream::Binary(frame))) => {
                        heard_owner.store(true, Ordering::Relaxed);
                        app.metrics.bytes_out.inc_by(frame.len() as u64);
                        Message::Binary(frame)
                    }
                    Some(Ok(Upstream::Close(frame))) => {
                        relayed = frame.map(|f| CloseFrame {
                            code: f.code.into(),
                            reason: f.reason.as_str().into(),
                        });
                        control.close(CloseReason::Moved);
                        break;
                    }
                    Some(Ok(_)) => {
                        heard_owner.store(true, Ordering::Relaxed);
                        continue;
                    }
                    Some(Err(err)) => {
                        debug!(error = %err, "the link to the owner broke");
                        control.close(CloseReason::Moved);
                        break;
                    }
                    None => {
                        control.close(CloseReason::Moved);
                        break;
                    }
                },
                _ = ping.tick() => {
                    if !heard_client.swap(false, Ordering::Relaxed) {
                        control.close(CloseReason::TimedOut);
                        break;
                    }
                    // The owner pings the link every interval (its own writer does,
                    // as for any connection), at its own phase: two silent intervals
                    // in a row mean the link is gone.
                    owner_silent = if heard_owner.swap(false, Ordering::Relaxed) { 0 } else { owner_silent + 1 };
                    if owner_silent >= 2 {
                        warn!("the owner stopped answering; closing so the client reconnects");
                        control.close(CloseReason::Moved);
                        break;
                    }
                    // The client's pong comes back through `client_rx`.
                    Message::Ping(Default::default())
                }
            };
            // A client that stops reading is closed as too slow, as on the owner.
            let sent = tokio::select! {
                biased;
                _ = control.closed() => break,
                sent = timeout(every, client_tx.send(message)) => sent,
            };
            match sent {
                Ok(Ok(())) => {}
                Ok(Err(_)) => {
                    control.close(CloseReason::ClientGone);
                    break;
                }
                Err(_) => {
                    control.close(CloseReason::TooSlow);
                    break;
                }
            }
        }
        let frame = relayed.or_else(|| {
            let reason = control.reason().cloned().unwrap_or(CloseReason::ClientGone);
            close::frame_for(&reason).map(|(code, text)| CloseFrame {
                code,
                reason: text.into(),
            })
        });
        if let Some(frame) = frame {
            let _ = timeout(CLOSE_TIMEOUT, client_tx.send(Message::Close(Some(frame)))).await;
        }
        let _ = timeout(CLOSE_TIMEOUT, client_tx.close()).await;
    };
    tokio::join!(down, stop_on_shutdown);
    // The client side has ended (`control` is closed), so the other direction ends too.
    let _ = up.await;
}
