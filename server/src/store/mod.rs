//! Durable storage of board documents.
//!
//! A document is stored as an append-only log of Yjs updates plus at most one merged
//! state that older updates are compacted into. [`Store`] is the one interface the rest
//! of the server sees; [`open`] picks the implementation from the database URL.
//! No SQL lives outside this module.

/// The audit table's columns, in the order `bind_audit` binds them. A macro, so that
/// SQL texts can be assembled with `concat!` at compile time.
macro_rules! audit_columns {
    () => {
        "at, actor_kind, actor_id, actor_name, actor_agency, review_id, document, seq, \
         action, entity, entity_kind, field, detail"
    };
}

/// Runs `$body` with `$pool` bound to whichever pool the directory holds: the same SQL,
/// type-checked once per backend.
macro_rules! on_pool {
    ($dir:expr, |$pool:ident| $body:expr) => {
        match $dir {
            $crate::store::Directory::Sqlite($pool) => $body,
            $crate::store::Directory::Postgres($pool) => $body,
        }
    };
}

mod cluster;
mod directory;
mod journal;
#[cfg(test)]
mod journal_tests;
#[cfg(test)]
pub(crate) mod memory;
mod postgres;
mod sql;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;

use crate::{
    access::Author,
    audit::{AuditAction, AuditEvent, BinEntry, Change, Edit, FieldText},
};

pub use cluster::{Claim, ClusterTables};
pub use directory::*;
pub use journal::Journal;
pub use sql::SqlStore;
pub use sqlite::{SqliteSync, lock_for_serving};

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL (expected sqlite:// or postgres://): {0}")]
    UnsupportedUrl(String),
    #[error("could not create the database directory {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("the store is shutting down")]
    Closed,
    #[error("the database holds something this server cannot read: {0}")]
    Corrupt(String),
    #[error("another node now serves this document")]
    Fenced,
    #[error("the database did not answer in time")]
    TimedOut,
    #[error(
        "another board server is already serving {path}: SQLite serves one process \
         (stop the other one, or run several nodes on PostgreSQL: docs/cluster.md)"
    )]
    InUse { path: String },
    #[error("could not open the lock file {path}: {source}")]
    Lock {
        path: String,
        source: std::io::Error,
    },
}

/// Everything stored for one document, read in one consistent transaction.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StoredDocument {
    /// The merged state the log was last compacted into, if any.
    pub state: Option<Vec<u8>>,
    /// The updates appended after that state, in seq order.
    pub updates: Vec<Vec<u8>>,
    /// The highest seq stored for the document (0 when nothing is stored).
    pub last_seq: i64,
}

impl StoredDocument {
    /// True when nothing at all is stored for the document.
    pub fn is_empty(&self) -> bool {
        self.state.is_none() && self.updates.is_empty()
    }
}

/// One update to append to a document's log.
#[derive(Debug, Clone)]
pub struct Append {
    pub document: Arc<str>,
    pub seq: i64,
    pub data: Bytes,
    /// Who made the update and what it touched, recorded in the audit trail in the
    /// same transaction. `None` for updates the server writes itself.
    pub edit: Option<Arc<Edit>>,
    /// In a cluster, the room's claim on the document: the update is stored only while
    /// the claim is current (see [`Store::append_leased`]).
    pub lease: Option<Lease>,
}

/// A node's claim on a document: stored appends must carry the epoch it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub node: Arc<str>,
    pub epoch: i64,
}

/// The audit rows of a batch of appends: one per change (at least one per edit).
pub(crate) fn audit_rows(batch: &[Append]) -> Vec<AuditEvent> {
    let mut rows = Vec::new();
    for append in batch {
        let Some(edit) = &append.edit else { continue };
        let review_id = crate::access::DocumentPlace::of(&append.document)
            .map(|place| place.review_id.to_string())
            .unwrap_or_default();
        let default_change = [Change {
            action: "changed",
            ..Change::default()
        }];
        let changes = if edit.changes.is_empty() {
            &default_change[..]
        } else {
            &edit.changes[..]
        };
        for change in changes {
            rows.push(AuditEvent {
                at_ms: edit.at_ms,
                actor: (*edit.actor).clone(),
                review_id: review_id.clone(),
                document: append.document.to_string(),
                seq: Some(append.seq),
                action: AuditAction::Edit,
                entity: change.entity.clone(),
                entity_kind: change.entity_kind.to_string(),
                field: change.field.clone(),
                // A restore's changes read as a restore, not as somebody's edits.
                detail: if edit.event.is_some() {
                    "restored".to_string()
                } else {
                    change.action.to_string()
                },
            });
        }
        rows.extend(edit.event.clone());
    }
    rows
}

