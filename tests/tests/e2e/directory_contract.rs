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

both_databases!(
    accounts_are_created_once_per_email,
    password_checks_lock_an_account_after_repeated_failures,
    sessions_open_expire_and_end,
    reviews_are_created_with_their_timeline_and_lead,
    a_review_always_keeps_a_lead,
    invitations_are_used_once_and_never_lower_a_lead,
    expired_and_withdrawn_invitations_cannot_be_used,
    a_new_account_joins_through_an_invitation_once,
    tokens_grant_their_role_until_revoked_or_expired,
    meetings_are_added_at_the_end_changed_and_removed,
    restricted_documents_are_named_once_with_their_participants,
    snapshots_are_kept_whole_and_found_only_in_their_review,
    register_entries_and_safe_terms_are_added_and_removed_once,
    the_audit_trail_is_read_per_entity_review_and_account,
);

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

// ---- accounts and sessions ----

async fn accounts_are_created_once_per_email(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    assert_eq!(dir.count_users().await?, 0);
    let ana = dir
        .create_user(&new_user("  Ana@Example.ORG ", "Ana"), |u| {
            event("", &format!("account_created {}", u.email))
        })
        .await?
        .context("a new email")?;
    assert_eq!(ana.email, "ana@example.org");
    assert_eq!((ana.name.as_str(), ana.is_admin), ("Ana", false));

    // The same address in another case is taken: nothing is created or recorded.
    let again = dir
        .create_user(&new_user("ana@example.org", "Other"), |_| {
            event("", "account_created twice")
        })
        .await?;
    assert_eq!(again, None);
    assert_eq!(dir.count_users().await?, 1);
    assert_eq!(
        actions(&dir, "").await?,
        ["account_created ana@example.org"]
    );

    let record = dir
        .login_record(" ANA@example.org")
        .await?
        .context("found by any case")?;
    assert_eq!(record.user, ana);
    assert_eq!(record.password_hash, "hash-of-Ana");
    assert_eq!((record.failed_logins, record.locked_until), (0, 0));
    assert!(dir.login_record("nobody@example.org").await?.is_none());
    Ok(())
}

async fn password_checks_lock_an_account_after_repeated_failures(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let ana = user(&dir, "ana@example.org", "Ana").await?;
    let now = 1_000_000;
    let until = now + 60_000;
    for expected in 1..=3 {
        let counted = dir
            .reserve_password_check("Ana@example.org", 3, until, now)
            .await?;
        assert_eq!(counted, Some(expected));
    }
    // The third failure locked the account: no check while it is locked.
    assert_eq!(
        dir.reserve_password_check("ana@example.org", 3, until, now + 1)
            .await?,
        None
    );
    let record = dir.login_record("ana@example.org").await?.context("ana")?;
    assert_eq!((record.failed_logins, record.locked_until), (3, until));
    // Once the lock has passed, a check is allowed again (and counted).
    assert_eq!(
        dir.reserve_password_check("ana@example.org", 3, until + 60_000, until)
            .await?,
        Some(4)
    );
    // A passed check clears the count and the lock.
    dir.login_succeeded(&ana.id).await?;
    let record = dir.login_record("ana@example.org").await?.context("ana")?;
    assert_eq!((record.failed_logins, record.locked_until), (0, 0));
    assert_eq!(
        dir.reserve_password_check("ana@example.org", 3, until, now)
            .await?,
        Some(1)
    );
    // An unknown account has nothing to check.
    assert_eq!(
        dir.reserve_password_check("nobody@example.org", 3, until, now)
            .await?,
        None
    );
    Ok(())
}

