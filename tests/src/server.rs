//! A real board server in its own process, on an ephemeral port, with its own database.
//! The database ([`crate::db`]), the one-off `board` subcommands ([`crate::command`])
//! and the raw HTTP client ([`crate::http`]) live beside it, and are named here too.

use std::{net::SocketAddr, path::PathBuf, process::Stdio, time::Duration};

use anyhow::{Context, Result, anyhow, bail};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

pub use crate::command::{Access, board_binary, board_command, mint_token, provision};
pub use crate::db::{Backend, TestDb, postgres_admin_url};
pub use crate::http::{http_get, http_get_with, http_get_with_headers};

/// The log filter (`RUST_LOG`) a test server runs with unless told otherwise.
pub const TEST_LOG_FILTER: &str = "info,board_server=debug,sqlx=warn";

/// How to start a [`TestServer`], beyond its `board serve` flags.
#[derive(Debug, Clone, Default)]
pub struct ServerOptions {
    /// The `board` binary to run (for the server and its one-off subcommands); default
    /// [`board_binary`].
    pub bin: Option<PathBuf>,
    /// The server's `RUST_LOG`; default [`TEST_LOG_FILTER`].
    pub log_filter: Option<String>,
    /// The database URL the server is given, when not the test database's own (a
    /// cluster's node reaches it through a proxy).
    pub database_url: Option<String>,
    /// The server's logs are `{log_name}-{start}.log` in the database's folder; default
    /// `server` (nodes of a cluster share the folder).
    pub log_name: Option<String>,
    /// The review and token the test uses, when another server already made them.
    pub access: Option<Access>,
}

/// A running `board serve`.
pub struct TestServer {
    child: Option<Child>,
    pub addr: SocketAddr,
    pub database_url: String,
    /// A review made for the test, and a lead reviewer's token for it: documents given
    /// to [`ws_url`](Self::ws_url) live in this review.
    pub access: Access,
    /// The token `/metrics` answers to (`--metrics-token`).
    pub metrics_token: String,
    args: Vec<String>,
    bin: PathBuf,
    log_filter: String,
    log: PathBuf,
    log_name: String,
    starts: u32,
}

/// `args` as owned flags, with a `--metrics-token`: the one they give, else `token`.
/// Returns the flags and the token `/metrics` will answer to.
fn with_metrics_token(args: &[&str], token: impl FnOnce() -> String) -> (Vec<String>, String) {
    let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let given = args
        .iter()
        .position(|arg| arg == "--metrics-token")
        .and_then(|at| args.get(at + 1))
        .cloned();
    let metrics_token = match given {
        Some(token) => token,
        None => {
            let token = token();
            args.extend(["--metrics-token".to_string(), token.clone()]);
            token
        }
    };
    (args, metrics_token)
}

impl TestServer {
    /// Starts a server on `db` with default settings.
    pub async fn start(db: &TestDb) -> Result<Self> {
        Self::start_with(db, &[]).await
    }

    /// Starts a server on `db` with extra `board serve` flags. Unless they give one, the
    /// server gets a random `--metrics-token`, which [`metric`](Self::metric) sends.
    pub async fn start_with(db: &TestDb, args: &[&str]) -> Result<Self> {
        Self::start_with_options(db, args, ServerOptions::default()).await
    }

    /// Like [`start_with`](Self::start_with), with another binary or log filter.
    pub async fn start_with_options(
        db: &TestDb,
        args: &[&str],
        options: ServerOptions,
    ) -> Result<Self> {
        let bin = options.bin.unwrap_or_else(board_binary);
        let log_filter = options
            .log_filter
            .unwrap_or_else(|| TEST_LOG_FILTER.to_string());
        let access = match options.access {
            Some(access) => access,
            None => provision(&bin, &db.url, "lead_reviewer").await?,
        };
        let (args, metrics_token) =
            with_metrics_token(args, || format!("metrics-{:032x}", rand::random::<u128>()));
        let mut server = Self {
            child: None,
            addr: "127.0.0.1:0".parse()?,
            database_url: options.database_url.unwrap_or_else(|| db.url.clone()),
            access,
            metrics_token,
            args,
            bin,
            log_filter,
            log: db.dir(),
            log_name: options.log_name.unwrap_or_else(|| "server".to_string()),
            starts: 0,
        };
        server.spawn().await?;
        Ok(server)
    }

    async fn spawn(&mut self) -> Result<()> {
        self.starts += 1;
        let log_path = self
            .log
            .join(format!("{}-{}.log", self.log_name, self.starts));
        let log = std::fs::File::create(&log_path)?;
        let mut child = Command::new(&self.bin)
            .arg("serve")
            .arg("--listen")
            .arg(self.addr.to_string())
            .arg("--database-url")
            .arg(&self.database_url)
            .args(&self.args)
            .env("RUST_LOG", &self.log_filter)
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
            .map_err(|_| anyhow!("server did not start in time; log: {}", self.log_text()))??
            .ok_or_else(|| anyhow!("server exited before listening; log: {}", self.log_text()))?;
        let addr = line
            .strip_prefix("listening on http://")
            .ok_or_else(|| anyhow!("unexpected first line {line:?}"))?;
        self.addr = addr.parse()?;
        // Keep draining stdout so the server never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        self.child = Some(child);
        Ok(())
    }

    /// `ws://HOST:PORT/sync/REVIEW/NAME?token=...`: the document `NAME` of the test's
    /// review, opened with the lead reviewer's token.
    pub fn ws_url(&self, document: &str) -> String {
        self.ws_url_as(&self.access, document)
    }

