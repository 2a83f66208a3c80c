//! The directory's contract, run unchanged against SQLite and PostgreSQL: every query
//! of `store::directory` on its happy path and its main edge (not found, a conflict,
//! expiry, the lead-keeping rule, a change that changes nothing records nothing).
//! Times are given, never waited for: an expired row is made with a past expiry.

use std::sync::Arc;

use anyhow::{Context, Result};

use board_server::{
    access::{AccessToken, Author, NewUser, Role, TokenGrant, User},
    audit::{AuditAction, AuditEvent},
    clock::now_ms,
    review::{Invitation, MemberChange, NewAccountJoin, NewMeeting, Review, ReviewFields},
    store::{Directory, Store},
};

use crate::support::{Backend, TestDb, both_databases};

mod accounts;
mod audit;
mod invitations;
mod register;
mod restricted;
mod reviews;
mod snapshots;
mod timeline;
mod tokens;

const HOUR_MS: i64 = 3_600_000;

/// A fresh database with its directory. Keep it alive for the whole test: dropping it
/// removes the database.
struct Fixture {
    _db: TestDb,
    _store: Arc<dyn Store>,
    dir: Directory,
}

async fn fixture(backend: Backend) -> Result<Fixture> {
    let db = TestDb::new(backend).await?;
    let store = db.open_store().await?;
    let dir = store.directory();
    Ok(Fixture {
        _db: db,
        _store: store,
        dir,
    })
}

fn someone() -> Author {
    Author {
        kind: "user",
        id: "actor-1".into(),
        name: "Ana Lead".into(),
        agency: "Children's services".into(),
    }
}

/// An audit event in `review` ("" for what belongs to no review), written as its
/// action and then, after a space, its detail: "role_changed from observer".
fn event(review: &str, written: &str) -> AuditEvent {
    let (action, detail) = written.split_once(' ').unwrap_or((written, ""));
    let action = AuditAction::parse(action).unwrap_or_else(|| panic!("no action {action}"));
    AuditEvent::action(someone(), review, action, "entity-1", detail.to_string())
}

/// The events recorded for a review ("" for the account trail), oldest first, written
/// as [`event`] takes them.
async fn actions(dir: &Directory, review: &str) -> Result<Vec<String>> {
    let rows = if review.is_empty() {
        dir.account_audit(1000).await?
    } else {
        dir.review_audit(review, 1000).await?
    };
    Ok(rows
        .into_iter()
        .rev()
        .map(|e| match e.detail.as_str() {
            "" => e.action.as_str().to_string(),
            detail => format!("{} {detail}", e.action.as_str()),
        })
        .collect())
}

fn new_user(email: &str, name: &str) -> NewUser {
    NewUser {
        email: email.into(),
        name: name.into(),
        agency: "Health visiting".into(),
        job_title: "Team lead".into(),
        password_hash: format!("hash-of-{name}"),
        is_admin: false,
    }
}

async fn user(dir: &Directory, email: &str, name: &str) -> Result<User> {
    dir.create_user(&new_user(email, name), |_| event("", "account_created"))
        .await?
        .context("the email is free")
}

fn fields(title: &str) -> ReviewFields {
    ReviewFields {
        title: title.into(),
        case_ref: "CSPR-7".into(),
        kind: "cspr".into(),
        phase: "scoping".into(),
        ..ReviewFields::default()
    }
}

fn meeting(title: &str) -> NewMeeting {
    NewMeeting {
        kind: "practitioner_event".into(),
        title: title.into(),
        scheduled_at: "2026-12-01T10:00".into(),
        mode: "in_person".into(),
        attendees: vec!["Health".into(), "Police".into()],
    }
}

async fn review(dir: &Directory, lead: Option<&str>) -> Result<Review> {
    Ok(dir
        .create_review(&fields("Child A"), &[meeting("Scoping")], lead, |r| {
            event(&r.id, "review_created")
        })
        .await?)
}

async fn invite(
    dir: &Directory,
    review_id: &str,
    secret: &str,
    role: Role,
    email: &str,
    expires_at: i64,
) -> Result<Invitation> {
    Ok(dir
        .create_invitation(
            secret,
            review_id,
            role,
            "Sam Member",
            email,
            "Police",
            "Sergeant",
            "actor-1",
            expires_at,
            |i| event(&i.review_id, "invitation_created"),
        )
        .await?)
}

/// Adds `user_id` to the review with `role`, as accepting an invitation does.
async fn add_member(dir: &Directory, review_id: &str, user_id: &str, role: Role) -> Result<()> {
    let secret = format!("secret-{user_id}-{}", role.as_str());
    let invitation = invite(
        dir,
        review_id,
        &secret,
        role,
        "x@example.org",
        now_ms() + HOUR_MS,
    )
    .await?;
    dir.accept_invitation(&invitation, user_id, |_| {
        event(review_id, "invitation_accepted")
    })
    .await?
    .context("the invitation is open")?;
    Ok(())
}
