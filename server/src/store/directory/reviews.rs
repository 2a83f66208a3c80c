//! Reviews and their members, with the rule that a review always keeps a lead.

use super::*;
use crate::access::Role;
use crate::audit::AuditEvent;
use crate::clock::now_ms;
use crate::review::{Member, MemberChange, NewMeeting, Review, ReviewFields};

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: String,
    name: String,
    email: String,
    agency: String,
    job_title: String,
    role: String,
}

impl TryFrom<MemberRow> for Member {
    type Error = StoreError;
    fn try_from(row: MemberRow) -> Result<Self, StoreError> {
        Ok(Member {
            role: role(&row.role)?,
            user_id: row.user_id,
            name: row.name,
            email: row.email,
            agency: row.agency,
            job_title: row.job_title,
        })
    }
}

impl Directory {
    /// Creates a review with its meeting timeline and its audit row; `lead` (if any)
    /// becomes its lead reviewer.
    pub async fn create_review(
        &self,
        fields: &ReviewFields,
        timeline: &[NewMeeting],
        lead: Option<&str>,
        audit: impl FnOnce(&Review) -> AuditEvent,
    ) -> Result<Review, StoreError> {
        let id = crate::access::secrets::new_id();
        let now = now_ms();
        let review = Review {
            id: id.clone(),
            title: fields.title.clone(),
            case_ref: fields.case_ref.clone(),
            kind: fields.kind.clone(),
            variant: fields.variant.clone(),
            period_start: fields.period_start.clone(),
            period_end: fields.period_end.clone(),
            questions: fields.questions.clone(),
            terms_of_reference: fields.terms_of_reference.clone(),
            phase: fields.phase.clone(),
            created_at: now,
        };
        let event = audit(&review);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "insert into reviews (id, title, case_ref, kind, variant, period_start, period_end,
                                      questions, terms_of_reference, phase, created_at)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(&id)
            .bind(&fields.title)
            .bind(&fields.case_ref)
            .bind(&fields.kind)
            .bind(&fields.variant)
            .bind(&fields.period_start)
            .bind(&fields.period_end)
            .bind(&fields.questions)
            .bind(&fields.terms_of_reference)
            .bind(&fields.phase)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            for (position, meeting) in timeline.iter().enumerate() {
                sqlx::query(
                    "insert into meetings (id, review_id, position, kind, title, scheduled_at, mode, attendees, closed)
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(crate::access::secrets::new_id())
                .bind(&id)
                .bind(position as i64)
                .bind(&meeting.kind)
                .bind(&meeting.title)
                .bind(&meeting.scheduled_at)
                .bind(&meeting.mode)
                .bind(serde_json::to_string(&meeting.attendees).unwrap_or_else(|_| "[]".into()))
                .bind(false)
                .execute(&mut *tx)
                .await?;
            }
            if let Some(lead) = lead {
                sqlx::query(
                    "insert into memberships (review_id, user_id, role, added_at) values ($1, $2, $3, $4)",
                )
                .bind(&id)
                .bind(lead)
                .bind(Role::LeadReviewer.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            insert_audit!(tx, [&event]);
            tx.commit().await?
        });
        Ok(review)
    }

