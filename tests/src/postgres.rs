//! A PostgreSQL server of a test's own, in a temporary folder, that the test may stop
//! and start (as an operator restarting the database would) without touching the
//! machine's shared server.

use std::{path::PathBuf, process::Stdio};

use anyhow::{Context, Result, anyhow, bail};
use sqlx::{Connection, Executor, PgConnection};

/// A private PostgreSQL server, stopped when dropped.
pub struct PrivatePostgres {
    _dir: tempfile::TempDir,
    data: PathBuf,
    bin: PathBuf,
    pub port: u16,
}

/// The folder of PostgreSQL's server programs (`pg_ctl`, `initdb`).
fn server_bin() -> Result<PathBuf> {
    let out = std::process::Command::new("pg_config")
        .arg("--bindir")
        .output()
        .context("pg_config (PostgreSQL's server programs) is needed for this test")?;
    let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    if dir.join("pg_ctl").is_file() {
        return Ok(dir);
    }
    // Debian puts the server programs in a versioned folder.
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("pg_ctl").is_file())
        .collect();
    found.sort();
    found.pop().ok_or_else(|| anyhow!("no pg_ctl found"))
}

/// Runs one of PostgreSQL's programs, as the `postgres` account when this is root
/// (PostgreSQL refuses to run as root).
async fn run(bin: &std::path::Path, program: &str, args: &[&str]) -> Result<()> {
    let path = bin.join(program);
    let as_root = std::env::var("USER").map(|u| u == "root").unwrap_or(false)
        || std::process::Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
    let mut command = if as_root {
        let mut c = tokio::process::Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&path);
        c
    } else {
        tokio::process::Command::new(&path)
    };
    let out = command
        .args(args)
        .stdin(Stdio::null())
        .output()
        .await
        .with_context(|| format!("running {program}"))?;
    if !out.status.success() {
        bail!(
            "{program} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

impl PrivatePostgres {
    /// Makes a new server in a temporary folder, starts it on a free port and creates
    /// the database `board` in it.
    pub async fn start() -> Result<Self> {
        let bin = server_bin()?;
        let dir = tempfile::Builder::new().prefix("board-pg-").tempdir()?;
        let data = dir.path().join("data");
        let _ = std::process::Command::new("chown")
            .args(["-R", "postgres:", &dir.path().display().to_string()])
            .status();
        run(
            &bin,
            "initdb",
            &[
                "-D",
                &data.display().to_string(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        )
        .await?;
        let port = {
            let probe = std::net::TcpListener::bind("127.0.0.1:0")?;
            probe.local_addr()?.port()
        };
        let server = Self {
            _dir: dir,
            data,
            bin,
            port,
        };
        server.start_again().await?;
        let mut conn = PgConnection::connect(&server.url("postgres")).await?;
        conn.execute("create database board").await?;
        conn.close().await?;
        Ok(server)
    }

    /// The URL of `database` on this server.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{database}", self.port)
    }

    /// Starts the server (again), waiting until it accepts connections.
    pub async fn start_again(&self) -> Result<()> {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c synchronous_commit=on -c fsync=on",
            self.port,
            self.data.display()
        );
        let log = self.data.join("server.log").display().to_string();
        run(
            &self.bin,
            "pg_ctl",
            &[
                "-D",
                &self.data.display().to_string(),
                "-l",
                &log,
                "-o",
                &options,
                "-w",
                "start",
            ],
        )
        .await
    }

    /// Stops the server in fast mode (running transactions are rolled back, clients
    /// disconnected), as `systemctl restart postgresql` does, waiting until it is down.
    pub async fn stop_fast(&self) -> Result<()> {
        run(
            &self.bin,
            "pg_ctl",
            &[
                "-D",
                &self.data.display().to_string(),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
        )
        .await
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let path = self.bin.join("pg_ctl");
        let data = self.data.display().to_string();
        let _ = std::process::Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(&path)
            .args(["-D", &data, "-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .or_else(|_| {
                std::process::Command::new(&path)
                    .args(["-D", &data, "-m", "immediate", "stop"])
                    .status()
            });
    }
}
