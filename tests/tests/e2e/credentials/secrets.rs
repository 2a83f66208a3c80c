//! Secrets: weak passwords refused wherever one is chosen, and what is typed or sent in
//! the wrong place neither kept in the audit trail nor logged.

use anyhow::Result;
use board_tests::api::{ApiClient, admin, create_review};
use serde_json::json;

use crate::support::{Backend, both_databases, server};

both_databases!(
    weak_passwords_are_refused_wherever_one_is_chosen,
    secrets_typed_or_sent_in_the_wrong_place_are_not_kept,
);

/// Passwords that pass a count of bytes or characters, and nothing else.
const WEAK: [&str; 5] = [
    "          ",
    "\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}\u{200B}",
    "password12",
    "1234567890",
    "qwertyuiop",
];

async fn weak_passwords_are_refused_wherever_one_is_chosen(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let sam = admin(&server, "Sam Jones").await?;
    let review = create_review(&sam.api, json!({"title": "Child H"})).await?;
    let secret = sam
        .api
        .post(
            &format!("/api/reviews/{review}/invitations"),
            json!({"role": "observer", "name": "Pat", "email": "pat@example.org"}),
        )
        .await?
        .expect(201)?["secret"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let pat = ApiClient::anonymous(&server);
    for weak in WEAK {
        // A new account from an invitation.
        let refused = pat
            .post(
                "/api/invitations/accept",
                json!({"secret": secret, "password": weak}),
            )
            .await?;
        assert_eq!(refused.status, 400, "{weak:?}: {}", refused.body);
        let message = refused.body["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("The password must be at least 10 characters")
                || message.starts_with("The password is too easy to guess"),
            "{weak:?}: {message}"
        );
        // A new password.
        let refused = sam
            .api
            .put(
                "/api/me/password",
                json!({"current_password": sam.password, "new_password": weak}),
            )
            .await?;
        assert_eq!(refused.status, 400, "{weak:?}: {}", refused.body);
        // An account made on the server.
        let made = server
            .command(
                &[
                    "user",
                    "create",
                    "--email",
                    "weak@example.org",
                    "--name",
                    "Weak",
                ],
                &format!("{weak}\n"),
            )
            .await;
        assert!(made.is_err(), "{weak:?} made an account on the server");
    }
    assert_eq!(db.scalar("select count(*) from users").await?, 1);

    // A passphrase is welcome, and the invitation still works.
    pat.post(
        "/api/invitations/accept",
        json!({"secret": secret, "password": "pat chose a quiet orchard passphrase"}),
    )
    .await?
    .expect(200)?;
    server.assert_healthy();
    Ok(())
}

async fn secrets_typed_or_sent_in_the_wrong_place_are_not_kept(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let lead = admin(&server, "Alex Lead").await?;
    let anonymous = ApiClient::anonymous(&server);

    // Someone types their password into the email field, then gets the email wrong.
    for email in ["my quiet orchard passphrase", "Kim@example.org"] {
        anonymous
            .post(
                "/api/session",
                json!({"email": email, "password": "my quiet orchard passphrase"}),
            )
            .await?
            .expect(401)?;
    }
    let kept = db
        .scalar(
            "select count(*) from audit_events
             where actor_name like '%orchard%' or detail like '%orchard%'
                or actor_name like '%kim@%' or detail like '%kim@%'",
        )
        .await?;
    assert_eq!(kept, 0, "the append-only trail keeps what was typed");
    for masked in ["(not an email address)", "k***@example.org"] {
        let sql = format!(
            "select count(*) from audit_events where action = 'login_failed' and actor_name = '{masked}'"
        );
        assert_eq!(db.scalar(&sql).await?, 1, "{masked}");
    }

    // An invitation's secret never has to be in a URL.
    let review = create_review(&lead.api, json!({"title": "Child J"})).await?;
    let secret = lead
        .api
        .post(
            &format!("/api/reviews/{review}/invitations"),
            json!({"role": "observer", "name": "Pat", "email": "pat@example.org"}),
        )
        .await?
        .expect(201)?["secret"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    for (method, path) in [
        (reqwest::Method::GET, format!("/api/invitations/{secret}")),
        (
            reqwest::Method::POST,
            format!("/api/invitations/{secret}/accept"),
        ),
    ] {
        let answer = anonymous
            .call(
                method,
                &path,
                Some(json!({"password": "pat chose a quiet orchard"})),
            )
            .await?;
        assert!(
            matches!(answer.status, 404 | 405),
            "{path}: {} {}",
            answer.status,
            answer.body
        );
    }
    let preview = anonymous
        .post("/api/invitations/preview", json!({"secret": secret}))
        .await?
        .expect(200)?;
    assert_eq!(preview["review_title"], "Child J");
    ApiClient::anonymous(&server)
        .post(
            "/api/invitations/accept",
            json!({"secret": secret, "password": "pat chose a quiet orchard"}),
        )
        .await?
        .expect(200)?;
    assert!(!server.log_text().contains(&secret), "the secret is logged");
    server.assert_healthy();
    Ok(())
}
