//! Reviews and their members.

use super::*;

both_databases!(
    reviews_are_created_with_their_timeline_and_lead,
    a_review_always_keeps_a_lead,
);

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
