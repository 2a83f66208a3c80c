//! Bad input gets a clear close code, the room and its other clients carry on, and
//! nothing stored is corrupted.

use anyhow::Result;
use rand::{Rng, SeedableRng, rngs::StdRng};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use yrs::{Map, MapPrelim, Out, ReadTxn, StateVector, Text, Transact};

use crate::support::{Backend, RawClient, TestServer, YClient, both_databases, server};
use board_tests::client::update_message;

both_databases!(
    malformed_frames_close_with_1007,
    unknown_message_types_and_text_frames_close_with_1003,
    oversized_frames_close_with_1009,
    corrupt_and_hostile_updates_never_corrupt_the_store,
    floods_close_with_4529,
    bad_document_names_close_with_4400,
    updates_touching_too_many_fields_close_with_4413,
    updates_past_a_gap_in_clocks_are_set_aside_and_leave_nothing,
);

/// Sends `frame` on its own connection and returns the close code.
async fn close_code_for(server: &TestServer, frame: WsMessage) -> Result<u16> {
    let mut raw = RawClient::connect(&server.ws_url("board")).await?;
    raw.send(frame).await?;
    Ok(raw.closed().await?.0)
}

/// A client that keeps working on "board" while others misbehave; checks it still does.
struct Bystander {
    client: YClient,
}

impl Bystander {
    async fn join(server: &TestServer) -> Result<Self> {
        let client = YClient::connect(&server.ws_url("board")).await?;
        client.synced().await?;
        Ok(Self { client })
    }

    async fn still_works(&mut self) -> Result<()> {
        // Counted from what has arrived so far: other clients' updates arrive too.
        let want = self.client.seen().updates + 1;
        self.client.push("log", "ok;");
        self.client
            .wait("the bystander's own echo", |s| s.updates >= want)
            .await?;
        assert!(
            self.client.seen().closed.is_none(),
            "the bystander was closed"
        );
        Ok(())
    }
}

async fn malformed_frames_close_with_1007(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let mut bystander = Bystander::join(&server).await?;
    let cases: &[(&str, Vec<u8>)] = &[
        ("empty frame", vec![]),
        ("truncated update", vec![0, 2, 10, 1, 2]),
        ("unknown sync type", vec![0, 9, 0]),
        ("overlong varint", vec![0xff; 12]),
        ("truncated awareness", vec![1, 5, 1]),
        ("awareness that is not JSON", awareness_frame("{not json")),
        (
            "valid message then garbage",
            [update_message(&[0, 0]), vec![0, 2, 200]].concat(),
        ),
        (
            "update payload that is not an update",
            vec![0, 2, 3, 0xff, 0xff, 0xff],
        ),
    ];
    for (what, frame) in cases {
        let code = close_code_for(&server, WsMessage::Binary(frame.clone().into())).await?;
        assert_eq!(code, 1007, "{what}");
        bystander.still_works().await?;
    }
    server.assert_healthy();
    Ok(())
}

fn awareness_frame(json: &str) -> Vec<u8> {
    // [1, len, [1 entry, client 1, clock 1, json]]
    let mut inner = vec![1, 1, 1, json.len() as u8];
    inner.extend_from_slice(json.as_bytes());
    let mut frame = vec![1, inner.len() as u8];
    frame.extend(inner);
    frame
}

async fn unknown_message_types_and_text_frames_close_with_1003(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let mut bystander = Bystander::join(&server).await?;
    for frame in [vec![7, 0], vec![100], vec![0x80, 0x01]] {
        assert_eq!(
            close_code_for(&server, WsMessage::Binary(frame.into())).await?,
            1003
        );
        bystander.still_works().await?;
    }
    let code = close_code_for(&server, WsMessage::Text("hello".into())).await?;
    assert_eq!(code, 1003);
    bystander.still_works().await?;
    server.assert_healthy();
    Ok(())
}

