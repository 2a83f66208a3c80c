//! The directory: people, sessions, reviews and who is in them, invitations, access
//! tokens, meeting timelines, restricted documents, and the append-only audit trail.
//! It lives in the same database as the documents; the SQL is written once and runs on
//! both backends (`$n` placeholders, integer times, text ids). One file per aggregate,
//! each an `impl Directory`; the domain types they return live in the domain modules.

use sqlx::{PgPool, SqlitePool};

pub use library::{LibraryHit, LibrarySet};
pub use themes::LibraryTheme;

use super::StoreError;
use crate::{access::Role, audit::AuditEvent};

/// A handle on the directory tables. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Directory {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Inserts audit rows inside the open transaction `$tx` (either backend), so that they
/// commit or roll back with the change beside them.
macro_rules! insert_audit {
    ($tx:expr, $events:expr) => {
        for event in $events {
            bind_audit(sqlx::query(AUDIT_INSERT), event)
                .execute(&mut *$tx)
                .await?;
        }
    };
}

/// Ends a transaction whose change touched `$done` rows: with its audit rows when it
/// changed something (true), or rolled back when it changed nothing (false).
macro_rules! commit_audited {
    ($tx:ident, $done:expr, $events:expr) => {
        if $done > 0 {
            insert_audit!($tx, $events);
            $tx.commit().await?;
            true
        } else {
            $tx.rollback().await?;
            false
        }
    };
}

mod accounts;
mod audit;
mod bin;
mod chronology;
mod comments;
mod invitations;
mod library;
mod register;
mod restricted;
mod reviews;
mod similar;
mod snapshots;
mod texts;
mod themes;
mod timeline;
mod tokens;

/// A role read back from the database; an unknown one (from a newer server) is refused.
fn role(text: &str) -> Result<Role, StoreError> {
    Role::parse(text).ok_or_else(|| StoreError::Corrupt(format!("unknown role {text:?}")))
}

/// A unique constraint said no.
fn is_conflict(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Gives one person access to restricted notes (again, harmlessly).
const INSERT_PARTICIPANT: &str = "insert into document_participants (review_id, name, user_id) \
     values ($1, $2, $3) on conflict do nothing";
const INSERT_SESSION: &str =
    "insert into sessions (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)";
const INSERT_USER: &str =
    "insert into users (id, email, name, agency, job_title, password_hash, is_admin, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)";
/// Uses an open invitation: `$1` its id, `$2` now, `$3` who accepts it.
const CLAIM_INVITATION: &str = "update invitations set accepted_at = $2, accepted_by = $3
     where id = $1 and accepted_at is null and expires_at > $2";
const AUDIT_INSERT: &str = concat!(
    "insert into audit_events (",
    audit_columns!(),
    ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
);
const AUDIT_COLUMNS: &str = audit_columns!();
/// Columns of one audit row, in the order [`bind_audit`] binds them.
pub(super) const AUDIT_COLUMN_COUNT: usize = 13;
/// An insert of audit rows, up to its list of values.
pub(super) const AUDIT_INSERT_PREFIX: &str =
    concat!("insert into audit_events (", audit_columns!(), ") values ");

pub(super) fn bind_audit<'q, DB>(
    query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    row: &'q AuditEvent,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    DB: sqlx::Database,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query
        .bind(row.at_ms)
        .bind(row.actor.kind)
        .bind(row.actor.id.as_str())
        .bind(row.actor.name.as_str())
        .bind(row.actor.agency.as_str())
        .bind(row.review_id.as_str())
        .bind(row.document.as_str())
        .bind(row.seq)
        .bind(row.action.as_str())
        .bind(row.entity.as_str())
        .bind(row.entity_kind.as_str())
        .bind(row.field.as_str())
        .bind(row.detail.as_str())
}

impl Directory {
    /// Runs `sql` on one row of a review (`$1` the review, `$2` the row's id, and `$3`
    /// the time when `now` is given) in a transaction with `audit`, which is kept only
    /// when a row changed. True when one did.
    async fn change_row_audited(
        &self,
        sql: &'static str,
        review_id: &str,
        id: &str,
        now: Option<i64>,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut query = sqlx::query(sql).bind(review_id).bind(id);
            if let Some(now) = now {
                query = query.bind(now);
            }
            let done = query.execute(&mut *tx).await?.rows_affected();
            commit_audited!(tx, done, [audit])
        }))
    }
}