async fn sessions_open_expire_and_end(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let ana = user(&dir, "ana@example.org", "Ana").await?;
    let later = now_ms() + HOUR_MS;

    dir.create_session("first", &ana.id, later).await?;
    assert_eq!(dir.session_user("first").await?, Some(ana.clone()));
    dir.create_session("expired", &ana.id, now_ms() - 1_000)
        .await?;
    assert_eq!(dir.session_user("expired").await?, None);
    assert_eq!(dir.session_user("unknown").await?, None);

    // Signing in clears counted failures and opens a session, with its audit row.
    dir.reserve_password_check(&ana.email, 5, 0, now_ms())
        .await?;
    dir.sign_in(&ana.id, "second", later, &event("", "login"))
        .await?;
    assert_eq!(dir.session_user("second").await?, Some(ana.clone()));
    let record = dir.login_record(&ana.email).await?.context("ana")?;
    assert_eq!(record.failed_logins, 0);

    // A new password ends every other session.
    dir.set_password(
        &ana.id,
        "new-hash",
        Some("second"),
        &event("", "password_changed"),
    )
    .await?;
    let record = dir.login_record(&ana.email).await?.context("ana")?;
    assert_eq!(record.password_hash, "new-hash");
    assert_eq!(dir.session_user("first").await?, None);
    assert_eq!(dir.session_user("second").await?, Some(ana.clone()));

    dir.delete_session("second", &event("", "logout")).await?;
    assert_eq!(dir.session_user("second").await?, None);
    assert_eq!(
        actions(&dir, "").await?,
        ["account_created", "login", "password_changed", "logout"]
    );
    Ok(())
}

// ---- reviews and members ----

async fn reviews_are_created_with_their_timeline_and_lead(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let ana = user(&dir, "ana@example.org", "Ana").await?;
    let created = dir
        .create_review(
            &fields("Child A"),
            &[meeting("Scoping"), meeting("Learning event")],
            Some(&ana.id),
            |r| event(&r.id, "review_created"),
        )
        .await?;
    assert_eq!(dir.review(&created.id).await?, Some(created.clone()));
    assert_eq!(dir.review("no-such-review").await?, None);
    let meetings = dir.meetings(&created.id).await?;
    let titles: Vec<(i64, &str)> = meetings
        .iter()
        .map(|m| (m.position, m.title.as_str()))
        .collect();
    assert_eq!(titles, [(0, "Scoping"), (1, "Learning event")]);
    assert_eq!(meetings[0].attendees, ["Health", "Police"]);
    assert!(!meetings[0].closed);

    assert_eq!(
        dir.role_of(&created.id, &ana.id).await?,
        Some(Role::LeadReviewer)
    );
    assert_eq!(dir.role_of(&created.id, "stranger").await?, None);
    assert_eq!(
        dir.reviews_of(&ana.id).await?,
        [(created.clone(), Role::LeadReviewer)]
    );
    assert!(dir.reviews_of("stranger").await?.is_empty());
    let members = dir.members(&created.id).await?;
    assert_eq!(members.len(), 1);
    assert_eq!(
        (members[0].user_id.as_str(), members[0].role),
        (ana.id.as_str(), Role::LeadReviewer)
    );

    // A review without a lead (made by an administrator) has no members.
    let unled = review(&dir, None).await?;
    assert!(dir.members(&unled.id).await?.is_empty());

    let mut changed = fields("Child A (renamed)");
    changed.phase = "analysis".into();
    dir.update_review(&created.id, &changed, &event(&created.id, "review_updated"))
        .await?;
    let read = dir.review(&created.id).await?.context("the review")?;
    assert_eq!(
        (read.title.as_str(), read.phase.as_str()),
        ("Child A (renamed)", "analysis")
    );
    assert_eq!(read.created_at, created.created_at);
    assert_eq!(
        actions(&dir, &created.id).await?,
        ["review_created", "review_updated"]
    );
    Ok(())
}

