//! Themes in the findings library: named groups of published findings with a memo.
//! Only findings of current sets show in a theme.

use serde::Serialize;
use utoipa::ToSchema;

use super::library::{HIT_COLUMNS, HitRow, LibraryHit};
use super::*;

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct LibraryTheme {
    pub id: String,
    pub name: String,
    pub memo: String,
    pub created_at: i64,
    pub created_by: String,
    pub updated_at: i64,
}

impl Directory {
    pub async fn library_themes(&self) -> Result<Vec<LibraryTheme>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, LibraryTheme>(
                "select id, name, memo, created_at, created_by, updated_at from library_themes
                 order by lower(name), id",
            )
            .fetch_all(pool)
            .await?
        }))
    }

    pub async fn library_theme(&self, id: &str) -> Result<Option<LibraryTheme>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, LibraryTheme>(
                "select id, name, memo, created_at, created_by, updated_at from library_themes
                 where id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Makes a theme, with its audit row.
    pub async fn create_library_theme(
        &self,
        theme: &LibraryTheme,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "insert into library_themes (id, name, memo, created_at, created_by, updated_at)
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&theme.id)
            .bind(&theme.name)
            .bind(&theme.memo)
            .bind(theme.created_at)
            .bind(&theme.created_by)
            .bind(theme.updated_at)
            .execute(&mut *tx)
            .await?;
            insert_audit!(tx, [audit]);
            tx.commit().await?
        });
        Ok(())
    }

    /// Renames a theme or rewrites its memo. False when there is no such theme.
    pub async fn update_library_theme(
        &self,
        id: &str,
        name: &str,
        memo: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query(
                "update library_themes set name = $2, memo = $3, updated_at = $4 where id = $1",
            )
            .bind(id)
            .bind(name)
            .bind(memo)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()
                > 0
        }))
    }

    /// Puts a current library finding in a theme (again, harmlessly). False when the
    /// theme or a current finding is missing.
    pub async fn add_to_library_theme(
        &self,
        theme: &str,
        finding: &str,
        by: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query(
                "insert into library_theme_findings (theme_id, finding_id, added_at, added_by)
                 select t.id, f.id, $3, $4 from library_themes t, library_findings f
                 join library_sets s on s.id = f.set_id
                 where t.id = $1 and f.id = $2 and s.withdrawn_at is null
                 on conflict do nothing",
            )
            .bind(theme)
            .bind(finding)
            .bind(now)
            .bind(by)
            .execute(pool)
            .await?;
            let there: Option<String> = sqlx::query_scalar(
                "select finding_id from library_theme_findings where theme_id = $1 and finding_id = $2",
            )
            .bind(theme)
            .bind(finding)
            .fetch_optional(pool)
            .await?;
            there.is_some()
        }))
    }

    pub async fn remove_from_library_theme(
        &self,
        theme: &str,
        finding: &str,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query(
                "delete from library_theme_findings where theme_id = $1 and finding_id = $2",
            )
            .bind(theme)
            .bind(finding)
            .execute(pool)
            .await?
            .rows_affected()
                > 0
        }))
    }

    /// The current findings of a theme, in the order they were added.
    pub async fn library_theme_findings(&self, theme: &str) -> Result<Vec<LibraryHit>, StoreError> {
        let sql = format!(
            "select {HIT_COLUMNS} from library_theme_findings m join library_findings f on f.id = m.finding_id
             join library_sets s on s.id = f.set_id
             where m.theme_id = $1 and s.withdrawn_at is null order by m.added_at, f.id"
        );
        let rows: Vec<HitRow> = on_pool!(self, |pool| {
            sqlx::query_as::<_, HitRow>(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(theme)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(HitRow::hit).collect()
    }
}
