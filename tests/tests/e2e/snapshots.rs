//! Snapshots: consistent while people edit, immutable, compared exactly, restored as a
//! forward change everyone receives, and exported as a report with no real names.

use std::{
    io::Read,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use anyhow::{Context, Result, anyhow};
use board_server::board::Board;
use board_tests::{api::ApiClient, board as b};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use yrs::{ReadTxn, StateVector, Transact};

use crate::support::{Backend, TestServer, YClient, both_databases, eventually, server};

both_databases!(
    a_snapshot_taken_while_clients_edit_is_consistent,
    snapshots_are_immutable,
    compare_finds_exactly_the_changes_made,
    restore_reaches_every_client_and_the_store,
    the_report_is_a_valid_word_document_without_real_names,
    names_in_the_label_and_the_takers_name_are_replaced_however_typed,
    the_check_finds_a_name_nobody_registered,
    an_unclean_export_is_refused_until_a_lead_confirms,
    the_markdown_is_escaped_and_the_docx_holds_no_control_characters,
);

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

fn board_of(client: &YClient) -> Result<Board> {
    let state = client
        .doc
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    Ok(Board::from_update(&state)?)
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

use yrs::updates::decoder::Decode;

async fn snapshots_are_immutable(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let client = YClient::connect(&server.ws_url("board")).await?;
    client.synced().await?;
    build(&client);
    client.wait("echoes", |s| s.updates >= 6).await?;
    let taken = take(&server, "Analysis meeting 1").await?;
    let id = taken["id"].as_str().unwrap_or_default().to_string();
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

async fn compare_finds_exactly_the_changes_made(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = YClient::connect(&server.ws_url("board")).await?;
    client.synced().await?;
    build(&client);
    client.wait("echoes", |s| s.updates >= 6).await?;
    let a = take(&server, "Before the follow-on meeting").await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

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
    let bid = take(&server, "After the follow-on meeting").await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

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
    let taken = take(&server, "Agreed at analysis meeting 2").await?;
    let id = taken["id"].as_str().unwrap_or_default().to_string();
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
    // The restore's own edits are attributed like any edit.
    let history = lead(&server)
        .get(&format!("/api/reviews/{r}/history?entity=g1"))
        .await?
        .expect(200)?;
    assert_eq!(history[0]["detail"], "added", "{history}");
    server.assert_healthy();
    Ok(())
}

/// Whether XML 1.0 allows `c` in a document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn docx_text(bytes: &[u8]) -> Result<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).context("a zip package")?;
    for required in ["[Content_Types].xml", "_rels/.rels", "word/document.xml"] {
        archive
            .by_name(required)
            .with_context(|| format!("{required} is missing"))?;
    }
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i)?;
        if !part.name().ends_with(".xml") && !part.name().ends_with(".rels") {
            continue;
        }
        let name = part.name().to_string();
        let mut xml = String::new();
        part.read_to_string(&mut xml)?;
        // Word refuses a part with a character XML 1.0 does not allow, raw or escaped.
        if let Some(bad) = xml.chars().find(|c| !xml_char(*c)) {
            anyhow::bail!("{name} holds the character {bad:?}, which XML does not allow");
        }
        // Every XML part is well-formed.
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut in_text = false;
        loop {
            match reader
                .read_event()
                .with_context(|| format!("{name} is not well-formed XML"))?
            {
                quick_xml::events::Event::Eof => break,
                quick_xml::events::Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
                quick_xml::events::Event::End(e) if e.name().as_ref() == b"w:t" => {
                    in_text = false;
                    text.push(' ');
                }
                quick_xml::events::Event::Text(t) if in_text && name == "word/document.xml" => {
                    text.push_str(&t.decode()?);
                }
                quick_xml::events::Event::GeneralRef(r) if in_text => {
                    let c = match r.resolve_char_ref()? {
                        Some(c) => c,
                        None => match &*r {
                            b"lt" => '<',
                            b"gt" => '>',
                            b"amp" => '&',
                            b"quot" => '"',
                            b"apos" => '\'',
                            other => anyhow::bail!(
                                "{name}: unknown entity {}",
                                String::from_utf8_lossy(other)
                            ),
                        },
                    };
                    if !xml_char(c) {
                        anyhow::bail!(
                            "{name} escapes the character {c:?}, which XML does not allow"
                        );
                    }
                    if name == "word/document.xml" {
                        text.push(c);
                    }
                }
                _ => {}
            }
        }
    }
    Ok(text)
}

