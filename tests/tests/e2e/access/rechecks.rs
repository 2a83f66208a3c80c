//! Open connections when access changes: a revoked token, a changed role, a removal,
//! restricted notes taken away, signing out and a password change close them at once;
//! a change made behind the server's back is found by the periodic recheck.

use anyhow::Result;
use board_tests::{
    api::{ApiClient, admin, create_review, invite},
    client::handshake_status,
};
use serde_json::json;
use yrs::Doc;

use crate::support::{Backend, YClient, both_databases, server};

both_databases!(
    open_connections_close_when_access_changes,
    access_changed_behind_the_servers_back_is_found_by_the_periodic_recheck,
);

async fn open_connections_close_when_access_changes(backend: Backend) -> Result<()> {
    // The periodic recheck never comes within the test: each change reaches open
    // connections at once.
    let (_db, mut server) = server(backend, &["--access-recheck", "1h"]).await?;
    let lead = admin(&server, "Alex Lead").await?;
    let review = create_review(&lead.api, json!({"title": "Child D"})).await?;
    let url = format!("ws://{}/sync/{review}/board", server.addr);

    // A revoked token's connection is closed.
    let minted = lead
        .api
        .post(
            &format!("/api/reviews/{review}/tokens"),
            json!({"role": "observer", "label": "screen"}),
        )
        .await?
        .expect(201)?;
    let secret = minted["secret"].as_str().unwrap_or_default();
    let id = minted["token"]["id"].as_str().unwrap_or_default();
    let screen = YClient::connect(&format!("{url}?token={secret}")).await?;
    screen.synced().await?;
    lead.api
        .delete(&format!("/api/reviews/{review}/tokens/{id}"))
        .await?
        .expect(204)?;
    assert_eq!(screen.close_code().await?, 4403);

    // A role change closes the connection; reconnecting gives the new role.
    let rita = invite(
        &server,
        &lead.api,
        &review,
        "review_team_member",
        "Rita Team",
        "Police",
    )
    .await?;
    let cookie = rita.api.cookie().unwrap_or_default();
    let editing = YClient::connect_with(&url, &[("cookie", &cookie)], Doc::new()).await?;
    editing.synced().await?;
    lead.api
        .put(
            &format!("/api/reviews/{review}/members/{}", rita.user_id),
            json!({"role": "observer"}),
        )
        .await?
        .expect(200)?;
    assert_eq!(
        editing.close_code().await?,
        4503,
        "access changed: reconnect"
    );
    let reading = YClient::connect_with(&url, &[("cookie", &cookie)], Doc::new()).await?;
    reading.synced().await?;
    reading.push("text", "still trying");
    reading
        .wait("permission denied", |s| s.permission_denied.is_some())
        .await?;

    // Removed from the review: closed, and the review is gone for her.
    lead.api
        .delete(&format!("/api/reviews/{review}/members/{}", rita.user_id))
        .await?
        .expect(204)?;
    assert_eq!(reading.close_code().await?, 4403, "access ended");
    assert_eq!(handshake_status(&url, &[("cookie", &cookie)]).await?, 404);

    // Taken off restricted notes: their open notes close, for good.
    let cary = invite(
        &server,
        &lead.api,
        &review,
        "case_group_member",
        "Cary Case",
        "Health visiting",
    )
    .await?;
    // Only people in the review can be given notes.
    let refused = lead
        .api
        .post(
            &format!("/api/reviews/{review}/documents"),
            json!({"slug": "cary", "title": "Conversation with Cary", "participants": ["somebody-else"]}),
        )
        .await?
        .expect(400)?;
    assert_eq!(
        refused["message"],
        "Everyone given the notes must be in this review, and somebody-else is not."
    );
    lead.api
        .post(
            &format!("/api/reviews/{review}/documents"),
            json!({"slug": "cary", "title": "Conversation with Cary", "participants": [cary.user_id]}),
        )
        .await?
        .expect(201)?;
    let notes_url = format!("ws://{}/sync/{review}/notes/cary", server.addr);
    let cary_cookie = cary.api.cookie().unwrap_or_default();
    let notes = YClient::connect_with(&notes_url, &[("cookie", &cary_cookie)], Doc::new()).await?;
    notes.synced().await?;
    let listed = lead
        .api
        .get(&format!("/api/reviews/{review}/documents"))
        .await?
        .expect(200)?;
    assert_eq!(
        listed[1]["participants"],
        json!([cary.user_id]),
        "leads see who"
    );
    let hers = cary
        .api
        .get(&format!("/api/reviews/{review}/documents"))
        .await?
        .expect(200)?;
    assert!(
        hers[1]["participants"].is_null(),
        "only leads see who takes part"
    );
    lead.api
        .put(
            &format!("/api/reviews/{review}/notes/cary"),
            json!({"title": "Conversation with Cary", "participants": []}),
        )
        .await?
        .expect(200)?;
    assert_eq!(notes.close_code().await?, 4403);
    assert_eq!(
        handshake_status(&notes_url, &[("cookie", &cary_cookie)]).await?,
        404
    );
    // Signing out closes that session's connections; a password change closes the
    // other sessions' connections, not the one that changed it.
    let board_of = |cookie: &str| {
        let url = url.clone();
        let cookie = cookie.to_string();
        async move {
            let client = YClient::connect_with(&url, &[("cookie", &cookie)], Doc::new()).await?;
            client.synced().await?;
            anyhow::Ok(client)
        }
    };
    let cary_board = board_of(&cary_cookie).await?;
    cary.api.delete("/api/session").await?.expect(204)?;
    assert_eq!(cary_board.close_code().await?, 4403, "signed out");
    let lead_cookie = lead.api.cookie().unwrap_or_default();
    let other = ApiClient::login(&server, &lead.email, &lead.password).await?;
    let other_cookie = other.cookie().unwrap_or_default();
    let this_session = board_of(&lead_cookie).await?;
    let other_session = board_of(&other_cookie).await?;
    lead.api
        .put(
            "/api/me/password",
            json!({"current_password": lead.password, "new_password": "a brand new passphrase for Alex"}),
        )
        .await?
        .expect(204)?;
    assert_eq!(
        other_session.close_code().await?,
        4403,
        "other session ended"
    );
    this_session.push("text", "still here;");
    this_session.wait("the echo", |s| s.updates >= 1).await?;
    assert!(this_session.seen().closed.is_none());

    let closed = |reason: &str| format!("board_connections_closed_total{{reason=\"{reason}\"}}");
    assert!(server.metric(&closed("access_ended")).await? >= 5.0);
    assert!(server.metric(&closed("access_changed")).await? >= 1.0);
    server.assert_healthy();
    Ok(())
}

async fn access_changed_behind_the_servers_back_is_found_by_the_periodic_recheck(
    backend: Backend,
) -> Result<()> {
    let (db, mut server) = server(backend, &["--access-recheck", "200ms"]).await?;
    let lead = admin(&server, "Alex Lead").await?;
    let review = create_review(&lead.api, json!({"title": "Child E"})).await?;
    let rita = invite(
        &server,
        &lead.api,
        &review,
        "review_team_member",
        "Rita Team",
        "Police",
    )
    .await?;
    let url = format!("ws://{}/sync/{review}/board", server.addr);
    let cookie = rita.api.cookie().unwrap_or_default();
    let editing = YClient::connect_with(&url, &[("cookie", &cookie)], Doc::new()).await?;
    editing.synced().await?;
    // An operator changes the role in the database directly: no event, only the recheck.
    db.execute(&format!(
        "update memberships set role = 'observer' where review_id = '{review}' and user_id = '{}'",
        rita.user_id
    ))
    .await?;
    assert_eq!(editing.close_code().await?, 4503);
    server.assert_healthy();
    Ok(())
}
