//! The command line: global flags for the server under test, and one subcommand per
//! scenario.

use std::{path::PathBuf, time::Duration};

use board_server::config::parse_duration;
use clap::{Args, Parser, Subcommand, ValueEnum};
use tokio::time::MissedTickBehavior;

/// Load generator for the board server: fan-out latency, cold loads, connection storms.
#[derive(Debug, Parser)]
#[command(name = "loadgen")]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) target: TargetArgs,

    /// Print one JSON document on stdout instead of the report.
    #[arg(long, global = true)]
    pub(crate) json: bool,

    #[command(subcommand)]
    pub(crate) scenario: Scenario,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct TargetArgs {
    /// Use the server at this address (http://HOST:PORT or ws://HOST:PORT) instead of
    /// starting one. Every client connects from this machine's address, so that server
    /// needs `--max-connections-per-address` and `--max-websockets-per-credential` above
    /// the number of clients.
    #[arg(long, global = true)]
    pub(crate) url: Option<String>,

    /// With --url: the server's process id, to read its CPU time and memory (same
    /// machine only).
    #[arg(long, global = true, requires = "url")]
    pub(crate) server_pid: Option<u32>,

    /// With --url: an administrator's email. Each review has one board, so the
    /// scenarios sign in as this administrator and create a review per document.
    #[arg(long, global = true, env = "BOARD_ADMIN_EMAIL")]
    pub(crate) admin_email: Option<String>,

    /// With --url: that administrator's password.
    #[arg(
        long,
        global = true,
        env = "BOARD_ADMIN_PASSWORD",
        hide_env_values = true
    )]
    pub(crate) admin_password: Option<String>,

    /// With --url: the server's metrics token (`--metrics-token`), to read `/metrics`.
    #[arg(
        long,
        global = true,
        env = "BOARD_METRICS_TOKEN",
        hide_env_values = true
    )]
    pub(crate) metrics_token: Option<String>,

    /// The `board` binary to start. Default: `board` beside this executable.
    #[arg(long, global = true, env = "BOARD_BIN")]
    pub(crate) server_bin: Option<PathBuf>,

    /// Database of the started server.
    #[arg(long, global = true, value_enum, default_value_t = DbKind::Sqlite)]
    pub(crate) backend: DbKind,

    /// SQLite durability of the started server (`full` fsyncs every commit).
    #[arg(long, global = true, value_enum, default_value_t = SqliteSync::Full)]
    pub(crate) sqlite_sync: SqliteSync,

    /// An extra flag for the started server; repeat as needed
    /// (e.g. `--server-arg=--outbox-frames=4096`).
    #[arg(long = "server-arg", global = true, allow_hyphen_values = true)]
    pub(crate) server_args: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DbKind {
    Sqlite,
    /// A fresh database on BOARD_TEST_POSTGRES_URL's server.
    Postgres,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SqliteSync {
    Full,
    Normal,
}

impl SqliteSync {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Normal => "normal",
        }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Scenario {
    /// Clients spread over documents; writers edit at a fixed rate; every client times
    /// every edit of its document.
    Fanout(FanoutArgs),
    /// Opens a board of many small updates from a cold room, again and again.
    ColdLoad(ColdLoadArgs),
    /// Connects many clients at the same moment.
    Storm(StormArgs),
    /// Imports an agency's chronology (a generated CSV) and lists the merged chronology.
    Chronology(ChronologyArgs),
    /// Searches, facet counts, a matrix and a trend on a library of 500 reviews.
    Library(LibraryArgs),
    /// Exports the report of a long review's snapshot in each format.
    Report(ReportArgs),
    /// Three nodes on one PostgreSQL database: relay overhead, failover, scale.
    Cluster(ClusterArgs),
    /// The standard set, checked against the targets (see docs/benchmarks.md).
    Suite(SuiteArgs),
}

#[derive(Debug, Clone, Args)]
pub(crate) struct ClusterArgs {
    /// Nodes on the one database.
    #[arg(long, default_value_t = 3)]
    pub(crate) nodes: usize,
    /// Which measurements to make (comma-separated): relay, failover, scale.
    #[arg(long, value_delimiter = ',', default_value = "relay,failover,scale")]
    pub(crate) parts: Vec<String>,
    /// Relay overhead: clients of the one board, spread over the nodes.
    #[arg(long, default_value_t = 50)]
    pub(crate) clients: usize,
    /// Relay overhead: clients that also edit.
    #[arg(long, default_value_t = 10)]
    pub(crate) writers: usize,
    /// Relay overhead: edits per second per writer.
    #[arg(long, default_value_t = 10.0)]
    pub(crate) rate: f64,
    /// Relay overhead: how long the writers edit.
    #[arg(long, value_parser = parse_duration, default_value = "30s")]
    pub(crate) duration: Duration,
    /// Failover: owners killed, one after another.
    #[arg(long, default_value_t = 20)]
    pub(crate) kills: usize,
    /// Failover: clients of the board, spread over the nodes.
    #[arg(long, default_value_t = 30)]
    pub(crate) failover_clients: usize,
    /// Scale: clients in all.
    #[arg(long, default_value_t = 1000)]
    pub(crate) scale_clients: usize,
    /// Scale: boards they are spread over (one writer each).
    #[arg(long, default_value_t = 200)]
    pub(crate) scale_docs: usize,
    /// Scale: edits per second per writer.
    #[arg(long, default_value_t = 1.0)]
    pub(crate) scale_rate: f64,
    /// Scale: how long the writers edit.
    #[arg(long, value_parser = parse_duration, default_value = "30s")]
    pub(crate) scale_duration: Duration,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct FanoutArgs {
    /// Clients in all.
    #[arg(long, default_value_t = 50)]
    pub(crate) clients: usize,
    /// Documents the clients are spread over (round robin).
    #[arg(long, default_value_t = 1)]
    pub(crate) docs: usize,
    /// Clients that also edit (at most --clients), spread over the documents.
    #[arg(long, default_value_t = 10)]
    pub(crate) writers: usize,
    /// Edits per second per writer.
    #[arg(long, default_value_t = 10.0)]
    pub(crate) rate: f64,
    /// How long the writers edit.
    #[arg(long, value_parser = parse_duration, default_value = "30s")]
    pub(crate) duration: Duration,
    /// What a writer does when it falls behind its schedule.
    #[arg(long, value_enum, default_value_t = MissedTicks::Skip)]
    pub(crate) missed_ticks: MissedTicks,
    /// Connections opened at the same time while clients join.
    #[arg(long, default_value_t = 100)]
    pub(crate) connect_concurrency: usize,
    /// After the last edit, how long to wait for deliveries still in flight.
    #[arg(long, value_parser = parse_duration, default_value = "10s")]
    pub(crate) drain_timeout: Duration,
}

/// `tokio::time::MissedTickBehavior`, as a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MissedTicks {
    /// Drop the edits that are late; the rate is never exceeded.
    Skip,
    /// Send late edits at once, then keep the period from there.
    Delay,
    /// Send late edits at once, catching up with the schedule.
    Burst,
}

impl MissedTicks {
    pub(crate) fn behavior(self) -> MissedTickBehavior {
        match self {
            Self::Skip => MissedTickBehavior::Skip,
            Self::Delay => MissedTickBehavior::Delay,
            Self::Burst => MissedTickBehavior::Burst,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub(crate) struct ReportArgs {
    /// Key practice episodes on the board (half as many factors, a fifth as many findings).
    #[arg(long, default_value_t = 60)]
    pub(crate) episodes: usize,
    /// Timed exports per format.
    #[arg(long, default_value_t = 5)]
    pub(crate) runs: usize,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct LibraryArgs {
    /// Published reviews generated beside the demo's twelve (each of ten findings or
    /// more).
    #[arg(long, default_value_t = 488)]
    pub(crate) more_reviews: usize,
    /// Timed rounds (each: twelve searches, four facet counts, a matrix, a trend).
    #[arg(long, default_value_t = 20)]
    pub(crate) runs: usize,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct ChronologyArgs {
    /// Rows in the generated file.
    #[arg(long, default_value_t = 10_000)]
    pub(crate) rows: usize,
    /// Characters in each row's event (10,000 rows of about 1,000 make a 10 MB file).
    #[arg(long, default_value_t = 960)]
    pub(crate) event_chars: usize,
    /// Timed imports, each into a review of its own.
    #[arg(long, default_value_t = 5)]
    pub(crate) runs: usize,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct ColdLoadArgs {
    /// Updates the board is built from, each its own transaction and message.
    #[arg(long, default_value_t = 20_000)]
    pub(crate) updates: usize,
    /// How the one-character Y.Text inserts are placed.
    #[arg(long, value_enum, default_value_t = Pattern::Append)]
    pub(crate) pattern: Pattern,
    /// Timed cold loads.
    #[arg(long, default_value_t = 20)]
    pub(crate) runs: usize,
    /// How the room is made cold before each load.
    #[arg(long, value_enum, default_value_t = ColdBy::Restart)]
    pub(crate) cold_by: ColdBy,
    /// Updates in flight (sent, not yet echoed) while building.
    #[arg(long, default_value_t = 256)]
    pub(crate) window: u64,
    /// Build as fast as possible and do not wait for compaction to catch up: the board
    /// may then be stored with a long uncompacted log (see docs/benchmarks.md).
    #[arg(long)]
    pub(crate) no_settle: bool,
    /// Most messages per second while building; 0 = as fast as the window allows. The
    /// started server is given high rate limits for the build; an existing one (--url)
    /// allows 200/s with bursts of 2000 unless configured otherwise.
    #[arg(long, default_value_t = 0.0)]
    pub(crate) build_rate: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Pattern {
    /// Typing: every character at the end.
    Append,
    /// Every character at a random position (seeded): a fragmented document.
    Random,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColdBy {
    /// Restart the server before every load (not possible with --url).
    Restart,
    /// Leave the board until its room is unloaded (server started with --room-idle
    /// 200ms; with --url the server's own --room-idle applies).
    Idle,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct StormArgs {
    /// Clients connecting at once.
    #[arg(long, default_value_t = 1000)]
    pub(crate) clients: usize,
    /// Documents they are spread over (round robin).
    #[arg(long, default_value_t = 100)]
    pub(crate) docs: usize,
    /// Give up on a client after this long.
    #[arg(long, value_parser = parse_duration, default_value = "30s")]
    pub(crate) timeout: Duration,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct SuiteArgs {
    /// How long the writers edit in each fan-out scenario.
    #[arg(long, value_parser = parse_duration, default_value = "30s")]
    pub(crate) duration: Duration,
    /// Timed cold loads.
    #[arg(long, default_value_t = 20)]
    pub(crate) cold_runs: usize,
    /// Skip the comparison fan-out run with --sqlite-sync normal.
    #[arg(long)]
    pub(crate) no_sync_comparison: bool,
    /// Exit with status 2 if any target is missed.
    #[arg(long)]
    pub(crate) check: bool,
}
