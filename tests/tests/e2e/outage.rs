//! A database that goes away: clients are told (1011), nothing unconfirmed is
//! broadcast, readiness fails, and once the database is back nothing is lost.

use std::time::Duration;

use anyhow::{Context, Result, ensure};
use sqlx::{AssertSqlSafe, Connection, Executor, PgConnection};

use crate::support::{Backend, YClient, eventually, poll_until, server};
use board_tests::server::postgres_admin_url;

async fn admin(sql: String) -> Result<()> {
    let mut conn = PgConnection::connect(&postgres_admin_url()).await?;
    conn.execute(AssertSqlSafe(sql)).await?;
    conn.close().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_loses_nothing() -> Result<()> {
    let (db, mut server) = server(Backend::Postgres, &[]).await?;
    let name = db
        .postgres_name()
        .context("a postgres database")?
        .to_string();
    let url = server.ws_url("board");
    let a = YClient::connect(&url).await?;
    let b = YClient::connect(&url).await?;
    a.synced().await?;
    b.synced().await?;
    a.push("text", "before;");
    b.wait("before", |s| s.updates >= 1).await?;

    // Take the database away: refuse new connections and cut the server's.
    admin(format!("alter database {name} allow_connections false")).await?;
    admin(format!(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = '{name}'"
    ))
    .await?;

    a.push("text", "during;");
    eventually(
        "both clients told the store is unavailable",
        Duration::from_secs(30),
        || a.seen().closed.is_some() && b.seen().closed.is_some(),
    )
    .await?;
    assert_eq!(a.seen().closed.map(|c| c.0), Some(1011));
    assert_eq!(b.seen().closed.map(|c| c.0), Some(1011));
    assert!(
        !b.text("text").contains("during;"),
        "an unstored update was broadcast"
    );
    let (status, _) = server.get("/readyz").await?;
    assert_eq!(status, 503);
    let (status, _) = server.get("/healthz").await?;
    assert_eq!(status, 200);

    // Bring it back. The author reconnects with its document and resends its edit.
    admin(format!("alter database {name} allow_connections true")).await?;
    let ready = poll_until("readiness", Duration::from_secs(60), || async {
        let (status, _) = server.get("/readyz").await?;
        ensure!(status == 200, "/readyz answered {status}");
        Ok(())
    })
    .await
    .is_ok();
    assert!(ready, "readiness recovers");
    let a_doc = a.doc.clone();
    drop(a);
    let a = YClient::connect_doc(&url, a_doc).await?;
    a.synced().await?;
    let c = YClient::connect(&url).await?;
    eventually(
        "the edit made during the outage",
        Duration::from_secs(10),
        || c.text("text") == "before;during;",
    )
    .await?;
    drop((a, b, c));
    server.restart().await?;
    let fresh = YClient::connect(&url).await?;
    fresh.synced().await?;
    assert_eq!(fresh.text("text"), "before;during;");
    server.assert_healthy();
    Ok(())
}
