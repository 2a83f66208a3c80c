//! Command-line configuration. Every flag also reads an environment variable.

use std::{net::SocketAddr, time::Duration};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{
    auth::AuthConfig,
    cluster::{ClusterConfig, ClusterTls, TlsError},
    http::serve::ConnectionLimits,
    room::RoomConfig,
    state::WsConfig,
    store::{SqliteSync, StoreOptions},
};

/// The collaborative analysis board for multi-agency case reviews.
#[derive(Debug, Parser)]
#[command(name = "board", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the board server. (Boxed: it is far larger than the one-off commands.)
    Serve(Box<ServeArgs>),
    /// Manage reviews from a script.
    #[command(subcommand)]
    Review(ReviewCommand),
    /// Mint access tokens from a script.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage accounts from a script.
    #[command(subcommand)]
    User(UserCommand),
    /// Load the demo partnership (Eastmere: thirteen reviews over six years, twelve
    /// published to the findings library) into a new database, and print how to sign in.
    Demo {
        /// The new database to load it into: sqlite://PATH or postgres://... Given
        /// explicitly (never the server's from the environment), so the demo never
        /// lands in a database in use.
        #[arg(long)]
        database_url: String,
        /// Also this many more published reviews of ten findings or more, made from the
        /// demo's, for the library's benchmark (`scripts/bench library`).
        #[arg(long, default_value_t = 0)]
        more_reviews: usize,
    },
    /// Print the HTTP API's OpenAPI document (what `/api/openapi.json` serves).
    Openapi,
}

