//! Command-line configuration. Every flag also reads an environment variable.

use std::{net::SocketAddr, time::Duration};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::{
    room::RoomConfig,
    store::{SqliteSync, StoreOptions},
    ws::WsConfig,
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
    /// Run the board server.
    Serve(ServeArgs),
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

    /// The built web app to serve (index.html and its assets). If the folder has no
    /// index.html, a plain landing page is served instead.
    #[arg(long, env = "BOARD_STATIC_DIR", default_value = "web/dist")]
    pub static_dir: std::path::PathBuf,

    /// Longest a graceful shutdown may take before the process exits anyway.
    #[arg(long, env = "BOARD_SHUTDOWN_TIMEOUT", value_parser = parse_duration, default_value = "10s")]
    pub shutdown_timeout: Duration,
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
            ..RoomConfig::default()
        }
    }

    pub fn ws_config(&self) -> WsConfig {
        WsConfig {
            max_message_bytes: self.max_message_bytes.max(1),
            ping_interval: self.ping_interval.max(Duration::from_millis(10)),
            messages_per_second: self.max_messages_per_second.max(0.0),
            message_burst: self.message_burst.max(1.0),
        }
    }
}

/// Parses "250ms", "30s", "5m" or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("not a duration: {text:?} (try 250ms, 30s or 5m)"))?;
    let seconds = match unit {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        _ => return Err(format!("unknown unit in {text:?} (use ms, s or m)")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("{text:?}: {e}"))
}

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
        assert!(parse_duration("5h").is_err());
    }

    #[test]
    fn the_cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
