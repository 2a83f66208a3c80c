//! The storage contract, run unchanged against SQLite and PostgreSQL.

use std::{sync::Arc, time::Duration};

use anyhow::Result;
use bytes::Bytes;

use board_server::access::Author;
use board_server::{
    audit::{BinEntry, Change, Edit, FieldText},
    store::{Append, StoredDocument},
};

use crate::support::{Backend, TestDb, both_databases};

both_databases!(
    an_unknown_document_loads_empty,
    appends_load_back_in_seq_order_per_document,
    a_batch_is_all_or_nothing,
    large_batches_are_all_or_nothing_too,
    edits_are_stored_with_their_audit_rows_or_not_at_all,
    deletions_are_stored_with_their_bin_entries_or_not_at_all,
    texts_are_stored_with_the_update_that_began_their_run_or_not_at_all,
    an_append_cut_off_midway_is_all_or_nothing_and_the_store_carries_on,
    compaction_replaces_the_log_up_to_a_seq,
    an_older_compaction_never_replaces_a_newer_state,
    migrations_run_once_and_the_store_reopens,
    the_audit_trail_survives_the_upgrade_to_0005,
);

fn append(document: &str, seq: i64, data: &[u8]) -> Append {
    Append {
        document: Arc::from(document),
        seq,
        data: Bytes::copy_from_slice(data),
        edit: None,
        lease: None,
    }
}

async fn an_unknown_document_loads_empty(backend: Backend) -> Result<()> {
    let db = TestDb::new(backend).await?;
    let store = db.open_store().await?;
    let loaded = store.load("nobody/here").await?;
    assert_eq!(loaded, StoredDocument::default());
    assert!(loaded.is_empty());
    store.ping().await?;
    assert_eq!(
        store.backend(),
        if backend == Backend::Sqlite {
            "sqlite"
        } else {
            "postgres"
        }
    );
    Ok(())
}

async fn appends_load_back_in_seq_order_per_document(backend: Backend) -> Result<()> {
    let db = TestDb::new(backend).await?;
    let store = db.open_store().await?;
    store
        .append(&[
            append("a", 1, b"a1"),
            append("b", 1, b"b1"),
            append("a", 2, b"a2"),
        ])
        .await?;
    store.append(&[append("a", 3, &[0, 255, 7])]).await?;
    let a = store.load("a").await?;
    assert_eq!(
        a.updates,
        vec![b"a1".to_vec(), b"a2".to_vec(), vec![0, 255, 7]]
    );
    assert_eq!(a.last_seq, 3);
    assert_eq!(a.state, None);
    let b = store.load("b").await?;
    assert_eq!(b.updates, vec![b"b1".to_vec()]);
    assert_eq!(b.last_seq, 1);
    Ok(())
}

async fn a_batch_is_all_or_nothing(backend: Backend) -> Result<()> {
    let db = TestDb::new(backend).await?;
    let store = db.open_store().await?;
    store.append(&[append("a", 1, b"one")]).await?;
    // The second item repeats a seq: the whole batch must be refused.
    let refused = store
        .append(&[
            append("b", 1, b"b"),
            append("a", 1, b"again"),
            append("a", 2, b"two"),
        ])
        .await;
    assert!(refused.is_err());
    assert_eq!(store.load("a").await?.updates, vec![b"one".to_vec()]);
    assert!(store.load("b").await?.is_empty());
    Ok(())
}

async fn large_batches_are_all_or_nothing_too(backend: Backend) -> Result<()> {
    let db = TestDb::new(backend).await?;
    let store = db.open_store().await?;
    let mut batch: Vec<_> = (1..=1200)
        .map(|i| append("big", i, &i.to_le_bytes()))
        .collect();
    // The last row repeats the first seq: the whole batch must be refused.
    batch.push(append("big", 1, b"duplicate"));
    assert!(store.append(&batch).await.is_err());
    assert!(store.load("big").await?.is_empty());
    batch.pop();
    store.append(&batch).await?;
    let loaded = store.load("big").await?;
    assert_eq!(loaded.updates.len(), 1200);
    assert_eq!(loaded.last_seq, 1200);
    assert_eq!(loaded.updates[1199], 1200i64.to_le_bytes().to_vec());
    Ok(())
}