async fn a_review_always_keeps_a_lead(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let ana = user(&dir, "ana@example.org", "Ana").await?;
    let sam = user(&dir, "sam@example.org", "Sam").await?;
    let kim = user(&dir, "kim@example.org", "Kim").await?;
    let r = review(&dir, Some(&ana.id)).await?;
    add_member(&dir, &r.id, &sam.id, Role::CaseGroupMember).await?;
    let recorded = |role: Role| event(&r.id, &format!("role_changed from {}", role.as_str()));
    let before = actions(&dir, &r.id).await?.len();

    // The only lead can neither step down nor leave.
    let change = |user: &str, role: Option<Role>, acting: Option<&str>| {
        let (dir, review_id, user, acting) = (
            dir.clone(),
            r.id.clone(),
            user.to_string(),
            acting.map(str::to_string),
        );
        async move {
            dir.change_member_keeping_a_lead(&review_id, &user, role, acting.as_deref(), recorded)
                .await
        }
    };
    assert_eq!(
        change(&ana.id, Some(Role::Observer), Some(&ana.id)).await?,
        MemberChange::LastLead
    );
    assert_eq!(change(&ana.id, None, None).await?, MemberChange::LastLead);
    assert_eq!(dir.role_of(&r.id, &ana.id).await?, Some(Role::LeadReviewer));
    // Only a lead may change people; a stranger finds nothing.
    assert_eq!(
        change(&ana.id, Some(Role::Observer), Some(&sam.id)).await?,
        MemberChange::ActorNotLead
    );
    assert_eq!(
        change(&sam.id, Some(Role::Observer), Some(&kim.id)).await?,
        MemberChange::NotMember
    );
    assert_eq!(
        change(&kim.id, Some(Role::Observer), Some(&ana.id)).await?,
        MemberChange::NotMember
    );
    let unknown = dir
        .change_member_keeping_a_lead("no-such-review", &sam.id, None, None, recorded)
        .await?;
    assert_eq!(unknown, MemberChange::NotMember);
    assert_eq!(
        actions(&dir, &r.id).await?.len(),
        before,
        "refused changes record nothing"
    );

    // With a second lead, the first may step down, and the second then leads alone.
    assert_eq!(
        change(&sam.id, Some(Role::LeadReviewer), Some(&ana.id)).await?,
        MemberChange::Done {
            before: Role::CaseGroupMember
        }
    );
    assert_eq!(
        change(&ana.id, Some(Role::ReviewTeamMember), Some(&ana.id)).await?,
        MemberChange::Done {
            before: Role::LeadReviewer
        }
    );
    assert_eq!(
        change(&sam.id, None, Some(&ana.id)).await?,
        MemberChange::ActorNotLead
    );
    assert_eq!(
        change(&sam.id, None, Some(&sam.id)).await?,
        MemberChange::LastLead
    );
    // A lead removes a member.
    assert_eq!(
        change(&ana.id, None, Some(&sam.id)).await?,
        MemberChange::Done {
            before: Role::ReviewTeamMember
        }
    );
    assert_eq!(dir.role_of(&r.id, &ana.id).await?, None);
    let members: Vec<(String, Role)> = dir
        .members(&r.id)
        .await?
        .into_iter()
        .map(|m| (m.user_id, m.role))
        .collect();
    assert_eq!(members, [(sam.id.clone(), Role::LeadReviewer)]);
    let trail = actions(&dir, &r.id).await?;
    assert_eq!(
        trail[before..],
        [
            "role_changed from case_group_member",
            "role_changed from lead_reviewer",
            "role_changed from review_team_member",
        ]
    );
    Ok(())
}

// ---- invitations ----

async fn invitations_are_used_once_and_never_lower_a_lead(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let ana = user(&dir, "ana@example.org", "Ana").await?;
    let sam = user(&dir, "sam@example.org", "Sam").await?;
    let r = review(&dir, Some(&ana.id)).await?;
    let later = now_ms() + HOUR_MS;

    let invitation = invite(
        &dir,
        &r.id,
        "secret-1",
        Role::CaseGroupMember,
        " Sam@Example.org",
        later,
    )
    .await?;
    assert_eq!(invitation.email, "sam@example.org");
    assert_eq!(
        (invitation.accepted_at, invitation.withdrawn_at),
        (None, None)
    );
    assert_eq!(
        dir.open_invitation("secret-1").await?,
        Some(invitation.clone())
    );
    assert_eq!(dir.open_invitation("unknown").await?, None);
    assert_eq!(
        dir.invitations(&r.id).await?,
        std::slice::from_ref(&invitation)
    );

    let joined = dir
        .accept_invitation(&invitation, &sam.id, |role| {
            event(&r.id, &format!("invitation_accepted as {}", role.as_str()))
        })
        .await?;
    assert_eq!(joined, Some(Role::CaseGroupMember));
    assert_eq!(
        dir.role_of(&r.id, &sam.id).await?,
        Some(Role::CaseGroupMember)
    );
    // Used once: the link no longer opens, a second use does nothing.
    assert_eq!(dir.open_invitation("secret-1").await?, None);
    let again = dir
        .accept_invitation(&invitation, &ana.id, |_| {
            event(&r.id, "invitation_accepted again")
        })
        .await?;
    assert_eq!(again, None);
    let listed = dir.invitations(&r.id).await?;
    assert!(listed[0].accepted_at.is_some(), "{listed:?}");

    // A lead who accepts an invitation with a lesser role stays lead.
    let lesser = invite(
        &dir,
        &r.id,
        "secret-2",
        Role::Observer,
        "a@example.org",
        later,
    )
    .await?;
    let kept = dir
        .accept_invitation(&lesser, &ana.id, |role| {
            event(&r.id, &format!("invitation_accepted as {}", role.as_str()))
        })
        .await?;
    assert_eq!(kept, Some(Role::LeadReviewer));
    assert_eq!(dir.role_of(&r.id, &ana.id).await?, Some(Role::LeadReviewer));
    let trail = actions(&dir, &r.id).await?;
    assert!(trail.contains(&"invitation_accepted as case_group_member".to_string()));
    assert!(trail.contains(&"invitation_accepted as lead_reviewer".to_string()));
    assert!(!trail.contains(&"invitation_accepted again".to_string()));
    Ok(())
}

