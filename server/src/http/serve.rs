//! Accepts TCP connections and serves HTTP/1.1 on them with the limits `axum::serve`
//! lacks: a deadline for a request's headers, which also ends keep-alive connections
//! left idle (a slow or silent client cannot hold a socket forever), and at most so many
//! open connections per client address (a websocket keeps its place until it closes).

use std::{
    io,
    net::IpAddr,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use axum::{Router, extract::ConnectInfo};
use hyper::{body::Incoming, server::conn::http1, service::service_fn};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
};
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use tower_service::Service;
use tracing::{debug, error, warn};

use crate::{
    metrics::Metrics,
    quota::{Place, Quota},
};

/// Limits on the connections themselves, before any request is read.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// How long a client may take to send a request's headers, and how long a
    /// keep-alive connection may wait idle for its next request.
    pub header_read_timeout: Duration,
    /// Most connections open at once from one address; more are closed at once.
    pub per_address: usize,
}

/// Serves `router` on `listener` until `shutdown` is cancelled; then stops accepting
/// and lets open requests finish. Connection tasks are spawned on `tracker`, so whoever
/// closes it can wait for them.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
    tracker: TaskTracker,
) {
    let per_address = Quota::<IpAddr>::new(limits.per_address);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    loop {
        let (tcp, remote) = tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    accept_failed(err).await;
                    continue;
                }
            },
        };
        let Some(place) = per_address.try_take(remote.ip()) else {
            debug!(address = %remote.ip(), "closed a connection over the address's limit");
            metrics.address_connections_refused.inc();
            continue;
        };
        // Updates are small frames that must leave at once: no Nagle delay.
        if let Err(err) = tcp.set_nodelay(true) {
            warn!(error = %err, "could not disable Nagle's algorithm on a connection");
        }
        let io = TokioIo::new(Counted { tcp, _place: place });
        let router = router.clone();
        let service = service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            router.clone().call(request)
        });
        let connection = http.serve_connection(io, service).with_upgrades();
        let shutdown = shutdown.clone();
        let metrics = metrics.clone();
        tracker.spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = shutdown.cancelled() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(err) = result {
                if err.is_timeout() {
                    metrics.header_read_timeouts.inc();
                }
                debug!(error = %err, %remote, "connection ended with an error");
            }
        });
    }
}

/// Serves `router` over TLS on `listener` (the cluster's own listener: `tls` asks every
/// client for a certificate the cluster's authority signed), until `shutdown`.
pub async fn serve_tls(
    listener: TcpListener,
    router: Router,
    tls: Arc<rustls::ServerConfig>,
    limits: ConnectionLimits,
    shutdown: CancellationToken,
    tracker: TaskTracker,
) {
    let acceptor = tokio_rustls::TlsAcceptor::from(tls);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    loop {
        let (tcp, remote) = tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    accept_failed(err).await;
                    continue;
                }
            },
        };
        let _ = tcp.set_nodelay(true);
        let (acceptor, router, http, shutdown) = (
            acceptor.clone(),
            router.clone(),
            http.clone(),
            shutdown.clone(),
        );
        tracker.spawn(async move {
            let handshake = tokio::time::timeout(limits.header_read_timeout, acceptor.accept(tcp));
            let tls = match handshake.await {
                Ok(Ok(tls)) => tls,
                Ok(Err(err)) => {
                    warn!(error = %err, %remote, "refused a connection on the cluster's listener");
                    return;
                }
                Err(_) => return,
            };
            let service = service_fn(move |mut request: hyper::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(remote));
                router.clone().call(request)
            });
            let connection = http
                .serve_connection(TokioIo::new(tls), service)
                .with_upgrades();
            let mut connection = std::pin::pin!(connection);
            let result = tokio::select! {
                result = connection.as_mut() => result,
                _ = shutdown.cancelled() => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(err) = result {
                debug!(error = %err, %remote, "connection ended with an error");
            }
        });
    }
}

/// A failed accept: a connection reset before it was accepted is no concern; anything
/// else (usually too many open files) is logged and waited out briefly, so the loop
/// does not spin while the process is out of descriptors.
async fn accept_failed(err: io::Error) {
    use io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        err.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    error!(error = %err, "could not accept a connection");
    tokio::time::sleep(Duration::from_millis(500)).await;
}

/// A client's TCP stream holding its place in the per-address count until it is
/// dropped: after a websocket upgrade, that is when the websocket closes.
struct Counted {
    tcp: TcpStream,
    _place: Place<IpAddr>,
}

impl AsyncRead for Counted {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().tcp).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_shutdown(cx)
    }
}