/// One row of a review's bin, stored with the update that took the entity off.
pub(crate) struct BinRow<'a> {
    pub id: String,
    pub review_id: &'a str,
    pub document: &'a str,
    pub seq: i64,
    pub at_ms: i64,
    pub actor: &'a Author,
    pub entry: &'a BinEntry,
}

/// Columns of a bin row, in the order [`BinRow`]s are bound.
pub(crate) const BIN_COLUMNS: &str = "id, review_id, document, seq, at_ms, actor_kind, actor_id, \
     actor_name, actor_agency, kind, entity, label, content";
pub(crate) const BIN_COLUMN_COUNT: usize = 13;

/// The bin rows of a batch of appends: what each update took off a review's board.
pub(crate) fn bin_rows(batch: &[Append]) -> Vec<BinRow<'_>> {
    let mut rows = Vec::new();
    for append in batch {
        let Some(edit) = &append.edit else { continue };
        let Some(place) = crate::access::DocumentPlace::of(&append.document) else {
            continue;
        };
        for entry in &edit.binned {
            rows.push(BinRow {
                id: uuid::Uuid::new_v4().to_string(),
                review_id: place.review_id,
                document: &append.document,
                seq: append.seq,
                at_ms: edit.at_ms,
                actor: &edit.actor,
                entry,
            });
        }
    }
    rows
}

/// A text's words before a run of changes began, stored with the update that began it.
pub(crate) struct TextRow<'a> {
    pub document: &'a str,
    pub seq: i64,
    pub at_ms: i64,
    pub text: &'a FieldText,
}

/// Columns of a text row, in the order [`TextRow`]s are bound.
pub(crate) const TEXT_COLUMNS: &str = "document, entity, field, seq, at_ms, text";
pub(crate) const TEXT_COLUMN_COUNT: usize = 6;

/// The text rows of a batch of appends.
pub(crate) fn text_rows(batch: &[Append]) -> Vec<TextRow<'_>> {
    let mut rows = Vec::new();
    for append in batch {
        let Some(edit) = &append.edit else { continue };
        for text in &edit.texts {
            rows.push(TextRow {
                document: &append.document,
                seq: append.seq,
                at_ms: edit.at_ms,
                text,
            });
        }
    }
    rows
}

/// The storage contract both backends meet (tested by the same contract tests).
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Reads a document's merged state and the updates after it, consistently.
    async fn load(&self, document: &str) -> Result<StoredDocument, StoreError>;

    /// Appends updates, possibly for several documents, in one transaction:
    /// either all are stored or none is.
    async fn append(&self, batch: &[Append]) -> Result<(), StoreError>;

    /// Appends like [`append`](Self::append), except the updates of a document whose
    /// lease is no longer current (another node claimed it since): those are not
    /// stored, and their documents are returned. Without leases, as `append`.
    async fn append_leased(&self, batch: &[Append]) -> Result<Vec<Arc<str>>, StoreError> {
        self.append(batch).await.map(|()| Vec::new())
    }

    /// Replaces every update of `document` with seq `<= upto_seq` by `state`, atomically.
    /// A state older than the one already stored is ignored.
    async fn compact(&self, document: &str, state: &[u8], upto_seq: i64) -> Result<(), StoreError>;

    /// Checks that the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Closes the connection pool, waiting for running queries.
    async fn close(&self);

    /// A short name for logs and metrics ("sqlite" or "postgres").
    fn backend(&self) -> &'static str;

    /// The directory of people, reviews and the audit trail, in the same database.
    fn directory(&self) -> Directory;
}

/// Options that tune a store without changing what it guarantees.
#[derive(Debug, Clone, Copy)]
pub struct StoreOptions {
    /// SQLite only: how hard a commit waits for the disk.
    pub sqlite_sync: SqliteSync,
    /// Upper bound on pooled connections.
    pub max_connections: u32,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            sqlite_sync: SqliteSync::Full,
            max_connections: 8,
        }
    }
}

/// Opens the store named by `url` (`sqlite://path` or `postgres://...`) and runs its
/// migrations.
pub async fn open(url: &str, options: StoreOptions) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqlStore::sqlite(url, options).await?))
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Ok(Arc::new(SqlStore::postgres(url, options).await?))
    } else {
        Err(StoreError::UnsupportedUrl(redact_url(url)))
    }
}

/// The URL with any password replaced, safe to log.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/board"),
            "postgres://app:***@db:5432/board"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        assert_eq!(
            redact_url("sqlite://data/board.db"),
            "sqlite://data/board.db"
        );
    }
}