/// The database a one-off command works on (the server's).
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// sqlite://PATH or postgres://... (the same as the server's).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/board.db",
        hide_env_values = true
    )]
    pub database_url: String,
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Create a review with no members and print its id alone on stdout.
    Create {
        /// The review's title.
        #[arg(long)]
        title: String,
        /// The pseudonymised case reference, e.g. "Child A".
        #[arg(long, default_value = "")]
        case_ref: String,
        /// The kind of review.
        #[arg(long, default_value = "lcspr")]
        kind: String,
        /// The Learning Together variant (sets the meeting timeline).
        #[arg(long, default_value = "full")]
        variant: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Mint an access token for one role in one review and print it alone on stdout.
    Create {
        /// The review's id.
        #[arg(long)]
        review: String,
        /// lead_reviewer, review_team_member, case_group_member, board_member or observer.
        #[arg(long)]
        role: String,
        /// What the token is for; the audit trail names its edits by it.
        #[arg(long, default_value = "script")]
        label: String,
        /// How long the token lasts (e.g. 12h, 30d).
        #[arg(long, value_parser = parse_duration, default_value = "30d")]
        expires: Duration,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account, reading its password from the first line of stdin, and print
    /// its id alone on stdout. The first administrator can be made this way.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        agency: String,
        #[arg(long, default_value = "")]
        job_title: String,
        /// Make the account an administrator (may create reviews).
        #[arg(long)]
        admin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// How log lines are written (to stderr).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the chosen one is printed).
    #[arg(long, env = "BOARD_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Where boards are stored: sqlite://PATH (created on first run) or postgres://...
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/board.db",
        hide_env_values = true
    )]
    pub database_url: String,

    /// SQLite only: `full` survives power loss; `normal` survives a crash of the server.
    #[arg(long, env = "BOARD_SQLITE_SYNC", value_enum, default_value_t = SqliteSync::Full)]
    pub sqlite_sync: SqliteSync,

    /// Most pooled database connections.
    #[arg(long, env = "BOARD_DB_MAX_CONNECTIONS", default_value_t = 8)]
    pub db_max_connections: u32,

    /// Log format.
    #[arg(long, env = "BOARD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Largest websocket message accepted, in bytes (larger ones close with 1009).
    #[arg(long, env = "BOARD_MAX_MESSAGE_BYTES", default_value_t = 8 << 20)]
    pub max_message_bytes: usize,

    /// Sustained websocket messages per second one connection may send.
    #[arg(long, env = "BOARD_MAX_MESSAGES_PER_SECOND", default_value_t = 200.0)]
    pub max_messages_per_second: f64,

    /// Burst of websocket messages one connection may send at once.
    #[arg(long, env = "BOARD_MESSAGE_BURST", default_value_t = 2000.0)]
    pub message_burst: f64,

    /// How often connections are pinged; one silent for a whole interval is closed.
    #[arg(long, env = "BOARD_PING_INTERVAL", value_parser = parse_duration, default_value = "30s")]
    pub ping_interval: Duration,

    /// How often an open websocket's access is checked again; a connection whose access
    /// ended is closed with 4403, one whose access changed with 4503.
    #[arg(long, env = "BOARD_ACCESS_RECHECK", value_parser = parse_duration, default_value = "30s")]
    pub access_recheck: Duration,

    /// Most websockets one account or one access token may hold open at once; more are
    /// refused with 429 before the upgrade.
    #[arg(
        long,
        env = "BOARD_MAX_WEBSOCKETS_PER_CREDENTIAL",
        default_value_t = 32
    )]
    pub max_websockets_per_credential: usize,

    /// Most TCP connections open at once from one client address (websockets included);
    /// more are closed at once. Behind a reverse proxy every connection comes from the
    /// proxy: raise it to what the proxy may open.
    #[arg(long, env = "BOARD_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 256)]
    pub max_connections_per_address: usize,

    /// How long a client may take to send a request's headers, and how long a
    /// keep-alive connection may stay idle before its next request; then it is closed.
    #[arg(long, env = "BOARD_HEADER_READ_TIMEOUT", value_parser = parse_duration, default_value = "10s")]
    pub header_read_timeout: Duration,

    /// Presence entries not refreshed for this long are removed.
    #[arg(long, env = "BOARD_PRESENCE_TIMEOUT", value_parser = parse_duration, default_value = "30s")]
    pub presence_timeout: Duration,

    /// How long a board nobody is connected to stays in memory.
    #[arg(long, env = "BOARD_ROOM_IDLE", value_parser = parse_duration, default_value = "30s")]
    pub room_idle: Duration,

    /// Fold a board's update log into one merged state after this many updates.
    #[arg(long, env = "BOARD_COMPACT_AFTER_UPDATES", default_value_t = 500)]
    pub compact_after_updates: usize,

    /// Frames queued for one connection before it is closed as too slow.
    #[arg(long, env = "BOARD_OUTBOX_FRAMES", default_value_t = 1024)]
    pub outbox_frames: usize,

    /// Bytes queued for one connection before it is closed as too slow.
    #[arg(long, env = "BOARD_OUTBOX_BYTES", default_value_t = 32 << 20)]
    pub outbox_bytes: usize,

    /// Most board fields one update may touch; a larger update is refused and its
    /// connection closed with 4413.
    #[arg(long, env = "BOARD_MAX_UPDATE_CHANGES", default_value_t = 20_000)]
    pub max_update_changes: usize,

    /// The built web app to serve (index.html and its assets). If the folder has no
    /// index.html, a plain landing page is served instead.
    #[arg(long, env = "BOARD_STATIC_DIR", default_value = "web/dist")]
    pub static_dir: std::path::PathBuf,

    /// The address people use to reach the board (e.g. https://board.example.org).
    /// Websocket and cross-site checks accept it as an origin, and session cookies are
    /// marked Secure when it is https.
    #[arg(long, env = "BOARD_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Further origins allowed to open websockets and call the API with a session
    /// (comma-separated), e.g. a development server.
    #[arg(long, env = "BOARD_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// How long a login lasts.
    #[arg(long, env = "BOARD_SESSION_TTL", value_parser = parse_duration, default_value = "12h")]
    pub session_ttl: Duration,

    /// Consecutive failed logins after which an account is locked for a while.
    #[arg(long, env = "BOARD_LOCKOUT_AFTER", default_value_t = 5)]
    pub lockout_after: u32,

    /// How long a locked account refuses logins.
    #[arg(long, env = "BOARD_LOCKOUT", value_parser = parse_duration, default_value = "15m")]
    pub lockout: Duration,

    /// Login attempts one address may make per minute.
    #[arg(long, env = "BOARD_LOGIN_ATTEMPTS_PER_MINUTE", default_value_t = 20)]
    pub login_attempts_per_minute: u32,

    /// Largest REST request body accepted, in bytes.
    #[arg(long, env = "BOARD_MAX_BODY_BYTES", default_value_t = 64 << 10)]
    pub max_body_bytes: usize,

    /// The bearer token a metrics scraper sends (`Authorization: Bearer TOKEN`) to read
    /// `/metrics`; at least 16 characters. Without it `/metrics` is not served.
    #[arg(long, env = "BOARD_METRICS_TOKEN", hide_env_values = true, value_parser = parse_metrics_token)]
    pub metrics_token: Option<String>,

    /// Longest a graceful shutdown may take before the process exits anyway.
    #[arg(long, env = "BOARD_SHUTDOWN_TIMEOUT", value_parser = parse_duration, default_value = "10s")]
    pub shutdown_timeout: Duration,

    /// The safeguarding partnership the reports are for: named on their title page and
    /// as the author in a Word document's properties.
    #[arg(long, env = "BOARD_PARTNERSHIP", value_parser = parse_imprint, default_value = crate::report::DEFAULT_PARTNERSHIP)]
    pub partnership: String,

    /// The Chromium (or Chrome) that prints reports to PDF; without it the first one on
    /// the PATH, and without any, PDF export is refused with a clear message.
    #[arg(long, env = "BOARD_CHROMIUM")]
    pub chromium: Option<std::path::PathBuf>,

    /// The findings library's small-number threshold: a count of fewer distinct reviews
    /// is shown as "fewer than N", and choices narrowing the library to fewer reviews
    /// list no finding (2 at least).
    #[arg(long, env = "BOARD_LIBRARY_THRESHOLD", default_value_t = 5, value_parser = clap::value_parser!(u64).range(2..=100))]
    pub library_threshold: u64,

    /// In a cluster (several servers on one PostgreSQL database): the URL the other
    /// nodes reach this one at, e.g. http://10.0.0.5:8080. Without it, the --listen
    /// address (which must then not be 0.0.0.0 or [::]).
    #[arg(long, env = "BOARD_ADVERTISE")]
    pub advertise: Option<String>,

    /// In a cluster with mutual TLS between nodes: where this node listens for the other
    /// nodes (their relayed connections and restores), e.g. 10.0.0.5:8443. Needs the
    /// three --cluster-tls-* files; the node then advertises https://this address.
    #[arg(long, env = "BOARD_CLUSTER_LISTEN", requires_all = ["cluster_tls_cert", "cluster_tls_key", "cluster_tls_ca"])]
    pub cluster_listen: Option<SocketAddr>,

    /// With --cluster-listen: this node's certificate chain (PEM), signed by the
    /// cluster's certificate authority.
    #[arg(long, env = "BOARD_CLUSTER_TLS_CERT", requires = "cluster_listen")]
    pub cluster_tls_cert: Option<std::path::PathBuf>,

    /// With --cluster-listen: this node's private key (PEM).
    #[arg(long, env = "BOARD_CLUSTER_TLS_KEY", requires = "cluster_listen")]
    pub cluster_tls_key: Option<std::path::PathBuf>,

    /// With --cluster-listen: the cluster's certificate authority (PEM); only nodes with
    /// a certificate it signed may connect.
    #[arg(long, env = "BOARD_CLUSTER_TLS_CA", requires = "cluster_listen")]
    pub cluster_tls_ca: Option<std::path::PathBuf>,

    /// In a cluster: a node whose heartbeat is older than this is taken for dead, and
    /// another node takes over its boards. Heartbeats go four times as often.
    #[arg(long, env = "BOARD_OWNER_TIMEOUT", value_parser = parse_duration, default_value = "2s")]
    pub owner_timeout: Duration,

    /// The protective marking at the top and bottom of every page of a report.
    #[arg(long, env = "BOARD_PROTECTIVE_MARKING", value_parser = parse_imprint, default_value = crate::report::DEFAULT_MARKING)]
    pub protective_marking: String,
}

