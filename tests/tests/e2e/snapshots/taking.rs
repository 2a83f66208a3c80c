//! Taking snapshots: consistent while people edit, and immutable once taken.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use anyhow::{Result, anyhow};
use serde_json::json;
use sha2::{Digest, Sha256};
use yrs::{ReadTxn, Transact, updates::decoder::Decode};

use super::{built, lead, take, take_id};
use crate::support::{Backend, YClient, both_databases, eventually, server};

both_databases!(
    a_snapshot_taken_while_clients_edit_is_consistent,
    snapshots_are_immutable,
);

async fn a_snapshot_taken_while_clients_edit_is_consistent(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let writers: Vec<YClient> = vec![
        YClient::connect(&server.ws_url("board")).await?,
        YClient::connect(&server.ws_url("board")).await?,
    ];
    for w in &writers {
        w.synced().await?;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for (n, w) in writers.iter().enumerate() {
        let stop = stop.clone();
        let doc = w.doc.clone();
        tasks.push(tokio::spawn(async move {
            let text = doc.get_or_insert_text(format!("writer{n}"));
            let mut i = 0u32;
            while !stop.load(Ordering::Relaxed) {
                use yrs::Text;
                let mut txn = doc.transact_mut();
                let len = text.len(&txn);
                text.insert(&mut txn, len, &format!("{i};"));
                drop(txn);
                i += 1;
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }));
    }
    // Edits that have reached the server: each writer's text as the other writer has
    // received it (the server sends an edit on only once it has it).
    let on_server = |n: usize| {
        writers[1 - n]
            .text(&format!("writer{n}"))
            .split(';')
            .filter(|p| !p.is_empty())
            .count()
    };
    eventually(
        "both writers well under way",
        Duration::from_secs(30),
        || on_server(0) > 10 && on_server(1) > 10,
    )
    .await?;
    let mut states = Vec::new();
    for i in 0..3 {
        let before = [on_server(0), on_server(1)];
        let taken = take(&server, &format!("during edits {i}")).await?;
        let id = taken["id"].as_str().unwrap_or_default().to_string();
        let state = reqwest::Client::new()
            .get(format!(
                "http://{}/api/reviews/{}/snapshots/{id}/state",
                server.addr, server.access.review
            ))
            .bearer_auth(&server.access.token)
            .send()
            .await?
            .bytes()
            .await?;
        assert_eq!(
            taken["content_hash"].as_str().unwrap_or_default(),
            Sha256::digest(&state)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
            "the hash is the state's"
        );
        states.push(state.to_vec());
        // The next snapshot comes after more edits from both writers.
        eventually(
            "more edits from both writers",
            Duration::from_secs(30),
            || on_server(0) > before[0] && on_server(1) > before[1],
        )
        .await?;
    }
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await?;
    }
    // Each snapshot holds, for each writer, an unbroken run 0;1;2;...;k; (everything up
    // to some edit, nothing after a gap), and later snapshots extend earlier ones.
    let mut previous = vec![0usize; 2];
    for state in &states {
        let doc = yrs::Doc::new();
        doc.transact_mut()
            .apply_update(yrs::Update::decode_v1(state)?)?;
        for (n, prev) in previous.iter_mut().enumerate() {
            let text = {
                use yrs::GetString;
                let t = doc.get_or_insert_text(format!("writer{n}"));
                t.get_string(&doc.transact())
            };
            let parts: Vec<&str> = text.split(';').filter(|p| !p.is_empty()).collect();
            for (i, part) in parts.iter().enumerate() {
                assert_eq!(*part, i.to_string(), "writer {n}: a gap in {text}");
            }
            assert!(parts.len() >= *prev, "a later snapshot lost edits");
            *prev = parts.len();
        }
        // Nothing half-applied: the state's own state vector covers what it holds.
        assert!(doc.transact().store().pending_update().is_none());
    }
    assert!(
        previous.iter().all(|n| *n > 10),
        "edits happened: {previous:?}"
    );
    server.assert_healthy();
    Ok(())
}

async fn snapshots_are_immutable(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let client = built(&server).await?;
    client.wait("echoes", |s| s.updates >= 6).await?;
    let id = take_id(&server, "Analysis meeting 1").await?;
    // No route changes a snapshot.
    let path = format!("/api/reviews/{}/snapshots/{id}", server.access.review);
    for method in [
        reqwest::Method::PUT,
        reqwest::Method::PATCH,
        reqwest::Method::DELETE,
    ] {
        let answer = lead(&server)
            .call(method.clone(), &path, Some(json!({"label": "x"})))
            .await?;
        assert_eq!(answer.status, 405, "{method} {path}");
    }
    server.stop().await?;
    for sql in [
        "update snapshots set label = 'changed'",
        "delete from snapshots",
    ] {
        let refused = db.execute(sql).await.err();
        let err = refused.ok_or_else(|| anyhow!("{sql} was allowed"))?;
        assert!(err.to_string().contains("immutable"), "{err}");
    }
    server.start_again().await?;
    let read = lead(&server).get(&path).await?.expect(200)?;
    assert_eq!(read["snapshot"]["label"], "Analysis meeting 1");
    assert_eq!(read["board"]["episodes"].as_array().map(Vec::len), Some(2));
    server.assert_healthy();
    Ok(())
}
