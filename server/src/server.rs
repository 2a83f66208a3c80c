//! The composition root: assembles the store, the rooms, the shared state and the
//! routes, and runs them until a shutdown signal.

use std::{
    future::Future,
    io::Write,
    net::SocketAddr,
    path::Path,
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{Router, routing::get};
use tokio::net::{TcpListener, TcpSocket};
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use tower_http::services::{ServeDir, ServeFile};
use tracing::{info, warn};

use crate::{
    access::{changes::AccessChanges, secrets},
    api,
    auth::{LoginLimiter, PasswordWork, SetupCode},
    cluster::Cluster,
    config::ServeArgs,
    http,
    metrics::Metrics,
    quota::Quota,
    room::{RoomContext, Rooms},
    state::{AppState, PeerIds},
    store::{self, Journal, StoreError},
    ws,
};

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("could not open the database {url}: {source}")]
    Store { url: String, source: StoreError },
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("could not join the cluster: {0}")]
    Cluster(#[from] crate::cluster::ClusterError),
    #[error("the cluster's TLS settings: {0}")]
    Tls(#[from] crate::cluster::TlsError),
}

/// The HTTP routes. Everything that is not an endpoint is the web app (from
/// `static_dir`, falling back to its index.html for the app's own routes), or a
/// landing page when no web app is built.
pub fn router(state: AppState, static_dir: &Path) -> Router {
    let routes = api::router(&state)
        .route("/sync/{*document}", get(ws::sync))
        .route("/internal/sync/{*document}", get(ws::internal_sync))
        .route("/healthz", get(http::healthz))
        .route("/readyz", get(http::readyz))
        .route("/metrics", get(http::metrics));
    let index = static_dir.join("index.html");
    let routes = if index.is_file() {
        info!(dir = %static_dir.display(), "serving the web app");
        routes.fallback_service(ServeDir::new(static_dir).fallback(ServeFile::new(index)))
    } else {
        warn!(
            dir = %static_dir.display(),
            "no web app built there (run scripts/start, or npm run build in web/); serving a landing page"
        );
        routes.route("/", get(http::index))
    };
    http::security_headers(routes.with_state(state))
}

/// Runs the server until `shutdown` resolves, then stops gracefully: stop accepting,
/// let every room finish and close its connections with 1001, close the database.
/// Prints `listening on http://HOST:PORT` on stdout once connections are accepted.
pub async fn run(
    args: ServeArgs,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    // Held until the process ends: a second server on the same SQLite file refuses to
    // start instead of writing beside this one.
    let _serving = if args.database_url.starts_with("sqlite:") {
        store::lock_for_serving(&args.database_url).map_err(|source| ServeError::Store {
            url: store::redact_url(&args.database_url),
            source,
        })?
    } else {
        None
    };
    let store = store::open(&args.database_url, args.store_options())
        .await
        .map_err(|source| ServeError::Store {
            url: store::redact_url(&args.database_url),
            source,
        })?;
    info!(backend = store.backend(), "database ready");
    let listener = bind(args.listen).map_err(|source| ServeError::Bind {
        addr: args.listen,
        source,
    })?;
    let addr = listener.local_addr()?;

    let metrics = Arc::new(Metrics::new());
    // With mutual TLS, the other nodes reach this one on a listener of its own.
    let internal = match args.cluster_listen {
        Some(at) if store.backend() == "postgres" => {
            Some(bind(at).map_err(|source| ServeError::Bind { addr: at, source })?)
        }
        _ => None,
    };
    let internal_addr = internal.as_ref().map(TcpListener::local_addr).transpose()?;
    let cluster_config = args.cluster_config(addr, internal_addr)?;
    let cluster = Cluster::start(&store.directory(), cluster_config, metrics.clone()).await?;
    let cancel = CancellationToken::new();
    let tracker = TaskTracker::new();
    let journal = Journal::spawn_limited(
        store.clone(),
        metrics.clone(),
        cluster.as_ref().map(|c| c.commit_timeout()),
    );
    let rooms_config = args.room_config();
    let rooms = Rooms::new(RoomContext {
        store: store.clone(),
        journal,
        metrics: metrics.clone(),
        config: rooms_config.clone(),
        shutdown: cancel.clone(),
        tracker: tracker.clone(),
        cluster: cluster.clone(),
    });
    if let Some(cluster) = &cluster {
        tokio::spawn({
            let rooms = rooms.clone();
            let cluster = cluster.clone();
            async move { rooms.heartbeat(cluster).await }
        });
    }
    let directory = store.directory();
    let auth = args.auth_config();
    let setup = Arc::new(SetupCode::default());
    match directory.count_users().await {
        Ok(0) => {
            let code = setup.issue();
            warn!(
                "no account exists yet: create the first administrator at http://{addr}/setup#{code} \
                 (the link works once, until the server restarts), or with `board user create --admin`"
            );
        }
        Ok(_) => {}
        Err(err) => warn!(error = %err, "could not count accounts"),
    }
    let chromium = args
        .chromium
        .clone()
        .or_else(crate::report::pdf::find_chromium);
    match &chromium {
        Some(path) => info!(chromium = %path.display(), "reports can be exported as PDF"),
        None => info!("no Chromium found: reports cannot be exported as PDF (see --chromium)"),
    }
    let state = AppState {
        rooms,
        directory,
        login_limiter: Arc::new(LoginLimiter::new(auth.login_attempts_per_minute)),
        password_work: Arc::new(PasswordWork::for_this_machine(
            metrics.password_checks.clone(),
            metrics.password_checks_busy.clone(),
        )),
        auth: Arc::new(auth),
        setup,
        rooms_config,
        store: store.clone(),
        metrics: metrics.clone(),
        ws: Arc::new(args.ws_config()),
        socket_quota: Quota::new(args.max_websockets_per_credential),
        metrics_token: args
            .metrics_token
            .as_deref()
            .map(|token| secrets::secret_hash(token).into()),
        tracker: tracker.clone(),
        access_changes: AccessChanges::default(),
        peer_ids: PeerIds::default(),
        report_setting: Arc::new(args.report_setting()),
        library_threshold: args.library_threshold,
        chromium: Arc::new(chromium),
        cluster: cluster.clone(),
    };

    if let Some(cluster) = &cluster {
        tokio::spawn(
            cluster
                .clone()
                .relay_access_changes(state.access_changes.clone(), cancel.clone()),
        );
    }
    let stop = cancel.clone();
    tokio::spawn(async move {
        shutdown.await;
        stop.cancel();
    });
    let app = router(state, &args.static_dir);
    if let (Some(listener), Some(tls)) = (internal, cluster.as_ref().and_then(|c| c.tls_server())) {
        info!(addr = %listener.local_addr()?, "listening for the other nodes (mutual TLS)");
        let marked = app
            .clone()
            .layer(axum::Extension(crate::cluster::ThroughClusterListener));
        tokio::spawn(http::serve::serve_tls(
            listener,
            marked,
            tls,
            args.connection_limits(),
            cancel.clone(),
            tracker.clone(),
        ));
    }
    announce(addr);
    info!(%addr, "listening");
    http::serve::serve(
        listener,
        app,
        args.connection_limits(),
        metrics,
        cancel,
        tracker.clone(),
    )
    .await;

    // Open requests, websockets and rooms finish on the tracker.
    let started = Instant::now();
    info!("shutting down: finishing rooms and closing connections");
    tracker.close();
    if tokio::time::timeout(args.shutdown_timeout, tracker.wait())
        .await
        .is_err()
    {
        warn!(
            timeout_s = args.shutdown_timeout.as_secs_f64(),
            "shutdown timed out; exiting anyway (every broadcast update is already stored)"
        );
    }
    if let Some(cluster) = &cluster {
        // Bounded: a database that does not answer must not keep the process alive.
        let left = tokio::time::timeout(
            args.owner_timeout.max(Duration::from_secs(1)),
            cluster.leave(),
        )
        .await;
        if !matches!(left, Ok(Ok(()))) {
            warn!("could not record leaving the cluster; its boards lapse with the heartbeat");
        }
    }
    store.close().await;
    info!(ms = started.elapsed().as_secs_f64() * 1e3, "stopped");
    Ok(())
}

/// Pending connections the kernel queues before refusing more. When a server restarts,
/// every client reconnects within a couple of seconds; the usual 128 would drop SYNs and
/// make them wait a full retransmission timeout.
const LISTEN_BACKLOG: u32 = 4096;

fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

/// The one line on stdout that scripts and tests wait for.
fn announce(addr: SocketAddr) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "listening on http://{addr}");
    let _ = stdout.flush();
}
