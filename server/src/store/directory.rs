//! The directory: people, sessions, reviews and who is in them, invitations, access
//! tokens, meeting timelines, restricted documents, and the append-only audit trail.
//! It lives in the same database as the documents; the SQL is written once and runs on
//! both backends (`$n` placeholders, integer times, text ids).

use serde::Serialize;
use sqlx::{PgPool, SqlitePool};
use utoipa::ToSchema;

use super::StoreError;
use crate::access::{Actor, Role, TokenGrant, User};

/// A handle on the directory tables. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Directory {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to whichever pool the directory holds: the same SQL,
/// type-checked once per backend.
macro_rules! on_pool {
    ($dir:expr, |$pool:ident| $body:expr) => {
        match $dir {
            Directory::Sqlite($pool) => $body,
            Directory::Postgres($pool) => $body,
        }
    };
}

/// Inserts audit rows inside the open transaction `$tx` (either backend), so that they
/// commit or roll back with the change beside them.
macro_rules! insert_audit {
    ($tx:expr, $events:expr) => {
        for event in $events {
            bind_audit(sqlx::query(AUDIT_INSERT), event)
                .execute(&mut *$tx)
                .await?;
        }
    };
}

/// Ends a transaction whose change touched `$done` rows: with its audit rows when it
/// changed something (true), or rolled back when it changed nothing (false).
macro_rules! commit_audited {
    ($tx:ident, $done:expr, $events:expr) => {
        if $done > 0 {
            insert_audit!($tx, $events);
            $tx.commit().await?;
            true
        } else {
            $tx.rollback().await?;
            false
        }
    };
}

/// Milliseconds since the Unix epoch, the time format of every directory table.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A review and its details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct Review {
    pub id: String,
    pub title: String,
    /// The pseudonymised case reference, e.g. "Child A".
    pub case_ref: String,
    pub kind: String,
    /// The Learning Together variant.
    pub variant: String,
    pub period_start: String,
    pub period_end: String,
    /// The review questions, one per line.
    pub questions: String,
    pub terms_of_reference: String,
    pub phase: String,
    pub created_at: i64,
}

/// The editable details of a review.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewFields {
    pub title: String,
    pub case_ref: String,
    pub kind: String,
    pub variant: String,
    pub period_start: String,
    pub period_end: String,
    pub questions: String,
    pub terms_of_reference: String,
    pub phase: String,
}

/// A person in a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Member {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub job_title: String,
    pub role: Role,
}

/// An invitation to a review (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Invitation {
    pub id: String,
    pub review_id: String,
    pub role: Role,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub job_title: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub withdrawn_at: Option<i64>,
}

/// An access token's record (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AccessToken {
    pub id: String,
    pub review_id: String,
    pub role: Role,
    pub label: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

/// One meeting of a review's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Meeting {
    pub id: String,
    pub review_id: String,
    pub position: i64,
    pub kind: String,
    pub title: String,
    /// ISO 8601 date or date-time; empty while unscheduled.
    pub scheduled_at: String,
    /// `in_person`, `remote` or `hybrid`.
    pub mode: String,
    /// User ids of the people who attend.
    pub attendees: Vec<String>,
    pub closed: bool,
}

/// A restricted document of a review, with the people who may open it besides the leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RestrictedDocument {
    /// The name inside the review, e.g. `notes/conversation-sw1`.
    pub name: String,
    pub title: String,
    pub participants: Vec<String>,
}

/// One row of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AuditEvent {
    pub at_ms: i64,
    pub actor: Actor,
    pub review_id: String,
    pub document: String,
    pub seq: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_kind: String,
    pub field: String,
    pub detail: String,
}

impl AuditEvent {
    /// An event that is not an edit of a document (a sign-in, an invitation, ...), now.
    /// `review_id` is empty for what belongs to no review.
    pub fn action(
        actor: Actor,
        review_id: &str,
        action: &str,
        entity: &str,
        detail: String,
    ) -> Self {
        AuditEvent {
            at_ms: now_ms(),
            actor,
            review_id: review_id.to_string(),
            document: String::new(),
            seq: None,
            action: action.to_string(),
            entity: entity.to_string(),
            entity_kind: String::new(),
            field: String::new(),
            detail,
        }
    }
}

