//! Access tokens.

use super::*;

both_databases!(tokens_grant_their_role_until_revoked_or_expired,);

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
