//! Invitations: previewed, accepted once, joining a signed-in account, withdrawn, and
//! expired.

use anyhow::Result;
use board_tests::api::{ApiClient, admin, create_review};
use serde_json::json;

use crate::support::{Backend, both_databases, server};

both_databases!(invitations_are_single_use_and_expire);

async fn invitations_are_single_use_and_expire(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let lead = admin(&server, "Alex Lead").await?;
    let review = create_review(&lead.api, json!({"title": "Child B"})).await?;
    let make = |role: &'static str| {
        let api = &lead.api;
        let review = review.clone();
        async move {
            let created = api
                .post(
                    &format!("/api/reviews/{review}/invitations"),
                    json!({"role": role, "name": "Pat", "email": "pat@example.org"}),
                )
                .await?
                .expect(201)?;
            Ok::<_, anyhow::Error>((
                created["secret"].as_str().unwrap_or_default().to_string(),
                created["invitation"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            ))
        }
    };
    let anonymous = ApiClient::anonymous(&server);

    // The preview says what it is for; accepting creates the account and signs it in.
    let (secret, _) = make("case_group_member").await?;
    let preview = anonymous
        .post("/api/invitations/preview", json!({"secret": secret}))
        .await?
        .expect(200)?;
    assert_eq!(preview["review_title"], "Child B");
    assert_eq!(preview["role"], "case_group_member");
    let pat = ApiClient::anonymous(&server);
    let short = pat
        .post(
            "/api/invitations/accept",
            json!({"secret": secret, "password": "short"}),
        )
        .await?;
    assert_eq!(short.status, 400, "{}", short.body);
    let accepted = pat
        .post(
            "/api/invitations/accept",
            json!({"secret": secret, "password": "a long enough password"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(accepted["role"], "case_group_member");
    assert_eq!(
        pat.get(&format!("/api/reviews/{review}"))
            .await?
            .expect(200)?["role"],
        "case_group_member"
    );
    // Used once: gone.
    let again = ApiClient::anonymous(&server);
    assert_eq!(
        again
            .post("/api/invitations/preview", json!({"secret": secret}))
            .await?
            .status,
        404
    );
    assert_eq!(
        again
            .post(
                "/api/invitations/accept",
                json!({"secret": secret, "password": "another long password", "email": "x@example.org"})
            )
            .await?
            .status,
        404
    );

    // A second invitation joins a signed-in account and raises its role.
    let (secret, _) = make("review_team_member").await?;
    let joined = pat
        .post("/api/invitations/accept", json!({"secret": secret}))
        .await?
        .expect(200)?;
    assert_eq!(joined["role"], "review_team_member");

    // Withdrawn.
    let (secret, id) = make("observer").await?;
    lead.api
        .delete(&format!("/api/reviews/{review}/invitations/{id}"))
        .await?
        .expect(204)?;
    assert_eq!(
        anonymous
            .post("/api/invitations/preview", json!({"secret": secret}))
            .await?
            .status,
        404
    );
    let listed = lead
        .api
        .get(&format!("/api/reviews/{review}/invitations"))
        .await?
        .expect(200)?;
    let withdrawn = listed
        .as_array()
        .and_then(|all| all.iter().find(|i| i["id"] == json!(id)))
        .cloned()
        .unwrap_or_default();
    assert!(withdrawn["withdrawn_at"].is_i64(), "{withdrawn}");

    // Expired (the shortest link lasts an hour; age this one in the database).
    let (secret, id) = make("observer").await?;
    db.execute(&format!(
        "update invitations set expires_at = 1 where id = '{id}'"
    ))
    .await?;
    assert_eq!(
        anonymous
            .post("/api/invitations/preview", json!({"secret": secret}))
            .await?
            .status,
        404
    );
    server.assert_healthy();
    Ok(())
}