async fn expired_and_withdrawn_invitations_cannot_be_used(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let ana = user(&dir, "ana@example.org", "Ana").await?;
    let sam = user(&dir, "sam@example.org", "Sam").await?;
    let r = review(&dir, Some(&ana.id)).await?;
    let other = review(&dir, Some(&ana.id)).await?;

    let expired = invite(
        &dir,
        &r.id,
        "old",
        Role::Observer,
        "sam@example.org",
        now_ms() - 1_000,
    )
    .await?;
    assert_eq!(dir.open_invitation("old").await?, None);
    let used = dir
        .accept_invitation(&expired, &sam.id, |_| event(&r.id, "invitation_accepted"))
        .await?;
    assert_eq!(used, None);
    assert_eq!(dir.role_of(&r.id, &sam.id).await?, None);

    let open = invite(
        &dir,
        &r.id,
        "open",
        Role::Observer,
        "sam@example.org",
        now_ms() + HOUR_MS,
    )
    .await?;
    // Withdrawn only in its own review, and only once.
    assert!(
        !dir.withdraw_invitation(
            &other.id,
            &open.id,
            &event(&other.id, "invitation_withdrawn")
        )
        .await?
    );
    assert!(
        dir.withdraw_invitation(&r.id, &open.id, &event(&r.id, "invitation_withdrawn"))
            .await?
    );
    assert!(
        !dir.withdraw_invitation(&r.id, &open.id, &event(&r.id, "invitation_withdrawn"))
            .await?
    );
    assert!(
        !dir.withdraw_invitation(&r.id, &expired.id, &event(&r.id, "invitation_withdrawn"))
            .await?,
        "an expired invitation has nothing to withdraw"
    );
    assert_eq!(dir.open_invitation("open").await?, None);
    let used = dir
        .accept_invitation(&open, &sam.id, |_| event(&r.id, "invitation_accepted"))
        .await?;
    assert_eq!(used, None);
    let listed = dir.invitations(&r.id).await?;
    let withdrawn = listed
        .iter()
        .find(|i| i.id == open.id)
        .context("still listed")?;
    assert!(withdrawn.withdrawn_at.is_some());
    let trail = actions(&dir, &r.id).await?;
    assert_eq!(
        trail
            .iter()
            .filter(|a| *a == "invitation_withdrawn")
            .count(),
        1
    );
    assert!(!trail.contains(&"invitation_accepted".to_string()));
    assert!(
        !actions(&dir, &other.id)
            .await?
            .contains(&"invitation_withdrawn".to_string())
    );
    Ok(())
}

