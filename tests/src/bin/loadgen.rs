//! `loadgen`: measures the board server under load, through real websockets.
//!
//! Scenarios (results and method in `docs/benchmarks.md`):
//! - `fanout`: clients spread over documents; some of them edit at a steady rate, and
//!   every client of a document times each edit's arrival (the writer too: the server
//!   echoes every update to everyone in the room).
//! - `cold-load`: a board built from many small updates is opened by a fresh client while
//!   its room is cold, i.e. loaded from the store.
//! - `storm`: many clients connecting at the same moment.
//! - `suite`: the standard set, checked against the targets.
//!
//! By default every scenario starts its own `board serve` on a fresh SQLite database and
//! reads that process's CPU time and peak memory from `/proc`. `--url` targets a server
//! that is already running instead.

use std::{
    fmt::Write as _,
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{ExitCode, Stdio},
    sync::{
        Arc, LazyLock, Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, Result, anyhow, bail};
use board_server::config::parse_duration;
use board_tests::{
    Backend, TestDb,
    api::{ApiClient, review_with_token},
    server::{Access, board_command, http_get_with},
};
use clap::{Args, Parser, Subcommand, ValueEnum};
use futures_util::{SinkExt, StreamExt};
use rand::{Rng, SeedableRng, rngs::StdRng};
use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    net::TcpStream,
    process::{Child, Command},
    sync::{Semaphore, watch},
    time::MissedTickBehavior,
};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async_with_config,
    tungstenite::{Message as WsMessage, protocol::CloseFrame},
};
use yrs::{
    Any, Doc, Map, Observable, Out, ReadTxn, Text, Transact, Update,
    sync::{Message, MessageReader, SyncMessage},
    types::EntryChange,
    updates::{
        decoder::{Decode, DecoderV1},
        encoder::Encode,
    },
};

// ---------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------

/// Load generator for the board server: fan-out latency, cold loads, connection storms.
#[derive(Debug, Parser)]
#[command(name = "loadgen")]
struct Cli {
    #[command(flatten)]
    target: TargetArgs,

    /// Print one JSON document on stdout instead of the report.
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Debug, Clone, Args)]
struct TargetArgs {
    /// Use the server at this address (http://HOST:PORT or ws://HOST:PORT) instead of
    /// starting one. Every client connects from this machine's address, so that server
    /// needs `--max-connections-per-address` and `--max-websockets-per-credential` above
    /// the number of clients.
    #[arg(long, global = true)]
    url: Option<String>,

    /// With --url: the server's process id, to read its CPU time and memory (same
    /// machine only).
    #[arg(long, global = true, requires = "url")]
    server_pid: Option<u32>,

    /// With --url: an administrator's email. Each review has one board, so the
    /// scenarios sign in as this administrator and create a review per document.
    #[arg(long, global = true, env = "BOARD_ADMIN_EMAIL")]
    admin_email: Option<String>,

    /// With --url: that administrator's password.
    #[arg(
        long,
        global = true,
        env = "BOARD_ADMIN_PASSWORD",
        hide_env_values = true
    )]
    admin_password: Option<String>,

    /// With --url: the server's metrics token (`--metrics-token`), to read `/metrics`.
    #[arg(
        long,
        global = true,
        env = "BOARD_METRICS_TOKEN",
        hide_env_values = true
    )]
    metrics_token: Option<String>,

    /// The `board` binary to start. Default: `board` beside this executable.
    #[arg(long, global = true, env = "BOARD_BIN")]
    server_bin: Option<PathBuf>,

    /// Database of the started server.
    #[arg(long, global = true, value_enum, default_value_t = DbKind::Sqlite)]
    backend: DbKind,

    /// SQLite durability of the started server (`full` fsyncs every commit).
    #[arg(long, global = true, value_enum, default_value_t = SqliteSync::Full)]
    sqlite_sync: SqliteSync,

    /// An extra flag for the started server; repeat as needed
    /// (e.g. `--server-arg=--outbox-frames=4096`).
    #[arg(long = "server-arg", global = true, allow_hyphen_values = true)]
    server_args: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DbKind {
    Sqlite,
    /// A fresh database on BOARD_TEST_POSTGRES_URL's server.
    Postgres,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SqliteSync {
    Full,
    Normal,
}

impl SqliteSync {
    fn as_str(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Normal => "normal",
        }
    }
}

#[derive(Debug, Subcommand)]
enum Scenario {
    /// Clients spread over documents; writers edit at a fixed rate; every client times
    /// every edit of its document.
    Fanout(FanoutArgs),
    /// Opens a board of many small updates from a cold room, again and again.
    ColdLoad(ColdLoadArgs),
    /// Connects many clients at the same moment.
    Storm(StormArgs),
    /// The standard set, checked against the targets (see docs/benchmarks.md).
    Suite(SuiteArgs),
}

#[derive(Debug, Clone, Args)]
struct FanoutArgs {
    /// Clients in all.
    #[arg(long, default_value_t = 50)]
    clients: usize,
    /// Documents the clients are spread over (round robin).
    #[arg(long, default_value_t = 1)]
    docs: usize,
    /// Clients that also edit (at most --clients), spread over the documents.
    #[arg(long, default_value_t = 10)]
    writers: usize,
    /// Edits per second per writer.
    #[arg(long, default_value_t = 10.0)]
    rate: f64,
    /// How long the writers edit.
    #[arg(long, value_parser = parse_duration, default_value = "30s")]
    duration: Duration,
    /// What a writer does when it falls behind its schedule.
    #[arg(long, value_enum, default_value_t = MissedTicks::Skip)]
    missed_ticks: MissedTicks,
    /// Connections opened at the same time while clients join.
    #[arg(long, default_value_t = 100)]
    connect_concurrency: usize,
    /// After the last edit, how long to wait for deliveries still in flight.
    #[arg(long, value_parser = parse_duration, default_value = "10s")]
    drain_timeout: Duration,
}

/// `tokio::time::MissedTickBehavior`, as a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MissedTicks {
    /// Drop the edits that are late; the rate is never exceeded.
    Skip,
    /// Send late edits at once, then keep the period from there.
    Delay,
    /// Send late edits at once, catching up with the schedule.
    Burst,
}

impl MissedTicks {
    fn behavior(self) -> MissedTickBehavior {
        match self {
            Self::Skip => MissedTickBehavior::Skip,
            Self::Delay => MissedTickBehavior::Delay,
            Self::Burst => MissedTickBehavior::Burst,
        }
    }
}

