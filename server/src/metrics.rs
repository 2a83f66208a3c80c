//! Prometheus metrics, served at `/metrics` in the text exposition format.

use prometheus_client::{
    encoding::{EncodeLabelSet, text::encode},
    metrics::{counter::Counter, family::Family, gauge::Gauge, histogram::Histogram},
    registry::Registry,
};

/// Why a connection ended, as a metric label.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CloseLabels {
    pub reason: &'static str,
}

/// Why a websocket upgrade was refused, as a metric label.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RefusedLabels {
    pub reason: &'static str,
}

/// Every metric the server exports. Cheap to update from any task.
pub struct Metrics {
    registry: Registry,
    pub rooms_open: Gauge,
    pub rooms_loaded: Counter,
    pub connections: Gauge,
    pub connections_closed: Family<CloseLabels, Counter>,
    pub clients_closed_slow: Counter,
    pub updates_applied: Counter,
    pub updates_rejected: Counter,
    pub updates_refused_read_only: Counter,
    pub agreed_work_changes_undone: Counter,
    pub updates_set_aside: Counter,
    pub connections_refused: Family<RefusedLabels, Counter>,
    pub awareness_updates: Counter,
    pub bytes_in: Counter,
    pub bytes_out: Counter,
    pub store_append_seconds: Histogram,
    pub update_delay_seconds: Histogram,
    pub store_appended_updates: Counter,
    pub store_append_failures: Counter,
    pub compactions: Counter,
    pub compaction_failures: Counter,
    pub password_checks: Counter,
    pub password_checks_busy: Counter,
    pub address_connections_refused: Counter,
    pub header_read_timeouts: Counter,
    pub cluster_owned_rooms: Gauge,
    pub cluster_forwarded_connections: Gauge,
    pub cluster_claims: Counter,
    pub cluster_takeovers: Counter,
    pub cluster_fenced: Counter,
    pub cluster_heartbeat_failures: Counter,
}