    /// How many reviews there are (the demo loads only where there are none).
    pub async fn count_reviews(&self) -> Result<i64, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_scalar("select count(*) from reviews")
                .fetch_one(pool)
                .await?
        }))
    }

    pub async fn review(&self, id: &str) -> Result<Option<Review>, StoreError> {
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, Review>("select * from reviews where id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Saves a review's details with the change's audit row.
    pub async fn update_review(
        &self,
        id: &str,
        fields: &ReviewFields,
        audit: &AuditEvent,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "update reviews set title = $2, case_ref = $3, kind = $4, variant = $5,
                        period_start = $6, period_end = $7, questions = $8,
                        terms_of_reference = $9, phase = $10
                 where id = $1",
            )
            .bind(id)
            .bind(&fields.title)
            .bind(&fields.case_ref)
            .bind(&fields.kind)
            .bind(&fields.variant)
            .bind(&fields.period_start)
            .bind(&fields.period_end)
            .bind(&fields.questions)
            .bind(&fields.terms_of_reference)
            .bind(&fields.phase)
            .execute(&mut *tx)
            .await?;
            insert_audit!(tx, [audit]);
            tx.commit().await?
        });
        Ok(())
    }

    /// The reviews a person belongs to, with their role in each, newest first.
    pub async fn reviews_of(&self, user_id: &str) -> Result<Vec<(Review, Role)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            review: Review,
            role: String,
        }
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, Row>(
                "select r.*, m.role from reviews r join memberships m on m.review_id = r.id
                 where m.user_id = $1 order by r.created_at desc, r.id",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|row| Ok((row.review, role(&row.role)?)))
            .collect()
    }

    /// A person's role in a review, if they are in it.
    pub async fn role_of(
        &self,
        review_id: &str,
        user_id: &str,
    ) -> Result<Option<Role>, StoreError> {
        let text = on_pool!(self, |pool| {
            sqlx::query_scalar::<_, String>(
                "select role from memberships where review_id = $1 and user_id = $2",
            )
            .bind(review_id)
            .bind(user_id)
            .fetch_optional(pool)
            .await?
        });
        text.map(|text| role(&text)).transpose()
    }

    pub async fn members(&self, review_id: &str) -> Result<Vec<Member>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, MemberRow>(
                "select u.id as user_id, u.name, u.email, u.agency, u.job_title, m.role
                 from memberships m join users u on u.id = m.user_id
                 where m.review_id = $1 order by u.name, u.id",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(Member::try_from).collect()
    }

    /// Changes a member's role (or, with `None`, removes them) so that the review keeps a
    /// lead reviewer, whatever else runs at the same time. One transaction that first
    /// locks the review's row (so changes to one review's people queue up: a row lock
    /// on PostgreSQL, the write lock on SQLite), then checks that `acting_lead` (a person
    /// acting, if any) still leads, makes the change, and counts the leads left. The
    /// audit row, made from the role they had before, commits with the change.
    pub async fn change_member_keeping_a_lead(
        &self,
        review_id: &str,
        user_id: &str,
        role: Option<Role>,
        acting_lead: Option<&str>,
        audit: impl FnOnce(Role) -> AuditEvent,
    ) -> Result<MemberChange, StoreError> {
        const ROLE_OF: &str = "select role from memberships where review_id = $1 and user_id = $2";
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let locked = sqlx::query("update reviews set phase = phase where id = $1")
                .bind(review_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if locked != 1 {
                tx.rollback().await?;
                return Ok(MemberChange::NotMember);
            }
            if let Some(lead) = acting_lead {
                let acting = sqlx::query_scalar::<_, String>(ROLE_OF)
                    .bind(review_id)
                    .bind(lead)
                    .fetch_optional(&mut *tx)
                    .await?;
                if acting.as_deref() != Some(Role::LeadReviewer.as_str()) {
                    tx.rollback().await?;
                    // Someone no longer in the review finds it gone, like anyone else.
                    return Ok(if acting.is_some() {
                        MemberChange::ActorNotLead
                    } else {
                        MemberChange::NotMember
                    });
                }
            }
            let before = sqlx::query_scalar::<_, String>(ROLE_OF)
                .bind(review_id)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(before) = before else {
                tx.rollback().await?;
                return Ok(MemberChange::NotMember);
            };
            let before = self::role(&before)?;
            match role {
                Some(role) => {
                    sqlx::query(
                        "update memberships set role = $3 where review_id = $1 and user_id = $2",
                    )
                    .bind(review_id)
                    .bind(user_id)
                    .bind(role.as_str())
                    .execute(&mut *tx)
                    .await?
                }
                None => {
                    sqlx::query("delete from memberships where review_id = $1 and user_id = $2")
                        .bind(review_id)
                        .bind(user_id)
                        .execute(&mut *tx)
                        .await?
                }
            };
            let leads = sqlx::query_scalar::<_, i64>(
                "select count(*) from memberships where review_id = $1 and role = $2",
            )
            .bind(review_id)
            .bind(Role::LeadReviewer.as_str())
            .fetch_one(&mut *tx)
            .await?;
            if leads == 0 {
                tx.rollback().await?;
                return Ok(MemberChange::LastLead);
            }
            insert_audit!(tx, [&audit(before)]);
            tx.commit().await?;
            Ok(MemberChange::Done { before })
        })
    }
}
