//! What every request handler and websocket shares: the rooms, the directory, the
//! configuration of each part and the limits. Cheap to clone. Imports no transport:
//! the API, the websocket and the HTTP layer depend on this, never the other way.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use tokio_util::task::TaskTracker;

use crate::{
    access::changes::AccessChanges,
    auth::{AuthConfig, LoginLimiter, PasswordWork, SetupCode},
    cluster::Cluster,
    metrics::Metrics,
    quota::Quota,
    report::Setting,
    room::{RoomConfig, Rooms},
    store::{Directory, Store},
};

/// Shared by every request handler. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub rooms: Rooms,
    /// People, reviews, access and the audit trail.
    pub directory: Directory,
    pub auth: Arc<AuthConfig>,
    pub login_limiter: Arc<LoginLimiter>,
    /// Bounds the argon2 work of sign-ins, password changes and new accounts.
    pub password_work: Arc<PasswordWork>,
    /// The first administrator's one-time setup code, while there is no account.
    pub setup: Arc<SetupCode>,
    pub rooms_config: RoomConfig,
    pub store: Arc<dyn Store>,
    pub metrics: Arc<Metrics>,
    pub ws: Arc<WsConfig>,
    /// Open websockets per account or token.
    pub socket_quota: Arc<Quota<String>>,
    /// The hash of the token that reads `/metrics`; `None`: metrics are not served.
    pub metrics_token: Option<Arc<str>>,
    /// Tracks websocket connections and rooms, so shutdown can wait for them.
    pub tracker: TaskTracker,
    /// Tells open connections to recheck their access at once.
    pub access_changes: AccessChanges,
    /// Numbers the websocket connections.
    pub peer_ids: PeerIds,
    /// The partnership and the protective marking every report carries.
    pub report_setting: Arc<Setting>,
    /// Counts of fewer distinct reviews than this leave the library as "fewer than N".
    pub library_threshold: u64,
    /// The Chromium that prints reports to PDF, if the server has one.
    pub chromium: Arc<Option<std::path::PathBuf>>,
    /// This node's membership of a cluster (PostgreSQL); `None`: it serves alone.
    pub cluster: Option<Arc<Cluster>>,
}

impl AppState {
    pub fn next_peer_id(&self) -> u64 {
        self.peer_ids.next()
    }
}

/// Hands out connection numbers, from 1.
#[derive(Debug, Clone)]
pub struct PeerIds(Arc<AtomicU64>);

impl Default for PeerIds {
    fn default() -> Self {
        Self(Arc::new(AtomicU64::new(1)))
    }
}

impl PeerIds {
    pub fn next(&self) -> u64 {
        self.0.fetch_add(1, Ordering::Relaxed)
    }
}

/// Limits and timings of the websocket layer.
#[derive(Debug, Clone)]
pub struct WsConfig {
    /// Largest accepted message (and frame), in bytes.
    pub max_message_bytes: usize,
    /// A ping goes out this often; a client silent for a whole interval is closed.
    pub ping_interval: Duration,
    /// Sustained messages per second a connection may send...
    pub messages_per_second: f64,
    /// ...with bursts of up to this many.
    pub message_burst: f64,
    /// How often an open connection's access is checked again.
    pub access_recheck: Duration,
}

impl Default for WsConfig {
    fn default() -> Self {
        Self {
            max_message_bytes: 8 << 20,
            ping_interval: Duration::from_secs(30),
            messages_per_second: 200.0,
            message_burst: 2000.0,
            access_recheck: Duration::from_secs(30),
        }
    }
}
