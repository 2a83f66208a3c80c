//! The server under test: one started for a scenario (the test harness's
//! [`TestServer`] on a database of its own), or one already running at `--url`.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result, anyhow, bail};
use board_tests::{
    Backend, TestDb, TestServer,
    api::{ApiClient, review_with_token},
    server::{Access, ServerOptions, board_command, http_get_with},
};
use futures_util::StreamExt;

use crate::{
    cli::{DbKind, TargetArgs},
    meters::sample,
};

/// The log filter of a started server: the server's own default, pinned so a caller's
/// `RUST_LOG` cannot add work.
const SERVER_LOG_FILTER: &str = "info,sqlx=warn";

/// Everything the scenarios share: where the server comes from, and a run id that names
/// the reviews made on a server that is reused.
pub(crate) struct Bench {
    pub(crate) args: TargetArgs,
    pub(crate) run_id: String,
    pub(crate) external: Option<SocketAddr>,
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
    pub(crate) fn new(args: TargetArgs) -> Result<Self> {
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
    /// at --url. `extra` flags apply to a started server's first start only.
    pub(crate) async fn server(
        &self,
        extra: &[String],
        label: &str,
        boards: usize,
    ) -> Result<Target> {
        let title = format!("bench {} {label}", self.run_id);
        if let Some(addr) = self.external {
            let (email, password) = external_admin(&self.args)?;
            return Ok(Target::External {
                addr,
                pid: self.args.server_pid,
                boards: create_boards(addr, (&email, &password), &title, boards).await?,
                metrics_token: self.args.metrics_token.clone(),
                admin: (email, password),
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
        let (server, base) = self.start(&db, bin, extra).await?;
        let boards = create_boards(server.addr, (email, &password), &title, boards).await?;
        Ok(Target::Spawned(Box::new(Spawned {
            server,
            boards,
            admin: (email.to_string(), password),
            base_args: base,
            _db: db,
        })))
    }

    /// Starts `bin` on `db` with the scenarios' flags and `extra`: the flags it was
    /// started with, for restarts.
    async fn start(
        &self,
        db: &TestDb,
        bin: PathBuf,
        extra: &[String],
    ) -> Result<(TestServer, Vec<String>)> {
        let backend = db.backend;
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
        let first: Vec<&str> = base.iter().chain(extra).map(String::as_str).collect();
        let options = ServerOptions {
            bin: Some(bin),
            log_filter: Some(SERVER_LOG_FILTER.to_string()),
            ..ServerOptions::default()
        };
        let server = TestServer::start_with_options(db, &first, options).await?;
        Ok((server, base))
    }

    /// A new server on a new database holding the demo partnership (`board demo`) and
    /// `more` generated published reviews; signed in as its administrator, who is the
    /// library's analyst.
    pub(crate) async fn demo_server(&self, more: usize, label: &str) -> Result<Target> {
        if self.external.is_some() {
            bail!("{label} loads the demo into a database of its own: it cannot use --url");
        }
        let bin = server_binary(self.args.server_bin.as_deref())?;
        let backend = match self.args.backend {
            DbKind::Sqlite => Backend::Sqlite,
            DbKind::Postgres => Backend::Postgres,
        };
        let db = TestDb::new(backend).await?;
        let printed = board_tests::command::board_command_within(
            &bin,
            &db.url,
            &["demo", "--more-reviews", &more.to_string()],
            "",
            std::time::Duration::from_secs(1800),
        )
        .await?;
        let password = printed
            .split("password is ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .context("the demo's password")?
            .to_string();
        let (server, base) = self.start(&db, bin, &[]).await?;
        Ok(Target::Spawned(Box::new(Spawned {
            server,
            boards: Vec::new(),
            admin: ("louise.carter@eastmere.example".to_string(), password),
            base_args: base,
            _db: db,
        })))
    }

    /// The store the started server uses, for reports.
    pub(crate) fn store_label(&self) -> String {
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
pub(crate) fn server_binary(given: Option<&Path>) -> Result<PathBuf> {
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

/// A `board serve` this program started, on a database of its own.
pub(crate) struct Spawned {
    /// Declared before the database, so the process stops before its database goes.
    pub(crate) server: TestServer,
    /// The scenario's reviews, one board each.
    boards: Vec<Access>,
    /// The flags of every start; a scenario's extra flags apply to the first only.
    base_args: Vec<String>,
    /// The administrator's email and password.
    admin: (String, String),
    _db: TestDb,
}

impl Spawned {
    /// SIGTERM, wait for the exit, and start again with the base flags only.
    pub(crate) async fn restart(&mut self) -> Result<()> {
        let base: Vec<&str> = self.base_args.iter().map(String::as_str).collect();
        self.server.restart_with(&base).await
    }
}

pub(crate) enum Target {
    Spawned(Box<Spawned>),
    External {
        addr: SocketAddr,
        pid: Option<u32>,
        boards: Vec<Access>,
        metrics_token: Option<String>,
        admin: (String, String),
    },
}

impl Target {
    fn addr(&self) -> SocketAddr {
        match self {
            Self::Spawned(spawned) => spawned.server.addr,
            Self::External { addr, .. } => *addr,
        }
    }

    pub(crate) fn pid(&self) -> Option<u32> {
        match self {
            Self::Spawned(spawned) => spawned.server.pid(),
            Self::External { pid, .. } => *pid,
        }
    }

    fn boards(&self) -> &[Access] {
        match self {
            Self::Spawned(spawned) => &spawned.boards,
            Self::External { boards, .. } => boards,
        }
    }

    /// The administrator, signed in (who leads every review they create).
    pub(crate) async fn admin(&self) -> Result<ApiClient> {
        let (email, password) = match self {
            Self::Spawned(spawned) => &spawned.admin,
            Self::External { admin, .. } => admin,
        };
        ApiClient::login_at(self.addr(), email, password)
            .await
            .context("signing in as the administrator")
    }

    /// The id of the scenario's review number `index`.
    pub(crate) fn review(&self, index: usize) -> Result<String> {
        let boards = self.boards();
        boards
            .get(index)
            .map(|access| access.review.clone())
            .ok_or_else(|| anyhow!("review {index} of {} was not set up", boards.len()))
    }

    /// The board of the scenario's review number `index`, with its token.
    pub(crate) fn board_url(&self, index: usize) -> Result<String> {
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
    pub(crate) async fn metric(&self, name: &str) -> Result<f64> {
        Ok(sample(&self.metrics().await?, name).unwrap_or(0.0))
    }

    /// The metrics token `/metrics` answers to, if known.
    fn metrics_token(&self) -> Option<&str> {
        match self {
            Self::Spawned(spawned) => Some(&spawned.server.metrics_token),
            Self::External { metrics_token, .. } => metrics_token.as_deref(),
        }
    }

    /// The `/metrics` page.
    pub(crate) async fn metrics(&self) -> Result<String> {
        let bearer = format!("Bearer {}", self.metrics_token().unwrap_or_default());
        let (status, _, body) =
            http_get_with(self.addr(), "/metrics", &[("Authorization", &bearer)]).await?;
        if status != 200 {
            bail!("GET /metrics answered {status}");
        }
        Ok(body)
    }

    /// Stops a started server gracefully and summarises its log.
    pub(crate) async fn finish(self) -> Result<Option<LogSummary>> {
        match self {
            Self::Spawned(mut spawned) => {
                let exit = spawned.server.stop().await?;
                let log = spawned.server.log_text();
                if !exit.success() {
                    bail!("the server exited with {exit}:\n{log}");
                }
                Ok(Some(LogSummary::of(&log)))
            }
            Self::External { .. } => Ok(None),
        }
    }
}

/// Warnings and errors the started server logged during a scenario.
#[derive(Debug, Default, Clone)]
pub(crate) struct LogSummary {
    pub(crate) warnings: usize,
    pub(crate) errors: usize,
    first: Option<String>,
}

impl LogSummary {
    fn of(log: &str) -> Self {
        let mut summary = Self::default();
        for line in log.lines() {
            if line.contains(" WARN ") {
                summary.warnings += 1;
                summary.first.get_or_insert_with(|| line.to_string());
            } else if line.contains(" ERROR ") || line.contains("panicked") {
                summary.errors += 1;
                summary.first.get_or_insert_with(|| line.to_string());
            }
        }
        summary
    }

    pub(crate) fn text(&self) -> String {
        match &self.first {
            None => "server log: no warnings or errors".into(),
            Some(first) => format!(
                "server log: {} warnings, {} errors; first: {first}",
                self.warnings, self.errors
            ),
        }
    }
}
