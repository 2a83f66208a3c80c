//! Credentials that grant access: a token cannot mint credentials that outlive it, one
//! invitation accepted at once makes one account, and two leads demoting each other
//! leave one lead.

use anyhow::Result;
use board_tests::api::{Answer, ApiClient, admin, create_review, invite};
use futures_util::future::join_all;
use serde_json::json;

use super::{from_many_addresses, statuses};
use crate::support::{Backend, both_databases, server};

both_databases!(
    a_token_cannot_mint_credentials_that_outlive_it,
    concurrent_accepts_of_one_invitation_make_one_account,
    two_leads_demoting_each_other_leave_one_lead,
);

async fn a_token_cannot_mint_credentials_that_outlive_it(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let lead = admin(&server, "Alex Lead").await?;
    let review = create_review(&lead.api, json!({"title": "Child F"})).await?;
    let tokens = format!("/api/reviews/{review}/tokens");
    let invitations = format!("/api/reviews/{review}/invitations");
    let minted = lead
        .api
        .post(
            &tokens,
            json!({"role": "lead_reviewer", "label": "one day", "expires_in_days": 1}),
        )
        .await?
        .expect(201)?;
    let parent_id = minted["token"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let parent = ApiClient::with_token(&server, minted["secret"].as_str().unwrap_or_default());
    let invitation = lead
        .api
        .post(&invitations, json!({"role": "observer"}))
        .await?
        .expect(201)?["invitation"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // The one-day token tries to outlive itself, and to keep the lead from revoking it.
    let refused = [
        parent
            .post(
                &tokens,
                json!({"role": "lead_reviewer", "label": "a year", "expires_in_days": 365}),
            )
            .await?,
        parent
            .post(
                &invitations,
                json!({"role": "lead_reviewer", "expires_in_hours": 720}),
            )
            .await?,
        parent.delete(&format!("{tokens}/{parent_id}")).await?,
        parent
            .delete(&format!("{invitations}/{invitation}"))
            .await?,
    ];
    for answer in &refused {
        assert_eq!(
            (answer.status, &answer.body["error"]),
            (403, &json!("forbidden")),
            "{}",
            answer.body
        );
    }
    // It still does the lead's other work, and shows what exists.
    let listed = parent.get(&tokens).await?.expect(200)?;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");

    // Revoked by the person, it is dead, and nothing it made lives on.
    lead.api
        .delete(&format!("{tokens}/{parent_id}"))
        .await?
        .expect(204)?;
    assert_eq!(parent.get("/api/me").await?.status, 401);
    server.assert_healthy();
    Ok(())
}

async fn concurrent_accepts_of_one_invitation_make_one_account(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let lead = admin(&server, "Alex Lead").await?;
    let review = create_review(&lead.api, json!({"title": "Child G"})).await?;
    let secret = lead
        .api
        .post(
            &format!("/api/reviews/{review}/invitations"),
            json!({"role": "observer", "name": "Pat"}),
        )
        .await?
        .expect(201)?["secret"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // The link, forwarded to six people who all accept it at the same moment.
    let clients = from_many_addresses(&server, 6, 3)?;
    let accepts = clients.iter().enumerate().map(|(i, client)| {
        client.post(
            "/api/invitations/accept",
            json!({"secret": secret, "email": format!("pat{i}@example.org"), "password": format!("pat number {i} chose this passphrase")}),
        )
    });
    let answers: Vec<Answer> = join_all(accepts).await.into_iter().collect::<Result<_>>()?;
    let all = statuses(&answers);
    assert_eq!(all.iter().filter(|s| **s == 200).count(), 1, "{all:?}");
    assert!(all.iter().all(|s| matches!(s, 200 | 404)), "{all:?}");
    // One account joined; nobody else got an account out of it.
    assert_eq!(db.scalar("select count(*) from users").await?, 2);
    assert_eq!(
        db.scalar(&format!(
            "select count(*) from memberships where review_id = '{review}'"
        ))
        .await?,
        2
    );
    server.assert_healthy();
    Ok(())
}

async fn two_leads_demoting_each_other_leave_one_lead(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let alex = admin(&server, "Alex Lead").await?;
    let review = create_review(&alex.api, json!({"title": "Child K"})).await?;
    let bea = invite(
        &server,
        &alex.api,
        &review,
        "lead_reviewer",
        "Bea Grant",
        "Safeguarding partnership",
    )
    .await?;
    let member = |who: &str| format!("/api/reviews/{review}/members/{who}");
    let leads = || async {
        let members = alex
            .api
            .get(&format!("/api/reviews/{review}/members"))
            .await?
            .expect(200)?;
        let leads: Vec<String> = members
            .as_array()
            .map(|all| {
                all.iter()
                    .filter(|m| m["role"] == "lead_reviewer")
                    .filter_map(|m| m["user_id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        Ok::<_, anyhow::Error>(leads)
    };

    // Ten times, each lead makes the other an observer at the same moment.
    for round in 0..10 {
        let (bea_path, alex_path) = (member(&bea.user_id), member(&alex.user_id));
        let demote_bea = alex.api.put(&bea_path, json!({"role": "observer"}));
        let demote_alex = bea.api.put(&alex_path, json!({"role": "observer"}));
        let (a, b) = futures_util::join!(demote_bea, demote_alex);
        let (a, b) = (a?, b?);
        let left = leads().await?;
        assert_eq!(
            left.len(),
            1,
            "round {round}: leads {left:?} after {} and {}",
            a.status,
            b.status
        );
        // The other is refused: the review needs a lead (409), or its caller is no
        // longer one by the time it is checked (403).
        let refused = if a.status == 200 { &b } else { &a };
        assert!(
            matches!(refused.status, 403 | 409),
            "round {round}: {} {}",
            refused.status,
            refused.body
        );
        // The one still leading makes the other lead again.
        let (still, other) = if left[0] == alex.user_id {
            (&alex, &bea)
        } else {
            (&bea, &alex)
        };
        still
            .api
            .put(&member(&other.user_id), json!({"role": "lead_reviewer"}))
            .await?
            .expect(200)?;
    }

    // And each removes the other at the same moment.
    let (bea_path, alex_path) = (member(&bea.user_id), member(&alex.user_id));
    let (a, b) = futures_util::join!(alex.api.delete(&bea_path), bea.api.delete(&alex_path));
    let (a, b) = (a?, b?);
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    // One is removed; the other stays (the review needs a lead, or the removed one was
    // no longer in the review when their own call was checked).
    assert!(
        matches!(statuses, [204, 404 | 409]),
        "{statuses:?}: {} {}",
        a.body,
        b.body
    );
    let leads_left = format!(
        "select count(*) from memberships where review_id = '{review}' and role = 'lead_reviewer'"
    );
    assert_eq!(db.scalar(&leads_left).await?, 1);
    server.assert_healthy();
    Ok(())
}
