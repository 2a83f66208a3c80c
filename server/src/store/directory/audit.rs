//! The append-only audit trail: written with each change, read per entity, review or account.

use super::*;
use crate::access::Author;
use crate::audit::{AuditAction, AuditEvent};

#[derive(sqlx::FromRow)]
struct AuditRow {
    at: i64,
    actor_kind: String,
    actor_id: String,
    actor_name: String,
    actor_agency: String,
    review_id: String,
    document: String,
    seq: Option<i64>,
    action: String,
    entity: String,
    entity_kind: String,
    field: String,
    detail: String,
}

fn actor_kind(kind: &str) -> &'static str {
    match kind {
        "user" => "user",
        "token" => "token",
        _ => "system",
    }
}

impl TryFrom<AuditRow> for AuditEvent {
    type Error = StoreError;
    fn try_from(row: AuditRow) -> Result<Self, StoreError> {
        // An action this server does not know (written by a newer one) is refused, like
        // an unknown role.
        let action = AuditAction::parse(&row.action)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown audit action {:?}", row.action)))?;
        Ok(AuditEvent {
            at_ms: row.at,
            actor: Author {
                kind: actor_kind(&row.actor_kind),
                id: row.actor_id,
                name: row.actor_name,
                agency: row.actor_agency,
            },
            review_id: row.review_id,
            document: row.document,
            seq: row.seq,
            action,
            entity: row.entity,
            entity_kind: row.entity_kind,
            field: row.field,
            detail: row.detail,
        })
    }
}

impl Directory {
    /// Records events that are changes in themselves (a refused sign-in, an export),
    /// all or none. A change to anything else records its events through the method
    /// that makes it, in the same transaction.
    pub async fn record(&self, events: &[AuditEvent]) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            insert_audit!(tx, events);
            tx.commit().await?
        });
        Ok(())
    }

    /// The edits recorded for one entity of a document, newest first.
    pub async fn entity_history(
        &self,
        document: &str,
        entity: &str,
        limit: i64,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let sql = format!(
            "select {AUDIT_COLUMNS} from audit_events
             where document = $1 and entity = $2 order by id desc limit $3"
        );
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, AuditRow>(sqlx::AssertSqlSafe(sql))
                .bind(document)
                .bind(entity)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(AuditEvent::try_from).collect()
    }

    /// What belongs to no review (sign-ins, accounts), newest first.
    pub async fn account_audit(&self, limit: i64) -> Result<Vec<AuditEvent>, StoreError> {
        let sql = format!(
            "select {AUDIT_COLUMNS} from audit_events where review_id = '' order by id desc limit $1"
        );
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, AuditRow>(sqlx::AssertSqlSafe(sql))
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(AuditEvent::try_from).collect()
    }

    /// Everything recorded for a review, newest first.
    pub async fn review_audit(
        &self,
        review_id: &str,
        limit: i64,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let sql = format!(
            "select {AUDIT_COLUMNS} from audit_events where review_id = $1 order by id desc limit $2"
        );
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, AuditRow>(sqlx::AssertSqlSafe(sql))
                .bind(review_id)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(AuditEvent::try_from).collect()
    }
}
