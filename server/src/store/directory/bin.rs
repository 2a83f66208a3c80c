//! A review's bin: entities taken off its board, stored by the group commit of the
//! update that took them (see `store::bin_rows`); put back or emptied here.

use super::*;
use crate::audit::AuditEvent;
use crate::review::BinRecord;

const BIN_COLUMNS: &str =
    "id, kind, entity, label, content, at_ms, actor_kind, actor_name, actor_agency";

impl Directory {
    /// What the review's board has lost, newest first.
    pub async fn bin(&self, review_id: &str) -> Result<Vec<BinRecord>, StoreError> {
        let sql = format!(
            "select {BIN_COLUMNS} from bin_items where review_id = $1 and document = $2
             order by at_ms desc, id"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, BinRecord>(sqlx::AssertSqlSafe(sql))
                .bind(review_id)
                .bind(format!("{review_id}/board"))
                .fetch_all(pool)
                .await?
        }))
    }

    /// One entry of the review's bin.
    pub async fn bin_item(
        &self,
        review_id: &str,
        id: &str,
    ) -> Result<Option<BinRecord>, StoreError> {
        let sql = format!(
            "select {BIN_COLUMNS} from bin_items where review_id = $1 and document = $2
             and id = $3"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, BinRecord>(sqlx::AssertSqlSafe(sql))
                .bind(review_id)
                .bind(format!("{review_id}/board"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Takes one entry out of the bin (it is back on the board). True when it was there.
    pub async fn take_from_bin(&self, review_id: &str, id: &str) -> Result<bool, StoreError> {
        let done = on_pool!(self, |pool| {
            sqlx::query("delete from bin_items where review_id = $1 and id = $2")
                .bind(review_id)
                .bind(id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done > 0)
    }

    /// Deletes everything in the review's bin for good, with the words kept for the
    /// history of `gone` (the entities it held that are not back on the board), and
    /// `audit`; how many entries went.
    pub async fn empty_bin(
        &self,
        review_id: &str,
        gone: &[String],
        audit: &AuditEvent,
    ) -> Result<u64, StoreError> {
        let document = format!("{review_id}/board");
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for entity in gone {
                sqlx::query("delete from field_texts where document = $1 and entity = $2")
                    .bind(&document)
                    .bind(entity)
                    .execute(&mut *tx)
                    .await?;
            }
            let emptied = sqlx::query("delete from bin_items where review_id = $1")
                .bind(review_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            insert_audit!(tx, [audit]);
            tx.commit().await?;
            emptied
        }))
    }
}
