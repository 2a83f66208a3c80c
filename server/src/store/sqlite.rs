//! What is particular to SQLite, the embedded default: one file in WAL mode, created on
//! first run, checkpointed in the background, and appends through one writer connection.

use std::{path::Path, str::FromStr, time::Duration};

use sqlx::{
    SqlitePool,
    pool::PoolConnection,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

use tokio::sync::Mutex;

use crate::audit::AuditEvent;

use super::{
    AUDIT_COLUMN_COUNT, AUDIT_INSERT_PREFIX, Append, BIN_COLUMN_COUNT, BIN_COLUMNS, BinRow,
    StoreError, StoreOptions, TEXT_COLUMN_COUNT, TEXT_COLUMNS, TextRow, audit_rows, bin_rows,
    bind_audit, text_rows,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");

/// How long a commit waits for the disk (SQLite's `synchronous` pragma, in WAL mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SqliteSync {
    /// Sync the WAL to disk on every commit: a committed update survives power loss.
    Full,
    /// Sync only at checkpoints: a committed update survives a crash or `kill -9` of
    /// the server, but the last commits may be lost if the whole machine loses power.
    Normal,
}

/// Opens (creating if needed) the database at `url`, runs migrations and starts the
/// background checkpoints.
pub(super) async fn open(url: &str, options: StoreOptions) -> Result<SqlitePool, StoreError> {
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
        // The writer keeps one connection; reads need at least one more.
        .max_connections(options.max_connections.max(2))
        // A local file has nothing to go stale; a ping would cost a round trip to
        // the connection's thread on every query.
        .test_before_acquire(false)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(connect)
        .await?;
    MIGRATOR.run(&pool).await?;
    tokio::spawn(checkpoint_loop(pool.clone()));
    Ok(pool)
}

/// Takes the lock that makes one server process the only one serving the SQLite file at
/// `url` (a lock file beside it, held until the returned file is dropped, or the process
/// ends however it ends). `None` for an in-memory database.
pub fn lock_for_serving(url: &str) -> Result<Option<std::fs::File>, StoreError> {
    let connect = SqliteConnectOptions::from_str(url)?;
    let database = connect.get_filename();
    if database.as_os_str().is_empty() || database.to_string_lossy().starts_with(":memory:") {
        return Ok(None);
    }
    if let Some(dir) = database.parent() {
        create_dir(dir)?;
    }
    let mut path = database.as_os_str().to_owned();
    path.push(".lock");
    let path = std::path::PathBuf::from(path);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| StoreError::Lock {
            path: path.display().to_string(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::InUse {
            path: database.display().to_string(),
        }),
        Err(std::fs::TryLockError::Error(source)) => Err(StoreError::Lock {
            path: path.display().to_string(),
            source,
        }),
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
/// Audit rows per insert statement (13 parameters each, well under SQLite's limit).
const AUDIT_ROWS_PER_STATEMENT: usize = 500;
/// Bin rows per insert statement (13 parameters each, like audit rows).
const BIN_ROWS_PER_STATEMENT: usize = 500;
/// Text rows per statement: 6 columns each.
const TEXT_ROWS_PER_STATEMENT: usize = 1000;

/// Group commits with at most this many rows keep their statement prepared between
/// commits; larger ones are rare and one-off shapes would only fill the cache.
const PREPARED_COMMIT_ROWS: usize = 8;

/// The connection every append goes through.
///
/// A group commit is sent to SQLite's thread as one multi-statement command (`begin
/// immediate`, the inserts, `commit`) rather than as four or five separate round
/// trips: each round trip wakes two threads, and those wake-ups, not SQLite, were most
/// of an append's time. Because the transaction lives inside the command text, sqlx
/// does not track it; a connection whose command failed or was interrupted may hold
/// an open transaction, so it is closed (rolling back) rather than reused.
#[derive(Debug)]
pub(super) struct Writer {
    conn: PoolConnection<sqlx::Sqlite>,
    /// True while a command runs; still true afterwards if it failed or was dropped.
    in_doubt: bool,
}

/// One group commit as a single command: its SQL text and its arguments in order.
fn commit_command<'a>(
    batch: &'a [Append],
    audit: &'a [AuditEvent],
    bin: &'a [BinRow<'a>],
    texts: &'a [TextRow<'a>],
) -> sqlx::query::Query<'a, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    let mut sql = String::from("begin immediate;\n");
    for chunk in batch.chunks(APPEND_ROWS_PER_STATEMENT) {
        sql.push_str("insert into document_updates (document, seq, data) values ");
        push_placeholders(&mut sql, chunk.len(), 3);
    }
    for chunk in audit.chunks(AUDIT_ROWS_PER_STATEMENT) {
        sql.push_str(AUDIT_INSERT_PREFIX);
        push_placeholders(&mut sql, chunk.len(), AUDIT_COLUMN_COUNT);
    }
    for chunk in bin.chunks(BIN_ROWS_PER_STATEMENT) {
        sql.push_str("insert into bin_items (");
        sql.push_str(BIN_COLUMNS);
        sql.push_str(") values ");
        push_placeholders(&mut sql, chunk.len(), BIN_COLUMN_COUNT);
    }
    for chunk in texts.chunks(TEXT_ROWS_PER_STATEMENT) {
        sql.push_str("insert into field_texts (");
        sql.push_str(TEXT_COLUMNS);
        sql.push_str(") values ");
        push_placeholders(&mut sql, chunk.len(), TEXT_COLUMN_COUNT);
    }
    sql.push_str("commit;");
    let persistent =
        bin.is_empty() && texts.is_empty() && batch.len() + audit.len() <= PREPARED_COMMIT_ROWS;
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(persistent);
    for row in batch {
        query = query.bind(&*row.document).bind(row.seq).bind(&row.data[..]);
    }
    for row in audit {
        query = bind_audit(query, row);
    }
    for row in bin {
        query = query
            .bind(row.id.as_str())
            .bind(row.review_id)
            .bind(row.document)
            .bind(row.seq)
            .bind(row.at_ms)
            .bind(row.actor.kind)
            .bind(row.actor.id.as_str())
            .bind(row.actor.name.as_str())
            .bind(row.actor.agency.as_str())
            .bind(row.entry.kind)
            .bind(row.entry.entity.as_str())
            .bind(row.entry.label.as_str())
            .bind(row.entry.content.as_str());
    }
    for row in texts {
        query = query
            .bind(row.document)
            .bind(row.text.entity.as_str())
            .bind(row.text.field.as_str())
            .bind(row.seq)
            .bind(row.at_ms)
            .bind(row.text.text.as_str());
    }
    query
}

