//! Presence (awareness): relayed, answered on query, removed when a client vanishes,
//! expired when stale.

use std::collections::HashMap;

use anyhow::Result;
use serde_json::{Value, json};
use yrs::{
    ClientID,
    sync::{AwarenessUpdate, Message, awareness::AwarenessUpdateEntry},
    updates::encoder::Encode,
};

use crate::support::{Backend, YClient, both_databases, server};

both_databases!(
    presence_reaches_others_and_newcomers,
    presence_disappears_when_a_client_drops_without_goodbye,
    stale_presence_expires,
    presence_cannot_be_forged,
);

async fn presence_reaches_others_and_newcomers(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let url = server.ws_url("board");
    let sam = YClient::connect(&url).await?;
    let ana = YClient::connect(&url).await?;
    sam.synced().await?;
    ana.synced().await?;
    sam.set_presence(Some(&json!({"name": "Sam", "agency": "Health visiting"})));
    let id = sam.client_id();
    ana.wait("Sam's presence", |s| s.presence.contains_key(&id))
        .await?;
    assert!(ana.seen().presence[&id].1.contains("Health visiting"));

    // A newcomer is sent everyone present when it joins...
    let late = YClient::connect(&url).await?;
    late.wait("presence on join", |s| s.presence.contains_key(&id))
        .await?;
    // ...and an awareness query is answered with every state.
    let quiet = YClient::connect(&url).await?;
    quiet.synced().await?;
    quiet.query_presence();
    quiet
        .wait("presence on query", |s| s.presence.contains_key(&id))
        .await?;

    // A polite goodbye (state null) removes the entry for everyone.
    sam.set_presence(None);
    ana.wait("Sam gone", |s| !s.presence.contains_key(&id))
        .await?;
    server.assert_healthy();
    Ok(())
}

async fn presence_disappears_when_a_client_drops_without_goodbye(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let url = server.ws_url("board");
    let watcher = YClient::connect(&url).await?;
    let leaver = YClient::connect(&url).await?;
    watcher.synced().await?;
    leaver.synced().await?;
    leaver.set_presence(Some(&json!({"name": "Jo"})));
    let id = leaver.client_id();
    watcher
        .wait("Jo present", |s| s.presence.contains_key(&id))
        .await?;
    leaver.vanish();
    watcher
        .wait("Jo removed after the connection dropped", |s| {
            !s.presence.contains_key(&id)
        })
        .await?;
    server.assert_healthy();
    Ok(())
}

async fn stale_presence_expires(backend: Backend) -> Result<()> {
    // A client whose connection stays open but that stops refreshing its presence (a
    // frozen tab) is removed after the presence timeout (30 s by default; 1 s here).
    let (_db, mut server) = server(backend, &["--presence-timeout", "1s"]).await?;
    let url = server.ws_url("board");
    let watcher = YClient::connect(&url).await?;
    let frozen = YClient::connect(&url).await?;
    watcher.synced().await?;
    frozen.set_presence(Some(&json!({"name": "Frozen"})));
    let id = frozen.client_id();
    watcher
        .wait("present", |s| s.presence.contains_key(&id))
        .await?;
    let present_at = std::time::Instant::now();
    watcher
        .wait("expired", |s| !s.presence.contains_key(&id))
        .await?;
    assert!(present_at.elapsed() >= std::time::Duration::from_millis(900));
    assert!(
        !frozen.seen().ended,
        "the frozen client's connection stays open"
    );
    server.assert_healthy();
    Ok(())
}

async fn presence_cannot_be_forged(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let url = server.ws_url("board");
    let watcher = YClient::connect(&url).await?;
    let ana = YClient::connect(&url).await?;
    let mallory = YClient::connect(&url).await?;
    for client in [&watcher, &ana, &mallory] {
        client.synced().await?;
    }
    // Ana claims to be somebody else; the server names her connection's identity (the
    // lead's token, labelled with its role) and keeps the rest of her state.
    ana.set_presence(Some(&json!({
        "user": {"name": "Alex Lead", "agency": "Police", "colour": "#0072B2"},
        "focus": null,
    })));
    let id = ana.client_id();
    watcher
        .wait("Ana present", |s| s.presence.contains_key(&id))
        .await?;
    let user = |client: &YClient, id: u64| -> Value {
        let (_, json) = client.seen().presence[&id].clone();
        serde_json::from_str::<Value>(&json).unwrap_or_default()["user"].clone()
    };
    assert_eq!(user(&watcher, id)["name"], "lead_reviewer");
    assert_eq!(user(&watcher, id)["colour"], "#0072B2");

    // Mallory tries to take over Ana's entry, then to clear it.
    for (clock, state) in [(5, r#"{"user":{"name":"Mallory was here"}}"#), (6, "null")] {
        let forged = AwarenessUpdate {
            clients: HashMap::from([(
                ClientID::new(id),
                AwarenessUpdateEntry {
                    clock,
                    json: state.into(),
                },
            )]),
        };
        mallory.send_raw(Message::Awareness(forged).encode_v1());
    }
    // Her own entry is handled after the forged ones: once it arrives, they were refused.
    mallory.set_presence(Some(&json!({"user": {"name": "Mallory"}})));
    let own = mallory.client_id();
    watcher
        .wait("Mallory's own entry", |s| s.presence.contains_key(&own))
        .await?;
    assert_eq!(watcher.seen().presence[&id].0, 1, "Ana's entry untouched");
    assert_eq!(user(&watcher, id)["name"], "lead_reviewer");
    server.assert_healthy();
    Ok(())
}