fn edited(document: &str, seq: i64, changes: &[(&'static str, &str, &str)]) -> Append {
    let actor = Author {
        kind: "user",
        id: "u-1".into(),
        name: "Sam Jones".into(),
        agency: "Health visiting".into(),
    };
    let changes = changes
        .iter()
        .map(|&(action, entity, field)| Change {
            action,
            entity_kind: "episode",
            entity: entity.into(),
            field: field.into(),
        })
        .collect();
    Append {
        edit: Some(Arc::new(Edit {
            at_ms: 1_790_000_000_000 + seq,
            actor: std::sync::Arc::new(actor),
            changes,
            event: None,
            binned: Vec::new(),
            texts: Vec::new(),
        })),
        ..append(document, seq, format!("update {seq}").as_bytes())
    }
}

/// An update that took `entities` off the board, as the room hands it to the store.
fn deleted(document: &str, seq: i64, entities: &[&str]) -> Append {
    let mut append = edited(document, seq, &[]);
    if let Some(edit) = append.edit.as_mut().and_then(Arc::get_mut) {
        edit.binned = entities
            .iter()
            .map(|&entity| BinEntry {
                kind: "episode",
                entity: entity.into(),
                label: format!("Episode {entity}"),
                content: format!(r#"{{"kind":"episode","entity":{{"id":"{entity}"}}}}"#),
            })
            .collect();
    }
    append
}

/// An update that began runs of typing in `fields` of episode e1, whose texts were `was`.
fn typed(document: &str, seq: i64, fields: &[(&str, &str)]) -> Append {
    let mut append = edited(document, seq, &[]);
    if let Some(edit) = append.edit.as_mut().and_then(Arc::get_mut) {
        edit.texts = fields
            .iter()
            .map(|&(field, was)| FieldText {
                entity: "e1".into(),
                field: field.into(),
                text: was.into(),
            })
            .collect();
    }
    append
}

async fn texts_are_stored_with_the_update_that_began_their_run_or_not_at_all(
    backend: Backend,
) -> Result<()> {
    let db = TestDb::new(backend).await?;
    let store = db.open_store().await?;
    let directory = store.directory();
    let doc = "review-1/board";
    store
        .append(&[
            typed(doc, 1, &[("appraisal", "Thorough."), ("title", "")]),
            append(doc, 2, b"typing"),
            typed(doc, 3, &[("appraisal", "Thorough. Later doubts.")]),
        ])
        .await?;
    let texts = directory.field_texts(doc, "e1", 100).await?;
    let listed: Vec<(&str, i64, &str)> = texts
        .iter()
        .map(|t| (t.field.as_str(), t.seq, t.text.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            ("appraisal", 1, "Thorough."),
            ("title", 1, ""),
            ("appraisal", 3, "Thorough. Later doubts."),
        ]
    );
    // A refused batch stores no text either; the newest come first when limited.
    let refused = store
        .append(&[
            typed(doc, 4, &[("evidence", "x")]),
            append(doc, 2, b"again"),
        ])
        .await;
    assert!(refused.is_err());
    assert_eq!(directory.field_texts(doc, "e1", 100).await?.len(), 3);
    let newest = directory.field_texts(doc, "e1", 1).await?;
    assert_eq!(newest.first().map(|t| t.seq), Some(3));
    assert!(
        directory
            .field_texts("review-2/board", "e1", 100)
            .await?
            .is_empty()
    );
    Ok(())
}

async fn deletions_are_stored_with_their_bin_entries_or_not_at_all(backend: Backend) -> Result<()> {
    let db = TestDb::new(backend).await?;
    let store = db.open_store().await?;
    let directory = store.directory();
    let doc = "review-1/board";
    store
        .append(&[deleted(doc, 1, &["e1", "e2"]), append(doc, 2, b"typing")])
        .await?;
    let bin = directory.bin("review-1").await?;
    let mut entities: Vec<&str> = bin.iter().map(|b| b.entity.as_str()).collect();
    entities.sort();
    assert_eq!(entities, ["e1", "e2"]);
    assert_eq!(bin[0].actor_name, "Sam Jones");
    assert_eq!(bin[0].label, format!("Episode {}", bin[0].entity));

    // A refused batch stores no bin entry either.
    let refused = store
        .append(&[deleted(doc, 3, &["e3"]), append(doc, 2, b"again")])
        .await;
    assert!(refused.is_err());
    assert_eq!(directory.bin("review-1").await?.len(), 2);

    // Another review's bin and restricted notes are apart.
    store
        .append(&[deleted("review-2/board", 1, &["x"])])
        .await?;
    store
        .append(&[deleted("review-1/notes/private", 1, &["n"])])
        .await?;
    assert_eq!(directory.bin("review-1").await?.len(), 2);
    assert!(directory.bin_item("review-1", &bin[0].id).await?.is_some());
    assert!(directory.bin_item("review-2", &bin[0].id).await?.is_none());

    assert!(directory.take_from_bin("review-1", &bin[0].id).await?);
    assert!(!directory.take_from_bin("review-1", &bin[0].id).await?);
    assert_eq!(directory.bin("review-1").await?.len(), 1);
    Ok(())
}

async fn edits_are_stored_with_their_audit_rows_or_not_at_all(backend: Backend) -> Result<()> {
    let db = TestDb::new(backend).await?;
    let store = db.open_store().await?;
    let directory = store.directory();
    let doc = "review-1/board";
    store
        .append(&[
            edited(
                doc,
                1,
                &[("changed", "e1", "appraisal"), ("changed", "e1", "summary")],
            ),
            append(doc, 2, b"from the server"),
            edited(doc, 3, &[("added", "e2", "")]),
        ])
        .await?;
    let e1 = directory.entity_history(doc, "e1", 10).await?;
    let fields: Vec<(&str, Option<i64>)> = e1.iter().map(|e| (e.field.as_str(), e.seq)).collect();
    // Newest first: the rows keep the order of the changes.
    assert_eq!(fields, [("summary", Some(1)), ("appraisal", Some(1))]);
    let first = &e1[1];
    assert_eq!(
        (
            first.action.as_str(),
            first.detail.as_str(),
            first.entity_kind.as_str()
        ),
        ("edit", "changed", "episode")
    );
    assert_eq!(first.actor.name, "Sam Jones");
    assert_eq!(first.actor.agency, "Health visiting");
    assert_eq!(first.at_ms, 1_790_000_000_001);
    assert_eq!(first.document, doc);
    assert_eq!(directory.entity_history(doc, "e2", 10).await?.len(), 1);

    // A refused batch stores neither its updates nor their audit rows.
    let refused = store
        .append(&[
            edited(doc, 4, &[("changed", "e3", "summary")]),
            append(doc, 3, b"again"),
        ])
        .await;
    assert!(refused.is_err());
    assert!(directory.entity_history(doc, "e3", 10).await?.is_empty());
    assert_eq!(store.load(doc).await?.last_seq, 3);

    // The store carries on after the failure.
    store
        .append(&[edited(doc, 4, &[("changed", "e3", "summary")])])
        .await?;
    assert_eq!(directory.entity_history(doc, "e3", 10).await?.len(), 1);
    assert_eq!(store.load(doc).await?.last_seq, 4);
    Ok(())
}

async fn an_append_cut_off_midway_is_all_or_nothing_and_the_store_carries_on(
    backend: Backend,
) -> Result<()> {
    let db = TestDb::new(backend).await?;
    let store = db.open_store().await?;
    let big: Vec<_> = (1..=20_000)
        .map(|i| edited("cut/board", i, &[("changed", "e1", "summary")]))
        .collect();
    // Dropped long before a batch this size can be stored: the database may still be
    // working on it when the next append arrives.
    let cut = tokio::time::timeout(Duration::from_millis(2), store.append(&big)).await;
    assert!(cut.is_err(), "the append should have been cut off");
    tokio::time::timeout(
        Duration::from_secs(30),
        store.append(&[append("after/board", 1, b"next")]),
    )
    .await??;
    assert_eq!(
        store.load("after/board").await?.updates,
        vec![b"next".to_vec()]
    );
    let stored = store.load("cut/board").await?.updates.len();
    let audited = db
        .scalar("select count(*) from audit_events where document = 'cut/board'")
        .await?;
    assert!(
        (stored, audited) == (0, 0) || (stored, audited) == (20_000, 20_000),
        "a cut-off append left {stored} updates and {audited} audit rows"
    );
    Ok(())
}

async fn compaction_replaces_the_log_up_to_a_seq(backend: Backend) -> Result<()> {
    let db = TestDb::new(backend).await?;
    let store = db.open_store().await?;
    let items: Vec<_> = (1..=5).map(|i| append("doc", i, &[i as u8])).collect();
    store.append(&items).await?;
    store.compact("doc", b"merged-1-3", 3).await?;
    let loaded = store.load("doc").await?;
    assert_eq!(loaded.state.as_deref(), Some(&b"merged-1-3"[..]));
    assert_eq!(loaded.updates, vec![vec![4], vec![5]]);
    assert_eq!(loaded.last_seq, 5);
    // Appends after a compaction continue the sequence.
    store.append(&[append("doc", 6, &[6])]).await?;
    store.compact("doc", b"merged-1-6", 6).await?;
    let loaded = store.load("doc").await?;
    assert_eq!(loaded.state.as_deref(), Some(&b"merged-1-6"[..]));
    assert!(loaded.updates.is_empty());
    assert_eq!(loaded.last_seq, 6);
    Ok(())
}

async fn an_older_compaction_never_replaces_a_newer_state(backend: Backend) -> Result<()> {
    let db = TestDb::new(backend).await?;
    let store = db.open_store().await?;
    let items: Vec<_> = (1..=4).map(|i| append("doc", i, &[i as u8])).collect();
    store.append(&items).await?;
    store.compact("doc", b"up-to-4", 4).await?;
    store.compact("doc", b"up-to-2", 2).await?;
    let loaded = store.load("doc").await?;
    assert_eq!(loaded.state.as_deref(), Some(&b"up-to-4"[..]));
    assert_eq!(loaded.last_seq, 4);
    Ok(())
}

async fn migrations_run_once_and_the_store_reopens(backend: Backend) -> Result<()> {
    let db = TestDb::new(backend).await?;
    let store = db.open_store().await?;
    store.append(&[append("doc", 1, b"kept")]).await?;
    store.close().await;
    let reopened = db.open_store().await?;
    assert_eq!(reopened.load("doc").await?.updates, vec![b"kept".to_vec()]);
    Ok(())
}

/// Migration 0005 rebuilds SQLite's audit table: what was recorded keeps its ids and
/// order, new rows follow them, and the trail is still append-only.
async fn the_audit_trail_survives_the_upgrade_to_0005(backend: Backend) -> Result<()> {
    let db = TestDb::new(backend).await?;
    db.migrate_to(4).await?;
    for detail in ["first", "second", "third"] {
        db.execute(&format!(
            "insert into audit_events (at, actor_kind, document, entity, action, detail) \
             values (1, 'user', 'review-1/board', 'e1', 'edit', '{detail}')"
        ))
        .await?;
    }
    let last_id = db.scalar("select max(id) from audit_events").await?;

    let store = db.open_store().await?;
    let directory = store.directory();
    let details = |events: Vec<board_server::audit::AuditEvent>| {
        events.into_iter().map(|e| e.detail).collect::<Vec<_>>()
    };
    assert_eq!(
        details(directory.entity_history("review-1/board", "e1", 10).await?),
        ["third", "second", "first"]
    );
    assert_eq!(
        db.scalar("select max(id) from audit_events").await?,
        last_id
    );
    if backend == Backend::Sqlite {
        let autoincrement = "select count(*) from sqlite_master \
             where name = 'audit_events' and sql like '%autoincrement%'";
        assert_eq!(db.scalar(autoincrement).await?, 0);
    }

    store
        .append(&[edited("review-1/board", 1, &[("changed", "e1", "summary")])])
        .await?;
    assert_eq!(
        details(directory.entity_history("review-1/board", "e1", 10).await?),
        ["changed", "third", "second", "first"]
    );
    assert!(db.scalar("select max(id) from audit_events").await? > last_id);
    assert!(db.execute("delete from audit_events").await.is_err());
    assert!(
        db.execute("update audit_events set detail = 'x'")
            .await
            .is_err()
    );
    assert_eq!(db.scalar("select count(*) from audit_events").await?, 4);
    Ok(())
}
