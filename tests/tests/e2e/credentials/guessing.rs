//! Guessing passwords: in parallel, at once from many machines, through the password
//! change, and against a locked account that must answer like an unknown email.

use std::net::IpAddr;

use anyhow::Result;
use board_tests::api::{Answer, ApiClient, admin};
use futures_util::future::join_all;
use serde_json::json;

use super::{from_many_addresses, statuses};
use crate::support::{Backend, both_databases, server};

both_databases!(
    password_change_is_held_to_the_sign_in_limits,
    password_checks_at_once_are_bounded,
    parallel_guesses_do_not_pass_the_lockout,
    a_locked_account_and_an_unknown_email_answer_alike,
);

async fn password_change_is_held_to_the_sign_in_limits(backend: Backend) -> Result<()> {
    let (db, mut server) = server(
        backend,
        &[
            "--lockout-after",
            "3",
            "--lockout",
            "10m",
            "--login-attempts-per-minute",
            "40",
        ],
    )
    .await?;
    let sam = admin(&server, "Sam Jones").await?;

    // 64 guesses at the current password, all at once, from one session.
    let guesses = (0..64).map(|i| {
        sam.api.put(
            "/api/me/password",
            json!({"current_password": format!("guess number {i}"), "new_password": "a fresh new passphrase"}),
        )
    });
    let answers: Vec<Answer> = join_all(guesses).await.into_iter().collect::<Result<_>>()?;
    let all = statuses(&answers);
    assert!(all.iter().all(|s| matches!(s, 401 | 429 | 503)), "{all:?}");
    let checked = all.iter().filter(|s| **s == 401).count();
    assert!(
        (1..=3).contains(&checked),
        "{checked} guesses were checked; the lockout allows 3: {all:?}"
    );
    assert!(
        answers
            .iter()
            .filter(|a| a.status != 401)
            .all(|a| a.retry_after.is_some_and(|s| s >= 1)),
        "refusals say when to come back"
    );
    let failed = db
        .scalar("select count(*) from audit_events where action = 'password_change_failed'")
        .await?;
    assert_eq!(failed, checked as i64);

    // The account is locked: the right password works neither here nor to sign in.
    let right = sam
        .api
        .put(
            "/api/me/password",
            json!({"current_password": sam.password, "new_password": "a fresh new passphrase"}),
        )
        .await?;
    assert_eq!(right.status, 429, "{}", right.body);
    let elsewhere = ApiClient::anonymous_from(&server, IpAddr::from([127, 0, 0, 9]))?;
    let signing_in = elsewhere
        .post(
            "/api/session",
            json!({"email": sam.email, "password": sam.password}),
        )
        .await?;
    assert_ne!(signing_in.status, 200, "{}", signing_in.body);
    server.assert_healthy();
    Ok(())
}

async fn password_checks_at_once_are_bounded(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let sam = admin(&server, "Sam Jones").await?;

    // 64 machines try to sign in at the same moment: a few are checked at a time, the
    // rest are told to come back, and nobody's memory or sign-in is held hostage.
    let clients = from_many_addresses(&server, 64, 1)?;
    let attempts = clients.iter().enumerate().map(|(i, client)| {
        client.post(
            "/api/session",
            json!({"email": format!("guess{i}@example.org"), "password": "guessing away here"}),
        )
    });
    let answers: Vec<Answer> = join_all(attempts)
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    let all = statuses(&answers);
    assert!(all.iter().all(|s| matches!(s, 401 | 503)), "{all:?}");
    let busy: Vec<&Answer> = answers.iter().filter(|a| a.status == 503).collect();
    assert!(!busy.is_empty(), "every check ran at once: {all:?}");
    assert!(
        busy.iter().all(|a| a.retry_after == Some(1)),
        "{:?}",
        busy.first()
    );

    // Afterwards sign-in works as ever.
    let sam_again = ApiClient::anonymous_from(&server, IpAddr::from([127, 0, 0, 8]))?;
    sam_again
        .post(
            "/api/session",
            json!({"email": sam.email, "password": sam.password}),
        )
        .await?
        .expect(200)?;
    server.assert_healthy();
    Ok(())
}

async fn parallel_guesses_do_not_pass_the_lockout(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &["--lockout-after", "3", "--lockout", "10m"]).await?;
    let sam = admin(&server, "Sam Jones").await?;
    let checks = format!(
        "select count(*) from audit_events where action in ('login', 'login_failed') and entity = '{}'",
        sam.user_id
    );
    let before = db.scalar(&checks).await?;

    // 40 wrong guesses and the right password, at once, each from its own address.
    let clients = from_many_addresses(&server, 41, 2)?;
    let attempts = clients.iter().enumerate().map(|(i, client)| {
        let password = if i == 40 {
            sam.password.clone()
        } else {
            format!("wrong guess {i}")
        };
        client.post(
            "/api/session",
            json!({"email": sam.email, "password": password}),
        )
    });
    let answers: Vec<Answer> = join_all(attempts)
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    let checked = db.scalar(&checks).await? - before;
    assert!(
        (1..=3).contains(&checked),
        "{checked} passwords were checked; the lockout allows 3: {:?}",
        statuses(&answers)
    );
    // Unless the right password happened to be among the three, the account is locked.
    if answers[40].status != 200 {
        let later = ApiClient::anonymous_from(&server, IpAddr::from([127, 0, 0, 7]))?
            .post(
                "/api/session",
                json!({"email": sam.email, "password": sam.password}),
            )
            .await?;
        assert_ne!(later.status, 200, "{}", later.body);
    }
    server.assert_healthy();
    Ok(())
}

async fn a_locked_account_and_an_unknown_email_answer_alike(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &["--lockout-after", "2", "--lockout", "10m"]).await?;
    let sam = admin(&server, "Sam Jones").await?;
    let anonymous = ApiClient::anonymous(&server);
    for guess in ["wrong guess one", "wrong guess two"] {
        anonymous
            .post(
                "/api/session",
                json!({"email": sam.email, "password": guess}),
            )
            .await?
            .expect(401)?;
    }

    // Sam's account is locked now; nobody@example.org has none. Every kind of attempt
    // gets the same answer from both, after the same work: one argon2 check each.
    let checks = "board_password_checks_total";
    for password in [
        "another wrong guess".to_string(),
        sam.password.clone(),
        "x".repeat(2000),
    ] {
        let mut answers = Vec::new();
        for email in [sam.email.as_str(), "nobody@example.org"] {
            let before = server.metric(checks).await?;
            let answer = anonymous
                .post(
                    "/api/session",
                    json!({"email": email, "password": password}),
                )
                .await?;
            let work = server.metric(checks).await? - before;
            answers.push((answer.status, answer.body, answer.retry_after, work));
        }
        assert_eq!(answers[0], answers[1], "{} characters", password.len());
        assert_eq!(answers[0].0, 401);
        assert_eq!(answers[0].3, 1.0, "one password check each");
    }
    server.assert_healthy();
    Ok(())
}
