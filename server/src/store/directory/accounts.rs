//! Accounts and sessions: creating people, signing in with the lockout, passwords.

use super::*;
use crate::access::{LoginRecord, NewUser, User};
use crate::audit::AuditEvent;
use crate::clock::now_ms;

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    email: String,
    name: String,
    agency: String,
    job_title: String,
    is_admin: bool,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        User {
            id: row.id,
            email: row.email,
            name: row.name,
            agency: row.agency,
            job_title: row.job_title,
            is_admin: row.is_admin,
        }
    }
}

#[derive(sqlx::FromRow)]
struct LoginRow {
    id: String,
    email: String,
    name: String,
    agency: String,
    job_title: String,
    is_admin: bool,
    password_hash: String,
    failed_logins: i64,
    locked_until: i64,
}

impl Directory {
    // ---- people and sessions ----

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar::<_, i64>("select count(*) from users")
                .fetch_one(pool)
                .await?
        }))
    }

    /// Creates an account with its audit row; `Ok(None)` when the email is taken.
    pub async fn create_user(
        &self,
        new: &NewUser,
        audit: impl FnOnce(&User) -> AuditEvent,
    ) -> Result<Option<User>, StoreError> {
        let user = User {
            id: crate::access::secrets::new_id(),
            email: new.email.trim().to_lowercase(),
            name: new.name.clone(),
            agency: new.agency.clone(),
            job_title: new.job_title.clone(),
            is_admin: new.is_admin,
        };
        let event = audit(&user);
        let result: Result<(), sqlx::Error> = on_pool!(self, |pool| {
            async {
                let mut tx = pool.begin().await?;
                sqlx::query(INSERT_USER)
                    .bind(&user.id)
                    .bind(&user.email)
                    .bind(&new.name)
                    .bind(&new.agency)
                    .bind(&new.job_title)
                    .bind(&new.password_hash)
                    .bind(new.is_admin)
                    .bind(now_ms())
                    .execute(&mut *tx)
                    .await?;
                insert_audit!(tx, [&event]);
                tx.commit().await
            }
            .await
        });
        match result {
            Ok(()) => Ok(Some(user)),
            Err(err) if is_conflict(&err) => Ok(None),
            Err(err) => Err(err.into()),
        }
    }

    pub async fn login_record(&self, email: &str) -> Result<Option<LoginRecord>, StoreError> {
        let email = email.trim().to_lowercase();
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, LoginRow>(
                "select id, email, name, agency, job_title, is_admin, password_hash,
                        failed_logins, locked_until
                 from users where email = $1",
            )
            .bind(&email)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|row| LoginRecord {
            user: User {
                id: row.id,
                email: row.email,
                name: row.name,
                agency: row.agency,
                job_title: row.job_title,
                is_admin: row.is_admin,
            },
            password_hash: row.password_hash,
            failed_logins: row.failed_logins,
            locked_until: row.locked_until,
        }))
    }

    /// Reserves one password check for the account with `email`, counted as a failure
    /// until [`Directory::login_succeeded`] clears it. Done in one statement before the
    /// password is checked, so parallel guesses cannot all pass a lockout read earlier:
    /// from `lock_after` consecutive failures on, each reservation also locks the
    /// account until `locked_until`. `None` when the account is locked at `now` (or
    /// there is none); otherwise the failures counted so far, this one included.
    pub async fn reserve_password_check(
        &self,
        email: &str,
        lock_after: i64,
        locked_until: i64,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        let email = email.trim().to_lowercase();
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar::<_, i64>(
                "update users set failed_logins = failed_logins + 1,
                        locked_until = case when failed_logins + 1 >= $2 then $3 else locked_until end
                 where email = $1 and locked_until <= $4
                 returning failed_logins",
            )
            .bind(&email)
            .bind(lock_after)
            .bind(locked_until)
            .bind(now)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Clears the failure a passed password check left counted. Not audited itself: the
    /// change that follows the check is (see [`Directory::set_password`]).
    pub async fn login_succeeded(&self, user_id: &str) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("update users set failed_logins = 0, locked_until = 0 where id = $1")
                .bind(user_id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(())
    }

    /// A sign-in that passed: clears the failures counted against the account, opens
    /// the session (`token_hash`, until `expires_at`) and records `audit`, together.
    pub async fn sign_in(
        &self,
        user_id: &str,
        token_hash: &str,
        expires_at: i64,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("update users set failed_logins = 0, locked_until = 0 where id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(INSERT_SESSION)
                .bind(token_hash)
                .bind(user_id)
                .bind(now_ms())
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
            insert_audit!(tx, [audit]);
            tx.commit().await?
        });
        Ok(())
    }

    /// Sets a new password hash and ends every other session of the account, with the
    /// change's audit row.
    pub async fn set_password(
        &self,
        user_id: &str,
        password_hash: &str,
        keep_session: Option<&str>,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("update users set password_hash = $2 where id = $1")
                .bind(user_id)
                .bind(password_hash)
                .execute(&mut *tx)
                .await?;
            sqlx::query("delete from sessions where user_id = $1 and token_hash <> $2")
                .bind(user_id)
                .bind(keep_session.unwrap_or(""))
                .execute(&mut *tx)
                .await?;
            insert_audit!(tx, [audit]);
            tx.commit().await?
        });
        Ok(())
    }

    /// Opens a session for an account whose creation was just recorded (a sign-in with
    /// a password goes through [`Directory::sign_in`]).
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query(INSERT_SESSION)
                .bind(token_hash)
                .bind(user_id)
                .bind(now_ms())
                .bind(expires_at)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(())
    }

    /// The account behind a live session.
    pub async fn session_user(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, UserRow>(
                "select u.id, u.email, u.name, u.agency, u.job_title, u.is_admin
                 from sessions s join users u on u.id = s.user_id
                 where s.token_hash = $1 and s.expires_at > $2",
            )
            .bind(token_hash)
            .bind(now_ms())
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(User::from))
    }

    /// Ends a session (and any that expired), with the sign-out's audit row.
    pub async fn delete_session(
        &self,
        token_hash: &str,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("delete from sessions where token_hash = $1 or expires_at <= $2")
                .bind(token_hash)
                .bind(now_ms())
                .execute(&mut *tx)
                .await?;
            insert_audit!(tx, [audit]);
            tx.commit().await?
        });
        Ok(())
    }
}
