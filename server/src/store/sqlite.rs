//! SQLite backend: the embedded default. One file, WAL mode, created on first run.

use std::{path::Path, str::FromStr, time::Duration};

use async_trait::async_trait;
use sqlx::{
    Row, SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

use super::{Append, Directory, Store, StoreError, StoreOptions, StoredDocument, audit_rows};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// How long a commit waits for the disk (SQLite's `synchronous` pragma, in WAL mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SqliteSync {
    /// fsync the WAL on every commit: a committed update survives power loss.
    Full,
    /// fsync only at checkpoints: a committed update survives a crash or `kill -9` of
    /// the server, but the last commits may be lost if the whole machine loses power.
    Normal,
}

/// The SQLite implementation of [`Store`].
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` and runs migrations.
    pub async fn open(url: &str, options: StoreOptions) -> Result<Self, StoreError> {
        let connect = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(match options.sqlite_sync {
                SqliteSync::Full => SqliteSynchronous::Full,
                SqliteSync::Normal => SqliteSynchronous::Normal,
            })
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // Checkpoints run in the background (see `checkpoint_loop`), never inside
            // the commit that happens to cross the WAL size threshold.
            .pragma("wal_autocheckpoint", "0");
        if let Some(dir) = connect.get_filename().parent() {
            create_dir(dir)?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(connect)
            .await?;
        MIGRATOR.run(&pool).await?;
        tokio::spawn(checkpoint_loop(pool.clone()));
        Ok(Self { pool })
    }
}

/// How often the WAL is copied back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// Copies committed WAL pages into the database file. A passive checkpoint never waits
/// for or blocks writers, so commits (and so broadcasts) never pay for it. Stops when the
/// pool is closed.
async fn checkpoint_loop(pool: SqlitePool) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if pool.is_closed() {
            return;
        }
        if let Err(err) = sqlx::query("pragma wal_checkpoint(passive)")
            .execute(&pool)
            .await
        {
            if pool.is_closed() {
                return;
            }
            tracing::warn!(error = %err, "WAL checkpoint failed; will retry");
        }
    }
}

/// Rows per insert statement (three parameters each, well under SQLite's limit).
const APPEND_ROWS_PER_STATEMENT: usize = 500;

/// `insert ... values (?, ?, ?), (?, ?, ?), ...` for `rows`.
fn insert_updates(
    rows: &[Append],
) -> sqlx::query::Query<'_, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    let mut sql = String::from("insert into document_updates (document, seq, data) values ");
    for i in 0..rows.len() {
        sql.push_str(if i == 0 { "(?, ?, ?)" } else { ", (?, ?, ?)" });
    }
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for row in rows {
        query = query.bind(&*row.document).bind(row.seq).bind(&row.data[..]);
    }
    query
}

fn create_dir(dir: &Path) -> Result<(), StoreError> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
        path: dir.display().to_string(),
        source,
    })
}

#[async_trait]
impl Store for SqliteStore {
    async fn load(&self, document: &str) -> Result<StoredDocument, StoreError> {
        // One read transaction: in WAL mode it sees a single snapshot, so a concurrent
        // compaction is seen either entirely or not at all.
        let mut tx = self.pool.begin().await?;
        let state = sqlx::query("select seq, data from document_states where document = ?")
            .bind(document)
            .fetch_optional(&mut *tx)
            .await?;
        let (state_seq, state) = match state {
            Some(row) => (
                row.try_get::<i64, _>(0)?,
                Some(row.try_get::<Vec<u8>, _>(1)?),
            ),
            None => (0, None),
        };
        let rows = sqlx::query(
            "select seq, data from document_updates where document = ? and seq > ? order by seq",
        )
        .bind(document)
        .bind(state_seq)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut last_seq = state_seq;
        let mut updates = Vec::with_capacity(rows.len());
        for row in rows {
            last_seq = row.try_get(0)?;
            updates.push(row.try_get(1)?);
        }
        Ok(StoredDocument {
            state,
            updates,
            last_seq,
        })
    }

    async fn append(&self, batch: &[Append]) -> Result<(), StoreError> {
        // Each chunk is one multi-row insert: one statement is its own transaction, so a
        // group commit without audit rows costs a single round trip to SQLite's thread
        // (and one fsync). Anything more goes in an explicit transaction.
        let audit = audit_rows(batch);
        let mut chunks = batch.chunks(APPEND_ROWS_PER_STATEMENT);
        match (chunks.next(), chunks.next(), audit.is_empty()) {
            (None, _, _) => Ok(()),
            (Some(only), None, true) => {
                insert_updates(only).execute(&self.pool).await?;
                Ok(())
            }
            _ => {
                let mut tx = self.pool.begin().await?;
                for chunk in batch.chunks(APPEND_ROWS_PER_STATEMENT) {
                    insert_updates(chunk).execute(&mut *tx).await?;
                }
                super::directory::insert_audit_sqlite(&mut tx, &audit).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    }

    async fn compact(&self, document: &str, state: &[u8], upto_seq: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "insert into document_states (document, seq, data) values (?, ?, ?)
             on conflict (document) do update
             set seq = excluded.seq, data = excluded.data, updated_at = unixepoch()
             where excluded.seq > document_states.seq",
        )
        .bind(document)
        .bind(upto_seq)
        .bind(state)
        .execute(&mut *tx)
        .await?;
        sqlx::query("delete from document_updates where document = ? and seq <= ?")
            .bind(document)
            .bind(upto_seq)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("select 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn directory(&self) -> Directory {
        Directory::Sqlite(self.pool.clone())
    }
}