async fn the_report_is_a_valid_word_document_without_real_names(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = YClient::connect(&server.ws_url("board")).await?;
    client.synced().await?;
    build(&client);
    b::append_text(
        &client.doc,
        "episodes",
        "e1",
        "appraisal",
        " Jane Smith told the health visitor about Oak Road.",
    );
    b::append_text(
        &client.doc,
        "findings",
        "g1",
        "inCase",
        " JANE SMITH's GP at St Anne's Surgery was not asked.",
    );
    client.wait("echoes", |s| s.updates >= 8).await?;
    let r = server.access.review.clone();
    let api = lead(&server);
    for (term, pseudonym) in [
        ("Jane Smith", "Mother"),
        ("Oak Road", "the family home"),
        ("St Anne's Surgery", ""),
    ] {
        api.post(
            &format!("/api/reviews/{r}/register"),
            json!({"term": term, "pseudonym": pseudonym}),
        )
        .await?
        .expect(201)?;
    }
    let id = take(&server, "Final").await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // A flagged term remains, so the check is not clean: the lead confirms each export.
    let download = |format: &str| {
        let url = format!(
            "http://{}/api/reviews/{r}/snapshots/{id}/export?format={format}&confirm=unreviewed",
            server.addr
        );
        let token = server.access.token.clone();
        async move {
            let response = reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await?;
            anyhow::ensure!(
                response.status() == 200,
                "export answered {}",
                response.status()
            );
            let kind = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            Ok::<_, anyhow::Error>((kind, response.bytes().await?.to_vec()))
        }
    };
    let (kind, docx) = download("docx").await?;
    assert!(kind.contains("wordprocessingml"), "{kind}");
    let text = docx_text(&docx)?;
    for expected in [
        "Agencies rely on memory of past concerns",
        "Health visit, March",
        "Review questions",
        "Methodology",
        "Mother",
        "the family home",
    ] {
        assert!(
            text.contains(expected),
            "{expected} missing from the report: {text}"
        );
    }
    assert!(
        !text.to_lowercase().contains("jane smith"),
        "a real name in the report: {text}"
    );
    assert!(!text.contains("Oak Road"));
    for format in ["html", "md", "json"] {
        let (_, bytes) = download(format).await?;
        let body = String::from_utf8(bytes)?;
        assert!(
            body.contains("Agencies rely on memory of past concerns"),
            "{format}"
        );
        assert!(
            !body.to_lowercase().contains("jane smith"),
            "{format}: {body}"
        );
    }
    // The check names the flagged term that is still there, and where.
    let check = api
        .get(&format!("/api/reviews/{r}/snapshots/{id}/check"))
        .await?
        .expect(200)?;
    assert_eq!(check["ok"], false);
    assert_eq!(check["remaining"][0]["term"], "St Anne's Surgery");
    assert_eq!(check["remaining"][0]["kind"], "flagged");
    let replaced: Vec<(String, u64)> = check["replaced"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["term"].as_str().unwrap_or_default().to_string(),
                e["count"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(
        replaced.contains(&("Jane Smith".to_string(), 2)),
        "{replaced:?}"
    );
    // Exports are in the audit trail, without the names.
    let audit = api
        .get(&format!("/api/reviews/{r}/audit"))
        .await?
        .expect(200)?;
    let exports = audit
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["action"] == "report_exported")
        .count();
    assert_eq!(exports, 4);
    assert!(!audit.to_string().contains("Jane Smith"));
    // A read-only role may not export, nor read the register.
    let observer = ApiClient::with_token(&server, &server.token_for("observer").await?);
    assert_eq!(
        observer
            .get(&format!("/api/reviews/{r}/snapshots/{id}/export?format=md"))
            .await?
            .status,
        403
    );
    assert_eq!(
        observer
            .get(&format!("/api/reviews/{r}/register"))
            .await?
            .status,
        403
    );
    assert_eq!(
        observer
            .get(&format!("/api/reviews/{r}/snapshots/{id}"))
            .await?
            .status,
        200
    );
    server.assert_healthy();
    Ok(())
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

/// The attack: the snapshot's label and the name of the one who took it went into every
/// export verbatim, and names typed with a no-break space, a soft hyphen, a double
/// space, a line break, a decomposed accent or a typographic apostrophe were not
/// replaced.
async fn names_in_the_label_and_the_takers_name_are_replaced_however_typed(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = YClient::connect(&server.ws_url("board")).await?;
    client.synced().await?;
    build(&client);
    b::append_text(
        &client.doc,
        "episodes",
        "e1",
        "appraisal",
        " Zoe\u{0308}\u{00A0}Hart was seen with Sean O\u{2019}Brien. ZOË  HART\nsaid so. \
         Zo\u{00AD}\u{00EB} Hart\u{2019}s school and Sean\u{200B} O'Brien agreed.",
    );
    client.wait("echoes", |s| s.updates >= 7).await?;
    register(&server, "Zoë Hart", "Child A").await?;
    register(&server, "Sean O'Brien", "Father").await?;
    register(&server, "Karen Whitlow", "the lead reviewer").await?;
    // The lead who takes the snapshot is named Karen Whitlow, and names the snapshot.
    let taker = board_tests::server::board_command(
        &board_tests::server::board_binary(),
        &server.database_url,
        &[
            "token",
            "create",
            "--review",
            &server.access.review,
            "--role",
            "lead_reviewer",
            "--label",
            "Karen Whitlow",
        ],
        "",
    )
    .await?;
    let taken = ApiClient::with_token(&server, &taker)
        .post(
            &format!("/api/reviews/{}/snapshots", server.access.review),
            json!({"label": "After Zo\u{00EB}\u{00A0}Hart\u{2019}s visit with Sean O'Brien"}),
        )
        .await?
        .expect(201)?;
    let id = taken["id"].as_str().unwrap_or_default().to_string();

    let result = check(&server, &id).await?;
    assert_eq!(result["remaining"], json!([]), "{result}");
    let count = |term: &str| {
        result["replaced"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["term"] == term)
            .and_then(|r| r["count"].as_u64())
    };
    assert_eq!(count("Zoë Hart"), Some(4), "{result}");
    assert_eq!(count("Sean O'Brien"), Some(3), "{result}");
    assert_eq!(count("Karen Whitlow"), Some(1), "{result}");

    for format in ["md", "html", "json", "docx"] {
        let (status, _, body) = export(
            &server,
            &server.access.token,
            &id,
            &format!("format={format}"),
        )
        .await?;
        assert_eq!(status, 200, "{format}: {}", String::from_utf8_lossy(&body));
        let text = if format == "docx" {
            docx_text(&body)?
        } else {
            String::from_utf8(body)?
        };
        for name in ["Hart", "HART", "Whitlow", "Brien", "Karen", "Sean"] {
            assert!(!text.contains(name), "{format}: {name} in {text}");
        }
        for pseudonym in ["Child A", "Father", "the lead reviewer"] {
            assert!(
                text.contains(pseudonym),
                "{format}: no {pseudonym} in {text}"
            );
        }
    }
    // Nor does the audit trail repeat the names of the label.
    let audit = audit_of(&server).await?.to_string();
    assert!(
        !audit.contains("Hart") && !audit.contains("Brien"),
        "{audit}"
    );
    server.assert_healthy();
    Ok(())
}

/// The attack: a lead registered the child and the mother but not the father, and the
/// check said "Passed. Ready to publish" with the father's full name in the report.
async fn the_check_finds_a_name_nobody_registered(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = YClient::connect(&server.ws_url("board")).await?;
    client.synced().await?;
    build(&client);
    b::append_text(
        &client.doc,
        "episodes",
        "e1",
        "appraisal",
        " Jane Smith said Darren Pryce had moved back in with Zoe Smith.",
    );
    b::append_text(
        &client.doc,
        "episodes",
        "e2",
        "appraisal",
        " Nobody asked Darren Pryce about it.",
    );
    b::append_text(
        &client.doc,
        "findings",
        "g1",
        "inCase",
        " Darren Pryce's history was not shared.",
    );
    client.wait("echoes", |s| s.updates >= 9).await?;
    register(&server, "Jane Smith", "Mother").await?;
    register(&server, "Zoe Smith", "Child A").await?;
    let id = take(&server, "Final").await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let result = check(&server, &id).await?;
    assert_eq!(result["ok"], false, "{result}");
    assert_eq!(result["remaining"], json!([]), "{result}");
    let possible = result["possible"].as_array().cloned().unwrap_or_default();
    assert_eq!(possible.len(), 1, "{result}");
    assert_eq!(possible[0]["text"], "Darren Pryce");
    assert_eq!(possible[0]["kind"], "name");
    assert_eq!(possible[0]["count"], 3);
    let summary = result["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("no registered name or flagged term remains")
            && summary.contains("1 possible name or identifying detail to review"),
        "{summary}"
    );
    assert!(!summary.to_lowercase().contains("ready"), "{summary}");

    // Registered, the father is replaced and the check is clean.
    register(&server, "Darren Pryce", "Father").await?;
    let result = check(&server, &id).await?;
    assert_eq!(result["ok"], true, "{result}");
    assert_eq!(result["possible"], json!([]));
    server.assert_healthy();
    Ok(())
}

async fn an_unclean_export_is_refused_until_a_lead_confirms(backend: Backend) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = YClient::connect(&server.ws_url("board")).await?;
    client.synced().await?;
    build(&client);
    b::append_text(
        &client.doc,
        "episodes",
        "e1",
        "appraisal",
        " The family lived at 14 Larkspur Close, LS6 2QT, and Darren Pryce (DOB 03/04/1988) \
         gave 07700 900123.",
    );
    client.wait("echoes", |s| s.updates >= 7).await?;
    let id = take(&server, "Final").await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let (status, _, body) = export(&server, &server.access.token, &id, "format=md").await?;
    assert_eq!(status, 409);
    let refused: Value = serde_json::from_slice(&body)?;
    assert_eq!(refused["error"], "check_not_clean");
    let mut kinds: Vec<(String, String)> = refused["possible"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["kind"].as_str().unwrap_or_default().to_string(),
                p["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        vec![
            ("address".to_string(), "Larkspur Close".to_string()),
            ("date_of_birth".to_string(), "03/04/1988".to_string()),
            ("name".to_string(), "Darren Pryce".to_string()),
            ("phone".to_string(), "07700 900123".to_string()),
            ("postcode".to_string(), "LS6 2QT".to_string()),
        ],
        "{refused}"
    );
    assert!(
        refused["message"]
            .as_str()
            .unwrap_or_default()
            .contains("5 possible names or identifying details to review"),
        "{refused}"
    );

    // Only a lead may confirm; a review team member may not.
    let member = server.token_for("review_team_member").await?;
    let (status, _, _) = export(&server, &member, &id, "format=md").await?;
    assert_eq!(status, 409);
    let (status, _, _) = export(&server, &member, &id, "format=md&confirm=unreviewed").await?;
    assert_eq!(status, 403);
    let audit = audit_of(&server).await?;
    let actions = |audit: &Value, action: &str| {
        audit
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["action"] == action)
            .count()
    };
    assert_eq!(
        actions(&audit, "report_exported"),
        0,
        "refused exports are not exports"
    );

    // A lead's confirmation exports, and the trail records it without the names.
    let (status, kind, body) = export(
        &server,
        &server.access.token,
        &id,
        "format=md&confirm=unreviewed",
    )
    .await?;
    assert_eq!(status, 200);
    assert!(kind.contains("markdown"), "{kind}");
    assert!(String::from_utf8(body)?.contains("Darren Pryce"));
    let audit = audit_of(&server).await?;
    assert_eq!(actions(&audit, "unreviewed_export_confirmed"), 1, "{audit}");
    assert_eq!(actions(&audit, "report_exported"), 1, "{audit}");
    for detail in ["Pryce", "Larkspur", "2QT", "1988", "900123"] {
        assert!(!audit.to_string().contains(detail), "{detail} in {audit}");
    }

    // Once everything is registered or marked safe, the export needs no confirmation.
    register(&server, "Darren Pryce", "Father").await?;
    register(&server, "Larkspur Close", "the family home").await?;
    register(&server, "03/04/1988", "(date of birth)").await?;
    register(&server, "07700 900123", "(phone number)").await?;
    lead(&server)
        .post(
            &format!("/api/reviews/{}/safe-terms", server.access.review),
            json!({"term": "LS6 2QT"}),
        )
        .await?
        .expect(201)?;
    let safe = lead(&server)
        .get(&format!("/api/reviews/{}/safe-terms", server.access.review))
        .await?
        .expect(200)?;
    assert_eq!(safe[0]["term"], "LS6 2QT");
    let result = check(&server, &id).await?;
    assert_eq!(result["ok"], true, "{result}");
    let (status, _, body) = export(&server, &member, &id, "format=md").await?;
    assert_eq!(status, 200);
    assert!(!String::from_utf8(body)?.contains("Pryce"));
    let audit = audit_of(&server).await?;
    assert_eq!(actions(&audit, "unreviewed_export_confirmed"), 1);
    assert_eq!(actions(&audit, "safe_term_added"), 1);
    assert!(!audit.to_string().contains("LS6"), "{audit}");
    server.assert_healthy();
    Ok(())
}

