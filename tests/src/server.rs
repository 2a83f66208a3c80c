//! A real board server in its own process, on an ephemeral port, with its own database.

use std::{
    net::SocketAddr,
    path::PathBuf,
    process::Stdio,
    str::FromStr,
    sync::atomic::{AtomicU32, Ordering},
    time::Duration,
};

use anyhow::{Context, Result, anyhow, bail};
use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
    process::{Child, Command},
};

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests create their databases on. Tests that need it fail
/// (never skip) when it is not reachable.
pub fn postgres_admin_url() -> String {
    std::env::var("BOARD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// A database of the test's own: a SQLite file in a temporary folder, or a fresh
/// PostgreSQL database that is dropped afterwards.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    dir: tempfile::TempDir,
    pg_name: Option<String>,
}

impl TestDb {
    /// Runs one SQL statement straight on the database, behind the server's back (to
    /// check what the database itself refuses, or to age a row). The database's error
    /// is returned as it is.
    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        Ok(match self.backend {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url).await?;
                sqlx::query(AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await?
                    .rows_affected()
            }
            Backend::Postgres => {
                let mut conn = PgConnection::connect(&self.url).await?;
                sqlx::query(AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await?
                    .rows_affected()
            }
        })
    }

    /// Runs the project's migrations up to and including `version` only, as an older
    /// release of the server would have left the database.
    pub async fn migrate_to(&self, version: i64) -> Result<()> {
        let folder = match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        };
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../migrations")
            .join(folder);
        let migrator = sqlx::migrate::Migrator::new(path).await?;
        match self.backend {
            Backend::Sqlite => {
                let options = sqlx::sqlite::SqliteConnectOptions::from_str(&self.url)?
                    .create_if_missing(true);
                let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
                migrator.run_to(version, &mut conn).await?;
            }
            Backend::Postgres => {
                let mut conn = PgConnection::connect(&self.url).await?;
                migrator.run_to(version, &mut conn).await?;
            }
        }
        Ok(())
    }

    /// The single integer `sql` selects, read straight from the database.
    pub async fn scalar(&self, sql: &str) -> Result<i64, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url).await?;
                sqlx::query_scalar(AssertSqlSafe(sql))
                    .fetch_one(&mut conn)
                    .await
            }
            Backend::Postgres => {
                let mut conn = PgConnection::connect(&self.url).await?;
                sqlx::query_scalar(AssertSqlSafe(sql))
                    .fetch_one(&mut conn)
                    .await
            }
        }
    }

    pub async fn new(backend: Backend) -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("board-test-").tempdir()?;
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("board.db").display());
                Ok(Self {
                    backend,
                    url,
                    dir,
                    pg_name: None,
                })
            }
            Backend::Postgres => {
                let admin = postgres_admin_url();
                let name = format!(
                    "board_test_{}_{}_{}",
                    std::process::id(),
                    NEXT_DB.fetch_add(1, Ordering::Relaxed),
                    rand::random::<u32>()
                );
                let mut conn = PgConnection::connect(&admin).await.with_context(|| {
                    format!("PostgreSQL is required for this test and is not reachable at {admin}")
                })?;
                // The name is ours (digits and underscores), not input.
                conn.execute(AssertSqlSafe(format!("create database {name}")))
                    .await?;
                conn.close().await?;
                let base = admin
                    .rsplit_once('/')
                    .map(|(base, _)| base)
                    .ok_or_else(|| anyhow!("bad postgres URL {admin}"))?;
                Ok(Self {
                    backend,
                    url: format!("{base}/{name}"),
                    dir,
                    pg_name: Some(name),
                })
            }
        }
    }

    /// The PostgreSQL database's name, for tests that take it away and bring it back.
    pub fn postgres_name(&self) -> Option<&str> {
        self.pg_name.as_deref()
    }

    /// A folder that lives as long as the database, for logs and scratch files.
    pub fn dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// Opens the store directly (as the server does), for checking what was stored.
    pub async fn open_store(&self) -> Result<std::sync::Arc<dyn board_server::store::Store>> {
        Ok(board_server::store::open(&self.url, Default::default()).await?)
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.pg_name.take() else {
            return;
        };
        // Drop runs outside any runtime guarantee; use a private one on a thread.
        let admin = postgres_admin_url();
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                runtime.block_on(async move {
                    if let Ok(mut conn) = PgConnection::connect(&admin).await {
                        let _ = conn
                            .execute(AssertSqlSafe(format!(
                                "drop database if exists {name} with (force)"
                            )))
                            .await;
                    }
                });
            }
        })
        .join();
    }
}

