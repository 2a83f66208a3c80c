//! Websocket access: tokens missing, bad, expired, revoked or for another review; pages
//! from other sites; read-only roles receiving the board but refused when they write.

use std::time::Duration;

use anyhow::{Result, ensure};
use board_tests::{
    api::{admin, create_review},
    client::handshake_status,
};
use serde_json::json;

use super::PATIENCE;
use crate::support::{Backend, YClient, both_databases, eventually, poll_until, server};

both_databases!(
    websocket_refuses_missing_bad_expired_revoked_and_foreign_tokens,
    read_only_roles_receive_but_their_updates_are_refused,
);

async fn websocket_refuses_missing_bad_expired_revoked_and_foreign_tokens(
    backend: Backend,
) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let review = server.access.review.clone();
    let url = |token: &str| format!("ws://{}/sync/{review}/board?token={token}", server.addr);

    assert_eq!(
        handshake_status(&format!("ws://{}/sync/{review}/board", server.addr), &[]).await?,
        401
    );
    assert_eq!(handshake_status(&url("bt_not-a-token"), &[]).await?, 401);
    assert_eq!(
        handshake_status(&url(&server.access.token), &[]).await?,
        101
    );
    // A bearer header works as well as the query.
    let bearer = format!("Bearer {}", server.access.token);
    let plain = format!("ws://{}/sync/{review}/board", server.addr);
    assert_eq!(
        handshake_status(&plain, &[("authorization", &bearer)]).await?,
        101
    );

    // Expired. The token is minted to last long enough to be used however slow the
    // machine, then the test ends its life by ageing it in the database, and waits for
    // the server to stop accepting it.
    let short = server
        .command(
            &[
                "token",
                "create",
                "--review",
                &review,
                "--role",
                "observer",
                "--label",
                "expiring",
                "--expires",
                "1h",
            ],
            "",
        )
        .await?;
    assert_eq!(handshake_status(&url(&short), &[]).await?, 101);
    let aged = db
        .execute(&format!(
            "update access_tokens set expires_at = 1 \
             where review_id = '{review}' and label = 'expiring'"
        ))
        .await?;
    ensure!(aged == 1, "{aged} tokens aged, not one");
    poll_until("the expired token to be refused", PATIENCE, || async {
        let status = handshake_status(&url(&short), &[]).await?;
        ensure!(status != 101, "still accepted");
        Ok(())
    })
    .await?;
    assert_eq!(handshake_status(&url(&short), &[]).await?, 401, "expired");

    // Revoked, through the API by a lead (a person: a token cannot mint or revoke).
    let lead = admin(&server, "Alex Lead").await?;
    let theirs = create_review(&lead.api, json!({"title": "Child E"})).await?;
    let minted = lead
        .api
        .post(
            &format!("/api/reviews/{theirs}/tokens"),
            json!({"role": "review_team_member", "label": "laptop"}),
        )
        .await?
        .expect(201)?;
    let secret = minted["secret"].as_str().unwrap_or_default().to_string();
    let id = minted["token"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let theirs_url = format!("ws://{}/sync/{theirs}/board?token={secret}", server.addr);
    assert_eq!(handshake_status(&theirs_url, &[]).await?, 101);
    lead.api
        .delete(&format!("/api/reviews/{theirs}/tokens/{id}"))
        .await?
        .expect(204)?;
    assert_eq!(handshake_status(&theirs_url, &[]).await?, 401, "revoked");

    // A token for another review: that review's documents only; this one looks missing.
    let other = server
        .command(&["review", "create", "--title", "Other"], "")
        .await?;
    let foreign = server
        .command(
            &[
                "token",
                "create",
                "--review",
                &other,
                "--role",
                "lead_reviewer",
            ],
            "",
        )
        .await?;
    assert_eq!(handshake_status(&url(&foreign), &[]).await?, 404, "foreign");
    let nowhere = format!(
        "ws://{}/sync/no-such-review/board?token={foreign}",
        server.addr
    );
    assert_eq!(
        handshake_status(&nowhere, &[]).await?,
        404,
        "no such review"
    );
    let own = format!("ws://{}/sync/{other}/board?token={foreign}", server.addr);
    assert_eq!(handshake_status(&own, &[]).await?, 101);
    // A name outside any review.
    let bare = format!(
        "ws://{}/sync/board?token={}",
        server.addr, server.access.token
    );
    assert_eq!(handshake_status(&bare, &[]).await?, 404);

    // Browsers' pages from elsewhere are refused; this server's own pages are not.
    let token_url = url(&server.access.token);
    assert_eq!(
        handshake_status(&token_url, &[("origin", "http://evil.example")]).await?,
        403
    );
    let own_origin = format!("http://{}", server.addr);
    assert_eq!(
        handshake_status(&token_url, &[("origin", &own_origin)]).await?,
        101
    );

    assert!(
        server
            .metric("board_connections_refused_total{reason=\"unauthenticated\"}")
            .await?
            >= 4.0
    );
    assert!(
        server
            .metric("board_connections_refused_total{reason=\"origin\"}")
            .await?
            >= 1.0
    );
    server.assert_healthy();
    Ok(())
}

async fn read_only_roles_receive_but_their_updates_are_refused(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let editor = YClient::connect(&server.ws_url("board")).await?;
    editor.synced().await?;
    editor.push("text", "agreed;");
    editor.wait("the echo", |s| s.updates >= 1).await?;
    let observer_token = server.token_for("observer").await?;
    let observer_access = board_tests::server::Access {
        review: server.access.review.clone(),
        token: observer_token,
    };
    let observer = YClient::connect(&server.ws_url_as(&observer_access, "board")).await?;
    observer.synced().await?;
    assert_eq!(observer.text("text"), "agreed;");

    // The observer's change is refused, and they are told why.
    observer.push("text", "observer was here;");
    observer
        .wait("permission denied", |s| s.permission_denied.is_some())
        .await?;
    assert!(
        observer
            .seen()
            .permission_denied
            .unwrap_or_default()
            .contains("read-only")
    );
    server
        .wait_metric("board_updates_refused_read_only_total", |v| v >= 1.0)
        .await?;

    // The room carries on: the editor's next edit reaches the observer, whose
    // connection stays open, and nobody else ever sees the refused change.
    editor.push("text", "next;");
    eventually(
        "the next edit at the observer",
        Duration::from_secs(10),
        || observer.text("text").contains("next;"),
    )
    .await?;
    assert!(observer.seen().closed.is_none());
    assert_eq!(editor.text("text"), "agreed;next;");
    server.restart().await?;
    let fresh = YClient::connect(&server.ws_url("board")).await?;
    fresh.synced().await?;
    assert_eq!(fresh.text("text"), "agreed;next;");
    server.assert_healthy();
    Ok(())
}
