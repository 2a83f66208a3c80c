//! PostgreSQL backend: for production deployments.

use std::{str::FromStr, time::Duration};

use async_trait::async_trait;
use sqlx::{
    PgPool, Row,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use crate::audit::AuditEvent;

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
        if batch.is_empty() {
            return Ok(());
        }
        // One statement, so one round trip and its own transaction: the updates, and
        // the audit rows of the same updates, are stored together or not at all.
        let documents: Vec<&str> = batch.iter().map(|a| &*a.document).collect();
        let seqs: Vec<i64> = batch.iter().map(|a| a.seq).collect();
        let data: Vec<&[u8]> = batch.iter().map(|a| &a.data[..]).collect();
        let audit = audit_rows(batch);
        let column = |f: fn(&AuditEvent) -> &str| audit.iter().map(f).collect::<Vec<&str>>();
        sqlx::query(concat!(
            "with updates as (
                 insert into document_updates (document, seq, data)
                 select * from unnest($1::text[], $2::bigint[], $3::bytea[])
             )
             insert into audit_events (",
            audit_columns!(),
            ") select ",
            audit_columns!(),
            " from unnest($4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[],
                 $9::text[], $10::text[], $11::bigint[], $12::text[], $13::text[],
                 $14::text[], $15::text[], $16::text[])
             with ordinality as rows (",
            audit_columns!(),
            ", n) order by n"
        ))
        .bind(&documents)
        .bind(&seqs)
        .bind(&data)
        .bind(audit.iter().map(|r| r.at_ms).collect::<Vec<i64>>())
        .bind(column(|r| r.actor.kind))
        .bind(column(|r| &r.actor.id))
        .bind(column(|r| &r.actor.name))
        .bind(column(|r| &r.actor.agency))
        .bind(column(|r| &r.review_id))
        .bind(column(|r| &r.document))
        .bind(audit.iter().map(|r| r.seq).collect::<Vec<Option<i64>>>())
        .bind(column(|r| &r.action))
        .bind(column(|r| &r.entity))
        .bind(column(|r| &r.entity_kind))
        .bind(column(|r| &r.field))
        .bind(column(|r| &r.detail))
        .execute(&self.pool)
        .await?;
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