/// `(?, ?, ?), (?, ?, ?);` for `rows` rows of `columns` anonymous placeholders. In a
/// multi-statement command sqlx hands anonymous placeholders their arguments in order
/// across the statements.
fn push_placeholders(sql: &mut String, rows: usize, columns: usize) {
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            sql.push_str(if column == 0 { "?" } else { ", ?" });
        }
        sql.push(')');
    }
    sql.push_str(";\n");
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

/// Appends a batch in one transaction through the writer connection in `slot`
/// (opened from `pool` when there is none).
pub(super) async fn append(
    pool: &SqlitePool,
    slot: &Mutex<Option<Writer>>,
    batch: &[Append],
) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    let audit = audit_rows(batch);
    let bin = bin_rows(batch);
    let texts = text_rows(batch);
    let mut slot = slot.lock().await;
    if slot.as_ref().is_some_and(|w| w.in_doubt) {
        // The last command was interrupted: its transaction may be open.
        *slot = None;
    }
    let writer = match &mut *slot {
        Some(writer) => writer,
        None => {
            let mut conn = pool.acquire().await?;
            conn.close_on_drop();
            // Appending touches only the right edge of each B-tree: a small page
            // cache serves it, where the default would keep up to 2 MiB of pages
            // the writer will not read again.
            sqlx::query("pragma cache_size = -256")
                .execute(&mut *conn)
                .await?;
            slot.insert(Writer {
                conn,
                in_doubt: false,
            })
        }
    };
    writer.in_doubt = true;
    let committed = commit_command(batch, &audit, &bin, &texts)
        .execute(&mut *writer.conn)
        .await;
    if let Err(err) = committed {
        // A statement that failed (a refused audit row, say) leaves the command's
        // transaction open, holding the write lock: close the connection now, which
        // rolls it back, rather than at the next append.
        if let Some(failed) = slot.take()
            && let Err(close) = failed.conn.close().await
        {
            tracing::warn!(error = %close, "closing the failed writer connection");
        }
        return Err(err.into());
    }
    writer.in_doubt = false;
    Ok(())
}