/// A partnership's name or a marking: printed on every report, so 1 to 100 characters
/// on one line.
fn parse_imprint(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 100 || text.chars().any(char::is_control) {
        return Err("give 1 to 100 characters on one line".into());
    }
    Ok(text.to_string())
}

impl ServeArgs {
    pub fn store_options(&self) -> StoreOptions {
        StoreOptions {
            sqlite_sync: self.sqlite_sync,
            max_connections: self.db_max_connections,
        }
    }

    pub fn room_config(&self) -> RoomConfig {
        RoomConfig {
            idle_grace: self.room_idle,
            compact_after_updates: self.compact_after_updates.max(1),
            presence_timeout: self.presence_timeout,
            outbox_frames: self.outbox_frames.max(1),
            outbox_bytes: self.outbox_bytes.max(1),
            max_update_changes: self.max_update_changes.max(1),
            ..RoomConfig::default()
        }
    }

    pub fn auth_config(&self) -> AuthConfig {
        let mut allowed_origins: Vec<String> = self
            .allowed_origins
            .iter()
            .map(|o| o.trim().trim_end_matches('/').to_string())
            .filter(|o| !o.is_empty())
            .collect();
        if let Some(url) = &self.public_url {
            allowed_origins.push(url.trim().trim_end_matches('/').to_string());
        }
        AuthConfig {
            secure_cookies: self
                .public_url
                .as_deref()
                .is_some_and(|url| url.starts_with("https://")),
            allowed_origins,
            session_ttl: self.session_ttl,
            lockout_after: self.lockout_after.max(1),
            lockout: self.lockout,
            login_attempts_per_minute: self.login_attempts_per_minute.max(1),
            max_body_bytes: self.max_body_bytes.max(1024),
        }
    }

    pub fn connection_limits(&self) -> ConnectionLimits {
        ConnectionLimits {
            header_read_timeout: self.header_read_timeout.max(Duration::from_millis(10)),
            per_address: self.max_connections_per_address.max(1),
        }
    }

