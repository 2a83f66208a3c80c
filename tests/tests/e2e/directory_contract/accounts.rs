//! Accounts, password checks and sessions.

use super::*;

both_databases!(
    accounts_are_created_once_per_email,
    password_checks_lock_an_account_after_repeated_failures,
    sessions_open_expire_and_end,
);

async fn accounts_are_created_once_per_email(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    assert_eq!(dir.count_users().await?, 0);
    let ana = dir
        .create_user(&new_user("  Ana@Example.ORG ", "Ana"), |u| {
            event("", &format!("account_created {}", u.email))
        })
        .await?
        .context("a new email")?;
    assert_eq!(ana.email, "ana@example.org");
    assert_eq!((ana.name.as_str(), ana.is_admin), ("Ana", false));

    // The same address in another case is taken: nothing is created or recorded.
    let again = dir
        .create_user(&new_user("ana@example.org", "Other"), |_| {
            event("", "account_created twice")
        })
        .await?;
    assert_eq!(again, None);
    assert_eq!(dir.count_users().await?, 1);
    assert_eq!(
        actions(&dir, "").await?,
        ["account_created ana@example.org"]
    );

    let record = dir
        .login_record(" ANA@example.org")
        .await?
        .context("found by any case")?;
    assert_eq!(record.user, ana);
    assert_eq!(record.password_hash, "hash-of-Ana");
    assert_eq!((record.failed_logins, record.locked_until), (0, 0));
    assert!(dir.login_record("nobody@example.org").await?.is_none());
    Ok(())
}

async fn password_checks_lock_an_account_after_repeated_failures(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let ana = user(&dir, "ana@example.org", "Ana").await?;
    let now = 1_000_000;
    let until = now + 60_000;
    for expected in 1..=3 {
        let counted = dir
            .reserve_password_check("Ana@example.org", 3, until, now)
            .await?;
        assert_eq!(counted, Some(expected));
    }
    // The third failure locked the account: no check while it is locked.
    assert_eq!(
        dir.reserve_password_check("ana@example.org", 3, until, now + 1)
            .await?,
        None
    );
    let record = dir.login_record("ana@example.org").await?.context("ana")?;
    assert_eq!((record.failed_logins, record.locked_until), (3, until));
    // Once the lock has passed, a check is allowed again (and counted).
    assert_eq!(
        dir.reserve_password_check("ana@example.org", 3, until + 60_000, until)
            .await?,
        Some(4)
    );
    // A passed check clears the count and the lock.
    dir.login_succeeded(&ana.id).await?;
    let record = dir.login_record("ana@example.org").await?.context("ana")?;
    assert_eq!((record.failed_logins, record.locked_until), (0, 0));
    assert_eq!(
        dir.reserve_password_check("ana@example.org", 3, until, now)
            .await?,
        Some(1)
    );
    // An unknown account has nothing to check.
    assert_eq!(
        dir.reserve_password_check("nobody@example.org", 3, until, now)
            .await?,
        None
    );
    Ok(())
}

async fn sessions_open_expire_and_end(backend: Backend) -> Result<()> {
    let db = fixture(backend).await?;
    let dir = db.dir.clone();
    let ana = user(&dir, "ana@example.org", "Ana").await?;
    let later = now_ms() + HOUR_MS;

    dir.create_session("first", &ana.id, later).await?;
    assert_eq!(dir.session_user("first").await?, Some(ana.clone()));
    dir.create_session("expired", &ana.id, now_ms() - 1_000)
        .await?;
    assert_eq!(dir.session_user("expired").await?, None);
    assert_eq!(dir.session_user("unknown").await?, None);

    // Signing in clears counted failures and opens a session, with its audit row.
    dir.reserve_password_check(&ana.email, 5, 0, now_ms())
        .await?;
    dir.sign_in(&ana.id, "second", later, &event("", "login"))
        .await?;
    assert_eq!(dir.session_user("second").await?, Some(ana.clone()));
    let record = dir.login_record(&ana.email).await?.context("ana")?;
    assert_eq!(record.failed_logins, 0);

    // A new password ends every other session.
    dir.set_password(
        &ana.id,
        "new-hash",
        Some("second"),
        &event("", "password_changed"),
    )
    .await?;
    let record = dir.login_record(&ana.email).await?.context("ana")?;
    assert_eq!(record.password_hash, "new-hash");
    assert_eq!(dir.session_user("first").await?, None);
    assert_eq!(dir.session_user("second").await?, Some(ana.clone()));

    dir.delete_session("second", &event("", "logout")).await?;
    assert_eq!(dir.session_user("second").await?, None);
    assert_eq!(
        actions(&dir, "").await?,
        ["account_created", "login", "password_changed", "logout"]
    );
    Ok(())
}