/// Buckets from 50 µs to about 1.6 s, doubling: the range of a commit or an update's delay.
fn latency_histogram() -> Histogram {
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(
        0.00005, 2.0, 16,
    ))
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("board");
        let metrics = Self {
            rooms_open: Gauge::default(),
            rooms_loaded: Counter::default(),
            connections: Gauge::default(),
            connections_closed: Family::default(),
            clients_closed_slow: Counter::default(),
            updates_applied: Counter::default(),
            updates_rejected: Counter::default(),
            updates_refused_read_only: Counter::default(),
            agreed_work_changes_undone: Counter::default(),
            updates_set_aside: Counter::default(),
            connections_refused: Family::default(),
            awareness_updates: Counter::default(),
            bytes_in: Counter::default(),
            bytes_out: Counter::default(),
            store_append_seconds: latency_histogram(),
            update_delay_seconds: latency_histogram(),
            store_appended_updates: Counter::default(),
            store_append_failures: Counter::default(),
            compactions: Counter::default(),
            compaction_failures: Counter::default(),
            password_checks: Counter::default(),
            password_checks_busy: Counter::default(),
            address_connections_refused: Counter::default(),
            header_read_timeouts: Counter::default(),
            cluster_owned_rooms: Gauge::default(),
            cluster_forwarded_connections: Gauge::default(),
            cluster_claims: Counter::default(),
            cluster_takeovers: Counter::default(),
            cluster_fenced: Counter::default(),
            cluster_heartbeat_failures: Counter::default(),
            registry: Registry::default(),
        };
        let r = &mut registry;
        r.register(
            "rooms_open",
            "Documents loaded in memory",
            metrics.rooms_open.clone(),
        );
        r.register(
            "rooms_loaded",
            "Documents loaded from the store",
            metrics.rooms_loaded.clone(),
        );
        r.register(
            "connections",
            "Open websocket connections",
            metrics.connections.clone(),
        );
        r.register(
            "connections_closed",
            "Websocket connections closed, by reason",
            metrics.connections_closed.clone(),
        );
        r.register(
            "clients_closed_slow",
            "Connections closed because they fell too far behind",
            metrics.clients_closed_slow.clone(),
        );
        r.register(
            "updates_applied",
            "Document updates applied and broadcast",
            metrics.updates_applied.clone(),
        );
        r.register(
            "updates_rejected",
            "Document updates refused as corrupt or hostile",
            metrics.updates_rejected.clone(),
        );
        r.register(
            "updates_refused_read_only",
            "Document updates refused because the sender may only read",
            metrics.updates_refused_read_only.clone(),
        );
        r.register(
            "agreed_work_changes_undone",
            "Case group updates whose changes to agreed work the room undid",
            metrics.agreed_work_changes_undone.clone(),
        );
        r.register(
            "updates_set_aside",
            "Document updates set aside because they skip clocks (their sync brings them)",
            metrics.updates_set_aside.clone(),
        );
        r.register(
            "connections_refused",
            "Websocket upgrades refused, by reason (unauthenticated, not_found, origin, too_many)",
            metrics.connections_refused.clone(),
        );
        r.register(
            "awareness_updates",
            "Presence (awareness) messages relayed",
            metrics.awareness_updates.clone(),
        );
        r.register(
            "received_bytes",
            "Websocket payload bytes received",
            metrics.bytes_in.clone(),
        );
        r.register(
            "sent_bytes",
            "Websocket payload bytes sent",
            metrics.bytes_out.clone(),
        );
        r.register(
            "store_append_seconds",
            "Time to commit one group of appended updates",
            metrics.store_append_seconds.clone(),
        );
        r.register(
            "update_delay_seconds",
            "Time from an update reaching its room to its broadcast: waiting, applying and committing",
            metrics.update_delay_seconds.clone(),
        );
        r.register(
            "store_appended_updates",
            "Updates committed to the store",
            metrics.store_appended_updates.clone(),
        );
        r.register(
            "store_append_failures",
            "Group commits that failed",
            metrics.store_append_failures.clone(),
        );
        r.register(
            "compactions",
            "Update logs compacted into a merged state",
            metrics.compactions.clone(),
        );
        r.register(
            "compaction_failures",
            "Compactions that failed (the log is kept)",
            metrics.compaction_failures.clone(),
        );
        r.register(
            "password_checks",
            "Passwords hashed or checked with argon2id (sign-ins, password changes, new accounts)",
            metrics.password_checks.clone(),
        );
        r.register(
            "password_checks_busy",
            "Password checks refused because too many were running or waiting (answered 503)",
            metrics.password_checks_busy.clone(),
        );
        r.register(
            "address_connections_refused",
            "TCP connections closed at once because their address already had its most open",
            metrics.address_connections_refused.clone(),
        );
        r.register(
            "header_read_timeouts",
            "Connections closed because request headers did not arrive in time (slow or idle clients)",
            metrics.header_read_timeouts.clone(),
        );
        r.register(
            "cluster_owned_rooms",
            "Documents this node serves as their owner in a cluster",
            metrics.cluster_owned_rooms.clone(),
        );
        r.register(
            "cluster_forwarded_connections",
            "Connections this node relays to the node that owns their document",
            metrics.cluster_forwarded_connections.clone(),
        );
        r.register(
            "cluster_claims",
            "Documents this node claimed in a cluster",
            metrics.cluster_claims.clone(),
        );
        r.register(
            "cluster_takeovers",
            "Claims that took a document over from a node whose heartbeat had stopped (failovers)",
            metrics.cluster_takeovers.clone(),
        );
        r.register(
            "cluster_fenced",
            "Commits refused because another node had claimed their document since (nothing was broadcast)",
            metrics.cluster_fenced.clone(),
        );
        r.register(
            "cluster_heartbeat_failures",
            "Heartbeats this node could not record",
            metrics.cluster_heartbeat_failures.clone(),
        );
        Self {
            registry,
            ..metrics
        }
    }

    /// Counts a connection that ended, by reason.
    pub fn refused(&self, reason: &'static str) {
        self.connections_refused
            .get_or_create(&RefusedLabels { reason })
            .inc();
    }

    pub fn closed(&self, reason: &'static str) {
        self.connections_closed
            .get_or_create(&CloseLabels { reason })
            .inc();
    }

    /// Renders every metric in the Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}
