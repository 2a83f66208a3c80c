//! The document log on a database, either backend: reading a document, compacting it
//! and the health check run the same SQL on both (through `on_pool!`, like the
//! directory); only the append differs (see `sqlite` and `postgres`).

use std::sync::Arc;

use async_trait::async_trait;
use sqlx::Row;
use tokio::sync::Mutex;

use super::{Append, Directory, Store, StoreError, StoreOptions, StoredDocument, postgres, sqlite};

/// The store of every document, on the database the directory lives in.
#[derive(Debug, Clone)]
pub struct SqlStore {
    db: Directory,
    /// SQLite's one writer connection (unused on PostgreSQL).
    writer: Arc<Mutex<Option<sqlite::Writer>>>,
}

impl SqlStore {
    /// Opens (creating if needed) the SQLite database at `url` and runs migrations.
    pub async fn sqlite(url: &str, options: StoreOptions) -> Result<Self, StoreError> {
        let pool = sqlite::open(url, options).await?;
        Ok(Self::on(Directory::Sqlite(pool)))
    }

    /// Connects to the PostgreSQL database at `url` and runs migrations.
    pub async fn postgres(url: &str, options: StoreOptions) -> Result<Self, StoreError> {
        let pool = postgres::open(url, options).await?;
        Ok(Self::on(Directory::Postgres(pool)))
    }

    fn on(db: Directory) -> Self {
        Self {
            db,
            writer: Arc::new(Mutex::new(None)),
        }
    }

    fn is_postgres(&self) -> bool {
        matches!(self.db, Directory::Postgres(_))
    }
}

/// Keeps the newer state of a document (`$1` the document, `$2` its seq, `$3` the state).
const SAVE_STATE_SQLITE: &str =
    "insert into document_states (document, seq, data) values ($1, $2, $3)
     on conflict (document) do update
     set seq = excluded.seq, data = excluded.data, updated_at = unixepoch()
     where excluded.seq > document_states.seq";
const SAVE_STATE_POSTGRES: &str =
    "insert into document_states (document, seq, data) values ($1, $2, $3)
     on conflict (document) do update
     set seq = excluded.seq, data = excluded.data, updated_at = now()
     where excluded.seq > document_states.seq";

#[async_trait]
impl Store for SqlStore {
    async fn load(&self, document: &str) -> Result<StoredDocument, StoreError> {
        let postgres = self.is_postgres();
        let (state, rows) = on_pool!(&self.db, |pool| {
            // One read transaction sees one snapshot (WAL mode on SQLite, repeatable
            // read on PostgreSQL), so a concurrent compaction is all or nothing.
            let mut tx = pool.begin().await?;
            if postgres {
                sqlx::query("set transaction isolation level repeatable read, read only")
                    .execute(&mut *tx)
                    .await?;
            }
            let state = sqlx::query("select seq, data from document_states where document = $1")
                .bind(document)
                .fetch_optional(&mut *tx)
                .await?;
            let state = match state {
                Some(row) => (
                    row.try_get::<i64, _>(0)?,
                    Some(row.try_get::<Vec<u8>, _>(1)?),
                ),
                None => (0, None),
            };
            let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
                "select seq, data from document_updates where document = $1 and seq > $2 order by seq",
            )
            .bind(document)
            .bind(state.0)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            (state, rows)
        });
        let (state_seq, state) = state;
        let last_seq = rows.last().map_or(state_seq, |(seq, _)| *seq);
        Ok(StoredDocument {
            state,
            updates: rows.into_iter().map(|(_, data)| data).collect(),
            last_seq,
        })
    }

    async fn append(&self, batch: &[Append]) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        match &self.db {
            Directory::Sqlite(pool) => sqlite::append(pool, &self.writer, batch).await,
            Directory::Postgres(pool) => postgres::append(pool, batch).await,
        }
    }

    async fn append_leased(&self, batch: &[Append]) -> Result<Vec<Arc<str>>, StoreError> {
        match &self.db {
            Directory::Postgres(pool) if !batch.is_empty() => {
                postgres::append_leased(pool, batch).await
            }
            _ => self.append(batch).await.map(|()| Vec::new()),
        }
    }

    async fn compact(&self, document: &str, state: &[u8], upto_seq: i64) -> Result<(), StoreError> {
        let save = if self.is_postgres() {
            SAVE_STATE_POSTGRES
        } else {
            SAVE_STATE_SQLITE
        };
        on_pool!(&self.db, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(save)
                .bind(document)
                .bind(upto_seq)
                .bind(state)
                .execute(&mut *tx)
                .await?;
            sqlx::query("delete from document_updates where document = $1 and seq <= $2")
                .bind(document)
                .bind(upto_seq)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(&self.db, |pool| {
            sqlx::query("select 1").execute(pool).await?;
        });
        Ok(())
    }

    async fn close(&self) {
        // The pool waits for every connection it lent out, SQLite's writer included.
        self.writer.lock().await.take();
        on_pool!(&self.db, |pool| pool.close().await);
    }

    fn backend(&self) -> &'static str {
        if self.is_postgres() {
            "postgres"
        } else {
            "sqlite"
        }
    }

    fn directory(&self) -> Directory {
        self.db.clone()
    }
}