    /// The document `NAME` of `access`'s review, opened with its token.
    pub fn ws_url_as(&self, access: &Access, document: &str) -> String {
        format!(
            "ws://{}/sync/{}/{document}?token={}",
            self.addr, access.review, access.token
        )
    }

    /// Runs a one-off `board` subcommand on this server's database.
    pub async fn command(&self, args: &[&str], stdin: &str) -> Result<String> {
        board_command(&self.bin, &self.database_url, args, stdin).await
    }

    /// Another review on this server's database (`board review create`), and a token for
    /// `role` in it: each review has one board, so tests that need several boards use
    /// several reviews.
    pub async fn another_review(&self, role: &str) -> Result<Access> {
        provision(&self.bin, &self.database_url, role).await
    }

    /// A token for `role` in the test's review.
    pub async fn token_for(&self, role: &str) -> Result<String> {
        mint_token(&self.bin, &self.database_url, &self.access.review, role).await
    }

    /// Stops with SIGTERM and waits for the process to exit.
    pub async fn stop(&mut self) -> Result<std::process::ExitStatus> {
        let mut child = self.child.take().ok_or_else(|| anyhow!("not running"))?;
        let pid = child.id().ok_or_else(|| anyhow!("no pid"))?;
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()?;
        if !status.success() {
            bail!("kill -TERM failed");
        }
        let exit = tokio::time::timeout(Duration::from_secs(30), child.wait())
            .await
            .map_err(|_| anyhow!("server did not stop within 30 s"))??;
        Ok(exit)
    }

    /// Kills the process with SIGKILL (`kill -9`), giving it no chance to flush.
    pub async fn kill(&mut self) -> Result<()> {
        let mut child = self.child.take().ok_or_else(|| anyhow!("not running"))?;
        child.start_kill()?;
        child.wait().await?;
        Ok(())
    }

    /// Graceful stop, then start again on the same port and database.
    pub async fn restart(&mut self) -> Result<()> {
        let status = self.stop().await?;
        if !status.success() {
            bail!("server exited with {status} on shutdown");
        }
        self.spawn().await
    }

    /// Graceful stop, then start again on the same port and database with `args`
    /// instead of the flags it was started with. The metrics token stays unless `args`
    /// give another.
    pub async fn restart_with(&mut self, args: &[&str]) -> Result<()> {
        let status = self.stop().await?;
        if !status.success() {
            bail!(
                "server exited with {status} on shutdown; log: {}",
                self.log_text()
            );
        }
        let current = self.metrics_token.clone();
        (self.args, self.metrics_token) = with_metrics_token(args, || current);
        self.spawn().await
    }

    /// `kill -9`, then start again on the same port and database.
    pub async fn kill_and_restart(&mut self) -> Result<()> {
        self.kill().await?;
        self.spawn().await
    }

    /// Starts the server again after [`kill`](Self::kill) or [`stop`](Self::stop),
    /// on the same port and database.
    pub async fn start_again(&mut self) -> Result<()> {
        if self.child.is_some() {
            bail!("already running");
        }
        self.spawn().await
    }

    /// The process id, while the process runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().and_then(Child::id)
    }

    /// True while the process runs.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.as_mut().map(|c| c.try_wait()), Some(Ok(None)))
    }

    /// Everything the server has logged so far.
    pub fn log_text(&self) -> String {
        let mut text = String::new();
        for start in 1..=self.starts {
            let path = self.log.join(format!("{}-{start}.log", self.log_name));
            text.push_str(&std::fs::read_to_string(path).unwrap_or_default());
        }
        text
    }

    /// What the server has logged since it was last started.
    pub fn current_log_text(&self) -> String {
        let path = self
            .log
            .join(format!("{}-{}.log", self.log_name, self.starts));
        std::fs::read_to_string(path).unwrap_or_default()
    }

    /// Fails if the server died or logged a panic.
    pub fn assert_healthy(&mut self) {
        let log = self.log_text();
        assert!(!log.contains("panicked"), "the server panicked:\n{log}");
        assert!(self.is_running(), "the server is not running:\n{log}");
    }

    /// `GET path`, returning the status code and body.
    pub async fn get(&self, path: &str) -> Result<(u16, String)> {
        http_get(self.addr, path).await
    }

    /// The `/metrics` page, read with the metrics token.
    pub async fn metrics_page(&self) -> Result<String> {
        let bearer = format!("Bearer {}", self.metrics_token);
        let (status, _, body) =
            http_get_with(self.addr, "/metrics", &[("Authorization", &bearer)]).await?;
        if status != 200 {
            bail!("GET /metrics answered {status}: {body}");
        }
        Ok(body)
    }

    /// The value of one metric sample (`name` includes labels, if any).
    pub async fn metric(&self, name: &str) -> Result<f64> {
        let body = self.metrics_page().await?;
        body.lines()
            .find_map(|line| {
                let (key, value) = line.rsplit_once(' ')?;
                (key == name).then(|| value.parse().ok())?
            })
            .ok_or_else(|| anyhow!("metric {name} not found in:\n{body}"))
    }
}

impl TestServer {
    /// Polls a metric until `ready` holds for its value (10 s at most); returns it.
    pub async fn wait_metric(&self, name: &str, ready: impl Fn(f64) -> bool) -> Result<f64> {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let value = self.metric(name).await.unwrap_or(0.0);
            if ready(value) {
                return Ok(value);
            }
            if std::time::Instant::now() > deadline {
                bail!("{name} is still {value}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
