//! Comparing and restoring: compare finds exactly the changes made, and a restore is a
//! forward change every client receives and the store keeps.

use std::time::Duration;

use anyhow::Result;
use board_server::board::Board;
use board_tests::board as b;
use serde_json::{Value, json};

use super::{board_of, build, built, lead, take_id};
use crate::support::{Backend, YClient, both_databases, eventually, server};

both_databases!(
    compare_finds_exactly_the_changes_made,
    restore_reaches_every_client_and_the_store,
);

async fn compare_finds_exactly_the_changes_made(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = built(&server).await?;
    client.wait("echoes", |s| s.updates >= 6).await?;
    let a = take_id(&server, "Before the follow-on meeting").await?;

    // The scripted changes.
    b::append_text(
        &client.doc,
        "episodes",
        "e1",
        "appraisal",
        " The case group agreed.",
    );
    b::set_field(&client.doc, "episodes", "e2", "status", "agreed");
    b::remove(&client.doc, "factors", "f1");
    b::remove(&client.doc, "links", "l1");
    b::set_field(&client.doc, "findings", "g1", "category", "management");
    b::add_episode(&client.doc, "e3", "a2", "Discharge planning", "");
    client.wait("echoes", |s| s.updates >= 12).await?;
    let bid = take_id(&server, "After the follow-on meeting").await?;

    let r = &server.access.review;
    let c = lead(&server)
        .get(&format!("/api/reviews/{r}/compare?from={a}&to={bid}"))
        .await?
        .expect(200)?;
    let ids = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["id"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(ids(&c["episodes"]["added"]), vec!["e3"]);
    assert_eq!(ids(&c["factors"]["removed"]), vec!["f1"]);
    assert_eq!(ids(&c["links"]["removed"]), vec!["l1"]);
    assert_eq!(
        c["links"]["removed"][0]["label"], "No shared record of visits → Health visit, March",
        "links are named by what they join"
    );
    assert_eq!(ids(&c["episodes"]["changed"]), vec!["e1", "e2"]);
    let e1 = &c["episodes"]["changed"][0]["fields"][0];
    assert_eq!(e1["field"], "appraisal");
    let added: String = e1["words"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|w| w["op"] == "added")
        .filter_map(|w| w["text"].as_str())
        .collect();
    assert_eq!(added.trim(), "The case group agreed.");
    assert_eq!(c["episodes"]["changed"][1]["fields"][0]["field"], "status");
    assert_eq!(c["reclassified"][0]["id"], "g1");
    assert_eq!(c["reclassified"][0]["before"], "human_tasks");
    assert_eq!(c["reclassified"][0]["after"], "management");
    assert_eq!(
        (
            c["added"].as_u64(),
            c["removed"].as_u64(),
            c["changed"].as_u64()
        ),
        (Some(1), Some(2), Some(3))
    );

    // The live board as JSON is B's board.
    let live_board = lead(&server)
        .get(&format!("/api/reviews/{r}/board"))
        .await?
        .expect(200)?;
    let b_board = lead(&server)
        .get(&format!("/api/reviews/{r}/snapshots/{bid}"))
        .await?
        .expect(200)?;
    assert_eq!(live_board, b_board["board"]);
    // The live board has not moved on since B.
    let live = lead(&server)
        .get(&format!("/api/reviews/{r}/compare?from={bid}&to=live"))
        .await?
        .expect(200)?;
    assert_eq!(
        (
            live["added"].as_u64(),
            live["removed"].as_u64(),
            live["changed"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );
    server.assert_healthy();
    Ok(())
}

async fn restore_reaches_every_client_and_the_store(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let ana = YClient::connect(&server.ws_url("board")).await?;
    let sam = YClient::connect(&server.ws_url("board")).await?;
    ana.synced().await?;
    sam.synced().await?;
    build(&ana);
    ana.wait("echoes", |s| s.updates >= 6).await?;
    let id = take_id(&server, "Agreed at analysis meeting 2").await?;
    let r = server.access.review.clone();
    let agreed = Board::from_update(&{
        reqwest::Client::new()
            .get(format!(
                "http://{}/api/reviews/{r}/snapshots/{id}/state",
                server.addr
            ))
            .bearer_auth(&server.access.token)
            .send()
            .await?
            .bytes()
            .await?
    })?;

    // Both change the board after the meeting.
    b::append_text(&ana.doc, "episodes", "e1", "appraisal", " Later doubts.");
    b::remove(&ana.doc, "findings", "g1");
    b::add_factor(&sam.doc, "f2", "a1", "Staff turnover");
    eventually(
        "both see each other's changes",
        Duration::from_secs(10),
        || {
            board_of(&ana).ok() == board_of(&sam).ok()
                && board_of(&ana)
                    .map(|b| b.factors.len() == 2 && b.findings.is_empty())
                    .unwrap_or(false)
        },
    )
    .await?;

    let restored = lead(&server)
        .post(
            &format!("/api/reviews/{r}/snapshots/{id}/restore"),
            json!({}),
        )
        .await?
        .expect(200)?;
    let changes = &restored["changes"];
    assert_eq!(
        changes["findings"]["added"][0]["id"], "g1",
        "the finding comes back"
    );
    assert_eq!(
        changes["recommendations"]["added"][0]["id"], "g1-r1",
        "with its recommendation"
    );
    assert_eq!(changes["factors"]["removed"][0]["id"], "f2");
    assert_eq!(changes["episodes"]["changed"][0]["id"], "e1");
    eventually(
        "both clients receive the restore",
        Duration::from_secs(10),
        || {
            board_of(&ana).ok().as_ref() == Some(&agreed)
                && board_of(&sam).ok().as_ref() == Some(&agreed)
        },
    )
    .await?;

    // The store holds it too, and the restore is in the audit trail.
    server.restart().await?;
    let fresh = YClient::connect(&server.ws_url("board")).await?;
    fresh.synced().await?;
    assert_eq!(board_of(&fresh)?, agreed);
    let audit = lead(&server)
        .get(&format!("/api/reviews/{r}/audit"))
        .await?
        .expect(200)?;
    let actions: Vec<&str> = audit
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        actions.contains(&"snapshot_restored") && actions.contains(&"snapshot_taken"),
        "{actions:?}"
    );
    // The restore's own edits are attributed to the lead and read as a restore.
    let history = lead(&server)
        .get(&format!("/api/reviews/{r}/history?entity=g1"))
        .await?
        .expect(200)?;
    assert_eq!(history[0]["detail"], "restored", "{history}");
    server.assert_healthy();
    Ok(())
}