/// The `board` binary under test: `BOARD_BIN` if set, else the `board-under-test`
/// that cargo builds beside the test executables (`target/<profile>/`), else a `board`
/// beside the current executable (the load generator's case).
pub fn board_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("BOARD_BIN") {
        return path.into();
    }
    let exe = std::env::current_exe().unwrap_or_default();
    let dir = exe.parent().map(PathBuf::from).unwrap_or_default();
    let candidates = [
        dir.join("../board-under-test"),
        dir.join("board-under-test"),
        dir.join("board"),
    ];
    candidates
        .iter()
        .find(|path| path.is_file())
        .cloned()
        .unwrap_or_else(|| dir.join("board"))
}

/// Access to one review: its id and a bearer token for one role in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub review: String,
    pub token: String,
}

/// Runs a one-off `board` subcommand on `database_url` (with `stdin` as its input) and
/// returns the one line it prints.
pub async fn board_command(
    bin: &std::path::Path,
    database_url: &str,
    args: &[&str],
    stdin: &str,
) -> Result<String> {
    let mut child = Command::new(bin)
        .args(args)
        .arg("--database-url")
        .arg(database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("cannot run {}", bin.display()))?;
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).await?;
    }
    let output = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .map_err(|_| anyhow!("board {args:?} did not finish in time"))??;
    if !output.status.success() {
        bail!(
            "board {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

/// Creates a review with `board review create` and mints a token for `role` in it with
/// `board token create`, as a script setting up a board from nothing would.
pub async fn provision(bin: &std::path::Path, database_url: &str, role: &str) -> Result<Access> {
    let review = board_command(
        bin,
        database_url,
        &["review", "create", "--title", "Test review"],
        "",
    )
    .await?;
    let token = mint_token(bin, database_url, &review, role).await?;
    Ok(Access { review, token })
}

/// Mints a token for `role` in `review` with `board token create`.
pub async fn mint_token(
    bin: &std::path::Path,
    database_url: &str,
    review: &str,
    role: &str,
) -> Result<String> {
    board_command(
        bin,
        database_url,
        &[
            "token", "create", "--review", review, "--role", role, "--label", role,
        ],
        "",
    )
    .await
}

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
        let access = provision(&bin, &db.url, "lead_reviewer").await?;
        let (args, metrics_token) =
            with_metrics_token(args, || format!("metrics-{:032x}", rand::random::<u128>()));
        let mut server = Self {
            child: None,
            addr: "127.0.0.1:0".parse()?,
            database_url: db.url.clone(),
            access,
            metrics_token,
            args,
            bin,
            log_filter,
            log: db.dir(),
            starts: 0,
        };
        server.spawn().await?;
        Ok(server)
    }

    async fn spawn(&mut self) -> Result<()> {
        self.starts += 1;
        let log_path = self.log.join(format!("server-{}.log", self.starts));
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
            let path = self.log.join(format!("server-{start}.log"));
            text.push_str(&std::fs::read_to_string(path).unwrap_or_default());
        }
        text
    }

    /// What the server has logged since it was last started.
    pub fn current_log_text(&self) -> String {
        let path = self.log.join(format!("server-{}.log", self.starts));
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

/// A minimal HTTP/1.1 GET, enough for health and metrics endpoints.
pub async fn http_get(addr: SocketAddr, path: &str) -> Result<(u16, String)> {
    let (status, _, body) = http_get_with_headers(addr, path).await?;
    Ok((status, body))
}

/// Like [`http_get`], with the response headers (names in lower case).
pub async fn http_get_with_headers(
    addr: SocketAddr,
    path: &str,
) -> Result<(u16, Vec<(String, String)>, String)> {
    http_get_with(addr, path, &[]).await
}

/// Like [`http_get_with_headers`], sending `headers` with the request.
pub async fn http_get_with(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
) -> Result<(u16, Vec<(String, String)>, String)> {
    let mut stream = TcpStream::connect(addr).await?;
    let extra: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| anyhow!("bad response {head:?}"))?;
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect();
    Ok((status, headers, body))
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}
