//! Comments on a review's board items, and when each person last read them.

use super::*;
use crate::audit::AuditEvent;
use crate::review::comments::{CommentRecord, NewComment};

const COMMENT_COLUMNS: &str = "id, item_kind, item_id, thread_id, body, mentions, created_at, \
     author_kind, author_id, author_name, author_agency, resolved_at, resolved_by, deleted_at";

impl Directory {
    /// Every comment of the review, oldest first (deleted ones too, as placeholders that
    /// keep their thread together).
    pub async fn comments(&self, review_id: &str) -> Result<Vec<CommentRecord>, StoreError> {
        let sql = format!(
            "select {COMMENT_COLUMNS} from comments where review_id = $1 order by created_at, id"
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, CommentRecord>(sqlx::AssertSqlSafe(sql))
                .bind(review_id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// How many comments the review holds, deleted ones included.
    pub async fn comment_count(&self, review_id: &str) -> Result<i64, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar("select count(*) from comments where review_id = $1")
                .bind(review_id)
                .fetch_one(pool)
                .await?
        }))
    }

    /// One comment of the review.
    pub async fn comment(
        &self,
        review_id: &str,
        id: &str,
    ) -> Result<Option<CommentRecord>, StoreError> {
        let sql =
            format!("select {COMMENT_COLUMNS} from comments where review_id = $1 and id = $2");
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, CommentRecord>(sqlx::AssertSqlSafe(sql))
                .bind(review_id)
                .bind(id)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Stores a comment with its audit row. A reply goes in only while its thread's
    /// first comment is in this review and not deleted (checked in the same
    /// transaction); `None` when it is not.
    pub async fn add_comment(
        &self,
        review_id: &str,
        comment: &NewComment,
        now: i64,
        audit: &AuditEvent,
    ) -> Result<Option<CommentRecord>, StoreError> {
        let id = crate::access::secrets::new_id();
        let thread_id = comment.thread_id.clone().unwrap_or_else(|| id.clone());
        let mentions = serde_json::to_string(&comment.mentions).unwrap_or_else(|_| "[]".into());
        let record = CommentRecord {
            id: id.clone(),
            item_kind: comment.item_kind.clone(),
            item_id: comment.item_id.clone(),
            thread_id: thread_id.clone(),
            body: comment.body.clone(),
            mentions,
            created_at: now,
            author_kind: comment.author.kind.to_string(),
            author_id: comment.author.id.clone(),
            author_name: comment.author.name.clone(),
            author_agency: comment.author.agency.clone(),
            resolved_at: None,
            resolved_by: String::new(),
            deleted_at: None,
        };
        let stored = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "insert into comments (id, review_id, item_kind, item_id, thread_id, body,
                        mentions, created_at, author_kind, author_id, author_name, author_agency)
                 select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12
                 where $1 = $5 or exists (select 1 from comments t where t.id = $5
                       and t.review_id = $2 and t.thread_id = t.id and t.deleted_at is null)",
            )
            .bind(&record.id)
            .bind(review_id)
            .bind(&record.item_kind)
            .bind(&record.item_id)
            .bind(&record.thread_id)
            .bind(&record.body)
            .bind(&record.mentions)
            .bind(record.created_at)
            .bind(&record.author_kind)
            .bind(&record.author_id)
            .bind(&record.author_name)
            .bind(&record.author_agency)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            commit_audited!(tx, done, [audit])
        });
        Ok(stored.then_some(record))
    }

    /// Resolves (`Some((when, by whom))`) or reopens (`None`) a thread, with the audit
    /// row; false when the review has no such thread.
    pub async fn set_thread_resolved(
        &self,
        review_id: &str,
        thread_id: &str,
        resolved: Option<(i64, &str)>,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        let (at, by) = match resolved {
            Some((at, by)) => (Some(at), by),
            None => (None, ""),
        };
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "update comments set resolved_at = $3, resolved_by = $4
                 where review_id = $1 and id = $2 and thread_id = id",
            )
            .bind(review_id)
            .bind(thread_id)
            .bind(at)
            .bind(by)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            commit_audited!(tx, done, [audit])
        }))
    }

    /// Deletes a comment's words and mentions (its place in the thread stays), with the
    /// audit row; false when the review has no such comment left.
    pub async fn delete_comment(
        &self,
        review_id: &str,
        id: &str,
        now: i64,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        self.change_row_audited(
            "update comments set body = '', mentions = '[]', deleted_at = $3
             where review_id = $1 and id = $2 and deleted_at is null",
            review_id,
            id,
            Some(now),
            audit,
        )
        .await
    }

    /// When the person last read the review's comments (0 if never).
    pub async fn comments_seen(&self, review_id: &str, user_id: &str) -> Result<i64, StoreError> {
        let seen: Option<i64> = on_pool!(self, |pool| {
            sqlx::query_scalar(
                "select seen_at from comment_reads where review_id = $1 and user_id = $2",
            )
            .bind(review_id)
            .bind(user_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(seen.unwrap_or(0))
    }

    /// Records that the person has read the review's comments up to `at` (never moving
    /// back).
    pub async fn mark_comments_seen(
        &self,
        review_id: &str,
        user_id: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(
                "insert into comment_reads (review_id, user_id, seen_at) values ($1, $2, $3)
                 on conflict (review_id, user_id) do update set seen_at =
                   case when excluded.seen_at > comment_reads.seen_at
                        then excluded.seen_at else comment_reads.seen_at end",
            )
            .bind(review_id)
            .bind(user_id)
            .bind(at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The commented board items a person has changed, by the audit trail: items they
    /// are linked to, whose new comments they are told about.
    pub async fn items_changed_by(
        &self,
        review_id: &str,
        user_id: &str,
    ) -> Result<Vec<String>, StoreError> {
        Ok(on_pool!(self, |pool| {
            // Only items with comments matter, which keeps this to the entity index.
            sqlx::query_scalar(
                "select distinct a.entity from audit_events a
                 where a.document = $1 and a.actor_kind = 'user' and a.actor_id = $3
                   and a.action = 'edit'
                   and a.entity in (select c.item_id from comments c where c.review_id = $2)",
            )
            .bind(format!("{review_id}/board"))
            .bind(review_id)
            .bind(user_id)
            .fetch_all(pool)
            .await?
        }))
    }
}
