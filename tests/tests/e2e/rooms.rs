//! Room lifecycle and fan-out: slow clients, cold loads, idle rooms, batched frames.

use std::time::{Duration, Instant};

use anyhow::Result;
use futures_util::future::try_join_all;
use yrs::{Map, ReadTxn, StateVector, Text, Transact};

use crate::support::{Backend, RawClient, YClient, both_databases, eventually, server};
use board_tests::client::{empty_step1, update_message};

both_databases!(
    a_slow_client_is_closed_without_stalling_the_room,
    clients_joining_a_cold_document_together_load_it_once,
    idle_rooms_leave_memory_and_come_back_intact,
    several_messages_in_one_frame_are_all_handled,
);

async fn a_slow_client_is_closed_without_stalling_the_room(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(
        backend,
        &["--outbox-frames", "256", "--outbox-bytes", "4000000"],
    )
    .await?;
    let url = server.ws_url("board");
    // A client that joins and then never reads again.
    let mut stuck = RawClient::connect(&url).await?;
    stuck.send_binary(empty_step1()).await?;
    let stuck = stuck.into_inner();

    let reader = YClient::connect(&url).await?;
    let writer = YClient::connect(&url).await?;
    reader.synced().await?;
    writer.synced().await?;
    let chunk = "x".repeat(64 * 1024);
    let bulk = writer.doc.get_or_insert_map("bulk");
    let started = Instant::now();
    // 38 MB: more than the stuck peer's socket buffers and outbox can hold.
    for i in 0..600 {
        bulk.insert(
            &mut writer.doc.transact_mut(),
            i.to_string(),
            chunk.as_str(),
        );
    }
    // The healthy reader gets everything even though one peer never reads.
    let delivered = reader
        .wait("all 600 large updates at the healthy reader", |s| {
            s.updates >= 600
        })
        .await;
    if delivered.is_err() {
        let (r, w) = (reader.seen(), writer.seen());
        println!(
            "reader: {} updates, closed {:?}; writer: {} echoes, closed {:?}",
            r.updates, r.closed, w.updates, w.closed
        );
        println!(
            "{}",
            server
                .log_text()
                .lines()
                .filter(|l| !l.contains("DEBUG"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    delivered?;
    let elapsed = started.elapsed();
    assert_eq!(
        server
            .wait_metric("board_clients_closed_slow_total", |v| v >= 1.0)
            .await?,
        1.0
    );
    println!("600 x 64 KiB delivered in {elapsed:?} with a stuck peer");
    assert!(reader.seen().closed.is_none() && writer.seen().closed.is_none());

    // The slow client reconnects and resyncs everything.
    drop(stuck);
    let back = YClient::connect(&url).await?;
    back.synced().await?;
    let entries = back.doc.get_or_insert_map("bulk").len(&back.doc.transact());
    assert_eq!(entries, 600);
    server.assert_healthy();
    Ok(())
}

async fn clients_joining_a_cold_document_together_load_it_once(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let url = server.ws_url("board");
    let seed = YClient::connect(&url).await?;
    seed.synced().await?;
    seed.push("text", "stored before the restart");
    seed.wait("echo", |s| s.updates >= 1).await?;
    drop(seed);
    server.restart().await?;
    assert_eq!(server.metric("board_rooms_loaded_total").await?, 0.0);

    let clients = try_join_all((0..20).map(|_| YClient::connect(&url))).await?;
    for client in &clients {
        client.synced().await?;
        assert_eq!(client.text("text"), "stored before the restart");
    }
    assert_eq!(server.metric("board_rooms_loaded_total").await?, 1.0);
    assert_eq!(server.metric("board_rooms_open").await?, 1.0);
    server.assert_healthy();
    Ok(())
}

async fn idle_rooms_leave_memory_and_come_back_intact(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &["--room-idle", "300ms"]).await?;
    let url = server.ws_url("board");
    let a = YClient::connect(&url).await?;
    a.synced().await?;
    a.push("text", "kept");
    a.wait("echo", |s| s.updates >= 1).await?;
    assert_eq!(server.metric("board_rooms_open").await?, 1.0);
    a.close().await;
    server.wait_metric("board_rooms_open", |v| v == 0.0).await?;
    let b = YClient::connect(&url).await?;
    b.synced().await?;
    assert_eq!(b.text("text"), "kept");
    assert_eq!(server.metric("board_rooms_loaded_total").await?, 2.0);
    // A room with a connection stays, however long it is quiet.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(server.metric("board_rooms_open").await?, 1.0);
    server.assert_healthy();
    Ok(())
}

async fn several_messages_in_one_frame_are_all_handled(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let url = server.ws_url("board");
    let watcher = YClient::connect(&url).await?;
    watcher.synced().await?;

    let source = yrs::Doc::new();
    let text = source.get_or_insert_text("text");
    text.push(&mut source.transact_mut(), "one ");
    let first = source
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let sv = source.transact().state_vector();
    text.push(&mut source.transact_mut(), "two");
    let second = source.transact().encode_state_as_update_v1(&sv);

    // SyncStep1, two updates and an awareness query, back to back in one frame.
    let frame = [
        empty_step1(),
        update_message(&first),
        update_message(&second),
        vec![3],
    ]
    .concat();
    let sender = YClient::connect(&url).await?;
    sender.synced().await?;
    sender.send_raw(frame);
    eventually(
        "both updates at the watcher",
        Duration::from_secs(10),
        || watcher.text("text") == "one two",
    )
    .await?;
    sender.wait("echoes", |s| s.updates >= 2).await?;
    assert_eq!(sender.text("text"), "one two");
    server.assert_healthy();
    Ok(())
}
