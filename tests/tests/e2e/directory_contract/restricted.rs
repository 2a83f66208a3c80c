//! Restricted documents.

use super::*;

both_databases!(restricted_documents_are_named_once_with_their_participants,);

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
