//! The words of board texts as runs of changes to them began (`board::texts`), stored
//! by the group commit with the update that began each run; read here for the history.

use super::*;
use crate::board::texts::TextRecord;

impl Directory {
    /// The newest `limit` run starts recorded for one entity of a document, oldest first.
    pub async fn field_texts(
        &self,
        document: &str,
        entity: &str,
        limit: i64,
    ) -> Result<Vec<TextRecord>, StoreError> {
        let mut rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, TextRecord>(
                "select entity, field, seq, at_ms, text from field_texts
                 where document = $1 and entity = $2 order by seq desc, field desc limit $3",
            )
            .bind(document)
            .bind(entity)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.reverse();
        Ok(rows)
    }
}

impl Directory {
    /// The newest `limit` run starts recorded for any entity of a document, oldest first.
    pub async fn document_texts(
        &self,
        document: &str,
        limit: i64,
    ) -> Result<Vec<TextRecord>, StoreError> {
        let mut rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, TextRecord>(
                "select entity, field, seq, at_ms, text from field_texts
                 where document = $1 order by seq desc, entity desc, field desc limit $2",
            )
            .bind(document)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.reverse();
        Ok(rows)
    }
}
