//! A review's pseudonymisation register and the terms marked safe to publish.

use super::*;
use crate::audit::AuditEvent;
use crate::clock::now_ms;
use crate::report::{RegisterEntry, SafeTerm};

impl Directory {
    pub async fn register(&self, review_id: &str) -> Result<Vec<RegisterEntry>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, RegisterEntry>(
                "select id, review_id, term, pseudonym, note, created_at from register_entries
                 where review_id = $1 order by created_at, id",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Adds a register entry with its audit row.
    pub async fn add_register_entry(
        &self,
        review_id: &str,
        term: &str,
        pseudonym: &str,
        note: &str,
        same_term: impl Fn(&str) -> bool,
        audit: impl FnOnce(&RegisterEntry) -> AuditEvent,
    ) -> Result<Result<RegisterEntry, String>, StoreError> {
        let entry = RegisterEntry {
            id: crate::access::secrets::new_id(),
            review_id: review_id.into(),
            term: term.into(),
            pseudonym: pseudonym.into(),
            note: note.into(),
            created_at: now_ms(),
        };
        let event = audit(&entry);
        let duplicate = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // The review's row is locked first, so two leads adding one name at the same
            // moment are checked one after the other.
            sqlx::query("update reviews set phase = phase where id = $1")
                .bind(review_id)
                .execute(&mut *tx)
                .await?;
            let terms: Vec<(String,)> =
                sqlx::query_as("select term from register_entries where review_id = $1")
                    .bind(review_id)
                    .fetch_all(&mut *tx)
                    .await?;
            if let Some((existing,)) = terms.into_iter().find(|(t,)| same_term(t)) {
                tx.rollback().await?;
                Some(existing)
            } else {
                sqlx::query(
                "insert into register_entries (id, review_id, term, pseudonym, note, created_at)
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&entry.id)
            .bind(review_id)
            .bind(term)
            .bind(pseudonym)
            .bind(note)
            .bind(entry.created_at)
            .execute(&mut *tx)
            .await?;
                insert_audit!(tx, [&event]);
                tx.commit().await?;
                None
            }
        });
        Ok(match duplicate {
            Some(existing) => Err(existing),
            None => Ok(entry),
        })
    }

    /// Removes a register entry with the audit row; false if there was none.
    pub async fn remove_register_entry(
        &self,
        review_id: &str,
        id: &str,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        self.change_row_audited(
            "delete from register_entries where review_id = $1 and id = $2",
            review_id,
            id,
            None,
            audit,
        )
        .await
    }

    // ---- terms marked safe to publish ----

    pub async fn safe_terms(&self, review_id: &str) -> Result<Vec<SafeTerm>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, SafeTerm>(
                "select id, review_id, term, created_at from safe_terms
                 where review_id = $1 order by created_at, id",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Marks a term safe to publish, with the audit row.
    pub async fn add_safe_term(
        &self,
        review_id: &str,
        term: &str,
        audit: impl FnOnce(&SafeTerm) -> AuditEvent,
    ) -> Result<SafeTerm, StoreError> {
        let entry = SafeTerm {
            id: crate::access::secrets::new_id(),
            review_id: review_id.into(),
            term: term.into(),
            created_at: now_ms(),
        };
        let event = audit(&entry);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "insert into safe_terms (id, review_id, term, created_at) values ($1, $2, $3, $4)",
            )
            .bind(&entry.id)
            .bind(review_id)
            .bind(term)
            .bind(entry.created_at)
            .execute(&mut *tx)
            .await?;
            insert_audit!(tx, [&event]);
            tx.commit().await?
        });
        Ok(entry)
    }

    /// Withdraws a safe term with the audit row; false if there was none.
    pub async fn remove_safe_term(
        &self,
        review_id: &str,
        id: &str,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        self.change_row_audited(
            "delete from safe_terms where review_id = $1 and id = $2",
            review_id,
            id,
            None,
            audit,
        )
        .await
    }
}
