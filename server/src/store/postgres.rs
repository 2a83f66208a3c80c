//! PostgreSQL backend: for production deployments.

use std::{str::FromStr, time::Duration};

use async_trait::async_trait;
use sqlx::{
    PgPool, Row,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use super::{Append, Directory, Store, StoreError, StoreOptions, StoredDocument, audit_rows};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// The PostgreSQL implementation of [`Store`].
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to the database at `url` and runs migrations.
    pub async fn open(url: &str, options: StoreOptions) -> Result<Self, StoreError> {
        let connect = PgConnectOptions::from_str(url)?.application_name("board");
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(connect)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn load(&self, document: &str) -> Result<StoredDocument, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Both reads see one snapshot, so a concurrent compaction is all-or-nothing.
        sqlx::query("set transaction isolation level repeatable read, read only")
            .execute(&mut *tx)
            .await?;
        let state = sqlx::query("select seq, data from document_states where document = $1")
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
            "select seq, data from document_updates where document = $1 and seq > $2 order by seq",
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
        // One statement (and one round trip) for the updates; the audit rows of the same
        // updates go in the same transaction.
        let documents: Vec<&str> = batch.iter().map(|a| &*a.document).collect();
        let seqs: Vec<i64> = batch.iter().map(|a| a.seq).collect();
        let data: Vec<&[u8]> = batch.iter().map(|a| &a.data[..]).collect();
        let insert = sqlx::query(
            "insert into document_updates (document, seq, data)
             select * from unnest($1::text[], $2::bigint[], $3::bytea[])",
        )
        .bind(&documents)
        .bind(&seqs)
        .bind(&data);
        let audit = audit_rows(batch);
        if audit.is_empty() {
            insert.execute(&self.pool).await?;
        } else {
            let mut tx = self.pool.begin().await?;
            insert.execute(&mut *tx).await?;
            super::directory::insert_audit_postgres(&mut tx, &audit).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    async fn compact(&self, document: &str, state: &[u8], upto_seq: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "insert into document_states (document, seq, data) values ($1, $2, $3)
             on conflict (document) do update
             set seq = excluded.seq, data = excluded.data, updated_at = now()
             where excluded.seq > document_states.seq",
        )
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
        "postgres"
    }

    fn directory(&self) -> Directory {
        Directory::Postgres(self.pool.clone())
    }
}
