//! Operations: health, readiness, metrics, logs, configuration from the environment,
//! keep-alive.

use std::{process::Stdio, time::Duration};

use anyhow::{Context, Result};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::support::{Backend, RawClient, TestDb, TestServer, YClient, server};
use board_tests::server::{board_binary, http_get, http_get_with_headers};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_and_metrics_are_served() -> Result<()> {
    let (_db, mut server) = server(Backend::Sqlite, &[]).await?;
    assert_eq!(server.get("/healthz").await?, (200, "ok\n".to_string()));
    assert_eq!(server.get("/readyz").await?.0, 200);
    let client = YClient::connect(&server.ws_url("board")).await?;
    client.synced().await?;
    client.push("t", "x");
    client.wait("echo", |s| s.updates >= 1).await?;
    let metrics = server.metrics_page().await?;
    for name in [
        "board_rooms_open 1",
        "board_connections 1",
        "board_updates_applied_total 1",
        "board_received_bytes_total",
        "board_sent_bytes_total",
        "board_store_append_seconds_bucket",
        "board_update_delay_seconds_count 1",
        "board_compactions_total",
        "board_clients_closed_slow_total",
    ] {
        assert!(metrics.contains(name), "{name} missing from:\n{metrics}");
    }
    assert_eq!(server.get("/no-such-page").await?.0, 404);
    server.assert_healthy();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configuration_comes_from_the_environment_and_logs_can_be_json() -> Result<()> {
    let db = TestDb::new(Backend::Sqlite).await?;
    let mut child = tokio::process::Command::new(board_binary())
        .arg("serve")
        .env("BOARD_LISTEN", "127.0.0.1:0")
        .env("DATABASE_URL", &db.url)
        .env("BOARD_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut stdout = BufReader::new(child.stdout.take().context("stdout")?).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), stdout.next_line())
        .await??
        .context("no output")?;
    let addr = line
        .strip_prefix("listening on http://")
        .with_context(|| format!("unexpected first line {line:?}"))?;
    assert_eq!(http_get(addr.parse()?, "/readyz").await?.0, 200);
    // No metrics token configured: the metrics are not served at all.
    assert_eq!(http_get(addr.parse()?, "/metrics").await?.0, 404);
    child.start_kill()?;
    let output = child.wait_with_output().await?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr.lines().next().context("no log line")?;
    let entry: serde_json::Value =
        serde_json::from_str(first).with_context(|| format!("not JSON: {first}"))?;
    assert!(
        entry["level"].is_string() && entry["timestamp"].is_string(),
        "{entry}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unusable_database_url_is_a_clear_startup_error() -> Result<()> {
    let output = tokio::process::Command::new(board_binary())
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            "mysql://nope/x",
        ])
        .output()
        .await?;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unsupported database URL"), "{stderr}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_answering_pings_is_closed() -> Result<()> {
    let (_db, mut server) = server(Backend::Sqlite, &["--ping-interval", "200ms"]).await?;
    // Never read: pings go unanswered.
    let silent = RawClient::connect(&server.ws_url("board"))
        .await?
        .into_inner();
    // A live client (it reads, so its library answers pings) stays.
    let live = YClient::connect(&server.ws_url("board")).await?;
    live.synced().await?;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let closed = server
            .metric(r#"board_connections_closed_total{reason="timed_out"}"#)
            .await
            .unwrap_or(0.0);
        if closed >= 1.0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the silent client was not closed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(live.seen().closed.is_none(), "the live client was closed");
    drop(silent);
    server.assert_healthy();
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_app_is_served_with_security_headers() -> Result<()> {
    let db = TestDb::new(Backend::Sqlite).await?;
    let web = db.dir().join("dist");
    std::fs::create_dir_all(web.join("assets"))?;
    std::fs::write(
        web.join("index.html"),
        "<!doctype html><title>board app</title>",
    )?;
    std::fs::write(web.join("assets/app.js"), "console.log('app')")?;
    let static_dir = web.display().to_string();
    let mut server = TestServer::start_with(&db, &["--static-dir", &static_dir]).await?;

    let (status, headers, body) = http_get_with_headers(server.addr, "/").await?;
    assert_eq!(status, 200);
    assert!(body.contains("board app"));
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert!(header("content-security-policy").contains("default-src 'self'"));
    assert!(header("content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("x-frame-options"), "DENY");
    assert_eq!(header("referrer-policy"), "no-referrer");

    // The app's own routes fall back to index.html; assets are served as files.
    let (status, body) = server.get("/b/review-12").await?;
    assert_eq!((status, body.contains("board app")), (200, true));
    let (status, body) = server.get("/assets/app.js").await?;
    assert_eq!((status, body.as_str()), (200, "console.log('app')"));
    // Endpoints still answer as themselves, with the same headers.
    let (status, headers, _) = http_get_with_headers(server.addr, "/healthz").await?;
    assert_eq!(status, 200);
    assert!(headers.iter().any(|(n, _)| n == "content-security-policy"));
    server.assert_healthy();
    Ok(())
}
