//! What is particular to PostgreSQL, for production: the append is one statement over
//! arrays (which sqlx's `Any` cannot bind), so one round trip stores a whole batch.

use std::{collections::BTreeMap, str::FromStr, sync::Arc, time::Duration};

use sqlx::{
    PgConnection, PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use crate::audit::AuditEvent;

use super::{
    Append, BIN_COLUMNS, BinRow, Lease, StoreError, StoreOptions, TEXT_COLUMNS, TextRow,
    audit_rows, bin_rows, text_rows,
};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

/// Connects to the database at `url` and runs migrations.
pub(super) async fn open(url: &str, options: StoreOptions) -> Result<PgPool, StoreError> {
    let connect = PgConnectOptions::from_str(url)?.application_name("board");
    let pool = with_session_limits(PgPoolOptions::new())
        .max_connections(options.max_connections.max(1))
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(connect)
        .await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Pool options whose connections end a transaction left idle for 10 s (the server
/// never waits on anything else inside one): a node cut off mid-commit then holds its
/// board's row lock for that long at most, not until TCP gives up on it.
pub(super) fn with_session_limits(options: PgPoolOptions) -> PgPoolOptions {
    options.after_connect(|conn, _| {
        Box::pin(async move {
            sqlx::query("set idle_in_transaction_session_timeout = '10s'")
                .execute(conn)
                .await?;
            Ok(())
        })
    })
}

/// Appends a batch: one statement, so one round trip and its own transaction, unless
/// an update deleted something or began a run of typing (then its bin and text rows go
/// in statements of their own, in one transaction with it).
pub(super) async fn append(pool: &PgPool, batch: &[Append]) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    let one_statement = batch.iter().all(|a| {
        a.edit
            .as_ref()
            .is_none_or(|e| e.binned.is_empty() && e.texts.is_empty())
    });
    if one_statement {
        let mut conn = pool.acquire().await?;
        return write(&mut conn, batch).await;
    }
    let mut tx = pool.begin().await?;
    write(&mut tx, batch).await?;
    tx.commit().await?;
    Ok(())
}

/// Appends a batch whose updates carry leases: in one transaction, first advances the
/// head of every leased document whose owner is still the lease's node with the lease's
/// epoch (locking those rows, so a claim waits for this commit), then stores the updates
/// of those documents (and of any without a lease). Returns the refused documents.
pub(super) async fn append_leased(
    pool: &PgPool,
    batch: &[Append],
) -> Result<Vec<Arc<str>>, StoreError> {
    let mut leases: BTreeMap<&str, (&Lease, i64)> = BTreeMap::new();
    // Updates of one document under different leases (two rooms of one document in
    // one batch, which one room per document rules out) are all refused: none can be
    // told apart as current here.
    let mut mixed: Vec<&str> = Vec::new();
    for append in batch {
        if let Some(lease) = &append.lease {
            let entry = leases
                .entry(&append.document)
                .or_insert((lease, append.seq));
            if entry.0 != lease {
                mixed.push(&append.document);
            }
            entry.1 = entry.1.max(append.seq);
        }
    }
    for document in &mixed {
        leases.remove(document);
    }
    if leases.is_empty() && mixed.is_empty() {
        return append(pool, batch).await.map(|()| Vec::new());
    }
    let mut tx = pool.begin().await?;
    let kept: Vec<String> = sqlx::query_scalar(
        "update document_owners o set head = f.head
         from unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[])
             as f(document, node, epoch, head)
         where o.document = f.document and o.owner_node = f.node and o.epoch = f.epoch
         returning o.document",
    )
    .bind(leases.keys().copied().collect::<Vec<&str>>())
    .bind(
        leases
            .values()
            .map(|(l, _)| &*l.node)
            .collect::<Vec<&str>>(),
    )
    .bind(leases.values().map(|(l, _)| l.epoch).collect::<Vec<i64>>())
    .bind(leases.values().map(|(_, head)| *head).collect::<Vec<i64>>())
    .fetch_all(&mut *tx)
    .await?;
    let refused: Vec<Arc<str>> = batch
        .iter()
        .filter(|a| {
            a.lease.is_some()
                && (mixed.contains(&&*a.document) || !kept.iter().any(|k| **k == *a.document))
        })
        .map(|a| a.document.clone())
        .fold(Vec::new(), |mut docs, doc| {
            if !docs.contains(&doc) {
                docs.push(doc);
            }
            docs
        });
    if refused.is_empty() {
        write(&mut tx, batch).await?;
    } else {
        let stored: Vec<Append> = batch
            .iter()
            .filter(|a| !refused.contains(&a.document))
            .cloned()
            .collect();
        if !stored.is_empty() {
            write(&mut tx, &stored).await?;
        }
    }
    tx.commit().await?;
    Ok(refused)
}

/// Writes a batch's updates with their audit, bin and text rows on `conn`.
async fn write(conn: &mut PgConnection, batch: &[Append]) -> Result<(), StoreError> {
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
    .bind(column(|r| r.action.as_str()))
    .bind(column(|r| &r.entity))
    .bind(column(|r| &r.entity_kind))
    .bind(column(|r| &r.field))
    .bind(column(|r| &r.detail))
    .execute(&mut *conn)
    .await?;
    let texts = text_rows(batch);
    if !texts.is_empty() {
        insert_texts(conn, &texts).await?;
    }
    let bin = bin_rows(batch);
    if bin.is_empty() {
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
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn insert_texts(conn: &mut PgConnection, texts: &[TextRow<'_>]) -> Result<(), StoreError> {
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
        .execute(&mut *conn)
        .await?;
    Ok(())
}
