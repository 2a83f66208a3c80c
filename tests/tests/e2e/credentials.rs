//! Attacks on accounts and credentials, replayed: parallel password guesses, lockout
//! races, enumeration, credentials minting credentials, invitation races, weak
//! passwords, secrets where logs keep them, and the last lead demoted.

use std::net::IpAddr;

use anyhow::Result;
use board_tests::api::{Answer, ApiClient, admin, invite};
use futures_util::future::join_all;
use serde_json::json;

use crate::support::{Backend, both_databases, server};

both_databases!(
    password_change_is_held_to_the_sign_in_limits,
    password_checks_at_once_are_bounded,
    parallel_guesses_do_not_pass_the_lockout,
    a_token_cannot_mint_credentials_that_outlive_it,
    a_locked_account_and_an_unknown_email_answer_alike,
    concurrent_accepts_of_one_invitation_make_one_account,
    weak_passwords_are_refused_wherever_one_is_chosen,
    secrets_typed_or_sent_in_the_wrong_place_are_not_kept,
    two_leads_demoting_each_other_leave_one_lead,
);

/// `count` anonymous clients, each from its own loopback address, as a botnet would be.
fn from_many_addresses(
    server: &board_tests::TestServer,
    count: u8,
    subnet: u8,
) -> Result<Vec<ApiClient>> {
    (1..=count)
        .map(|i| ApiClient::anonymous_from(server, IpAddr::from([127, 0, subnet, i])))
        .collect()
}

fn statuses(answers: &[Answer]) -> Vec<u16> {
    answers.iter().map(|a| a.status).collect()
}

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

async fn a_token_cannot_mint_credentials_that_outlive_it(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let lead = admin(&server, "Alex Lead").await?;
    let review = lead
        .api
        .post("/api/reviews", json!({"title": "Child F"}))
        .await?
        .expect(201)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
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

async fn concurrent_accepts_of_one_invitation_make_one_account(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let lead = admin(&server, "Alex Lead").await?;
    let review = lead
        .api
        .post("/api/reviews", json!({"title": "Child G"}))
        .await?
        .expect(201)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
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
    let review = sam
        .api
        .post("/api/reviews", json!({"title": "Child H"}))
        .await?
        .expect(201)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
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
    let review = lead
        .api
        .post("/api/reviews", json!({"title": "Child J"}))
        .await?
        .expect(201)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
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

async fn two_leads_demoting_each_other_leave_one_lead(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let alex = admin(&server, "Alex Lead").await?;
    let review = alex
        .api
        .post("/api/reviews", json!({"title": "Child K"}))
        .await?
        .expect(201)?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
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
