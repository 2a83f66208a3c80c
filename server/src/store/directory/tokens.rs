//! Access tokens: minted for one review and role, revoked, looked up by hash.

use super::*;
use crate::access::{AccessToken, Role, TokenGrant};
use crate::audit::AuditEvent;
use crate::clock::now_ms;

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: String,
    review_id: String,
    role: String,
    label: String,
    created_at: i64,
    expires_at: i64,
    revoked_at: Option<i64>,
}

impl TryFrom<TokenRow> for AccessToken {
    type Error = StoreError;
    fn try_from(row: TokenRow) -> Result<Self, StoreError> {
        Ok(AccessToken {
            role: role(&row.role)?,
            id: row.id,
            review_id: row.review_id,
            label: row.label,
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
        })
    }
}

impl Directory {
    #[allow(clippy::too_many_arguments)]
    pub async fn create_token(
        &self,
        token_hash: &str,
        review_id: &str,
        role: Role,
        label: &str,
        created_by: Option<&str>,
        expires_at: i64,
        audit: impl FnOnce(&AccessToken) -> AuditEvent,
    ) -> Result<AccessToken, StoreError> {
        let id = crate::access::secrets::new_id();
        let now = now_ms();
        let token = AccessToken {
            id: id.clone(),
            review_id: review_id.into(),
            role,
            label: label.into(),
            created_at: now,
            expires_at,
            revoked_at: None,
        };
        let event = audit(&token);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "insert into access_tokens (id, token_hash, review_id, role, label, created_by, created_at, expires_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(token_hash)
            .bind(review_id)
            .bind(role.as_str())
            .bind(label)
            .bind(created_by)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            insert_audit!(tx, [&event]);
            tx.commit().await?
        });
        Ok(token)
    }

    /// What a live (unrevoked, unexpired) token grants.
    pub async fn token_grant(&self, token_hash: &str) -> Result<Option<TokenGrant>, StoreError> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, TokenRow>(
                "select id, review_id, role, label, created_at, expires_at, revoked_at
                 from access_tokens where token_hash = $1 and revoked_at is null and expires_at > $2",
            )
            .bind(token_hash)
            .bind(now_ms())
            .fetch_optional(pool)
            .await?
        });
        row.map(|row| {
            Ok(TokenGrant {
                role: role(&row.role)?,
                id: row.id,
                review_id: row.review_id,
                label: row.label,
            })
        })
        .transpose()
    }

    pub async fn tokens(&self, review_id: &str) -> Result<Vec<AccessToken>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, TokenRow>(
                "select id, review_id, role, label, created_at, expires_at, revoked_at
                 from access_tokens where review_id = $1 order by created_at desc, id",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(AccessToken::try_from).collect()
    }

    /// Revokes a token with the audit row; false if there was no live token with that id
    /// in the review.
    pub async fn revoke_token(
        &self,
        review_id: &str,
        id: &str,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        self.change_row_audited(
            "update access_tokens set revoked_at = $3 \
             where review_id = $1 and id = $2 and revoked_at is null",
            review_id,
            id,
            Some(now_ms()),
            audit,
        )
        .await
    }
}