async fn oversized_frames_close_with_1009(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &["--max-message-bytes", "65536"]).await?;
    let mut bystander = Bystander::join(&server).await?;
    // A real update just over the limit.
    let doc = yrs::Doc::new();
    let text = doc.get_or_insert_text("log");
    text.push(&mut doc.transact_mut(), &"x".repeat(70_000));
    let update = doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let code = close_code_for(&server, WsMessage::Binary(update_message(&update).into())).await?;
    assert_eq!(code, 1009);
    bystander.still_works().await?;
    // Nothing of the refused update was stored.
    assert!(!bystander.client.text("log").contains('x'));
    // A frame far over the limit, still being sent when the server refuses it, gets
    // the close code too, not a reset connection.
    let mut huge = RawClient::connect(&server.ws_url("board")).await?;
    let sent = huge.send_binary(vec![0u8; 8 << 20]).await;
    let closed = huge.closed().await;
    assert!(
        matches!(closed, Ok((1009, _))),
        "{closed:?} (sending: {sent:?})"
    );
    bystander.still_works().await?;
    server.assert_healthy();
    Ok(())
}

async fn corrupt_and_hostile_updates_never_corrupt_the_store(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let mut bystander = Bystander::join(&server).await?;
    let seed: u64 = std::env::var("SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    println!("hostile update seed: {seed} (replay with SEED={seed})");
    let mut rng = StdRng::seed_from_u64(seed);

    // Valid updates from another document, to mutate.
    let source = yrs::Doc::new();
    let text = source.get_or_insert_text("log");
    let mut valid = Vec::new();
    for i in 0..20 {
        let sv = source.transact().state_vector();
        text.insert(&mut source.transact_mut(), 0, &format!("hostile {i} "));
        valid.push(source.transact().encode_state_as_update_v1(&sv));
    }
    for round in 0..150 {
        let mut update = valid[rng.random_range(0..valid.len())].clone();
        match round % 3 {
            // Flip random bytes.
            0 => {
                for _ in 0..rng.random_range(1..4) {
                    let at = rng.random_range(0..update.len());
                    update[at] = rng.random();
                }
            }
            // Truncate.
            1 => update.truncate(rng.random_range(0..update.len())),
            // Pure noise.
            _ => update = (0..rng.random_range(1..64)).map(|_| rng.random()).collect(),
        }
        let mut raw = RawClient::connect(&server.ws_url("board")).await?;
        raw.send_binary(update_message(&update)).await?;
        // Either the update was acceptable, or the connection is closed with 1007.
        raw.send(WsMessage::Close(None)).await.ok();
        if let Ok((code, _)) = raw.closed().await {
            assert!(
                matches!(code, 1000 | 1005 | 1007),
                "round {round}: code {code}"
            );
        }
        if round % 25 == 0 {
            bystander.still_works().await?;
        }
    }
    bystander.still_works().await?;
    server.assert_healthy();

    // The stored document is readable and equals what the live room holds.
    let live = YClient::connect(&server.ws_url("board")).await?;
    live.synced().await?;
    let before = live.state();
    drop(live);
    server.restart().await?;
    let after = YClient::connect(&server.ws_url("board")).await?;
    after.synced().await?;
    assert_same_content(&before, &after.state());
    server.assert_healthy();
    Ok(())
}

/// Two encoded states hold the same content (encodings may order clients differently).
pub fn assert_same_content(a: &[u8], b: &[u8]) {
    use yrs::{Doc, Update, updates::decoder::Decode};
    let load = |bytes: &[u8]| {
        let doc = Doc::new();
        if let Ok(update) = Update::decode_v1(bytes) {
            let _ = doc.transact_mut().apply_update(update);
        }
        doc
    };
    let (a, b) = (load(a), load(b));
    let (ta, tb) = (a.transact(), b.transact());
    assert_eq!(ta.state_vector(), tb.state_vector(), "state vectors differ");
    assert_eq!(
        ta.encode_state_as_update_v1(&StateVector::default()).len(),
        tb.encode_state_as_update_v1(&StateVector::default()).len(),
        "encoded sizes differ"
    );
    let text = |doc: &Doc| {
        use yrs::GetString;
        doc.get_or_insert_text("log").get_string(&doc.transact())
    };
    drop((ta, tb));
    assert_eq!(text(&a), text(&b));
}

async fn floods_close_with_4529(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(
        backend,
        &["--max-messages-per-second", "50", "--message-burst", "100"],
    )
    .await?;
    let mut bystander = Bystander::join(&server).await?;
    let mut raw = RawClient::connect(&server.ws_url("board")).await?;
    for _ in 0..400 {
        if raw.send_binary(vec![3u8]).await.is_err() {
            break;
        }
    }
    assert_eq!(raw.closed().await?.0, 4529);
    bystander.still_works().await?;
    server.assert_healthy();
    Ok(())
}

async fn bad_document_names_close_with_4400(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    for name in ["a//b", "bad%20name", "a/%2E%2E/b", "caf%C3%A9"] {
        let url = format!(
            "ws://{}/sync/{name}?token={}",
            server.addr, server.access.token
        );
        let mut raw = RawClient::connect(&url).await?;
        assert_eq!(raw.closed().await?.0, 4400, "{name}");
    }
    // A plain GET (no upgrade) is refused, not served.
    let (status, _) = server.get("/sync/board").await?;
    assert!((400..500).contains(&status), "status {status}");
    server.assert_healthy();
    Ok(())
}

async fn updates_touching_too_many_fields_close_with_4413(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &["--max-update-changes", "1000"]).await?;
    let mut bystander = Bystander::join(&server).await?;
    let author = YClient::connect(&server.ws_url("board")).await?;
    author.synced().await?;
    let episodes = author.doc.get_or_insert_map("episodes");
    let row = episodes.insert(&mut author.doc.transact_mut(), "e1", MapPrelim::default());
    author.wait("the row's echo", |s| s.updates >= 1).await?;
    bystander.client.wait("the row", |s| s.updates >= 1).await?;

    // One update setting 1,500 fields of the row: over the limit of 1,000.
    {
        let mut txn = author.doc.transact_mut();
        for i in 0..1500 {
            row.insert(&mut txn, format!("field{i}"), i);
        }
    }
    assert_eq!(author.close_code().await?, 4413);
    let reason = author.seen().closed.map(|(_, r)| r).unwrap_or_default();
    assert!(
        reason.contains("1500") && reason.contains("1000"),
        "{reason}"
    );

    // The room carries on with what it had; nothing of the refused update was kept.
    bystander.still_works().await?;
    assert_eq!(fields_of_e1(&bystander.client), Some(0));
    server.restart().await?;
    let fresh = YClient::connect(&server.ws_url("board")).await?;
    fresh.synced().await?;
    assert_eq!(fields_of_e1(&fresh), Some(0));
    assert_eq!(fresh.text("log"), "ok;");
    server.assert_healthy();
    Ok(())
}

