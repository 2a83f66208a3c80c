//! What is particular to PostgreSQL, for production: the append is one statement over
//! arrays (which sqlx's `Any` cannot bind), so one round trip stores a whole batch.

use std::{str::FromStr, time::Duration};

use sqlx::{
    PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use crate::audit::AuditEvent;

use super::{
    Append, BIN_COLUMNS, BinRow, StoreError, StoreOptions, TEXT_COLUMNS, TextRow, audit_rows,
    bin_rows, text_rows,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Connects to the database at `url` and runs migrations.
pub(super) async fn open(url: &str, options: StoreOptions) -> Result<PgPool, StoreError> {
    let connect = PgConnectOptions::from_str(url)?.application_name("board");
    let pool = PgPoolOptions::new()
        .max_connections(options.max_connections.max(1))
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(connect)
        .await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Appends a batch in one statement.
pub(super) async fn append(pool: &PgPool, batch: &[Append]) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    // One statement, so one round trip and its own transaction: the updates, and
    // the audit rows of the same updates, are stored together or not at all (with
    // the bin rows of an update that deleted something, see below).
    let documents: Vec<&str> = batch.iter().map(|a| &*a.document).collect();
    let seqs: Vec<i64> = batch.iter().map(|a| a.seq).collect();
    let data: Vec<&[u8]> = batch.iter().map(|a| &a.data[..]).collect();
    let audit = audit_rows(batch);
    let column = |f: fn(&AuditEvent) -> &str| audit.iter().map(f).collect::<Vec<&str>>();
    let append = sqlx::query(concat!(
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
    .bind(column(|r| r.action.as_str()))
    .bind(column(|r| &r.entity))
    .bind(column(|r| &r.entity_kind))
    .bind(column(|r| &r.field))
    .bind(column(|r| &r.detail));
    let bin = bin_rows(batch);
    let texts = text_rows(batch);
    if bin.is_empty() && texts.is_empty() {
        append.execute(pool).await?;
        return Ok(());
    }
    // Rarer (an update that deleted something, or began a run of typing): the bin and
    // text rows go in statements of their own, in one transaction with the update.
    let mut tx = pool.begin().await?;
    append.execute(&mut *tx).await?;
    if !texts.is_empty() {
        insert_texts(&mut tx, &texts).await?;
    }
    if bin.is_empty() {
        tx.commit().await?;
        return Ok(());
    }
    let text = |f: for<'r> fn(&'r BinRow<'_>) -> &'r str| bin.iter().map(f).collect::<Vec<&str>>();
    let sql = format!(
        "insert into bin_items ({BIN_COLUMNS}) select * from unnest($1::text[], $2::text[],
             $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[],
             $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(text(|r| &r.id))
        .bind(text(|r| r.review_id))
        .bind(text(|r| r.document))
        .bind(bin.iter().map(|r| r.seq).collect::<Vec<i64>>())
        .bind(bin.iter().map(|r| r.at_ms).collect::<Vec<i64>>())
        .bind(text(|r| r.actor.kind))
        .bind(text(|r| &r.actor.id))
        .bind(text(|r| &r.actor.name))
        .bind(text(|r| &r.actor.agency))
        .bind(text(|r| r.entry.kind))
        .bind(text(|r| &r.entry.entity))
        .bind(text(|r| &r.entry.label))
        .bind(text(|r| &r.entry.content))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

async fn insert_texts(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    texts: &[TextRow<'_>],
) -> Result<(), StoreError> {
    let column =
        |f: for<'r> fn(&'r TextRow<'_>) -> &'r str| texts.iter().map(f).collect::<Vec<&str>>();
    let sql = format!(
        "insert into field_texts ({TEXT_COLUMNS}) select * from unnest($1::text[], $2::text[],
             $3::text[], $4::bigint[], $5::bigint[], $6::text[])"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(column(|r| r.document))
        .bind(column(|r| &r.text.entity))
        .bind(column(|r| &r.text.field))
        .bind(texts.iter().map(|r| r.seq).collect::<Vec<i64>>())
        .bind(texts.iter().map(|r| r.at_ms).collect::<Vec<i64>>())
        .bind(column(|r| &r.text.text))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