async fn a_new_account_joins_through_an_invitation_once(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let ana = user(&dir, "ana@example.org", "Ana").await?;
    let r = review(&dir, Some(&ana.id)).await?;
    let later = now_ms() + HOUR_MS;
    let invitation = invite(
        &dir,
        &r.id,
        "link",
        Role::ReviewTeamMember,
        "sam@example.org",
        later,
    )
    .await?;
    let recorded = |u: &User| {
        vec![
            event("", &format!("account_created {}", u.email)),
            event(&r.id, "invitation_accepted"),
        ]
    };

    let joined = dir
        .accept_invitation_as_new_user(&invitation, &new_user("Sam@Example.org", "Sam"), recorded)
        .await?;
    let NewAccountJoin::Joined(sam) = joined else {
        anyhow::bail!("expected a new account, got {joined:?}");
    };
    assert_eq!(sam.email, "sam@example.org");
    assert_eq!(
        dir.role_of(&r.id, &sam.id).await?,
        Some(Role::ReviewTeamMember)
    );
    assert_eq!(
        dir.login_record("sam@example.org")
            .await?
            .map(|l| l.password_hash),
        Some("hash-of-Sam".into())
    );

    // The same link again: nothing is created.
    let again = dir
        .accept_invitation_as_new_user(&invitation, &new_user("kim@example.org", "Kim"), recorded)
        .await?;
    assert_eq!(again, NewAccountJoin::InvitationUsed);
    assert!(dir.login_record("kim@example.org").await?.is_none());

    // An address that already has an account: nothing is created and the link stays open.
    let second = invite(
        &dir,
        &r.id,
        "link-2",
        Role::Observer,
        "x@example.org",
        later,
    )
    .await?;
    let taken = dir
        .accept_invitation_as_new_user(&second, &new_user("ANA@example.org", "Ana 2"), recorded)
        .await?;
    assert_eq!(taken, NewAccountJoin::EmailTaken);
    assert_eq!(dir.count_users().await?, 2);
    assert_eq!(dir.open_invitation("link-2").await?, Some(second));
    assert_eq!(
        actions(&dir, "").await?,
        ["account_created", "account_created sam@example.org"]
    );
    Ok(())
}

// ---- access tokens ----

async fn tokens_grant_their_role_until_revoked_or_expired(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let ana = user(&dir, "ana@example.org", "Ana").await?;
    let r = review(&dir, Some(&ana.id)).await?;
    let other = review(&dir, Some(&ana.id)).await?;
    let later = now_ms() + HOUR_MS;

    let token = dir
        .create_token(
            "token-hash",
            &r.id,
            Role::Observer,
            "minute taker",
            Some(&ana.id),
            later,
            |t| event(&t.review_id, "token_created"),
        )
        .await?;
    assert_eq!(
        dir.token_grant("token-hash").await?,
        Some(TokenGrant {
            id: token.id.clone(),
            review_id: r.id.clone(),
            role: Role::Observer,
            label: "minute taker".into(),
        })
    );
    assert_eq!(dir.token_grant("unknown").await?, None);
    // A token made by the server itself has no creator.
    let expired: AccessToken = dir
        .create_token(
            "expired-hash",
            &r.id,
            Role::ReviewTeamMember,
            "",
            None,
            now_ms() - 1_000,
            |t| event(&t.review_id, "token_created"),
        )
        .await?;
    assert_eq!(dir.token_grant("expired-hash").await?, None);
    let ids: Vec<String> = dir.tokens(&r.id).await?.into_iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&token.id) && ids.contains(&expired.id));
    assert!(dir.tokens(&other.id).await?.is_empty());

    // Revoked only in its own review, and only once.
    assert!(
        !dir.revoke_token(&other.id, &token.id, &event(&other.id, "token_revoked"))
            .await?
    );
    assert!(
        dir.revoke_token(&r.id, &token.id, &event(&r.id, "token_revoked"))
            .await?
    );
    assert!(
        !dir.revoke_token(&r.id, &token.id, &event(&r.id, "token_revoked"))
            .await?
    );
    assert_eq!(dir.token_grant("token-hash").await?, None);
    let listed = dir.tokens(&r.id).await?;
    let revoked = listed
        .iter()
        .find(|t| t.id == token.id)
        .context("still listed")?;
    assert!(revoked.revoked_at.is_some());
    let trail = actions(&dir, &r.id).await?;
    assert_eq!(trail.iter().filter(|a| *a == "token_revoked").count(), 1);
    assert!(
        actions(&dir, &other.id)
            .await?
            .iter()
            .all(|a| a != "token_revoked")
    );
    Ok(())
}

// ---- the meeting timeline ----

