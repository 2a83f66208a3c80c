//! Snapshots: consistent while people edit, immutable, compared exactly, restored as a
//! forward change everyone receives, and exported as a report with no real names.
//!
//! One module per theme: taking snapshots and keeping them as taken ([`taking`]),
//! comparing and restoring them ([`compare`]), the exported report ([`report`], read
//! back with [`word`]), and the names a report must not hold ([`names`]). The
//! helpers every theme shares are here.

use anyhow::Result;
use board_server::board::Board;
use board_tests::{api::ApiClient, board as b};
use serde_json::{Value, json};

use crate::support::{TestServer, YClient};

mod bin;
mod compare;
mod document;
mod names;
mod report;
mod taking;
mod word;

fn lead(server: &TestServer) -> ApiClient {
    ApiClient::with_token(server, &server.access.token)
}

async fn take(server: &TestServer, label: &str) -> Result<Value> {
    lead(server)
        .post(
            &format!("/api/reviews/{}/snapshots", server.access.review),
            json!({"label": label}),
        )
        .await?
        .expect(201)
}

/// Takes a snapshot labelled `label` as the test's lead; returns its id.
async fn take_id(server: &TestServer, label: &str) -> Result<String> {
    Ok(take(server, label).await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string())
}

fn board_of(client: &YClient) -> Result<Board> {
    client.board()
}

/// A board built by scripted edits: two episodes, a factor linked to one, a finding.
fn build(client: &YClient) {
    b::add_episode(
        &client.doc,
        "e1",
        "a0",
        "Health visit, March",
        "Thorough given the caseload.",
    );
    b::add_episode(
        &client.doc,
        "e2",
        "a1",
        "Strategy discussion",
        "Police were not invited.",
    );
    b::add_factor(&client.doc, "f1", "a0", "No shared record of visits");
    b::add_link(&client.doc, "l1", "f1", "e1", "contributed_to");
    b::add_finding(
        &client.doc,
        "g1",
        "a0",
        "Agencies rely on memory of past concerns",
        "human_tasks",
    );
    b::add_link(&client.doc, "l2", "e1", "g1", "evidence_for");
}

/// A client on the test review's board, synced, that has made the [`build`] edits.
async fn built(server: &TestServer) -> Result<YClient> {
    let client = YClient::connect(&server.ws_url("board")).await?;
    client.synced().await?;
    build(&client);
    Ok(client)
}

/// A client on the test review's board that has made the [`build`] edits and agreed
/// the episodes and the finding, as a board is when its report is exported (a report
/// holds agreed work unless a lead includes the rest): nine updates in all.
async fn built_agreed(server: &TestServer) -> Result<YClient> {
    let client = built(server).await?;
    for (root, id) in [("episodes", "e1"), ("episodes", "e2"), ("findings", "g1")] {
        b::set_field(&client.doc, root, id, "status", "agreed");
    }
    Ok(client)
}

/// An export: the status, the content type and the body.
async fn export(
    server: &TestServer,
    token: &str,
    snapshot: &str,
    query: &str,
) -> Result<(u16, String, Vec<u8>)> {
    let response = reqwest::Client::new()
        .get(format!(
            "http://{}/api/reviews/{}/snapshots/{snapshot}/export?{query}",
            server.addr, server.access.review
        ))
        .bearer_auth(token)
        .send()
        .await?;
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    Ok((status, kind, response.bytes().await?.to_vec()))
}

async fn register(server: &TestServer, term: &str, pseudonym: &str) -> Result<()> {
    lead(server)
        .post(
            &format!("/api/reviews/{}/register", server.access.review),
            json!({"term": term, "pseudonym": pseudonym}),
        )
        .await?
        .expect(201)?;
    Ok(())
}

async fn check(server: &TestServer, snapshot: &str) -> Result<Value> {
    lead(server)
        .get(&format!(
            "/api/reviews/{}/snapshots/{snapshot}/check",
            server.access.review
        ))
        .await?
        .expect(200)
}

async fn audit_of(server: &TestServer) -> Result<Value> {
    lead(server)
        .get(&format!("/api/reviews/{}/audit", server.access.review))
        .await?
        .expect(200)
}
