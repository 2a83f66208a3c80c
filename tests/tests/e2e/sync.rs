//! Edits, late joiners, offline edits, echo, multi-message frames, cold loads.

use std::time::Duration;

use anyhow::Result;

use crate::support::{Backend, YClient, both_databases, eventually, server};

both_databases!(
    edits_from_one_client_reach_the_others,
    a_late_joiner_gets_the_full_state,
    offline_edits_made_before_connecting_reach_the_server,
    a_large_update_arrives_whole,
);

async fn edits_from_one_client_reach_the_others(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let url = server.ws_url("board");
    let a = YClient::connect(&url).await?;
    let b = YClient::connect(&url).await?;
    let c = YClient::connect(&url).await?;
    for client in [&a, &b, &c] {
        client.synced().await?;
    }
    a.push("notes", "Referral from school, ");
    b.push("appraisal", "Strategy meeting not convened");
    eventually("both edits everywhere", Duration::from_secs(10), || {
        [&a, &b, &c].iter().all(|x| {
            x.text("notes") == "Referral from school, "
                && x.text("appraisal") == "Strategy meeting not convened"
        })
    })
    .await?;
    // The sender gets its own update back, as y-websocket clients expect.
    a.wait("echo of a's update", |s| s.updates >= 2).await?;
    server.assert_healthy();
    Ok(())
}

async fn a_late_joiner_gets_the_full_state(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let url = server.ws_url("board");
    let a = YClient::connect(&url).await?;
    a.synced().await?;
    for i in 0..50 {
        a.push("text", &format!("{i},"));
    }
    let expected = a.text("text");
    a.wait("all echoes", |s| s.updates >= 50).await?;
    let late = YClient::connect(&url).await?;
    late.synced().await?;
    assert_eq!(late.text("text"), expected);
    server.assert_healthy();
    Ok(())
}

async fn offline_edits_made_before_connecting_reach_the_server(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let url = server.ws_url("board");
    let online = YClient::connect(&url).await?;
    online.synced().await?;
    online.push("text", "online;");

    // A document edited while disconnected, then connected: the server's SyncStep1
    // makes the client send what the server lacks.
    let offline = yrs::Doc::new();
    {
        use yrs::{Text, Transact};
        let text = offline.get_or_insert_text("text");
        text.push(&mut offline.transact_mut(), "offline;");
    }
    let returning = YClient::connect_doc(&url, offline).await?;
    returning.synced().await?;
    returning
        .wait("server SyncStep1", |s| s.server_step1)
        .await?;
    eventually(
        "offline edit reaches the online client",
        Duration::from_secs(10),
        || online.text("text").contains("offline;") && returning.text("text").contains("online;"),
    )
    .await?;
    // And it was stored: a fresh client after a restart sees it.
    drop((online, returning));
    server.restart().await?;
    let fresh = YClient::connect(&url).await?;
    fresh.synced().await?;
    let text = fresh.text("text");
    assert!(
        text.contains("offline;") && text.contains("online;"),
        "{text}"
    );
    server.assert_healthy();
    Ok(())
}

/// Far larger than a connection's read buffer, well under the message limit: read in
/// many pieces, stored and delivered as one update.
async fn a_large_update_arrives_whole(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let url = server.ws_url("board");
    let a = YClient::connect(&url).await?;
    let b = YClient::connect(&url).await?;
    a.synced().await?;
    b.synced().await?;
    let chronology: String = (0..40_000).map(|i| format!("{i} ")).collect();
    assert!(chronology.len() > 200_000);
    a.push("chronology", &chronology);
    eventually(
        "the large update at the other client",
        Duration::from_secs(10),
        || b.text("chronology") == chronology,
    )
    .await?;
    drop((a, b));
    server.restart().await?;
    let late = YClient::connect(&server.ws_url("board")).await?;
    late.synced().await?;
    assert_eq!(late.text("chronology"), chronology);
    server.assert_healthy();
    Ok(())
}