/// How many fields the episode `e1` has, if it exists.
/// The fields of row e1 besides the reference the room gives every episode.
fn fields_of_e1(client: &YClient) -> Option<u32> {
    let episodes = client.doc.get_or_insert_map("episodes");
    let txn = client.doc.transact();
    match episodes.get(&txn, "e1") {
        Some(Out::YMap(row)) => Some(row.keys(&txn).filter(|k| *k != "ref").count() as u32),
        _ => None,
    }
}

async fn updates_past_a_gap_in_clocks_are_set_aside_and_leave_nothing(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let mut bystander = Bystander::join(&server).await?;
    // A client's second edit without its first: its blocks start at clock 5. yrs would
    // show it behind a placeholder, yet it would be neither stored nor sent to anyone.
    let author = yrs::Doc::new();
    let log = author.get_or_insert_text("log");
    log.push(&mut author.transact_mut(), "first");
    let before = author.transact().state_vector();
    log.push(&mut author.transact_mut(), "hidden;");
    let second = author.transact().encode_state_as_update_v1(&before);
    let sender = YClient::connect(&server.ws_url("board")).await?;
    sender.synced().await?;
    sender.send_raw(update_message(&second));
    // The sender's next edit is handled after it: once its echo is back, it was seen.
    sender.push("other", "next");
    sender.wait("the echo", |s| s.updates >= 1).await?;
    server
        .wait_metric("board_updates_set_aside_total", |v| v >= 1.0)
        .await?;
    assert!(
        sender.seen().closed.is_none(),
        "a client's race, not an attack"
    );
    bystander
        .client
        .wait("the sender's next edit", |s| s.updates >= 1)
        .await?;
    bystander.still_works().await?;
    // A newcomer is sent exactly what is stored: nothing of it.
    let newcomer = YClient::connect(&server.ws_url("board")).await?;
    newcomer.synced().await?;
    assert_eq!(newcomer.text("log"), "ok;");
    server.restart().await?;
    let fresh = YClient::connect(&server.ws_url("board")).await?;
    fresh.synced().await?;
    assert_eq!(fresh.text("log"), "ok;");
    server.assert_healthy();
    Ok(())
}
