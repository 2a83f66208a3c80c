//! Snapshots: a document frozen with its label and provenance.

use super::*;
use crate::access::Author;
use crate::audit::AuditEvent;
use crate::review::SnapshotInfo;

impl Directory {
    /// Stores a snapshot (immutable from then on) with its audit row, as taken at
    /// `taken_at` (now, except for a demo's history).
    #[allow(clippy::too_many_arguments)]
    pub async fn create_snapshot(
        &self,
        review_id: &str,
        document: &str,
        label: &str,
        meeting_id: Option<&str>,
        taken_by: &Author,
        taken_at: i64,
        seq: i64,
        state: &[u8],
        content_hash: &str,
        details: &str,
        audit: impl FnOnce(&SnapshotInfo) -> AuditEvent,
    ) -> Result<SnapshotInfo, StoreError> {
        let id = crate::access::secrets::new_id();
        let snapshot = SnapshotInfo {
            id: id.clone(),
            review_id: review_id.into(),
            document: document.into(),
            label: label.into(),
            meeting_id: meeting_id.map(str::to_string),
            taken_at,
            taken_by_kind: taken_by.kind.into(),
            taken_by_id: taken_by.id.clone(),
            taken_by_name: taken_by.name.clone(),
            seq,
            content_hash: content_hash.into(),
        };
        let event = audit(&snapshot);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "insert into snapshots (id, review_id, document, label, meeting_id, taken_at,
                                        taken_by_kind, taken_by_id, taken_by_name, seq, state,
                                        content_hash, details)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(&id)
            .bind(review_id)
            .bind(document)
            .bind(label)
            .bind(meeting_id)
            .bind(taken_at)
            .bind(taken_by.kind)
            .bind(&taken_by.id)
            .bind(&taken_by.name)
            .bind(seq)
            .bind(state)
            .bind(content_hash)
            .bind(details)
            .execute(&mut *tx)
            .await?;
            insert_audit!(tx, [&event]);
            tx.commit().await?
        });
        Ok(snapshot)
    }

    const SNAPSHOT_COLUMNS: &str = "id, review_id, document, label, meeting_id, taken_at, \
         taken_by_kind, taken_by_id, taken_by_name, seq, content_hash";

    /// A review's snapshots, newest first.
    pub async fn snapshots(&self, review_id: &str) -> Result<Vec<SnapshotInfo>, StoreError> {
        let sql = format!(
            "select {} from snapshots where review_id = $1 order by taken_at desc, id",
            Self::SNAPSHOT_COLUMNS
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, SnapshotInfo>(sqlx::AssertSqlSafe(sql))
                .bind(review_id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// One snapshot of a review with its state.
    pub async fn snapshot(
        &self,
        review_id: &str,
        id: &str,
    ) -> Result<Option<(SnapshotInfo, Vec<u8>)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            info: SnapshotInfo,
            state: Vec<u8>,
        }
        let sql = format!(
            "select {}, state from snapshots where review_id = $1 and id = $2",
            Self::SNAPSHOT_COLUMNS
        );
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql))
                .bind(review_id)
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|row| (row.info, row.state)))
    }

    /// The review's details as a snapshot froze them (JSON), if it did: empty for a
    /// snapshot taken before snapshots kept them.
    pub async fn snapshot_details(
        &self,
        review_id: &str,
        id: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar::<_, String>(
                "select details from snapshots where review_id = $1 and id = $2",
            )
            .bind(review_id)
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }
}