#[derive(Debug, Clone, Args)]
struct ColdLoadArgs {
    /// Updates the board is built from, each its own transaction and message.
    #[arg(long, default_value_t = 20_000)]
    updates: usize,
    /// How the one-character Y.Text inserts are placed.
    #[arg(long, value_enum, default_value_t = Pattern::Append)]
    pattern: Pattern,
    /// Timed cold loads.
    #[arg(long, default_value_t = 20)]
    runs: usize,
    /// How the room is made cold before each load.
    #[arg(long, value_enum, default_value_t = ColdBy::Restart)]
    cold_by: ColdBy,
    /// Updates in flight (sent, not yet echoed) while building.
    #[arg(long, default_value_t = 256)]
    window: u64,
    /// Build as fast as possible and do not wait for compaction to catch up: the board
    /// may then be stored with a long uncompacted log (see docs/benchmarks.md).
    #[arg(long)]
    no_settle: bool,
    /// Most messages per second while building; 0 = as fast as the window allows. The
    /// started server is given high rate limits for the build; an existing one (--url)
    /// allows 200/s with bursts of 2000 unless configured otherwise.
    #[arg(long, default_value_t = 0.0)]
    build_rate: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Pattern {
    /// Typing: every character at the end.
    Append,
    /// Every character at a random position (seeded): a fragmented document.
    Random,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColdBy {
    /// Restart the server before every load (not possible with --url).
    Restart,
    /// Leave the board until its room is unloaded (server started with --room-idle
    /// 200ms; with --url the server's own --room-idle applies).
    Idle,
}

#[derive(Debug, Clone, Args)]
struct StormArgs {
    /// Clients connecting at once.
    #[arg(long, default_value_t = 1000)]
    clients: usize,
    /// Documents they are spread over (round robin).
    #[arg(long, default_value_t = 100)]
    docs: usize,
    /// Give up on a client after this long.
    #[arg(long, value_parser = parse_duration, default_value = "30s")]
    timeout: Duration,
}

#[derive(Debug, Clone, Args)]
struct SuiteArgs {
    /// How long the writers edit in each fan-out scenario.
    #[arg(long, value_parser = parse_duration, default_value = "30s")]
    duration: Duration,
    /// Timed cold loads.
    #[arg(long, default_value_t = 20)]
    cold_runs: usize,
    /// Skip the comparison fan-out run with --sqlite-sync normal.
    #[arg(long)]
    no_sync_comparison: bool,
    /// Exit with status 2 if any target is missed.
    #[arg(long)]
    check: bool,
}

fn main() -> ExitCode {
    LazyLock::force(&EPOCH);
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("loadgen: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("loadgen: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    raise_fd_limit();
    let bench = Bench::new(cli.target)?;
    let json = cli.json;
    let (reports, checks, exit_on_miss) = match cli.scenario {
        Scenario::Fanout(args) => (vec![fanout(&bench, &args, "fanout").await?], vec![], false),
        Scenario::ColdLoad(args) => (
            vec![cold_load(&bench, &args, "cold-load").await?],
            vec![],
            false,
        ),
        Scenario::Storm(args) => (vec![storm(&bench, &args, "storm").await?], vec![], false),
        Scenario::Suite(args) => {
            let (reports, checks) = suite(&bench, &args).await?;
            (reports, checks, args.check)
        }
    };
    if json {
        let doc = json!({
            "scenarios": reports.iter().map(|r| r.json.clone()).collect::<Vec<_>>(),
            "checks": checks.iter().map(Check::json).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        for report in &reports {
            println!("{}", report.text);
        }
        if !checks.is_empty() {
            println!("{}", checks_table(&checks));
        }
    }
    Ok(if exit_on_miss && checks.iter().any(|c| !c.ok) {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// Raises the soft open-files limit: a storm holds a thousand sockets, and the started
/// server inherits the limit.
fn raise_fd_limit() {
    match rlimit::increase_nofile_limit(65_536) {
        Ok(limit) if limit < 4096 => eprintln!(
            "loadgen: warning: only {limit} open files allowed; big scenarios may fail \
             (raise the hard limit: ulimit -Hn)"
        ),
        Ok(_) => {}
        Err(err) => eprintln!("loadgen: warning: cannot raise the open-files limit: {err}"),
    }
}

// ---------------------------------------------------------------------------------------
// Time and statistics
// ---------------------------------------------------------------------------------------

/// The shared clock: edits carry their send time in microseconds since this instant,
/// and receivers subtract it from their own reading of the same clock.
static EPOCH: LazyLock<Instant> = LazyLock::new(Instant::now);

fn now_us() -> u64 {
    u64::try_from(EPOCH.elapsed().as_micros()).unwrap_or(u64::MAX)
}

/// Percentiles of a set of durations, in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
struct Dist {
    n: usize,
    p50: f64,
    p95: f64,
    p99: f64,
    max: f64,
}

impl Dist {
    fn from_micros(mut samples: Vec<u64>) -> Self {
        if samples.is_empty() {
            return Self::default();
        }
        samples.sort_unstable();
        // Nearest rank: the smallest sample with at least p% of samples at or below it.
        let rank = |p: f64| {
            let index = (p / 100.0 * samples.len() as f64).ceil() as usize;
            samples[index.clamp(1, samples.len()) - 1] as f64 / 1e3
        };
        Self {
            n: samples.len(),
            p50: rank(50.0),
            p95: rank(95.0),
            p99: rank(99.0),
            max: samples[samples.len() - 1] as f64 / 1e3,
        }
    }

    fn from_durations(samples: &[Duration]) -> Self {
        Self::from_micros(samples.iter().map(|d| d.as_micros() as u64).collect())
    }

    fn text(&self) -> String {
        if self.n == 0 {
            return "no samples".into();
        }
        format!(
            "p50 {} ms  p95 {} ms  p99 {} ms  max {} ms  (n={})",
            ms(self.p50),
            ms(self.p95),
            ms(self.p99),
            ms(self.max),
            self.n
        )
    }

    fn json(&self) -> Value {
        json!({
            "n": self.n,
            "p50_ms": self.p50,
            "p95_ms": self.p95,
            "p99_ms": self.p99,
            "max_ms": self.max,
        })
    }
}

/// Milliseconds with sensible precision.
fn ms(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.2}")
    } else if value < 100.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    }
}

// ---------------------------------------------------------------------------------------
// Process measurements (/proc)
// ---------------------------------------------------------------------------------------

/// Clock ticks per second, the unit of utime and stime in /proc/PID/stat.
static CLK_TCK: LazyLock<f64> = LazyLock::new(|| {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
});

/// CPU time (user + system) a process has used, in seconds.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces; fields follow the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // After the name: state (field 3), ..., utime (14), stime (15).
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) as f64 / *CLK_TCK)
}

/// A `/proc/PID/status` value in kB, as MB.
fn status_mb(pid: u32, key: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// CPU use of one process over a window of wall time.
struct CpuMeter {
    pid: u32,
    cpu: f64,
    at: Instant,
}

impl CpuMeter {
    fn start(pid: Option<u32>) -> Option<Self> {
        let pid = pid?;
        Some(Self {
            pid,
            cpu: cpu_seconds(pid)?,
            at: Instant::now(),
        })
    }

    /// Percent of one core since `start`.
    fn percent(&self) -> Option<f64> {
        let used = cpu_seconds(self.pid)? - self.cpu;
        Some(100.0 * used / self.at.elapsed().as_secs_f64().max(1e-9))
    }
}

/// What the server process used during a scenario.
#[derive(Debug, Default, Clone, Copy)]
struct ServerUsage {
    /// Percent of one core over the scenario's measured phase.
    cpu_percent: Option<f64>,
    /// VmHWM: the most resident memory the process ever had.
    peak_rss_mb: Option<f64>,
    /// The loadgen's own CPU over the same phase, to show it was not the bottleneck.
    loadgen_cpu_percent: Option<f64>,
}

impl ServerUsage {
    fn text(&self) -> String {
        let opt = |v: Option<f64>, unit: &str| match v {
            Some(v) => format!("{v:.1}{unit}"),
            None => "n/a".into(),
        };
        format!(
            "server CPU {} of one core, server peak RSS {}; loadgen CPU {}",
            opt(self.cpu_percent, " %"),
            opt(self.peak_rss_mb, " MB"),
            opt(self.loadgen_cpu_percent, " %"),
        )
    }

    fn json(&self) -> Value {
        json!({
            "server_cpu_percent": self.cpu_percent,
            "server_peak_rss_mb": self.peak_rss_mb,
            "loadgen_cpu_percent": self.loadgen_cpu_percent,
        })
    }
}

/// Measures the server and the loadgen over one phase.
struct PhaseMeter {
    server: Option<CpuMeter>,
    own: Option<CpuMeter>,
    pid: Option<u32>,
}

impl PhaseMeter {
    fn start(server_pid: Option<u32>) -> Self {
        Self {
            server: CpuMeter::start(server_pid),
            own: CpuMeter::start(Some(std::process::id())),
            pid: server_pid,
        }
    }

    fn finish(&self) -> ServerUsage {
        ServerUsage {
            cpu_percent: self.server.as_ref().and_then(CpuMeter::percent),
            peak_rss_mb: self.pid.and_then(|pid| status_mb(pid, "VmHWM:")),
            loadgen_cpu_percent: self.own.as_ref().and_then(CpuMeter::percent),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The server under test
// ---------------------------------------------------------------------------------------

/// Everything the scenarios share: where the server comes from, and a run id that names
/// the reviews made on a server that is reused.
struct Bench {
    args: TargetArgs,
    run_id: String,
    external: Option<SocketAddr>,
}

/// The administrator who creates a scenario's reviews on an existing server.
fn external_admin(args: &TargetArgs) -> Result<(String, String)> {
    match (&args.admin_email, &args.admin_password) {
        (Some(email), Some(password)) => Ok((email.clone(), password.clone())),
        _ => bail!(
            "an existing server needs --admin-email and --admin-password (or BOARD_ADMIN_EMAIL \
             and BOARD_ADMIN_PASSWORD): an administrator, who creates a review per document"
        ),
    }
}

/// Reviews made at once while setting up a scenario.
const REVIEWS_AT_ONCE: usize = 8;

/// Signs in as the administrator and creates `count` reviews named after `scenario`, with
/// a review team member's token for each: each review's board is one document.
async fn create_boards(
    addr: SocketAddr,
    (email, password): (&str, &str),
    title: &str,
    count: usize,
) -> Result<Vec<Access>> {
    let admin = ApiClient::login_at(addr, email, password)
        .await
        .context("signing in as the administrator")?;
    let admin = &admin;
    futures_util::stream::iter(0..count)
        .map(|i| async move {
            review_with_token(admin, &format!("{title} {i}"), "review_team_member").await
        })
        .buffered(REVIEWS_AT_ONCE)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect()
}

impl Bench {
    fn new(args: TargetArgs) -> Result<Self> {
        let external = match &args.url {
            Some(url) => Some(parse_server_url(url)?),
            None => None,
        };
        Ok(Self {
            args,
            run_id: format!("{:08x}", rand::random::<u32>()),
            external,
        })
    }

    /// A server for one scenario, with `boards` new reviews (named after `label`) whose
    /// boards are the scenario's documents: a new process on a new database, or the one
    /// at --url. `extra` flags apply to a started server only.
    async fn server(&self, extra: &[String], label: &str, boards: usize) -> Result<Target> {
        let title = format!("bench {} {label}", self.run_id);
        if let Some(addr) = self.external {
            let (email, password) = external_admin(&self.args)?;
            return Ok(Target::External {
                addr,
                pid: self.args.server_pid,
                boards: create_boards(addr, (&email, &password), &title, boards).await?,
                metrics_token: self.args.metrics_token.clone(),
            });
        }
        let bin = server_binary(self.args.server_bin.as_deref())?;
        let backend = match self.args.backend {
            DbKind::Sqlite => Backend::Sqlite,
            DbKind::Postgres => Backend::Postgres,
        };
        let db = TestDb::new(backend).await?;
        let email = "loadgen@example.org";
        let password = format!("loadgen-{:032x}", rand::random::<u128>());
        board_command(
            &bin,
            &db.url,
            &[
                "user",
                "create",
                "--email",
                email,
                "--name",
                "Load generator",
                "--admin",
            ],
            &format!("{password}\n"),
        )
        .await?;
        // The simulated clients share a few tokens and this one address: lift the
        // per-credential and per-address caps.
        let mut base: Vec<String> = [
            "--max-websockets-per-credential",
            "1000000",
            "--max-connections-per-address",
            "1000000",
        ]
        .map(String::from)
        .to_vec();
        if backend == Backend::Sqlite {
            base.push("--sqlite-sync".to_string());
            base.push(self.args.sqlite_sync.as_str().to_string());
        }
        base.extend(self.args.server_args.iter().cloned());
        let metrics_token = format!("loadgen-{:032x}", rand::random::<u128>());
        base.extend(["--metrics-token".to_string(), metrics_token.clone()]);
        let mut server = ServerProcess {
            bin,
            db,
            boards: Vec::new(),
            metrics_token,
            base_args: base,
            child: None,
            addr: "127.0.0.1:0".parse()?,
            starts: 0,
        };
        server.spawn(extra).await?;
        server.boards = create_boards(server.addr, (email, &password), &title, boards).await?;
        Ok(Target::Spawned(Box::new(server)))
    }

    /// The store the started server uses, for reports.
    fn store_label(&self) -> String {
        match (self.external, self.args.backend) {
            (Some(_), _) => "existing server".into(),
            (None, DbKind::Sqlite) => format!("SQLite, sync {}", self.args.sqlite_sync.as_str()),
            (None, DbKind::Postgres) => "PostgreSQL".into(),
        }
    }
}

/// `http://HOST:PORT`, `ws://HOST:PORT` or `HOST:PORT` → the address.
fn parse_server_url(url: &str) -> Result<SocketAddr> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("ws://"))
        .unwrap_or(url);
    if rest.starts_with("https://") || rest.starts_with("wss://") {
        bail!("TLS is not supported; point --url at the server's plain HTTP address");
    }
    let host_port = rest.split('/').next().unwrap_or(rest);
    use std::net::ToSocketAddrs;
    host_port
        .to_socket_addrs()
        .with_context(|| format!("cannot resolve {host_port:?} (from --url {url:?})"))?
        .next()
        .ok_or_else(|| anyhow!("{host_port:?} resolves to no address"))
}

/// `--server-bin`, else `board` beside this executable (`target/release/board`), else
/// the test harness's choice.
fn server_binary(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = given {
        return Ok(path.to_path_buf());
    }
    let beside = std::env::current_exe()?
        .parent()
        .map(|dir| dir.join("board"))
        .ok_or_else(|| anyhow!("the loadgen executable has no folder"))?;
    if beside.is_file() {
        return Ok(beside);
    }
    let fallback = board_tests::server::board_binary();
    if fallback.is_file() {
        return Ok(fallback);
    }
    bail!(
        "no server binary at {}; build it (cargo build --release -p board-server) or pass \
         --server-bin",
        beside.display()
    )
}

enum Target {
    Spawned(Box<ServerProcess>),
    External {
        addr: SocketAddr,
        pid: Option<u32>,
        boards: Vec<Access>,
        metrics_token: Option<String>,
    },
}

impl Target {
    fn addr(&self) -> SocketAddr {
        match self {
            Self::Spawned(server) => server.addr,
            Self::External { addr, .. } => *addr,
        }
    }

    fn pid(&self) -> Option<u32> {
        match self {
            Self::Spawned(server) => server.child.as_ref().and_then(Child::id),
            Self::External { pid, .. } => *pid,
        }
    }

    fn boards(&self) -> &[Access] {
        match self {
            Self::Spawned(server) => &server.boards,
            Self::External { boards, .. } => boards,
        }
    }

    /// The board of the scenario's review number `index`, with its token.
    fn board_url(&self, index: usize) -> Result<String> {
        let boards = self.boards();
        let access = boards
            .get(index)
            .ok_or_else(|| anyhow!("board {index} of {} was not set up", boards.len()))?;
        Ok(format!(
            "ws://{}/sync/{}/board?token={}",
            self.addr(),
            access.review,
            access.token
        ))
    }

    /// A numeric sample from `/metrics` (`name` includes labels, if any).
    async fn metric(&self, name: &str) -> Result<f64> {
        Ok(sample(&self.metrics().await?, name).unwrap_or(0.0))
    }

    /// The metrics token `/metrics` answers to, if known.
    fn metrics_token(&self) -> Option<&str> {
        match self {
            Self::Spawned(server) => Some(&server.metrics_token),
            Self::External { metrics_token, .. } => metrics_token.as_deref(),
        }
    }

    /// The `/metrics` page.
    async fn metrics(&self) -> Result<String> {
        let bearer = format!("Bearer {}", self.metrics_token().unwrap_or_default());
        let (status, _, body) =
            http_get_with(self.addr(), "/metrics", &[("Authorization", &bearer)]).await?;
        if status != 200 {
            bail!("GET /metrics answered {status}");
        }
        Ok(body)
    }

    /// Stops a started server gracefully and summarises its log.
    async fn finish(self) -> Result<Option<LogSummary>> {
        match self {
            Self::Spawned(mut server) => {
                server.stop().await?;
                Ok(Some(server.log_summary()))
            }
            Self::External { .. } => Ok(None),
        }
    }
}

/// A `board serve` this program started.
struct ServerProcess {
    bin: PathBuf,
    db: TestDb,
    /// The scenario's reviews, one board each.
    boards: Vec<Access>,
    metrics_token: String,
    base_args: Vec<String>,
    child: Option<Child>,
    addr: SocketAddr,
    starts: u32,
}

impl ServerProcess {
    fn log_path(&self, start: u32) -> PathBuf {
        self.db.dir().join(format!("server-{start}.log"))
    }

    async fn spawn(&mut self, extra: &[String]) -> Result<()> {
        self.starts += 1;
        let log = std::fs::File::create(self.log_path(self.starts))?;
        let mut child = Command::new(&self.bin)
            .arg("serve")
            .args(["--listen", "127.0.0.1:0", "--database-url", &self.db.url])
            .args(&self.base_args)
            .args(extra)
            // The server's own default, pinned so a caller's RUST_LOG cannot add work.
            .env("RUST_LOG", "info,sqlx=warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot run {}", self.bin.display()))?;
        let stdout = child.stdout.take().ok_or_else(|| anyhow!("no stdout"))?;
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .map_err(|_| anyhow!("the server did not start within 30 s"))??
            .ok_or_else(|| {
                anyhow!(
                    "the server exited before listening:\n{}",
                    self.log_text(self.starts)
                )
            })?;
        let addr = line
            .strip_prefix("listening on http://")
            .ok_or_else(|| anyhow!("unexpected first line from the server: {line:?}"))?;
        self.addr = addr.parse()?;
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        self.child = Some(child);
        Ok(())
    }

    /// SIGTERM, then wait for the exit.
    async fn stop(&mut self) -> Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        let pid = child
            .id()
            .ok_or_else(|| anyhow!("the server has already exited"))?;
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()?;
        if !status.success() {
            bail!("kill -TERM {pid} failed");
        }
        let exit = tokio::time::timeout(Duration::from_secs(30), child.wait())
            .await
            .map_err(|_| anyhow!("the server did not stop within 30 s"))??;
        if !exit.success() {
            bail!(
                "the server exited with {exit}:\n{}",
                self.log_text(self.starts)
            );
        }
        Ok(())
    }

    async fn restart(&mut self, extra: &[String]) -> Result<()> {
        self.stop().await?;
        self.spawn(extra).await
    }

    fn log_text(&self, start: u32) -> String {
        std::fs::read_to_string(self.log_path(start)).unwrap_or_default()
    }

    fn log_summary(&self) -> LogSummary {
        let mut summary = LogSummary::default();
        for start in 1..=self.starts {
            for line in self.log_text(start).lines() {
                if line.contains(" WARN ") {
                    summary.warnings += 1;
                    summary.first.get_or_insert_with(|| line.to_string());
                } else if line.contains(" ERROR ") || line.contains("panicked") {
                    summary.errors += 1;
                    summary.first.get_or_insert_with(|| line.to_string());
                }
            }
        }
        summary
    }
}

/// Warnings and errors the started server logged during a scenario.
#[derive(Debug, Default, Clone)]
struct LogSummary {
    warnings: usize,
    errors: usize,
    first: Option<String>,
}

impl LogSummary {
    fn text(&self) -> String {
        match &self.first {
            None => "server log: no warnings or errors".into(),
            Some(first) => format!(
                "server log: {} warnings, {} errors; first: {first}",
                self.warnings, self.errors
            ),
        }
    }
}

/// One sample of a Prometheus text page.
fn sample(page: &str, name: &str) -> Option<f64> {
    page.lines()
        .filter_map(|line| line.rsplit_once(' '))
        .find(|(key, _)| *key == name)
        .and_then(|(_, value)| value.parse().ok())
}

/// The server's group-commit times, from its `board_store_append_seconds` histogram.
#[derive(Debug, Default, Clone, Copy)]
struct CommitTimes {
    commits: f64,
    /// Upper bounds (in ms) of the buckets holding the 50th and 99th percentiles.
    p50_le_ms: Option<f64>,
    p99_le_ms: Option<f64>,
}

impl CommitTimes {
    fn from_page(page: &str) -> Self {
        let prefix = "board_store_append_seconds_bucket{le=\"";
        let buckets: Vec<(f64, f64)> = page
            .lines()
            .filter_map(|line| {
                let (le, count) = line.strip_prefix(prefix)?.split_once("\"}")?;
                let le = if le == "+Inf" {
                    f64::INFINITY
                } else {
                    le.parse().ok()?
                };
                Some((le * 1e3, count.trim().parse().ok()?))
            })
            .collect();
        let commits = buckets.last().map_or(0.0, |(_, count)| *count);
        let quantile = |q: f64| {
            buckets
                .iter()
                .find(|(_, count)| commits > 0.0 && *count >= q * commits)
                .map(|(le, _)| *le)
        };
        Self {
            commits,
            p50_le_ms: quantile(0.5),
            p99_le_ms: quantile(0.99),
        }
    }

    fn text(&self) -> String {
        let bound = |v: Option<f64>| v.map_or_else(|| "n/a".into(), ms);
        format!(
            "{} group commits; p50 <= {} ms, p99 <= {} ms (histogram bucket bounds)",
            self.commits,
            bound(self.p50_le_ms),
            bound(self.p99_le_ms)
        )
    }

    fn json(&self) -> Value {
        json!({
            "commits": self.commits,
            "p50_le_ms": self.p50_le_ms,
            "p99_le_ms": self.p99_le_ms,
        })
    }
}

/// The `room opened` line the server logs when it loads a board: (updates in the log
/// after the merged state, milliseconds).
fn room_opened(log: &str) -> Option<(u64, f64)> {
    let line = log.lines().rev().find(|l| l.contains("room opened"))?;
    let field = |key: &str| {
        line.split_whitespace()
            .find_map(|token| token.strip_prefix(key))
            .map(str::to_string)
    };
    Some((
        field("updates=")?.parse().ok()?,
        field("ms=")?.parse().ok()?,
    ))
}

// ---------------------------------------------------------------------------------------
// Websocket clients
// ---------------------------------------------------------------------------------------

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

fn decode_frame(frame: &[u8]) -> Result<Vec<Message>> {
    let mut decoder = DecoderV1::from(frame);
    MessageReader::new(&mut decoder)
        .map(|message| message.map_err(anyhow::Error::from))
        .collect()
}

fn apply(doc: &Doc, update: &[u8]) -> Result<()> {
    let update = Update::decode_v1(update)?;
    doc.transact_mut_with("server").apply_update(update)?;
    Ok(())
}

fn binary(message: Message) -> WsMessage {
    WsMessage::Binary(message.encode_v1().into())
}

fn describe_close(frame: Option<CloseFrame>) -> String {
    match frame {
        Some(frame) => format!("close {} {}", u16::from(frame.code), frame.reason),
        None => "close without a code".into(),
    }
}

/// A connected client that has the server's state.
struct Synced {
    socket: Socket,
    /// From the start of the connect to the arrival of the server's SyncStep2.
    received: Duration,
    /// ...and to the end of applying it.
    applied: Duration,
}

/// Connects the way y-websocket's provider does: sends SyncStep1, answers the server's
/// SyncStep1 from `local` (the client's own edits), and applies the server's SyncStep2
/// into `doc`. Returns once the SyncStep2 is applied.
async fn connect_synced(url: &str, doc: &Doc, local: &Doc) -> Result<Synced> {
    let started = Instant::now();
    // Browsers disable Nagle's algorithm on websockets; so do we.
    let (mut socket, _) = connect_async_with_config(url, None, true)
        .await
        .with_context(|| format!("connecting to {url}"))?;
    let step1 = SyncMessage::SyncStep1(doc.transact().state_vector());
    socket.send(binary(Message::Sync(step1))).await?;
    loop {
        let frame = match socket.next().await {
            Some(Ok(WsMessage::Binary(frame))) => frame,
            Some(Ok(WsMessage::Close(frame))) => {
                bail!(
                    "the server closed before the sync: {}",
                    describe_close(frame)
                )
            }
            Some(Ok(_)) => continue,
            Some(Err(err)) => return Err(err).context("reading from the server"),
            None => bail!("the connection ended before the sync"),
        };
        let received = started.elapsed();
        let mut synced = false;
        for message in decode_frame(&frame)? {
            match message {
                Message::Sync(SyncMessage::SyncStep1(sv)) => {
                    let missing = local.transact().encode_state_as_update_v1(&sv);
                    let step2 = SyncMessage::SyncStep2(missing);
                    socket.send(binary(Message::Sync(step2))).await?;
                }
                Message::Sync(SyncMessage::SyncStep2(update)) => {
                    apply(doc, &update)?;
                    synced = true;
                }
                Message::Sync(SyncMessage::Update(update)) => apply(doc, &update)?,
                _ => {}
            }
        }
        if synced {
            return Ok(Synced {
                socket,
                received,
                applied: started.elapsed(),
            });
        }
    }
}

/// Closes politely, without waiting long for the handshake.
async fn close(mut socket: Socket) {
    let _ = tokio::time::timeout(Duration::from_secs(2), socket.close(None)).await;
}

/// A scenario's printable and machine-readable results.
struct Report {
    text: String,
    json: Value,
}

// ---------------------------------------------------------------------------------------
// Scenario: fanout
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Connect,
    Edit {
        start: tokio::time::Instant,
        end: tokio::time::Instant,
    },
    Stop,
}

/// Counters every fan-out client updates.
struct FanoutShared {
    synced: AtomicUsize,
    failed: AtomicUsize,
    writers_synced: AtomicUsize,
    writers_done: AtomicUsize,
    delivered: AtomicU64,
    /// Edits sent, by document.
    sent: Vec<AtomicU64>,
    connect_permits: Semaphore,
}

/// One client's part of the plan.
struct ClientPlan {
    url: String,
    doc: usize,
    /// For writers: (writer number, offset of its first edit into the period).
    writer: Option<(usize, Duration)>,
}

/// Where a client's receive path records arrivals (written from inside the document's
/// observer, which runs while an update is applied).
#[derive(Default)]
struct Arrivals {
    /// Receive time of the frame being applied; 0 while nothing is being timed.
    received_us: AtomicU64,
    latencies_us: Mutex<Vec<u32>>,
}

struct ClientOutcome {
    synced_after: Option<Duration>,
    latencies_us: Vec<u32>,
    error: Option<String>,
}

async fn fanout(bench: &Bench, args: &FanoutArgs, label: &str) -> Result<Report> {
    if args.clients == 0 || args.docs == 0 {
        bail!("--clients and --docs must be at least 1");
    }
    if args.writers > args.clients {
        bail!(
            "--writers ({}) exceeds --clients ({})",
            args.writers,
            args.clients
        );
    }
    if !(args.rate > 0.0 && args.rate.is_finite()) {
        bail!("--rate must be a positive number");
    }
    let target = bench.server(&[], label, args.docs).await?;
    let urls = (0..args.docs)
        .map(|doc| target.board_url(doc))
        .collect::<Result<Vec<_>>>()?;
    let period = Duration::from_secs_f64(1.0 / args.rate);

    // Each writer starts at a random (seeded) point of its period, as independent users
    // would, rather than all at once.
    let mut rng = StdRng::seed_from_u64(1);
    let offsets: Vec<Duration> = (0..args.writers)
        .map(|_| period.mul_f64(rng.random_range(0.0..1.0)))
        .collect();
    let planned = planned_edits(args.duration, &offsets, period);
    // Client i is on document i % docs; the first `writers` clients write, so writers
    // are spread over the documents as evenly as clients are.
    let mut clients_on_doc = vec![0u64; args.docs];
    let plans: Vec<ClientPlan> = (0..args.clients)
        .map(|i| {
            let doc = i % args.docs;
            clients_on_doc[doc] += 1;
            let writer = offsets.get(i).map(|offset| (i, *offset));
            ClientPlan {
                url: urls[doc].clone(),
                doc,
                writer,
            }
        })
        .collect();

    let shared = Arc::new(FanoutShared {
        synced: AtomicUsize::new(0),
        failed: AtomicUsize::new(0),
        writers_synced: AtomicUsize::new(0),
        writers_done: AtomicUsize::new(0),
        delivered: AtomicU64::new(0),
        sent: (0..args.docs).map(|_| AtomicU64::new(0)).collect(),
        connect_permits: Semaphore::new(args.connect_concurrency.max(1)),
    });
    let (phase_tx, phase_rx) = watch::channel(Phase::Connect);
    eprintln!(
        "{label}: connecting {} clients to {} document(s)...",
        args.clients, args.docs
    );
    let tasks: Vec<_> = plans
        .into_iter()
        .map(|plan| {
            tokio::spawn(fanout_client(
                plan,
                shared.clone(),
                phase_rx.clone(),
                period,
                args.missed_ticks.behavior(),
            ))
        })
        .collect();

    // Everyone synced (or failed) before the first edit, so every edit is owed to every
    // client of its document.
    let connect_deadline = Instant::now() + Duration::from_secs(60);
    while shared.synced.load(Ordering::Relaxed) + shared.failed.load(Ordering::Relaxed)
        < args.clients
    {
        if Instant::now() > connect_deadline {
            bail!("clients did not finish connecting within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let failed_connects = shared.failed.load(Ordering::Relaxed);

    eprintln!(
        "{label}: {} writer(s) editing at {}/s for {:?}...",
        args.writers, args.rate, args.duration
    );
    let meter = PhaseMeter::start(target.pid());
    let start = tokio::time::Instant::now() + Duration::from_millis(20);
    let end = start + args.duration;
    let _ = phase_tx.send(Phase::Edit { start, end });
    tokio::time::sleep_until(end).await;
    // Every connected writer reports when its schedule has run out.
    let finish_deadline = Instant::now() + Duration::from_secs(10);
    while shared.writers_done.load(Ordering::Relaxed)
        < shared.writers_synced.load(Ordering::Relaxed)
        && Instant::now() < finish_deadline
    {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let sent: Vec<u64> = shared
        .sent
        .iter()
        .map(|s| s.load(Ordering::Relaxed))
        .collect();
    let edits_sent: u64 = sent.iter().sum();
    let expected: u64 = sent
        .iter()
        .zip(&clients_on_doc)
        .map(|(sent, clients)| sent * clients)
        .sum();
    let drain_deadline = Instant::now() + args.drain_timeout;
    while shared.delivered.load(Ordering::Relaxed) < expected && Instant::now() < drain_deadline {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let edit_phase = meter.finish();
    let _ = phase_tx.send(Phase::Stop);

    let mut latencies = Vec::new();
    let mut connects = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for task in tasks {
        let outcome = task.await.context("a client task panicked")?;
        if let Some(after) = outcome.synced_after {
            connects.push(after);
        }
        latencies.extend(outcome.latencies_us.iter().map(|&us| u64::from(us)));
        if let Some(error) = outcome.error {
            errors.push(error);
        }
    }
    let received = latencies.len() as u64;
    let latency = Dist::from_micros(latencies);
    let connect = Dist::from_durations(&connects);
    let page = target.metrics().await.unwrap_or_default();
    let closed_slow = sample(&page, "board_clients_closed_slow_total").unwrap_or(0.0);
    let commits = CommitTimes::from_page(&page);
    // CPU over the edit phase; memory over the server's life, connections included.
    let usage = edit_phase;
    let log = target.finish().await?;

    let ratio = if expected == 0 {
        0.0
    } else {
        received as f64 / expected as f64
    };
    let per_second = received as f64 / args.duration.as_secs_f64();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{label}: {} clients on {} document(s), {} writer(s) x {} edits/s for {:.0} s \
         ({}, missed ticks: {:?})",
        args.clients,
        args.docs,
        args.writers,
        args.rate,
        args.duration.as_secs_f64(),
        bench.store_label(),
        args.missed_ticks
    );
    let _ = writeln!(
        text,
        "  edits sent        {edits_sent} of {planned} planned"
    );
    let _ = writeln!(
        text,
        "  deliveries        {received} of {expected} expected ({:.3} %), {per_second:.0}/s",
        ratio * 100.0
    );
    let _ = writeln!(text, "  fan-out latency   {}", latency.text());
    let _ = writeln!(text, "  connect->synced   {}", connect.text());
    let _ = writeln!(text, "  usage             {}", usage.text());
    let _ = writeln!(text, "  server commits    {}", commits.text());
    let _ = writeln!(
        text,
        "  failures          {} connect, {} client errors, {} closed as too slow",
        failed_connects,
        errors.len(),
        closed_slow
    );
    if let Some(first) = errors.first() {
        let _ = writeln!(text, "  first error       {first}");
    }
    if let Some(log) = &log {
        let _ = writeln!(text, "  {}", log.text());
    }
    let json = json!({
        "scenario": label,
        "kind": "fanout",
        "clients": args.clients,
        "docs": args.docs,
        "writers": args.writers,
        "rate_per_writer": args.rate,
        "duration_s": args.duration.as_secs_f64(),
        "store": bench.store_label(),
        "missed_ticks": format!("{:?}", args.missed_ticks).to_lowercase(),
        "edits_planned": planned,
        "edits_sent": edits_sent,
        "deliveries_expected": expected,
        "deliveries_received": received,
        "delivery_ratio": ratio,
        "deliveries_per_s": per_second,
        "latency": latency.json(),
        "connect_to_synced": connect.json(),
        "usage": usage.json(),
        "server_commits": commits.json(),
        "failed_connects": failed_connects,
        "client_errors": errors.len(),
        "closed_slow": closed_slow,
        "server_log_warnings": log.as_ref().map(|l| l.warnings),
        "server_log_errors": log.as_ref().map(|l| l.errors),
    });
    Ok(Report { text, json })
}

/// Edits the schedule holds: each writer ticks at start + offset + k * period < end.
fn planned_edits(duration: Duration, offsets: &[Duration], period: Duration) -> u64 {
    offsets
        .iter()
        .map(|offset| {
            let span = duration.saturating_sub(*offset).as_secs_f64();
            (span / period.as_secs_f64()).ceil() as u64
        })
        .sum()
}

async fn fanout_client(
    plan: ClientPlan,
    shared: Arc<FanoutShared>,
    mut phase: watch::Receiver<Phase>,
    period: Duration,
    missed: MissedTickBehavior,
) -> ClientOutcome {
    let mut outcome = ClientOutcome {
        synced_after: None,
        latencies_us: Vec::new(),
        error: None,
    };
    let arrivals = Arc::new(Arrivals::default());
    // What arrives from the server is applied here, and timed by the observer.
    let doc = Doc::new();
    let map = doc.get_or_insert_map("edits");
    let probe = arrivals.clone();
    let counter = shared.clone();
    map.observe("loadgen", move |txn, event| {
        let received = probe.received_us.load(Ordering::Relaxed);
        if received == 0 {
            return;
        }
        let mut latencies = probe.latencies_us.lock().unwrap_or_else(|p| p.into_inner());
        for change in event.keys(txn).values() {
            if let EntryChange::Inserted(Out::Any(value)) = change
                && let Ok(sent) = value.clone().cast::<i64>()
            {
                let sent = u64::try_from(sent).unwrap_or(0);
                let latency = received.saturating_sub(sent);
                latencies.push(u32::try_from(latency).unwrap_or(u32::MAX));
                counter.delivered.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    // A writer's own edits are made here, as in a browser; the echo lands in `doc`.
    let local = Doc::new();
    let local_map = local.get_or_insert_map("edits");

    let connected = {
        let _permit = shared.connect_permits.acquire().await;
        connect_synced(&plan.url, &doc, &local).await
    };
    let mut socket = match connected {
        Ok(Synced {
            socket, received, ..
        }) => {
            outcome.synced_after = Some(received);
            if plan.writer.is_some() {
                shared.writers_synced.fetch_add(1, Ordering::Relaxed);
            }
            shared.synced.fetch_add(1, Ordering::Relaxed);
            socket
        }
        Err(err) => {
            outcome.error = Some(format!("{err:#}"));
            shared.failed.fetch_add(1, Ordering::Relaxed);
            return outcome;
        }
    };

    let mut ticker: Option<tokio::time::Interval> = None;
    let mut done_writing = plan.writer.is_none();
    let mut end = tokio::time::Instant::now();
    let mut seq = 0u64;
    let result: Result<()> = async {
        loop {
            tokio::select! {
                biased;
                changed = phase.changed() => {
                    if changed.is_err() {
                        break;
                    }
                    match *phase.borrow_and_update() {
                        Phase::Connect => {}
                        Phase::Edit { start, end: stop } => {
                            if let Some((_, offset)) = plan.writer {
                                let mut interval =
                                    tokio::time::interval_at(start + offset, period);
                                interval.set_missed_tick_behavior(missed);
                                ticker = Some(interval);
                                end = stop;
                            }
                        }
                        Phase::Stop => break,
                    }
                }
                frame = socket.next() => {
                    let received = now_us();
                    let frame = match frame {
                        Some(Ok(WsMessage::Binary(frame))) => frame,
                        Some(Ok(WsMessage::Close(frame))) => {
                            bail!("closed by the server: {}", describe_close(frame))
                        }
                        Some(Ok(_)) => continue,
                        Some(Err(err)) => return Err(err.into()),
                        None => bail!("the connection ended"),
                    };
                    // An update reaches every client of the document at about the same
                    // moment: let the other clients take their arrival time before this
                    // one spends time decoding and applying.
                    tokio::task::yield_now().await;
                    for message in decode_frame(&frame)? {
                        if let Message::Sync(SyncMessage::Update(update)) = message {
                            arrivals.received_us.store(received.max(1), Ordering::Relaxed);
                            let applied = apply(&doc, &update);
                            arrivals.received_us.store(0, Ordering::Relaxed);
                            applied?;
                        }
                    }
                }
                at = next_tick(&mut ticker) => {
                    if at >= end {
                        ticker = None;
                        done_writing = true;
                        shared.writers_done.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    let Some((writer, _)) = plan.writer else { continue };
                    seq += 1;
                    let update = {
                        let mut txn = local.transact_mut();
                        let sent_at = i64::try_from(now_us()).unwrap_or(i64::MAX);
                        local_map.insert(&mut txn, format!("{writer}-{seq}"), Any::from(sent_at));
                        txn.encode_update_v1()
                    };
                    socket.send(binary(Message::Sync(SyncMessage::Update(update)))).await?;
                    shared.sent[plan.doc].fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        Ok(())
    }
    .await;
    if let Err(err) = result {
        outcome.error = Some(format!("{err:#}"));
        if !done_writing {
            // A writer whose connection failed is done writing.
            shared.writers_done.fetch_add(1, Ordering::Relaxed);
        }
    } else {
        close(socket).await;
    }
    outcome.latencies_us = std::mem::take(
        &mut *arrivals
            .latencies_us
            .lock()
            .unwrap_or_else(|p| p.into_inner()),
    );
    outcome
}

/// The next tick of an optional interval; never resolves without one.
async fn next_tick(ticker: &mut Option<tokio::time::Interval>) -> tokio::time::Instant {
    match ticker {
        Some(interval) => interval.tick().await,
        None => std::future::pending().await,
    }
}

// ---------------------------------------------------------------------------------------
// Scenario: cold-load
// ---------------------------------------------------------------------------------------

/// Flags that lift the per-connection rate limit while one client builds the board.
fn build_limits() -> Vec<String> {
    [
        "--max-messages-per-second",
        "100000",
        "--message-burst",
        "100000",
    ]
    .map(String::from)
    .to_vec()
}

async fn cold_load(bench: &Bench, args: &ColdLoadArgs, label: &str) -> Result<Report> {
    if args.updates == 0 || args.runs == 0 {
        bail!("--updates and --runs must be at least 1");
    }
    if bench.external.is_some() && args.cold_by == ColdBy::Restart {
        bail!("--cold-by restart needs a started server; with --url use --cold-by idle");
    }
    let mut build_flags = build_limits();
    if args.cold_by == ColdBy::Idle {
        build_flags.extend(["--room-idle".to_string(), "200ms".to_string()]);
    }
    let mut target = bench.server(&build_flags, label, 1).await?;

    eprintln!(
        "{label}: building a board of {} one-character inserts ({:?})...",
        args.updates, args.pattern
    );
    let build_started = Instant::now();
    let mut builder = Builder::connect(&target.board_url(0)?, args).await?;
    if args.no_settle {
        builder.insert(args.updates).await?;
    } else {
        // A compaction that is still running when the writes stop leaves everything
        // appended meanwhile in the log; one more update after it has finished starts a
        // compaction of the whole log, so the board is stored as the server keeps a
        // board that is edited normally: a merged state plus a short log.
        builder.insert(args.updates - 1).await?;
        settle_compactions(&target).await?;
        builder.insert(1).await?;
        settle_compactions(&target).await?;
    }
    builder.close().await?;
    let build_time = build_started.elapsed();
    let compactions = target
        .metric("board_compactions_total")
        .await
        .unwrap_or(0.0);

    eprintln!("{label}: {} cold loads ({:?})...", args.runs, args.cold_by);
    let mut received = Vec::with_capacity(args.runs);
    let mut applied = Vec::with_capacity(args.runs);
    let mut server_ms = Vec::new();
    let mut log_updates = Vec::new();
    let mut peak_rss: Option<f64> = None;
    let mut state_bytes = 0;
    for run in 0..args.runs {
        match &mut target {
            Target::Spawned(server) if args.cold_by == ColdBy::Restart => {
                server.restart(&[]).await?
            }
            _ => wait_rooms_closed(&target).await?,
        }
        let doc = Doc::new();
        // After a restart the server listens on a new port.
        let synced = connect_synced(&target.board_url(0)?, &doc, &doc)
            .await
            .with_context(|| format!("cold load {}", run + 1))?;
        let text = doc.get_or_insert_text("text");
        let len = text.len(&doc.transact()) as usize;
        if len != args.updates {
            bail!(
                "cold load {} got {len} characters, expected {}",
                run + 1,
                args.updates
            );
        }
        received.push(synced.received);
        applied.push(synced.applied);
        state_bytes = doc
            .transact()
            .encode_state_as_update_v1(&Default::default())
            .len();
        if let Some(rss) = target.pid().and_then(|pid| status_mb(pid, "VmHWM:")) {
            peak_rss = Some(peak_rss.map_or(rss, |peak| peak.max(rss)));
        }
        close(synced.socket).await;
        if let Target::Spawned(server) = &target
            && let Some((updates, ms)) = room_opened(&server.log_text(server.starts))
        {
            log_updates.push(updates);
            server_ms.push(Duration::from_secs_f64(ms / 1e3));
        }
    }
    let log = target.finish().await?;
    let loaded = Dist::from_durations(&applied);
    let arrived = Dist::from_durations(&received);
    let server_load = Dist::from_durations(&server_ms);
    let first_log = log_updates.first().copied();
    let max_log = log_updates.iter().copied().max();
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{label}: a board of {} one-character Y.Text inserts ({:?}), opened cold {} times \
         (cold by {:?}, {})",
        args.updates,
        args.pattern,
        args.runs,
        args.cold_by,
        bench.store_label()
    );
    let _ = writeln!(
        text,
        "  build             {:.1} s, {} compactions (rate limits lifted for the build{})",
        build_time.as_secs_f64(),
        compactions,
        if args.no_settle {
            ""
        } else {
            "; compaction settled"
        }
    );
    let _ = writeln!(
        text,
        "  document          {state_bytes} bytes as one update; the log read with the merged \
         state: {} updates at the first load, {} at most",
        first_log.map_or_else(|| "n/a".into(), |n| n.to_string()),
        max_log.map_or_else(|| "n/a".into(), |n| n.to_string()),
    );
    let _ = writeln!(text, "  connect->loaded   {}", loaded.text());
    let _ = writeln!(text, "  SyncStep2 arrived {}", arrived.text());
    if server_load.n > 0 {
        let _ = writeln!(text, "  server load       {}", server_load.text());
    }
    let _ = writeln!(
        text,
        "  server peak RSS   {}",
        peak_rss.map_or_else(|| "n/a".into(), |mb| format!("{mb:.1} MB"))
    );
    if let Some(log) = &log {
        let _ = writeln!(text, "  {}", log.text());
    }
    let json = json!({
        "scenario": label,
        "kind": "cold-load",
        "updates": args.updates,
        "pattern": format!("{:?}", args.pattern).to_lowercase(),
        "runs": args.runs,
        "cold_by": format!("{:?}", args.cold_by).to_lowercase(),
        "settled": !args.no_settle,
        "store": bench.store_label(),
        "build_s": build_time.as_secs_f64(),
        "compactions": compactions,
        "state_bytes": state_bytes,
        "log_updates_first_load": first_log,
        "log_updates_max": max_log,
        "connect_to_loaded": loaded.json(),
        "connect_to_step2": arrived.json(),
        "server_load": server_load.json(),
        "server_peak_rss_mb": peak_rss,
        "server_log_warnings": log.as_ref().map(|l| l.warnings),
        "server_log_errors": log.as_ref().map(|l| l.errors),
    });
    Ok(Report { text, json })
}

/// Waits until the server's compaction counter has not moved for a while.
async fn settle_compactions(target: &Target) -> Result<()> {
    let quiet = Duration::from_millis(600);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = target.metric("board_compactions_total").await?;
    let mut since = Instant::now();
    while since.elapsed() < quiet {
        if Instant::now() > deadline {
            bail!("compactions did not settle within 60 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let now = target.metric("board_compactions_total").await?;
        if now != last {
            last = now;
            since = Instant::now();
        }
    }
    Ok(())
}

/// One client building a board from one-character inserts, each its own transaction
/// and message, with a window of updates in flight (sent, not yet echoed).
struct Builder {
    doc: Doc,
    text: yrs::TextRef,
    sink: futures_util::stream::SplitSink<Socket, WsMessage>,
    echoed: watch::Receiver<u64>,
    reader: tokio::task::JoinHandle<Result<()>>,
    sent: u64,
    rng: StdRng,
    pacer: Option<tokio::time::Interval>,
    pattern: Pattern,
    window: u64,
}

impl Builder {
    async fn connect(url: &str, args: &ColdLoadArgs) -> Result<Self> {
        let doc = Doc::new();
        let text = doc.get_or_insert_text("text");
        let Synced { socket, .. } = connect_synced(url, &doc, &doc).await?;
        let (sink, mut stream) = socket.split();
        let (echoed_tx, echoed) = watch::channel(0u64);
        // Counts the server's echoes of our updates (sent once they are stored).
        let reader = tokio::spawn(async move {
            let mut count = 0u64;
            while let Some(frame) = stream.next().await {
                match frame? {
                    WsMessage::Binary(frame) => {
                        count += decode_frame(&frame)?
                            .iter()
                            .filter(|m| matches!(m, Message::Sync(SyncMessage::Update(_))))
                            .count() as u64;
                        echoed_tx.send_replace(count);
                    }
                    WsMessage::Close(frame) => {
                        bail!("the server closed the builder: {}", describe_close(frame))
                    }
                    _ => {}
                }
            }
            Ok(())
        });
        let pacer = (args.build_rate > 0.0).then(|| {
            let mut interval =
                tokio::time::interval(Duration::from_secs_f64(1.0 / args.build_rate));
            interval.set_missed_tick_behavior(MissedTickBehavior::Burst);
            interval
        });
        Ok(Self {
            doc,
            text,
            sink,
            echoed,
            reader,
            sent: 0,
            rng: StdRng::seed_from_u64(7),
            pacer,
            pattern: args.pattern,
            window: args.window.max(1),
        })
    }

    /// Sends `count` more inserts and waits until the server has echoed all of them.
    async fn insert(&mut self, count: usize) -> Result<()> {
        for _ in 0..count {
            if let Some(pacer) = &mut self.pacer {
                pacer.tick().await;
            }
            let sent = self.sent;
            let window = self.window;
            self.wait_echoed(|echoed| sent < echoed + window).await?;
            let update = {
                let mut txn = self.doc.transact_mut();
                match self.pattern {
                    Pattern::Append => self.text.push(&mut txn, "x"),
                    Pattern::Random => {
                        let len = self.text.len(&txn);
                        let at = self.rng.random_range(0..=len);
                        self.text.insert(&mut txn, at, "x");
                    }
                }
                txn.encode_update_v1()
            };
            self.sink
                .send(binary(Message::Sync(SyncMessage::Update(update))))
                .await
                .context("sending an update")?;
            self.sent += 1;
        }
        let sent = self.sent;
        self.wait_echoed(|echoed| echoed >= sent).await
    }

    async fn wait_echoed(&mut self, ready: impl Fn(u64) -> bool) -> Result<()> {
        let waited =
            tokio::time::timeout(Duration::from_secs(60), self.echoed.wait_for(|&e| ready(e)))
                .await
                .map(|result| result.map(|_| ()));
        match waited {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => {
                // The reader has ended: say why.
                let reader = (&mut self.reader).await;
                match reader {
                    Ok(Err(err)) => Err(err.context("building the board")),
                    _ => bail!("the builder's connection ended"),
                }
            }
            Err(_) => bail!(
                "only {} of {} updates were echoed within 60 s",
                *self.echoed.borrow(),
                self.sent
            ),
        }
    }

    async fn close(mut self) -> Result<()> {
        let _ = tokio::time::timeout(Duration::from_secs(2), self.sink.close()).await;
        self.reader.abort();
        let len = self.text.len(&self.doc.transact()) as u64;
        if len != self.sent {
            bail!(
                "the builder's own text has {len} characters, not {}",
                self.sent
            );
        }
        Ok(())
    }
}

/// Waits until the server has unloaded every room (its --room-idle has passed).
async fn wait_rooms_closed(target: &Target) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if target.metric("board_rooms_open").await? == 0.0 {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("rooms stayed open for 60 s (is the server's --room-idle short?)");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

// ---------------------------------------------------------------------------------------
// Scenario: storm
// ---------------------------------------------------------------------------------------

async fn storm(bench: &Bench, args: &StormArgs, label: &str) -> Result<Report> {
    if args.clients == 0 || args.docs == 0 {
        bail!("--clients and --docs must be at least 1");
    }
    let target = bench.server(&[], label, args.docs).await?;
    let urls = (0..args.docs)
        .map(|doc| target.board_url(doc))
        .collect::<Result<Vec<_>>>()?;
    let (go_tx, go_rx) = watch::channel(false);
    let (stop_tx, stop_rx) = watch::channel(false);
    let done = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..args.clients)
        .map(|i| {
            let url = urls[i % args.docs].clone();
            let mut go = go_rx.clone();
            let mut stop = stop_rx.clone();
            let done = done.clone();
            let timeout = args.timeout;
            tokio::spawn(async move {
                let doc = Doc::new();
                if go.wait_for(|&go| go).await.is_err() {
                    return Err("never started".to_string());
                }
                let synced = tokio::time::timeout(timeout, connect_synced(&url, &doc, &doc)).await;
                done.fetch_add(1, Ordering::Relaxed);
                let (socket, elapsed) = match synced {
                    Ok(Ok(synced)) => (synced.socket, synced.received),
                    Ok(Err(err)) => return Err(format!("{err:#}")),
                    Err(_) => return Err(format!("not synced within {timeout:?}")),
                };
                let synced_at = now_us();
                // Stay connected until everyone is done, as real clients would.
                let _ = stop.wait_for(|&stop| stop).await;
                close(socket).await;
                Ok((elapsed, synced_at))
            })
        })
        .collect();
    // Let every task reach the starting line.
    tokio::time::sleep(Duration::from_millis(200)).await;
    eprintln!(
        "{label}: {} clients connecting at once to {} documents...",
        args.clients, args.docs
    );
    let meter = PhaseMeter::start(target.pid());
    let started_us = now_us();
    let _ = go_tx.send(true);
    let deadline = Instant::now() + args.timeout + Duration::from_secs(5);
    while done.load(Ordering::Relaxed) < args.clients && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let usage = meter.finish();
    let _ = stop_tx.send(true);
    let mut per_client = Vec::new();
    let mut last_synced_us = started_us;
    let mut errors = Vec::new();
    for task in tasks {
        match task.await.context("a client task panicked")? {
            Ok((elapsed, synced_at)) => {
                per_client.push(elapsed);
                last_synced_us = last_synced_us.max(synced_at);
            }
            Err(err) => errors.push(err),
        }
    }
    let connections_closed_slow = target
        .metric("board_clients_closed_slow_total")
        .await
        .unwrap_or(0.0);
    let log = target.finish().await?;
    let all_synced_ms = (last_synced_us - started_us) as f64 / 1e3;
    let dist = Dist::from_durations(&per_client);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{label}: {} clients over {} documents connecting at once ({})",
        args.clients,
        args.docs,
        bench.store_label()
    );
    let _ = writeln!(
        text,
        "  all synced after  {} ms ({} of {} clients)",
        ms(all_synced_ms),
        per_client.len(),
        args.clients
    );
    let _ = writeln!(text, "  connect->synced   {}", dist.text());
    let _ = writeln!(text, "  usage             {}", usage.text());
    let _ = writeln!(
        text,
        "  failures          {} ({} closed as too slow)",
        errors.len(),
        connections_closed_slow
    );
    if let Some(first) = errors.first() {
        let _ = writeln!(text, "  first error       {first}");
    }
    if let Some(log) = &log {
        let _ = writeln!(text, "  {}", log.text());
    }
    let json = json!({
        "scenario": label,
        "kind": "storm",
        "clients": args.clients,
        "docs": args.docs,
        "store": bench.store_label(),
        "all_synced_ms": all_synced_ms,
        "synced": per_client.len(),
        "failures": errors.len(),
        "first_error": errors.first(),
        "connect_to_synced": dist.json(),
        "usage": usage.json(),
        "server_log_warnings": log.as_ref().map(|l| l.warnings),
        "server_log_errors": log.as_ref().map(|l| l.errors),
    });
    Ok(Report { text, json })
}

// ---------------------------------------------------------------------------------------
// The suite and its targets
// ---------------------------------------------------------------------------------------

/// One target, measured.
struct Check {
    scenario: String,
    what: String,
    measured: f64,
    unit: &'static str,
    target: String,
    ok: bool,
}

impl Check {
    fn below(
        scenario: &str,
        what: &str,
        measured: Option<f64>,
        limit: f64,
        unit: &'static str,
    ) -> Self {
        let measured = measured.unwrap_or(f64::NAN);
        Self {
            scenario: scenario.into(),
            what: what.into(),
            measured,
            unit,
            target: format!("< {limit} {unit}").trim_end().to_string(),
            ok: measured < limit,
        }
    }

    fn at_least(
        scenario: &str,
        what: &str,
        measured: Option<f64>,
        limit: f64,
        unit: &'static str,
    ) -> Self {
        let measured = measured.unwrap_or(f64::NAN);
        Self {
            scenario: scenario.into(),
            what: what.into(),
            measured,
            unit,
            target: format!(">= {limit} {unit}").trim_end().to_string(),
            ok: measured >= limit,
        }
    }

    fn json(&self) -> Value {
        json!({
            "scenario": self.scenario,
            "what": self.what,
            "measured": self.measured,
            "unit": self.unit,
            "target": self.target,
            "ok": self.ok,
        })
    }
}

fn checks_table(checks: &[Check]) -> String {
    let mut text = String::from("targets\n");
    let _ = writeln!(
        text,
        "  {:<24} {:<26} {:>14} {:>14}  result",
        "scenario", "metric", "measured", "target"
    );
    for check in checks {
        let _ = writeln!(
            text,
            "  {:<24} {:<26} {:>14} {:>14}  {}",
            check.scenario,
            check.what,
            format!("{:.3} {}", check.measured, check.unit),
            check.target,
            if check.ok { "ok" } else { "MISSED" }
        );
    }
    text
}

fn number(value: &Value, path: &[&str]) -> Option<f64> {
    path.iter()
        .try_fold(value, |value, key| value.get(key))
        .and_then(Value::as_f64)
}

async fn suite(bench: &Bench, args: &SuiteArgs) -> Result<(Vec<Report>, Vec<Check>)> {
    let mut reports = Vec::new();
    let mut checks = Vec::new();
    let small = FanoutArgs {
        clients: 50,
        docs: 1,
        writers: 10,
        rate: 10.0,
        duration: args.duration,
        missed_ticks: MissedTicks::Skip,
        connect_concurrency: 100,
        drain_timeout: Duration::from_secs(10),
    };
    let report = fanout(bench, &small, "fanout-50x1").await?;
    checks.push(Check::below(
        "fanout-50x1",
        "fan-out latency p99",
        number(&report.json, &["latency", "p99_ms"]),
        3.0,
        "ms",
    ));
    checks.push(Check::at_least(
        "fanout-50x1",
        "delivery ratio",
        number(&report.json, &["delivery_ratio"]),
        1.0,
        "",
    ));
    reports.push(report);

    if !args.no_sync_comparison && bench.external.is_none() && bench.args.backend == DbKind::Sqlite
    {
        let mut normal_args = bench.args.clone();
        normal_args.sqlite_sync = SqliteSync::Normal;
        let normal = Bench {
            args: normal_args,
            run_id: bench.run_id.clone(),
            external: None,
        };
        reports.push(fanout(&normal, &small, "fanout-50x1-normal").await?);
    }

    let large = FanoutArgs {
        clients: 1000,
        docs: 200,
        writers: 200,
        rate: 1.0,
        ..small
    };
    let report = fanout(bench, &large, "fanout-1000x200").await?;
    checks.push(Check::below(
        "fanout-1000x200",
        "server peak RSS",
        number(&report.json, &["usage", "server_peak_rss_mb"]),
        40.0,
        "MB",
    ));
    checks.push(Check::at_least(
        "fanout-1000x200",
        "delivery ratio",
        number(&report.json, &["delivery_ratio"]),
        1.0,
        "",
    ));
    reports.push(report);

    let cold = ColdLoadArgs {
        updates: 20_000,
        pattern: Pattern::Append,
        runs: args.cold_runs,
        cold_by: if bench.external.is_some() {
            ColdBy::Idle
        } else {
            ColdBy::Restart
        },
        window: 256,
        no_settle: false,
        build_rate: if bench.external.is_some() { 190.0 } else { 0.0 },
    };
    let report = cold_load(bench, &cold, "cold-load").await?;
    checks.push(Check::below(
        "cold-load",
        "connect->loaded p50",
        number(&report.json, &["connect_to_loaded", "p50_ms"]),
        25.0,
        "ms",
    ));
    reports.push(report);
    // The same number of inserts at random positions: a fragmented document, ~20x the
    // size. Reported for comparison; the target is set for the typing case above.
    let random = ColdLoadArgs {
        pattern: Pattern::Random,
        ..cold
    };
    reports.push(cold_load(bench, &random, "cold-load-random").await?);

    let storm_args = StormArgs {
        clients: 1000,
        docs: 100,
        timeout: Duration::from_secs(30),
    };
    let report = storm(bench, &storm_args, "storm").await?;
    checks.push(Check::below(
        "storm",
        "all synced",
        number(&report.json, &["all_synced_ms"]),
        600.0,
        "ms",
    ));
    checks.push(Check::below(
        "storm",
        "failures",
        number(&report.json, &["failures"]),
        1.0,
        "",
    ));
    reports.push(report);
    Ok((reports, checks))
}
