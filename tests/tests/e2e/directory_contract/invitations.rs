//! Invitations.

use super::*;

both_databases!(
    invitations_are_used_once_and_never_lower_a_lead,
    expired_and_withdrawn_invitations_cannot_be_used,
    a_new_account_joins_through_an_invitation_once,
);

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
