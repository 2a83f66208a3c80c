//! Read-only roles cannot write by any route: every way a hostile board member or
//! observer could shape an update (a new client, a reused client id continuing its
//! clock, a client starting past clock 0, a delete set alone, inside SyncStep2 or a
//! frame of several messages) is refused, with a session or a token, on the board and
//! on restricted notes. Nothing from them is applied, stored or broadcast.

use anyhow::{Result, anyhow};
use board_tests::{api::Person, cast::Cast, client::update_message};
use serde_json::json;
use yrs::{
    ClientID, Doc, GetString, Map, Options, Out, ReadTxn, StateVector, Text, Transact, Update,
    sync::{Message, SyncMessage},
    updates::{decoder::Decode, encoder::Encode},
};

use crate::support::{Backend, TestDb, YClient, both_databases, server};

both_databases!(read_only_peers_change_nothing_by_any_route);

/// Read-only roles and the ways they connect.
struct Reader {
    who: String,
    headers: Vec<(&'static str, String)>,
    query: String,
}

async fn read_only_peers_change_nothing_by_any_route(backend: Backend) -> Result<()> {
    let (db, mut server) = server(backend, &[]).await?;
    let cast = Cast::new(&server).await?;
    let (lead, review) = (&cast.lead, &cast.review);
    let (bob, olive) = (&cast.board, &cast.observer);
    lead.api
        .post(
            &format!("/api/reviews/{review}/documents"),
            json!({"slug": "talk", "title": "Conversation", "participants": [bob.user_id, olive.user_id]}),
        )
        .await?
        .expect(201)?;

    let mut readers = vec![session(bob), session(olive)];
    for role in ["board_member", "observer"] {
        let token = cast.token(&server, role).await?;
        readers.push(Reader {
            who: format!("{role} token"),
            headers: Vec::new(),
            query: format!("?token={token}"),
        });
    }

    let lead_cookie = lead.api.cookie().unwrap_or_default();
    let mut refused = 0.0;
    for (document, readers) in [("board", &readers[..]), ("notes/talk", &readers[..2])] {
        let url = format!("ws://{}/sync/{review}/{document}", server.addr);
        let editor = YClient::connect_with(&url, &[("cookie", &lead_cookie)], Doc::new()).await?;
        editor.synced().await?;
        {
            let findings = editor.doc.get_or_insert_map("findings");
            let title = editor.doc.get_or_insert_text("title");
            let mut txn = editor.doc.transact_mut();
            findings.insert(&mut txn, "f1", "agreed");
            title.insert(&mut txn, 0, "Child A review");
        }
        editor.wait("the echo", |s| s.updates >= 1).await?;
        let stored = stored_updates(&db, review, document).await?;

        for reader in readers {
            let headers: Vec<(&str, &str)> = reader
                .headers
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect();
            let client =
                YClient::connect_with(&format!("{url}{}", reader.query), &headers, Doc::new())
                    .await?;
            client.synced().await?;
            let attacks = attacks(&client.doc, editor.doc.client_id());
            for frame in &attacks {
                client.send_raw(frame.clone());
            }
            refused += attacks.len() as f64;
            server
                .wait_metric("board_updates_refused_read_only_total", |v| v >= refused)
                .await
                .map_err(|e| anyhow!("{} on {document}: {e}", reader.who))?;
            client
                .wait("permission denied", |s| s.permission_denied.is_some())
                .await?;
            assert!(client.seen().closed.is_none(), "{}: stays open", reader.who);
        }

        // Nobody saw anything from the readers, and nothing of theirs was stored.
        editor.push("note", "after;");
        editor.wait("the next echo", |s| s.updates >= 2).await?;
        assert_eq!(editor.seen().updates, 2, "only the editor's own echoes");
        assert_eq!(content(&editor.doc), expected());
        assert_eq!(
            stored_updates(&db, review, document).await?,
            stored + 1,
            "only the editor's next edit was stored on {document}"
        );
        editor.close().await;
    }

    // After a restart the stored documents are the editor's alone.
    server.restart().await?;
    for document in ["board", "notes/talk"] {
        let url = format!("ws://{}/sync/{review}/{document}", server.addr);
        let fresh = YClient::connect_with(&url, &[("cookie", &lead_cookie)], Doc::new()).await?;
        fresh.synced().await?;
        assert_eq!(content(&fresh.doc), expected(), "{document} after restart");
    }
    server.assert_healthy();
    Ok(())
}

fn session(person: &Person) -> Reader {
    Reader {
        who: format!("{} (session)", person.name),
        headers: vec![("cookie", person.api.cookie().unwrap_or_default())],
        query: String::new(),
    }
}

/// Every shape of write a reader holding the synced document `synced` could send; the
/// editor's client id is `editor_id`. Each frame holds exactly one write.
fn attacks(synced: &Doc, editor_id: ClientID) -> Vec<Vec<u8>> {
    let state = synced
        .transact()
        .encode_state_as_update_v1(&StateVector::default());
    let copy = |client_id: Option<ClientID>| {
        let doc = match client_id {
            Some(id) => Doc::with_options(Options {
                client_id: id,
                ..Options::default()
            }),
            None => Doc::new(),
        };
        if let Ok(update) = Update::decode_v1(&state) {
            let _ = doc.transact_mut().apply_update(update);
        }
        doc
    };
    let edit = |doc: &Doc, change: &dyn Fn(&Doc)| {
        let before = doc.transact().state_vector();
        change(doc);
        doc.transact().encode_state_as_update_v1(&before)
    };
    let set_finding = |doc: &Doc| {
        let findings = doc.get_or_insert_map("findings");
        findings.insert(&mut doc.transact_mut(), "f1", "rewritten by a reader");
    };
    let retitle = |doc: &Doc| {
        let title = doc.get_or_insert_text("title");
        title.push(&mut doc.transact_mut(), " (altered)");
    };
    // Adding a key deletes nothing, so such an update carries no delete set.
    let add_finding = |doc: &Doc| {
        let findings = doc.get_or_insert_map("findings");
        findings.insert(&mut doc.transact_mut(), "f9", "planted by a reader");
    };
    let step2 = |update: Vec<u8>| Message::Sync(SyncMessage::SyncStep2(update)).encode_v1();

    // A new client's write, as an Update and inside a SyncStep2.
    let as_update = update_message(&edit(&copy(None), &retitle));
    let as_step2 = step2(edit(&copy(None), &set_finding));
    // The editor's client id, continuing its clock: the update's own state vector is
    // empty and it deletes nothing, so the old check took it for empty.
    let reused = update_message(&edit(&copy(Some(editor_id)), &add_finding));
    let reused_text = step2(edit(&copy(Some(editor_id)), &retitle));
    // A client the server never saw, starting past clock 0 (it would wait as pending).
    let later = {
        let doc = copy(None);
        edit(&doc, &retitle);
        update_message(&edit(&doc, &add_finding))
    };
    // Deletions only: a finding removed, and title characters removed.
    let remove_finding = update_message(&edit(&copy(None), &|doc: &Doc| {
        let findings = doc.get_or_insert_map("findings");
        findings.remove(&mut doc.transact_mut(), "f1");
    }));
    let cut_title = step2(edit(&copy(None), &|doc: &Doc| {
        let title = doc.get_or_insert_text("title");
        title.remove_range(&mut doc.transact_mut(), 0, 5);
    }));
    // A write hidden behind a harmless message in one frame.
    let mut several = Message::Sync(SyncMessage::SyncStep1(StateVector::default())).encode_v1();
    several.extend(update_message(&edit(&copy(None), &retitle)));

    vec![
        as_update,
        as_step2,
        reused,
        reused_text,
        later,
        remove_finding,
        cut_title,
        several,
    ]
}

/// The title and every finding, as the editor left them.
fn content(doc: &Doc) -> (String, Vec<String>) {
    let (title, findings) = (
        doc.get_or_insert_text("title"),
        doc.get_or_insert_map("findings"),
    );
    let txn = doc.transact();
    let title = title.get_string(&txn);
    let mut entries: Vec<String> = findings
        .iter(&txn)
        .map(|(key, value)| match value {
            Out::Any(value) => format!("{key}={value}"),
            other => format!("{key}={other:?}"),
        })
        .collect();
    entries.sort();
    (title, entries)
}

fn expected() -> (String, Vec<String>) {
    ("Child A review".into(), vec!["f1=agreed".into()])
}

async fn stored_updates(db: &TestDb, review: &str, document: &str) -> Result<i64> {
    let sql =
        format!("select count(*) from document_updates where document = '{review}/{document}'");
    Ok(db.scalar(&sql).await?)
}
