//! The stock JavaScript client (`y-websocket`'s `WebsocketProvider`, yjs 13, in Node)
//! and a `yrs` client edit one board together through the server.

use std::{process::Stdio, time::Duration};

use anyhow::{Context, Result, bail};
use serde_json::Value;
use tokio::process::Command;

use crate::support::{Backend, YClient, both_databases, eventually, server};

both_databases!(the_stock_javascript_client_and_a_yrs_client_edit_one_board);

async fn the_stock_javascript_client_and_a_yrs_client_edit_one_board(
    backend: Backend,
) -> Result<()> {
    let interop = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("interop");
    if !interop.join("node_modules/y-websocket").is_dir() {
        bail!(
            "the JavaScript client is not installed: run `npm ci` in {} (scripts/test does)",
            interop.display()
        );
    }
    let (_db, mut server) = server(backend, &[]).await?;
    let room = format!("{}/board", server.access.review);
    let room = room.as_str();
    let rust = YClient::connect(&server.ws_url("board")).await?;
    rust.synced().await?;
    rust.set_presence(Some(&serde_json::json!({"name": "rust-client"})));
    rust.push("text", "before-js;");

    let js = Command::new("node")
        .arg(interop.join("client.mjs"))
        .arg(format!("ws://{}/sync", server.addr))
        .arg(room)
        .arg(&server.access.token)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("cannot run node")?;

    // The JavaScript client's edit and presence reach the Rust client...
    eventually("the JavaScript edit", Duration::from_secs(20), || {
        rust.text("text").contains("from-js;")
    })
    .await?;
    rust.wait("the JavaScript client's presence", |s| {
        s.presence
            .values()
            .any(|(_, json)| json.contains("js-client"))
    })
    .await?;
    // ...and the Rust client's reply reaches it.
    rust.push("text", "from-rust;");
    let output = tokio::time::timeout(Duration::from_secs(25), js.wait_with_output())
        .await
        .context("the JavaScript client did not finish")??;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "JavaScript client failed: {stderr}"
    );
    let seen: Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("bad output {:?}", String::from_utf8_lossy(&output.stdout)))?;

    // Both ends hold the same document.
    eventually("the Rust side settles", Duration::from_secs(5), || {
        rust.text("text").contains("from-rust;")
    })
    .await?;
    assert_eq!(seen["text"].as_str(), Some(rust.text("text").as_str()));
    assert_eq!(seen["meta"]["js"], Value::Bool(true));
    for part in ["before-js;", "from-js;", "from-rust;"] {
        assert!(rust.text("text").contains(part), "{part} missing");
    }
    let names: Vec<&str> = seen["presence"]
        .as_array()
        .map(|states| states.iter().filter_map(|s| s["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        names.contains(&"rust-client"),
        "JavaScript client saw presence {names:?}"
    );

    // And it was stored: a fresh client after a restart gets the same text.
    let expected = rust.text("text");
    drop(rust);
    server.restart().await?;
    let fresh = YClient::connect(&server.ws_url("board")).await?;
    fresh.synced().await?;
    assert_eq!(fresh.text("text"), expected);
    server.assert_healthy();
    Ok(())
}
