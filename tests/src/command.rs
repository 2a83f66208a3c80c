//! The `board` command beside the server: finding the binary under test, and one-off
//! subcommands (creating a review, minting a token) run on a test's database.

use std::{path::PathBuf, process::Stdio, time::Duration};

use anyhow::{Context, Result, anyhow, bail};
use tokio::{io::AsyncWriteExt, process::Command};

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
    board_command_within(bin, database_url, args, stdin, Duration::from_secs(60)).await
}

/// [`board_command`] for a command that may take longer than a minute (a benchmark's
/// data loaded), failing after `limit`.
pub async fn board_command_within(
    bin: &std::path::Path,
    database_url: &str,
    args: &[&str],
    stdin: &str,
    limit: Duration,
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
    let output = tokio::time::timeout(limit, child.wait_with_output())
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