/// The attack: the Markdown export passed raw HTML and `javascript:` links through, and
/// a control character in a field made the .docx unreadable by Word.
async fn the_markdown_is_escaped_and_the_docx_holds_no_control_characters(
    backend: Backend,
) -> Result<()> {
    let (_db, mut server) = server(backend, &[]).await?;
    let client = YClient::connect(&server.ws_url("board")).await?;
    client.synced().await?;
    build(&client);
    b::append_text(
        &client.doc,
        "episodes",
        "e1",
        "appraisal",
        " <script>alert(1)</script> [open](javascript:alert(2)) <javascript:alert(3)> \
         <img src=x onerror=alert(4)> bell\u{0007} escape\u{001B} nul\u{0000} end\u{FFFF}.",
    );
    client.wait("echoes", |s| s.updates >= 7).await?;
    let id = take(&server, "Final").await?["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (status, _, body) = export(&server, &server.access.token, &id, "format=md").await?;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let md = String::from_utf8(body)?;
    // Every character that could open HTML or a link is escaped.
    let chars: Vec<char> = md.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if matches!(c, '<' | '>' | '[' | ']' | '(' | ')') {
            assert_eq!(
                chars.get(i.wrapping_sub(1)),
                Some(&'\\'),
                "{c} at {i} in {md}"
            );
        }
    }
    assert!(
        md.contains("\\<script\\>") && md.contains("javascript\\:alert"),
        "{md}"
    );
    assert!(md.contains("alert"), "the words stay, as text: {md}");
    assert!(
        !md.contains('\u{0007}') && !md.contains('\u{0000}'),
        "{md:?}"
    );

    let (status, _, docx) = export(&server, &server.access.token, &id, "format=docx").await?;
    assert_eq!(status, 200);
    let text = docx_text(&docx)?;
    assert!(text.contains("bell escape nul end."), "{text}");
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    server.assert_healthy();
    Ok(())
}