    /// What every report says besides its snapshot.
    pub fn report_setting(&self) -> crate::report::Setting {
        crate::report::Setting {
            partnership: self.partnership.clone(),
            marking: self.protective_marking.clone(),
            exported_at: 0,
        }
    }

    /// How this node takes part in a cluster, once it listens on `bound` (and, with
    /// mutual TLS, on `internal` for the other nodes).
    pub fn cluster_config(
        &self,
        bound: SocketAddr,
        internal: Option<SocketAddr>,
    ) -> Result<ClusterConfig, TlsError> {
        let address = match (&self.advertise, internal) {
            (Some(url), _) => url.trim().trim_end_matches('/').to_string(),
            (None, Some(internal)) => format!("https://{internal}"),
            (None, None) => format!("http://{bound}"),
        };
        let tls = match (
            &self.cluster_tls_cert,
            &self.cluster_tls_key,
            &self.cluster_tls_ca,
        ) {
            (Some(cert), Some(key), Some(ca)) => Some(ClusterTls::load(cert, key, ca)?),
            _ => None,
        };
        Ok(ClusterConfig {
            address,
            owner_timeout: self.owner_timeout.max(Duration::from_millis(200)),
            holds_address: self.advertise.is_none(),
            tls,
        })
    }

    pub fn ws_config(&self) -> WsConfig {
        WsConfig {
            max_message_bytes: self.max_message_bytes.max(1),
            ping_interval: self.ping_interval.max(Duration::from_millis(10)),
            messages_per_second: self.max_messages_per_second.max(0.0),
            message_burst: self.message_burst.max(1.0),
            access_recheck: self.access_recheck.max(Duration::from_millis(10)),
        }
    }
}

/// The shortest metrics token accepted: long enough that it cannot be guessed.
const MIN_METRICS_TOKEN_CHARS: usize = 16;

fn parse_metrics_token(text: &str) -> Result<String, String> {
    let token = text.trim();
    if token.chars().count() < MIN_METRICS_TOKEN_CHARS {
        return Err(format!(
            "the metrics token needs at least {MIN_METRICS_TOKEN_CHARS} characters"
        ));
    }
    Ok(token.to_string())
}

/// Parses a duration: "250ms", "30s", "5m", "12h", "30d", what humantime reads besides
/// ("1h 30m", "90min"), a bare number of seconds ("7") or a fraction with one unit
/// ("1.5h"). Units longer than a day are refused: no setting needs them, and months
/// and years have no fixed length.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(
        text.find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(text.len()),
    );
    if unit.is_empty() || number.contains('.') {
        // Seconds without a unit, and fractions: humantime reads whole numbers with units.
        let value: f64 = number
            .parse()
            .map_err(|_| format!("not a duration: {text:?} (try 250ms, 30s or 5m)"))?;
        let seconds = match unit {
            "ms" => value / 1000.0,
            "" | "s" => value,
            "m" => value * 60.0,
            "h" => value * 3600.0,
            "d" => value * 86400.0,
            _ => return Err(format!("unknown unit in {text:?} (use ms, s, m, h or d)")),
        };
        return Duration::try_from_secs_f64(seconds).map_err(|e| format!("{text:?}: {e}"));
    }
    if text
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|unit| LONGER_THAN_A_DAY.contains(&unit))
    {
        return Err(format!("unknown unit in {text:?} (use ms, s, m, h or d)"));
    }
    humantime::parse_duration(text)
        .map_err(|e| format!("not a duration: {text:?}: {e} (try 250ms, 30s or 5m)"))
}

/// humantime's units for weeks, months and years.
const LONGER_THAN_A_DAY: &[&str] = &[
    "w", "wk", "wks", "week", "weeks", "M", "month", "months", "y", "yr", "yrs", "year", "years",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("7"), Ok(Duration::from_secs(7)));
        assert!(parse_duration("soon").is_err());
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86400)));
        assert!(parse_duration("5y").is_err());
    }

    #[test]
    fn durations_take_combinations_fractions_and_no_unit_longer_than_a_day() {
        assert_eq!(parse_duration(" 15m "), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86400)));
        assert_eq!(parse_duration("1h 30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("0.5"), Ok(Duration::from_millis(500)));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("1.5y").is_err());
        assert!(parse_duration("2w").is_err());
        assert!(parse_duration("1 month").is_err());
        assert!(parse_duration("-5s").is_err());
    }

    #[test]
    fn short_metrics_tokens_are_refused() {
        assert!(parse_metrics_token("short").is_err());
        assert_eq!(
            parse_metrics_token(" a-long-enough-token ").as_deref(),
            Ok("a-long-enough-token")
        );
    }

    #[test]
    fn the_cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
