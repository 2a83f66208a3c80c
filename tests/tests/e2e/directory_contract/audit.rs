//! The audit trail.

use super::*;

both_databases!(the_audit_trail_is_read_per_entity_review_and_account,);

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