async fn meetings_are_added_at_the_end_changed_and_removed(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let r = review(&dir, None).await?;
    let other = review(&dir, None).await?;
    let added = dir
        .add_meeting(&r.id, &meeting("Learning event"), |m| {
            event(&m.review_id, "meeting_added")
        })
        .await?;
    assert_eq!(added.position, 1, "after the timeline's first meeting");
    let third = dir
        .add_meeting(&r.id, &meeting("Sign-off"), |m| {
            event(&m.review_id, "meeting_added")
        })
        .await?;
    assert_eq!(third.position, 2);
    // Each review's timeline counts on its own.
    let elsewhere = dir
        .add_meeting(&other.id, &meeting("Elsewhere"), |m| {
            event(&m.review_id, "meeting_added")
        })
        .await?;
    assert_eq!(elsewhere.position, 1);

    let mut changed = added.clone();
    changed.title = "Practitioner event".into();
    changed.closed = true;
    changed.attendees = vec!["Education".into()];
    assert!(
        dir.update_meeting(&changed, &event(&r.id, "meeting_updated"))
            .await?
    );
    let meetings = dir.meetings(&r.id).await?;
    assert_eq!(meetings.len(), 3);
    assert_eq!(meetings[1], changed);
    assert_eq!(meetings[2], third);

    // A meeting is changed or removed only through its own review.
    let mut stray = changed.clone();
    stray.review_id = other.id.clone();
    assert!(
        !dir.update_meeting(&stray, &event(&other.id, "meeting_updated"))
            .await?
    );
    assert!(
        !dir.delete_meeting(&other.id, &added.id, &event(&other.id, "meeting_removed"))
            .await?
    );
    assert!(
        dir.delete_meeting(&r.id, &added.id, &event(&r.id, "meeting_removed"))
            .await?
    );
    assert!(
        !dir.delete_meeting(&r.id, &added.id, &event(&r.id, "meeting_removed"))
            .await?
    );
    let titles: Vec<String> = dir
        .meetings(&r.id)
        .await?
        .into_iter()
        .map(|m| m.title)
        .collect();
    assert_eq!(titles, ["Scoping", "Sign-off"]);
    let trail = actions(&dir, &r.id).await?;
    assert_eq!(
        trail,
        [
            "review_created",
            "meeting_added",
            "meeting_added",
            "meeting_updated",
            "meeting_removed"
        ]
    );
    assert_eq!(
        actions(&dir, &other.id).await?,
        ["review_created", "meeting_added"]
    );
    Ok(())
}

// ---- restricted documents ----

async fn restricted_documents_are_named_once_with_their_participants(
    backend: Backend,
) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let ana = user(&dir, "ana@example.org", "Ana").await?;
    let sam = user(&dir, "sam@example.org", "Sam").await?;
    let kim = user(&dir, "kim@example.org", "Kim").await?;
    let r = review(&dir, Some(&ana.id)).await?;
    let other = review(&dir, Some(&ana.id)).await?;

    let both = vec![sam.id.clone(), kim.id.clone(), sam.id.clone()];
    assert!(
        dir.create_restricted_document(
            &r.id,
            "family",
            "Family history",
            &both,
            &event(&r.id, "document_created")
        )
        .await?
    );
    // The name is taken in this review; nothing changes, nothing is recorded.
    assert!(
        !dir.create_restricted_document(
            &r.id,
            "family",
            "Again",
            &[],
            &event(&r.id, "document_created")
        )
        .await?
    );
    // The same name in another review is another document.
    assert!(
        dir.create_restricted_document(
            &other.id,
            "family",
            "Other",
            &[],
            &event(&other.id, "document_created")
        )
        .await?
    );
    let documents = dir.restricted_documents(&r.id).await?;
    assert_eq!(documents.len(), 1);
    assert_eq!(documents[0].title, "Family history");
    let mut expected = vec![sam.id.clone(), kim.id.clone()];
    expected.sort();
    let mut participants = documents[0].participants.clone();
    participants.sort();
    assert_eq!(participants, expected);

    assert_eq!(
        dir.restricted_participant(&r.id, "family", Some(&sam.id))
            .await?,
        Some(true)
    );
    assert_eq!(
        dir.restricted_participant(&r.id, "family", Some(&ana.id))
            .await?,
        Some(false)
    );
    assert_eq!(
        dir.restricted_participant(&r.id, "family", None).await?,
        Some(false)
    );
    assert_eq!(
        dir.restricted_participant(&r.id, "nothing", Some(&sam.id))
            .await?,
        None
    );
    assert_eq!(
        dir.restricted_participant(&other.id, "family", Some(&sam.id))
            .await?,
        Some(false)
    );

    assert!(
        dir.update_restricted_document(
            &r.id,
            "family",
            "Family",
            std::slice::from_ref(&kim.id),
            &event(&r.id, "document_participants_changed")
        )
        .await?
    );
    let documents = dir.restricted_documents(&r.id).await?;
    assert_eq!(
        (
            documents[0].title.as_str(),
            documents[0].participants.clone()
        ),
        ("Family", vec![kim.id.clone()])
    );
    assert_eq!(
        dir.restricted_participant(&r.id, "family", Some(&sam.id))
            .await?,
        Some(false)
    );
    assert!(
        !dir.update_restricted_document(
            &r.id,
            "nothing",
            "X",
            &[],
            &event(&r.id, "document_participants_changed")
        )
        .await?
    );
    assert!(dir.restricted_documents(&r.id).await?.len() == 1);
    let trail = actions(&dir, &r.id).await?;
    assert_eq!(trail.iter().filter(|a| *a == "document_created").count(), 1);
    assert_eq!(
        trail
            .iter()
            .filter(|a| *a == "document_participants_changed")
            .count(),
        1
    );
    Ok(())
}