/// A snapshot's record (its state is read separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct SnapshotInfo {
    pub id: String,
    pub review_id: String,
    pub document: String,
    pub label: String,
    pub meeting_id: Option<String>,
    pub taken_at: i64,
    pub taken_by_kind: String,
    pub taken_by_id: String,
    pub taken_by_name: String,
    pub seq: i64,
    /// SHA-256 of the state, hex.
    pub content_hash: String,
}

/// One entry of a review's pseudonymisation register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct RegisterEntry {
    pub id: String,
    pub review_id: String,
    /// The real name or identifying detail.
    pub term: String,
    /// What exports say instead; empty for a flagged term that is only checked.
    pub pseudonym: String,
    pub note: String,
    pub created_at: i64,
}

/// A term a lead marked safe to publish: the pre-publication check does not list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct SafeTerm {
    pub id: String,
    pub review_id: String,
    pub term: String,
    pub created_at: i64,
}

/// What a login attempt needs to know about an account.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    pub user: User,
    pub password_hash: String,
    pub failed_logins: i64,
    pub locked_until: i64,
}

/// What changing or removing a member came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberChange {
    /// Done; the role they had before.
    Done { before: Role },
    /// They are not in the review (or there is no such review).
    NotMember,
    /// The person acting no longer leads the review.
    ActorNotLead,
    /// It would leave the review without a lead reviewer: nothing was changed.
    LastLead,
}

/// What accepting an invitation with a new account came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewAccountJoin {
    /// The account was created and is in the review.
    Joined(User),
    /// Someone else used the invitation first (or it expired or was withdrawn).
    InvitationUsed,
    /// An account with that email exists.
    EmailTaken,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub agency: String,
    pub job_title: String,
    pub password_hash: String,
    pub is_admin: bool,
}

/// A meeting to add to a timeline.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub kind: String,
    pub title: String,
    pub scheduled_at: String,
    pub mode: String,
    pub attendees: Vec<String>,
}

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

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: String,
    name: String,
    email: String,
    agency: String,
    job_title: String,
    role: String,
}

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

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: String,
    review_id: String,
    position: i64,
    kind: String,
    title: String,
    scheduled_at: String,
    mode: String,
    attendees: String,
    closed: bool,
}

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

/// A role read back from the database; an unknown one (from a newer server) is refused.
fn role(text: &str) -> Result<Role, StoreError> {
    Role::parse(text).ok_or_else(|| StoreError::Corrupt(format!("unknown role {text:?}")))
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

impl From<MeetingRow> for Meeting {
    fn from(row: MeetingRow) -> Self {
        Meeting {
            attendees: serde_json::from_str(&row.attendees).unwrap_or_default(),
            id: row.id,
            review_id: row.review_id,
            position: row.position,
            kind: row.kind,
            title: row.title,
            scheduled_at: row.scheduled_at,
            mode: row.mode,
            closed: row.closed,
        }
    }
}

fn actor_kind(kind: &str) -> &'static str {
    match kind {
        "user" => "user",
        "token" => "token",
        _ => "system",
    }
}

impl From<AuditRow> for AuditEvent {
    fn from(row: AuditRow) -> Self {
        AuditEvent {
            at_ms: row.at,
            actor: Actor {
                kind: actor_kind(&row.actor_kind),
                id: row.actor_id,
                name: row.actor_name,
                agency: row.actor_agency,
            },
            review_id: row.review_id,
            document: row.document,
            seq: row.seq,
            action: row.action,
            entity: row.entity,
            entity_kind: row.entity_kind,
            field: row.field,
            detail: row.detail,
        }
    }
}

