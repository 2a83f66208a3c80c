//! A database of a test's own: a SQLite file in a temporary folder, or a fresh
//! PostgreSQL database on the test server, read and changed behind the board's back.

use std::{
    path::PathBuf,
    str::FromStr,
    sync::atomic::{AtomicU32, Ordering},
};

use anyhow::{Context, Result, anyhow};
use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};

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

    /// A PostgreSQL database the test made elsewhere (a server of its own), at `url`;
    /// left in place when dropped.
    pub fn postgres_at(url: &str) -> Result<Self> {
        Ok(Self {
            backend: Backend::Postgres,
            url: url.to_string(),
            dir: tempfile::Builder::new().prefix("board-test-").tempdir()?,
            pg_name: None,
        })
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
