//! Invitations: made by a lead, accepted once by an existing or a new account.

use super::*;
use crate::access::{NewUser, Role, User};
use crate::audit::AuditEvent;
use crate::clock::now_ms;
use crate::review::{Invitation, NewAccountJoin};

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: String,
    review_id: String,
    role: String,
    name: String,
    email: String,
    agency: String,
    job_title: String,
    created_at: i64,
    expires_at: i64,
    accepted_at: Option<i64>,
    withdrawn_at: Option<i64>,
}

impl TryFrom<InvitationRow> for Invitation {
    type Error = StoreError;
    fn try_from(row: InvitationRow) -> Result<Self, StoreError> {
        Ok(Invitation {
            role: role(&row.role)?,
            id: row.id,
            review_id: row.review_id,
            name: row.name,
            email: row.email,
            agency: row.agency,
            job_title: row.job_title,
            created_at: row.created_at,
            expires_at: row.expires_at,
            accepted_at: row.accepted_at,
            withdrawn_at: row.withdrawn_at,
        })
    }
}

impl Directory {
    #[allow(clippy::too_many_arguments)]
    pub async fn create_invitation(
        &self,
        token_hash: &str,
        review_id: &str,
        role: Role,
        name: &str,
        email: &str,
        agency: &str,
        job_title: &str,
        created_by: &str,
        expires_at: i64,
        audit: impl FnOnce(&Invitation) -> AuditEvent,
    ) -> Result<Invitation, StoreError> {
        let id = crate::access::secrets::new_id();
        let now = now_ms();
        let invitation = Invitation {
            id: id.clone(),
            review_id: review_id.into(),
            role,
            name: name.into(),
            email: email.trim().to_lowercase(),
            agency: agency.into(),
            job_title: job_title.into(),
            created_at: now,
            expires_at,
            accepted_at: None,
            withdrawn_at: None,
        };
        let event = audit(&invitation);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "insert into invitations (id, token_hash, review_id, role, name, email, agency,
                                          job_title, created_by, created_at, expires_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(&id)
            .bind(token_hash)
            .bind(review_id)
            .bind(role.as_str())
            .bind(name)
            .bind(email.trim().to_lowercase())
            .bind(agency)
            .bind(job_title)
            .bind(created_by)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            insert_audit!(tx, [&event]);
            tx.commit().await?
        });
        Ok(invitation)
    }

    const INVITATION_COLUMNS: &str = "id, review_id, role, name, email, agency, job_title, \
         created_at, expires_at, accepted_at, withdrawn_at";

    /// The open (unused, unexpired) invitation behind a link's secret.
    pub async fn open_invitation(
        &self,
        token_hash: &str,
    ) -> Result<Option<Invitation>, StoreError> {
        let sql = format!(
            "select {} from invitations where token_hash = $1 and accepted_at is null and expires_at > $2",
            Self::INVITATION_COLUMNS
        );
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, InvitationRow>(sqlx::AssertSqlSafe(sql))
                .bind(token_hash)
                .bind(now_ms())
                .fetch_optional(pool)
                .await?
        });
        row.map(Invitation::try_from).transpose()
    }

    pub async fn invitations(&self, review_id: &str) -> Result<Vec<Invitation>, StoreError> {
        let sql = format!(
            "select {} from invitations where review_id = $1 order by created_at desc, id",
            Self::INVITATION_COLUMNS
        );
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, InvitationRow>(sqlx::AssertSqlSafe(sql))
                .bind(review_id)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(Invitation::try_from).collect()
    }

    /// Uses an invitation for `user_id` and adds them to the review with its role, in one
    /// transaction with the audit row (made from the role they end up with). `None` when
    /// the invitation was already used or has expired.
    pub async fn accept_invitation(
        &self,
        invitation: &Invitation,
        user_id: &str,
        audit: impl FnOnce(Role) -> AuditEvent,
    ) -> Result<Option<Role>, StoreError> {
        let now = now_ms();
        let accepted = on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let used = sqlx::query(CLAIM_INVITATION)
                .bind(&invitation.id)
                .bind(now)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if used == 1 {
                // An invitation never lowers a role someone already has.
                let current = sqlx::query_scalar::<_, String>(
                    "select role from memberships where review_id = $1 and user_id = $2",
                )
                .bind(&invitation.review_id)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
                let joined_as = if current.as_deref() == Some(Role::LeadReviewer.as_str()) {
                    Role::LeadReviewer
                } else {
                    invitation.role
                };
                if joined_as != Role::LeadReviewer {
                    sqlx::query(
                        "insert into memberships (review_id, user_id, role, added_at) values ($1, $2, $3, $4)
                         on conflict (review_id, user_id) do update set role = excluded.role",
                    )
                    .bind(&invitation.review_id)
                    .bind(user_id)
                    .bind(invitation.role.as_str())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                insert_audit!(tx, [&audit(joined_as)]);
                tx.commit().await?;
                Some(joined_as)
            } else {
                None
            }
        });
        Ok(accepted)
    }

    /// Uses an invitation to create a new account and add it to the review, all in one
    /// transaction: of several people accepting one link at once, one gets an account
    /// and the others get nothing (no account left behind outside the review). The
    /// audit rows, made from the new account, commit with it.
    pub async fn accept_invitation_as_new_user(
        &self,
        invitation: &Invitation,
        new: &NewUser,
        audit: impl FnOnce(&User) -> Vec<AuditEvent>,
    ) -> Result<NewAccountJoin, StoreError> {
        let id = crate::access::secrets::new_id();
        let email = new.email.trim().to_lowercase();
        let now = now_ms();
        let user = User {
            id: id.clone(),
            email: email.clone(),
            name: new.name.clone(),
            agency: new.agency.clone(),
            job_title: new.job_title.clone(),
            is_admin: new.is_admin,
        };
        let events = audit(&user);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            // The claim comes first: it is a write, so on SQLite the transaction holds
            // the write lock from its first statement.
            let claimed = sqlx::query(CLAIM_INVITATION)
                .bind(&invitation.id)
                .bind(now)
                .bind(&id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if claimed != 1 {
                tx.rollback().await?;
                return Ok(NewAccountJoin::InvitationUsed);
            }
            let created = sqlx::query(INSERT_USER)
                .bind(&id)
                .bind(&email)
                .bind(&new.name)
                .bind(&new.agency)
                .bind(&new.job_title)
                .bind(&new.password_hash)
                .bind(new.is_admin)
                .bind(now)
                .execute(&mut *tx)
                .await;
            match created {
                Err(err) if is_conflict(&err) => {
                    tx.rollback().await?;
                    return Ok(NewAccountJoin::EmailTaken);
                }
                other => other?,
            };
            sqlx::query(
                "insert into memberships (review_id, user_id, role, added_at) values ($1, $2, $3, $4)",
            )
            .bind(&invitation.review_id)
            .bind(&id)
            .bind(invitation.role.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
            insert_audit!(tx, &events);
            tx.commit().await?
        });
        Ok(NewAccountJoin::Joined(user))
    }

    /// Withdraws an unused invitation with the audit row; false if there was none.
    pub async fn withdraw_invitation(
        &self,
        review_id: &str,
        id: &str,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        self.change_row_audited(
            "update invitations set expires_at = $3, withdrawn_at = $3 \
             where review_id = $1 and id = $2 and accepted_at is null and expires_at > $3",
            review_id,
            id,
            Some(now_ms()),
            audit,
        )
        .await
    }
}
