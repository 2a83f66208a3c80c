//! Snapshots.

use super::*;

both_databases!(snapshots_are_kept_whole_and_found_only_in_their_review,);

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
            board_server::clock::now_ms(),
            42,
            &state,
            "abc123",
            r#"{"frozen":true}"#,
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
            board_server::clock::now_ms(),
            43,
            &[],
            "def456",
            "",
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
    // The details it froze come back as stored; none for another review.
    assert_eq!(
        dir.snapshot_details(&r.id, &info.id).await?.as_deref(),
        Some(r#"{"frozen":true}"#)
    );
    assert_eq!(
        dir.snapshot_details(&r.id, &plain.id).await?.as_deref(),
        Some("")
    );
    assert_eq!(dir.snapshot_details(&other.id, &info.id).await?, None);
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
            board_server::clock::now_ms(),
            1,
            &[1],
            "0",
            "",
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
