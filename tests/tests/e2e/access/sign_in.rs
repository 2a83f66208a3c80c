//! Signing in and sessions: lockout and the limit per address, the first administrator
//! from a one-time link, cross-site requests, body sizes, password changes and signing
//! out.

use anyhow::{Context, Result, ensure};
use board_tests::api::{ApiClient, admin};
use serde_json::json;

use super::PATIENCE;
use crate::support::{Backend, poll_until, server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_locks_out_after_repeated_failures_and_limits_each_address() -> Result<()> {
    // The lock lasts long enough to be seen however slow the machine; the test ends it
    // by ageing it in the database.
    let (db, mut server) = server(
        Backend::Sqlite,
        &[
            "--lockout-after",
            "3",
            "--lockout",
            "10m",
            "--login-attempts-per-minute",
            "10",
        ],
    )
    .await?;
    let sam = admin(&server, "Sam Jones").await?;
    let anonymous = ApiClient::anonymous(&server);
    let attempt = |password: &str| {
        let body = json!({"email": sam.email, "password": password});
        let anonymous = &anonymous;
        async move { anonymous.post("/api/session", body).await }
    };
    // An unknown account and a wrong password look the same.
    let unknown = anonymous
        .post(
            "/api/session",
            json!({"email": "nobody@example.org", "password": "whatever it is"}),
        )
        .await?;
    assert_eq!(unknown.status, 401);
    for _ in 0..3 {
        let wrong = attempt("not the password").await?;
        assert_eq!(
            (wrong.status, &wrong.body["error"]),
            (401, &json!("bad_credentials"))
        );
        assert_eq!(wrong.body, unknown.body);
    }
    // Locked: even the right password is refused for a while, in the words an unknown
    // email gets (so a lock does not tell that the account exists).
    let locked = attempt(&sam.password).await?;
    assert_eq!(
        (locked.status, &locked.body),
        (401, &unknown.body),
        "{}",
        locked.body
    );
    // Once the lock's time has passed, the right password works again.
    db.execute(&format!(
        "update users set locked_until = 1 where email = '{}'",
        sam.email
    ))
    .await?;
    let password = sam.password.as_str();
    let attempt = &attempt;
    let ok = poll_until("the lock to end", PATIENCE, move || async move {
        let answer = attempt(password).await?;
        ensure!(answer.status != 401, "still locked: {}", answer.body);
        Ok(answer)
    })
    .await?;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let cookie = ok.set_cookie.unwrap_or_default();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");

    // Ten attempts a minute from one address, whichever accounts they try.
    let mut limited = false;
    for i in 0..12 {
        let answer = anonymous
            .post(
                "/api/session",
                json!({"email": format!("guess{i}@example.org"), "password": "guessing away"}),
            )
            .await?;
        if answer.status == 429 {
            limited = true;
            break;
        }
    }
    assert!(limited, "login attempts were not rate-limited");

    // Administrators see the account activity: failures, the lockout, the sign-in. The
    // address may still be rate-limited: sign in as soon as it may try again.
    let admin_api = poll_until("the address to be allowed to sign in", PATIENCE, || {
        ApiClient::login(&server, &sam.email, &sam.password)
    })
    .await?;
    let activity = admin_api.get("/api/audit").await?.expect(200)?;
    let actions: Vec<&str> = activity
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    for action in [
        "login_failed",
        "login_refused_locked",
        "login",
        "administrator_created",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    server.assert_healthy();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_administrator_comes_from_a_one_time_link() -> Result<()> {
    let (_db, mut server) = server(
        Backend::Sqlite,
        &["--public-url", "https://board.example.org"],
    )
    .await?;
    let anonymous = ApiClient::anonymous(&server);
    assert_eq!(
        anonymous.get("/api/setup").await?.expect(200)?["needed"],
        true
    );
    let log = server.log_text();
    let code = log
        .split("setup#")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .context("the setup link is in the log")?
        .to_string();
    let body = |code: &str| json!({"code": code, "email": "first@example.org", "name": "First Admin", "password": "the very first password"});
    assert_eq!(
        anonymous
            .post("/api/setup", body("setup_wrong"))
            .await?
            .status,
        404
    );
    let created = anonymous.post("/api/setup", body(&code)).await?;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(created.body["is_admin"], true);
    // Served over https: the cookie is Secure.
    assert!(created.set_cookie.unwrap_or_default().contains("; Secure"));
    assert_eq!(
        anonymous.get("/api/setup").await?.expect(200)?["needed"],
        false
    );
    assert_eq!(
        ApiClient::anonymous(&server)
            .post("/api/setup", body(&code))
            .await?
            .status,
        404
    );
    // No default password anywhere: the only account is the one just made.
    let admin = ApiClient::login(&server, "first@example.org", "the very first password").await?;
    assert_eq!(
        admin.get("/api/me").await?.expect(200)?["user"]["name"],
        "First Admin"
    );
    server.assert_healthy();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_requests_sizes_passwords_and_sign_out() -> Result<()> {
    let (_db, mut server) = server(Backend::Sqlite, &[]).await?;
    let sam = admin(&server, "Sam Jones").await?;
    let own = format!("http://{}", server.addr);
    let create = json!({"title": "Child C"});

    // A page on another site cannot change anything with Sam's cookie.
    let evil = ApiClient::login(&server, &sam.email, &sam.password)
        .await?
        .from_origin("http://evil.example");
    let refused = evil.post("/api/reviews", create.clone()).await?;
    assert_eq!(
        (refused.status, &refused.body["error"]),
        (403, &json!("cross_site"))
    );
    assert_eq!(
        evil.get("/api/reviews").await?.status,
        200,
        "reading is not changing"
    );
    let same = ApiClient::login(&server, &sam.email, &sam.password)
        .await?
        .from_origin(&own);
    same.post("/api/reviews", create.clone())
        .await?
        .expect(201)?;
    let fetch_meta = sam
        .api
        .call(reqwest::Method::POST, "/api/reviews", Some(create.clone()))
        .await?;
    assert_eq!(fetch_meta.status, 201, "no Origin (a script): allowed");

    // Oversized bodies are refused.
    let huge = json!({"title": "x".repeat(100_000)});
    assert_eq!(sam.api.post("/api/reviews", huge).await?.status, 413);
    // API answers are never cached.
    let (status, _) = server.get("/api/setup").await?;
    assert_eq!(status, 200);

    // Changing the password ends other sessions; the old password stops working.
    let other_session = ApiClient::login(&server, &sam.email, &sam.password).await?;
    sam.api
        .put(
            "/api/me/password",
            json!({"current_password": sam.password, "new_password": "a brand new password"}),
        )
        .await?
        .expect(204)?;
    assert_eq!(other_session.get("/api/me").await?.status, 401);
    assert_eq!(
        sam.api.get("/api/me").await?.status,
        200,
        "this session stays"
    );
    assert!(
        ApiClient::login(&server, &sam.email, &sam.password)
            .await
            .is_err()
    );
    let renewed = ApiClient::login(&server, &sam.email, "a brand new password").await?;
    // Signing out ends the session for good.
    let cookie = renewed.cookie().unwrap_or_default();
    renewed.delete("/api/session").await?.expect(204)?;
    let status = reqwest::Client::new()
        .get(format!("http://{}/api/me", server.addr))
        .header("cookie", cookie)
        .send()
        .await?
        .status()
        .as_u16();
    assert_eq!(status, 401, "a signed-out session cookie is dead");
    server.assert_healthy();
    Ok(())
}

/// A page shown signed out asks who is signed in and is told "nobody" (200), not
/// refused: the browser logs no failed request. A token is not a browser session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_answers_who_is_signed_in_or_nobody() -> Result<()> {
    let (_db, mut server) = server(Backend::Sqlite, &[]).await?;
    let anonymous = ApiClient::anonymous(&server);
    let nobody = anonymous.get("/api/session").await?.expect(200)?;
    ensure!(nobody["user"].is_null(), "{nobody}");
    let sam = admin(&server, "Sam Jones").await?;
    let me = sam.api.get("/api/session").await?.expect(200)?;
    ensure!(me["user"]["name"] == "Sam Jones", "{me}");
    let token = ApiClient::with_token(&server, &server.access.token);
    let scripted = token.get("/api/session").await?.expect(200)?;
    ensure!(scripted["user"].is_null(), "{scripted}");
    sam.api.delete("/api/session").await?.expect(204)?;
    let after = sam.api.get("/api/session").await?.expect(200)?;
    ensure!(after["user"].is_null(), "signed out: {after}");
    server.assert_healthy();
    Ok(())
}
