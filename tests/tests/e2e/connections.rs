//! Connection limits: one credential cannot hold more than its share of websockets.

use std::time::{Duration, Instant};

use anyhow::{Result, anyhow, bail};
use board_tests::{client::handshake_status, server::Access};

use crate::support::{YClient, both_databases, eventually, server};

both_databases!(one_credential_holds_at_most_its_websockets);

/// Tries the websocket handshake until it upgrades (10 s at most): a closed connection
/// gives its place back once the server has finished with it.
async fn upgrades_eventually(url: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let status = handshake_status(url, &[]).await?;
        if status == 101 {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("the handshake still answers {status}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn one_credential_holds_at_most_its_websockets(backend: board_tests::Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &["--max-websockets-per-credential", "3"]).await?;
    let url = server.ws_url("board");
    let mut held = Vec::new();
    for _ in 0..3 {
        let client = YClient::connect(&url).await?;
        client.synced().await?;
        held.push(client);
    }

    // The observer's attack: one more socket on the same token is refused before the
    // upgrade, and counted.
    assert_eq!(handshake_status(&url, &[]).await?, 429);
    assert_eq!(
        server
            .metric("board_connections_refused_total{reason=\"too_many\"}")
            .await?,
        1.0
    );

    // Another credential, even in the same review, has its own places.
    let other = Access {
        review: server.access.review.clone(),
        token: server.token_for("observer").await?,
    };
    let other_client = YClient::connect(&server.ws_url_as(&other, "board")).await?;
    other_client.synced().await?;

    // The ones still open keep working.
    held[0].push("text", "still here");
    let reader = &held[1];
    eventually("the edit", Duration::from_secs(10), || {
        reader.text("text") == "still here"
    })
    .await?;
    // Closing one gives its place back.
    held.pop()
        .ok_or_else(|| anyhow!("no client"))?
        .close()
        .await;
    upgrades_eventually(&url).await?;
    server.assert_healthy();
    Ok(())
}