/// A unique constraint said no.
fn is_conflict(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Gives one person access to restricted notes (again, harmlessly).
const INSERT_PARTICIPANT: &str = "insert into document_participants (review_id, name, user_id) \
     values ($1, $2, $3) on conflict do nothing";
const INSERT_SESSION: &str =
    "insert into sessions (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)";
const INSERT_USER: &str =
    "insert into users (id, email, name, agency, job_title, password_hash, is_admin, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)";
/// Uses an open invitation: `$1` its id, `$2` now, `$3` who accepts it.
const CLAIM_INVITATION: &str = "update invitations set accepted_at = $2, accepted_by = $3
     where id = $1 and accepted_at is null and expires_at > $2";
const AUDIT_INSERT: &str = concat!(
    "insert into audit_events (",
    audit_columns!(),
    ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
);
const AUDIT_COLUMNS: &str = audit_columns!();
/// Columns of one audit row, in the order [`bind_audit`] binds them.
pub(super) const AUDIT_COLUMN_COUNT: usize = 13;
/// An insert of audit rows, up to its list of values.
pub(super) const AUDIT_INSERT_PREFIX: &str =
    concat!("insert into audit_events (", audit_columns!(), ") values ");

pub(super) fn bind_audit<'q, DB>(
    query: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    row: &'q AuditEvent,
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    DB: sqlx::Database,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query
        .bind(row.at_ms)
        .bind(row.actor.kind)
        .bind(row.actor.id.as_str())
        .bind(row.actor.name.as_str())
        .bind(row.actor.agency.as_str())
        .bind(row.review_id.as_str())
        .bind(row.document.as_str())
        .bind(row.seq)
        .bind(row.action.as_str())
        .bind(row.entity.as_str())
        .bind(row.entity_kind.as_str())
        .bind(row.field.as_str())
        .bind(row.detail.as_str())
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

    // ---- reviews and members ----

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

    // ---- invitations ----

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
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "update invitations set expires_at = $3, withdrawn_at = $3
                 where review_id = $1 and id = $2 and accepted_at is null and expires_at > $3",
            )
            .bind(review_id)
            .bind(id)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            commit_audited!(tx, done, [audit])
        }))
    }

    // ---- access tokens ----

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
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "update access_tokens set revoked_at = $3 where review_id = $1 and id = $2 and revoked_at is null",
            )
            .bind(review_id)
            .bind(id)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            commit_audited!(tx, done, [audit])
        }))
    }

    // ---- the meeting timeline ----

    pub async fn meetings(&self, review_id: &str) -> Result<Vec<Meeting>, StoreError> {
        let rows = on_pool!(self, |pool| {
            sqlx::query_as::<_, MeetingRow>(
                "select * from meetings where review_id = $1 order by position, id",
            )
            .bind(review_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(Meeting::from).collect())
    }

    /// Adds a meeting at the end of the timeline, with its audit row.
    pub async fn add_meeting(
        &self,
        review_id: &str,
        meeting: &NewMeeting,
        audit: impl FnOnce(&Meeting) -> AuditEvent,
    ) -> Result<Meeting, StoreError> {
        let id = crate::access::secrets::new_id();
        let attendees = serde_json::to_string(&meeting.attendees).unwrap_or_else(|_| "[]".into());
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let position = sqlx::query_scalar::<_, i64>(
                "insert into meetings (id, review_id, position, kind, title, scheduled_at, mode, attendees, closed)
                 select $1, $2, coalesce(max(position), -1) + 1, $3, $4, $5, $6, $7, $8
                 from meetings where review_id = $2
                 returning position",
            )
            .bind(&id)
            .bind(review_id)
            .bind(&meeting.kind)
            .bind(&meeting.title)
            .bind(&meeting.scheduled_at)
            .bind(&meeting.mode)
            .bind(&attendees)
            .bind(false)
            .fetch_one(&mut *tx)
            .await?;
            let added = Meeting {
                id: id.clone(),
                review_id: review_id.into(),
                position,
                kind: meeting.kind.clone(),
                title: meeting.title.clone(),
                scheduled_at: meeting.scheduled_at.clone(),
                mode: meeting.mode.clone(),
                attendees: meeting.attendees.clone(),
                closed: false,
            };
            insert_audit!(tx, [&audit(&added)]);
            tx.commit().await?;
            added
        }))
    }

    /// Saves a meeting's editable fields with the audit row; false if the review has no
    /// such meeting.
    pub async fn update_meeting(
        &self,
        meeting: &Meeting,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        let attendees = serde_json::to_string(&meeting.attendees).unwrap_or_else(|_| "[]".into());
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "update meetings set kind = $3, title = $4, scheduled_at = $5, mode = $6,
                        attendees = $7, closed = $8, position = $9
                 where review_id = $1 and id = $2",
            )
            .bind(&meeting.review_id)
            .bind(&meeting.id)
            .bind(&meeting.kind)
            .bind(&meeting.title)
            .bind(&meeting.scheduled_at)
            .bind(&meeting.mode)
            .bind(&attendees)
            .bind(meeting.closed)
            .bind(meeting.position)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            commit_audited!(tx, done, [audit])
        }))
    }

    /// Removes a meeting with the audit row; false if the review has no such meeting.
    pub async fn delete_meeting(
        &self,
        review_id: &str,
        id: &str,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("delete from meetings where review_id = $1 and id = $2")
                .bind(review_id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            commit_audited!(tx, done, [audit])
        }))
    }

    // ---- restricted documents ----

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

    // ---- snapshots ----

    /// Stores a snapshot (immutable from then on) with its audit row.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_snapshot(
        &self,
        review_id: &str,
        document: &str,
        label: &str,
        meeting_id: Option<&str>,
        taken_by: &Actor,
        seq: i64,
        state: &[u8],
        content_hash: &str,
        audit: impl FnOnce(&SnapshotInfo) -> AuditEvent,
    ) -> Result<SnapshotInfo, StoreError> {
        let id = crate::access::secrets::new_id();
        let now = now_ms();
        let snapshot = SnapshotInfo {
            id: id.clone(),
            review_id: review_id.into(),
            document: document.into(),
            label: label.into(),
            meeting_id: meeting_id.map(str::to_string),
            taken_at: now,
            taken_by_kind: taken_by.kind.into(),
            taken_by_id: taken_by.id.clone(),
            taken_by_name: taken_by.name.clone(),
            seq,
            content_hash: content_hash.into(),
        };
        let event = audit(&snapshot);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "insert into snapshots (id, review_id, document, label, meeting_id, taken_at,
                                        taken_by_kind, taken_by_id, taken_by_name, seq, state, content_hash)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(&id)
            .bind(review_id)
            .bind(document)
            .bind(label)
            .bind(meeting_id)
            .bind(now)
            .bind(taken_by.kind)
            .bind(&taken_by.id)
            .bind(&taken_by.name)
            .bind(seq)
            .bind(state)
            .bind(content_hash)
            .execute(&mut *tx)
            .await?;
            insert_audit!(tx, [&event]);
            tx.commit().await?
        });
        Ok(snapshot)
    }

    const SNAPSHOT_COLUMNS: &str = "id, review_id, document, label, meeting_id, taken_at, \
         taken_by_kind, taken_by_id, taken_by_name, seq, content_hash";

    /// A review's snapshots, newest first.
    pub async fn snapshots(&self, review_id: &str) -> Result<Vec<SnapshotInfo>, StoreError> {
        let sql = format!(
            "select {} from snapshots where review_id = $1 order by taken_at desc, id",
            Self::SNAPSHOT_COLUMNS
        );
        Ok(on_pool!(self, |pool| {
            sqlx::query_as::<_, SnapshotInfo>(sqlx::AssertSqlSafe(sql))
                .bind(review_id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// One snapshot of a review with its state.
    pub async fn snapshot(
        &self,
        review_id: &str,
        id: &str,
    ) -> Result<Option<(SnapshotInfo, Vec<u8>)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            info: SnapshotInfo,
            state: Vec<u8>,
        }
        let sql = format!(
            "select {}, state from snapshots where review_id = $1 and id = $2",
            Self::SNAPSHOT_COLUMNS
        );
        let row = on_pool!(self, |pool| {
            sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(sql))
                .bind(review_id)
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|row| (row.info, row.state)))
    }

    // ---- the pseudonymisation register ----

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
        audit: impl FnOnce(&RegisterEntry) -> AuditEvent,
    ) -> Result<RegisterEntry, StoreError> {
        let entry = RegisterEntry {
            id: crate::access::secrets::new_id(),
            review_id: review_id.into(),
            term: term.into(),
            pseudonym: pseudonym.into(),
            note: note.into(),
            created_at: now_ms(),
        };
        let event = audit(&entry);
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
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
            tx.commit().await?
        });
        Ok(entry)
    }

    /// Removes a register entry with the audit row; false if there was none.
    pub async fn remove_register_entry(
        &self,
        review_id: &str,
        id: &str,
        audit: &AuditEvent,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("delete from register_entries where review_id = $1 and id = $2")
                .bind(review_id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            commit_audited!(tx, done, [audit])
        }))
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
        Ok(on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let done = sqlx::query("delete from safe_terms where review_id = $1 and id = $2")
                .bind(review_id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            commit_audited!(tx, done, [audit])
        }))
    }

    // ---- the audit trail ----

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
        Ok(rows.into_iter().map(AuditEvent::from).collect())
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
        Ok(rows.into_iter().map(AuditEvent::from).collect())
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
        Ok(rows.into_iter().map(AuditEvent::from).collect())
    }
}