// ---- snapshots ----

async fn snapshots_are_kept_whole_and_found_only_in_their_review(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let r = review(&dir, None).await?;
    let other = review(&dir, None).await?;
    let meeting_id = dir.meetings(&r.id).await?[0].id.clone();
    let document = format!("{}/board", r.id);
    let state: Vec<u8> = (0..=255).collect();

    let info = dir
        .create_snapshot(
            &r.id,
            &document,
            "Before the learning event",
            Some(&meeting_id),
            &someone(),
            42,
            &state,
            "abc123",
            |s| event(&s.review_id, "snapshot_taken"),
        )
        .await?;
    assert_eq!(
        (
            info.seq,
            info.meeting_id.as_deref(),
            info.taken_by_kind.as_str()
        ),
        (42, Some(meeting_id.as_str()), "user")
    );
    assert_eq!(info.taken_by_name, "Ana Lead");
    let plain = dir
        .create_snapshot(
            &r.id,
            &document,
            "Plain",
            None,
            &Author {
                kind: "system",
                ..Author::default()
            },
            43,
            &[],
            "def456",
            |s| event(&s.review_id, "snapshot_taken"),
        )
        .await?;

    let listed = dir.snapshots(&r.id).await?;
    assert_eq!(listed.len(), 2);
    assert!(listed.contains(&info) && listed.contains(&plain));
    assert_eq!(
        dir.snapshot(&r.id, &info.id).await?,
        Some((info.clone(), state))
    );
    assert_eq!(
        dir.snapshot(&r.id, &plain.id).await?,
        Some((plain.clone(), Vec::new()))
    );
    // Not found through another review, or by an unknown id.
    assert_eq!(dir.snapshot(&other.id, &info.id).await?, None);
    assert_eq!(dir.snapshot(&r.id, "no-such-snapshot").await?, None);
    assert!(dir.snapshots(&other.id).await?.is_empty());
    // A snapshot belongs to a review that exists.
    let orphan = dir
        .create_snapshot(
            "no-such-review",
            "no-such-review/board",
            "Orphan",
            None,
            &someone(),
            1,
            &[1],
            "0",
            |s| event(&s.review_id, "snapshot_taken"),
        )
        .await;
    assert!(orphan.is_err(), "{orphan:?}");
    assert_eq!(
        actions(&dir, &r.id).await?,
        ["review_created", "snapshot_taken", "snapshot_taken"]
    );
    assert!(actions(&dir, "no-such-review").await?.is_empty());
    Ok(())
}

// ---- the pseudonymisation register and safe terms ----

