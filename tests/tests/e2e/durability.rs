//! Nothing acknowledged is lost: graceful restarts, `kill -9`, compaction, shutdown.

use std::{
    collections::BTreeSet,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use anyhow::Result;
use yrs::{Any, Map, Transact};

use crate::support::{Backend, YClient, both_databases, eventually, server};

both_databases!(
    state_survives_a_graceful_restart,
    updates_survive_a_server_kill,
    the_log_is_compacted_and_loads_the_same,
    shutdown_closes_connections_with_going_away,
);

async fn state_survives_a_graceful_restart(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let url = server.ws_url("board");
    let a = YClient::connect(&url).await?;
    a.synced().await?;
    for i in 0..20 {
        a.push("findings", &format!("finding {i}; "));
    }
    a.wait("echoes", |s| s.updates >= 20).await?;
    let before = a.text("findings");
    server.restart().await?;
    let b = YClient::connect(&url).await?;
    b.synced().await?;
    assert_eq!(b.text("findings"), before);
    server.assert_healthy();
    Ok(())
}

/// Keys of the map "keys" in `client`'s document.
fn keys(client: &YClient) -> BTreeSet<String> {
    let map = client.doc.get_or_insert_map("keys");
    let txn = client.doc.transact();
    map.keys(&txn).map(str::to_string).collect()
}

async fn updates_survive_a_server_kill(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let url = server.ws_url("board");
    let observer = YClient::connect(&url).await?;
    observer.synced().await?;
    let writer = YClient::connect(&url).await?;
    writer.synced().await?;

    // The writer keeps adding keys; the server is killed while it does.
    let stop = Arc::new(AtomicBool::new(false));
    let writing = {
        let stop = stop.clone();
        let map = writer.doc.get_or_insert_map("keys");
        let doc = writer.doc.clone();
        tokio::spawn(async move {
            let mut i = 0u32;
            while !stop.load(Ordering::Relaxed) {
                map.insert(
                    &mut doc.transact_mut(),
                    format!("k{i:05}"),
                    Any::from(i as f64),
                );
                i += 1;
                tokio::time::sleep(Duration::from_micros(300)).await;
            }
        })
    };
    eventually("some updates delivered", Duration::from_secs(10), || {
        keys(&observer).len() > 200
    })
    .await?;
    server.kill().await?;
    stop.store(true, Ordering::Relaxed);
    writing.await?;
    // Everything any client received before the kill.
    let received = keys(&observer);
    drop((observer, writer));

    server.start_again().await?;
    let fresh = YClient::connect(&url).await?;
    fresh.synced().await?;
    let stored = keys(&fresh);
    let lost: Vec<_> = received.difference(&stored).collect();
    assert!(
        lost.is_empty(),
        "{} received updates were lost: {lost:?}",
        lost.len()
    );
    server.assert_healthy();
    Ok(())
}

async fn the_log_is_compacted_and_loads_the_same(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &["--compact-after-updates", "40"]).await?;
    let url = server.ws_url("board");
    let a = YClient::connect(&url).await?;
    a.synced().await?;
    for i in 0..300u32 {
        a.insert("text", i * 7 % (i + 1), &format!("{i}."));
        if i % 3 == 0 {
            a.remove("text", i / 2, 2);
        }
    }
    // 300 inserts and 100 removals.
    a.wait("echoes", |s| s.updates >= 400).await?;
    server
        .wait_metric("board_compactions_total", |v| v >= 1.0)
        .await?;
    let expected = a.text("text");
    server.restart().await?;
    // The log was folded: what is stored is one merged state and a short tail.
    let document = format!("{}/board", server.access.review);
    let stored = db.open_store().await?.load(&document).await?;
    assert!(stored.state.is_some(), "a merged state is stored");
    assert!(
        stored.updates.len() < 40,
        "{} updates left in the log",
        stored.updates.len()
    );
    let b = YClient::connect(&url).await?;
    b.synced().await?;
    assert_eq!(b.text("text"), expected);
    server.assert_healthy();
    Ok(())
}

async fn shutdown_closes_connections_with_going_away(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    // Two boards: the test's review's and another review's.
    let other = server.another_review("lead_reviewer").await?;
    let a = YClient::connect(&server.ws_url("board")).await?;
    let b = YClient::connect(&server.ws_url_as(&other, "board")).await?;
    a.synced().await?;
    b.synced().await?;
    a.push("t", "last words");
    a.wait("echo", |s| s.updates >= 1).await?;
    let started = std::time::Instant::now();
    let status = server.stop().await?;
    assert!(status.success(), "exit status {status}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "shutdown is bounded"
    );
    assert_eq!(a.close_code().await?, 1001);
    assert_eq!(b.close_code().await?, 1001);
    Ok(())
}
