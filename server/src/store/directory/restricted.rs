//! Restricted documents (notes) and who may open them besides the leads.

use super::*;
use crate::audit::AuditEvent;
use crate::clock::now_ms;
use crate::review::RestrictedDocument;

impl Directory {
    /// Registers a restricted document with the audit row; `Ok(false)` if the name is
    /// taken.
    pub async fn create_restricted_document(
        &self,
        review_id: &str,
        name: &str,
        title: &str,
        participants: &[String],
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        let result: Result<(), sqlx::Error> = on_pool!(self, |pool| {
            async {
                let mut tx = pool.begin().await?;
                sqlx::query(
                    "insert into restricted_documents (review_id, name, title, created_at) values ($1, $2, $3, $4)",
                )
                .bind(review_id)
                .bind(name)
                .bind(title)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
                for user_id in participants {
                    sqlx::query(INSERT_PARTICIPANT)
                    .bind(review_id)
                    .bind(name)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                }
                insert_audit!(tx, [audit]);
                tx.commit().await
            }
            .await
        });
        match result {
            Ok(()) => Ok(true),
            Err(err) if is_conflict(&err) => Ok(false),
            Err(err) => Err(err.into()),
        }
    }

    /// Renames a restricted document and replaces its participants, with the audit row;
    /// false if the review has no such document.
    pub async fn update_restricted_document(
        &self,
        review_id: &str,
        name: &str,
        title: &str,
        participants: &[String],
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        let found = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let found = sqlx::query(
                "update restricted_documents set title = $3 where review_id = $1 and name = $2",
            )
            .bind(review_id)
            .bind(name)
            .bind(title)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if found == 1 {
                sqlx::query("delete from document_participants where review_id = $1 and name = $2")
                    .bind(review_id)
                    .bind(name)
                    .execute(&mut *tx)
                    .await?;
                for user_id in participants {
                    sqlx::query(INSERT_PARTICIPANT)
                        .bind(review_id)
                        .bind(name)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?;
                }
                insert_audit!(tx, [audit]);
                tx.commit().await?;
            }
            found == 1
        });
        Ok(found)
    }

    /// The restricted documents of a review with their participants.
    pub async fn restricted_documents(
        &self,
        review_id: &str,
    ) -> Result<Vec<RestrictedDocument>, StoreError> {
        let rows: Vec<(String, String, Option<String>)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "select d.name, d.title, p.user_id from restricted_documents d
                 left join document_participants p on p.review_id = d.review_id and p.name = d.name
                 where d.review_id = $1 order by d.name, p.user_id",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?
        });
        let mut documents: Vec<RestrictedDocument> = Vec::new();
        for (name, title, user) in rows {
            if documents.last().is_none_or(|d| d.name != name) {
                documents.push(RestrictedDocument {
                    name,
                    title,
                    participants: Vec::new(),
                });
            }
            if let (Some(user), Some(document)) = (user, documents.last_mut()) {
                document.participants.push(user);
            }
        }
        Ok(documents)
    }

    /// `None` if the review has no such restricted document, else whether `user_id`
    /// takes part in it.
    pub async fn restricted_participant(
        &self,
        review_id: &str,
        name: &str,
        user_id: Option<&str>,
    ) -> Result<Option<bool>, StoreError> {
        let found: Option<(String, Option<String>)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "select d.name, p.user_id from restricted_documents d
                 left join document_participants p
                   on p.review_id = d.review_id and p.name = d.name and p.user_id = $3
                 where d.review_id = $1 and d.name = $2",
            )
            .bind(review_id)
            .bind(name)
            .bind(user_id.unwrap_or(""))
            .fetch_optional(pool)
            .await?
        });
        Ok(found.map(|(_, participant)| participant.is_some()))
    }
}