async fn register_entries_and_safe_terms_are_added_and_removed_once(
    backend: Backend,
) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let r = review(&dir, None).await?;
    let other = review(&dir, None).await?;

    let entry = dir
        .add_register_entry(&r.id, "Jane Smith", "Mother", "birth mother", |e| {
            event(&e.review_id, "register_entry_added")
        })
        .await?;
    let flagged = dir
        .add_register_entry(&r.id, "Oakfield School", "", "", |e| {
            event(&e.review_id, "register_entry_added")
        })
        .await?;
    let register = dir.register(&r.id).await?;
    assert_eq!(register.len(), 2);
    assert!(register.contains(&entry) && register.contains(&flagged));
    assert!(dir.register(&other.id).await?.is_empty());
    assert!(
        !dir.remove_register_entry(
            &other.id,
            &entry.id,
            &event(&other.id, "register_entry_removed")
        )
        .await?
    );
    assert!(
        dir.remove_register_entry(&r.id, &entry.id, &event(&r.id, "register_entry_removed"))
            .await?
    );
    assert!(
        !dir.remove_register_entry(&r.id, &entry.id, &event(&r.id, "register_entry_removed"))
            .await?
    );
    assert_eq!(dir.register(&r.id).await?, [flagged]);

    let safe = dir
        .add_safe_term(&r.id, "Health visitor", |t| {
            event(&t.review_id, "safe_term_added")
        })
        .await?;
    assert_eq!(dir.safe_terms(&r.id).await?, std::slice::from_ref(&safe));
    assert!(dir.safe_terms(&other.id).await?.is_empty());
    assert!(
        !dir.remove_safe_term(&other.id, &safe.id, &event(&other.id, "safe_term_removed"))
            .await?
    );
    assert!(
        dir.remove_safe_term(&r.id, &safe.id, &event(&r.id, "safe_term_removed"))
            .await?
    );
    assert!(
        !dir.remove_safe_term(&r.id, &safe.id, &event(&r.id, "safe_term_removed"))
            .await?
    );
    assert!(dir.safe_terms(&r.id).await?.is_empty());
    assert_eq!(
        actions(&dir, &r.id).await?,
        [
            "review_created",
            "register_entry_added",
            "register_entry_added",
            "register_entry_removed",
            "safe_term_added",
            "safe_term_removed"
        ]
    );
    assert_eq!(actions(&dir, &other.id).await?, ["review_created"]);
    Ok(())
}

// ---- the audit trail ----

async fn the_audit_trail_is_read_per_entity_review_and_account(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let edit = |entity: &str, seq: i64, field: &str| AuditEvent {
        at_ms: 1_700_000_000_000 + seq,
        actor: someone(),
        review_id: "review-1".into(),
        document: "review-1/board".into(),
        seq: Some(seq),
        action: AuditAction::Edit,
        entity: entity.into(),
        entity_kind: "episode".into(),
        field: field.into(),
        detail: "changed".into(),
    };
    let first = edit("episode-1", 1, "summary");
    let second = edit("episode-2", 2, "date");
    let third = edit("episode-1", 3, "analysis");
    let token = AuditEvent::action(
        Author {
            kind: "token",
            id: "token-1".into(),
            name: "minute taker".into(),
            agency: String::new(),
        },
        "review-1",
        AuditAction::ReportExported,
        "review-1",
        "docx".into(),
    );
    let sign_in = event("", "login");
    dir.record(&[first.clone(), second.clone(), third.clone(), token.clone()])
        .await?;
    dir.record(std::slice::from_ref(&sign_in)).await?;
    dir.record(&[]).await?;

    // Newest first, every field as recorded.
    assert_eq!(
        dir.entity_history("review-1/board", "episode-1", 10)
            .await?,
        [third.clone(), first.clone()]
    );
    assert_eq!(
        dir.entity_history("review-1/board", "episode-1", 1).await?,
        std::slice::from_ref(&third)
    );
    assert!(
        dir.entity_history("review-2/board", "episode-1", 10)
            .await?
            .is_empty()
    );
    assert_eq!(
        dir.review_audit("review-1", 10).await?,
        [token.clone(), third, second, first]
    );
    assert_eq!(dir.review_audit("review-1", 2).await?.len(), 2);
    assert!(dir.review_audit("review-2", 10).await?.is_empty());
    // The account trail holds only what belongs to no review.
    assert_eq!(dir.account_audit(10).await?, [sign_in]);
    assert_eq!(
        dir.review_audit("review-1", 10).await?[0].actor.kind,
        "token"
    );
    Ok(())
}
