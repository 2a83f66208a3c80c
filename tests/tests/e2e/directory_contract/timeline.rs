//! The meeting timeline.

use super::*;

both_databases!(meetings_are_added_at_the_end_changed_and_removed,);

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
