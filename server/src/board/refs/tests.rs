use yrs::{Doc, Map, MapPrelim, ReadTxn, Transact, WriteTxn};

use super::*;
use crate::board::{Board, bin::current, changes::ChangeLog};

fn add(doc: &Doc, root: &str, id: &str, order: &str, reference: &str) {
    let mut txn = doc.transact_mut();
    let map = txn.get_or_insert_map(root);
    let e = map.insert(&mut txn, id, MapPrelim::default());
    e.insert(&mut txn, "order", order);
    if !reference.is_empty() {
        e.insert(&mut txn, "ref", reference);
    }
}

/// Runs `edit` on `doc` watched from a shadow taken before it; returns the board with
/// the references the room would give.
fn after(doc: &Doc, edit: impl FnOnce(&Doc)) -> Board {
    let log = ChangeLog::watch(doc);
    let mut shadow = Shadow::default();
    shadow.ensure(doc);
    edit(doc);
    let changes = log.take();
    let now = |kind: &'static str, id: &str| current(doc, kind, id);
    let fixes = assign(&shadow, &now, &changes);
    Board::read(doc).expect("reads").fixed(fixes)
}

fn refs(board: &Board) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = board
        .episodes
        .iter()
        .map(|e| (e.id.clone(), e.reference.clone()))
        .chain(
            board
                .findings
                .iter()
                .map(|f| (f.id.clone(), f.reference.clone())),
        )
        .collect();
    all.sort();
    all
}

#[test]
fn new_items_are_numbered_and_numbers_never_change() {
    let doc = Doc::new();
    add(&doc, "episodes", "e1", "a0", "E1");
    add(&doc, "episodes", "e2", "a1", "E2");
    // Two rows added at once (as three people might), and a finding.
    let board = after(&doc, |doc| {
        add(doc, "episodes", "x", "a2", "");
        add(doc, "episodes", "y", "a2", "E2");
        add(doc, "findings", "g", "a0", "");
    });
    assert_eq!(
        refs(&board),
        [
            ("e1".into(), "E1".into()),
            ("e2".into(), "E2".into()),
            ("g".into(), "F1".into()),
            ("x".into(), "E3".into()),
            ("y".into(), "E4".into()),
        ]
    );

    // Somebody changing a reference gets it put back.
    let doc = Doc::new();
    add(&doc, "episodes", "e1", "a0", "E1");
    let board = after(&doc, |doc| {
        let mut txn = doc.transact_mut();
        let episodes = txn.get_or_insert_map("episodes");
        if let Some(yrs::Out::YMap(e)) = episodes.get(&txn, "e1") {
            e.insert(&mut txn, "ref", "E9");
        }
    });
    assert_eq!(board.episodes[0].reference, "E1");
}

#[test]
fn an_item_that_comes_back_keeps_its_reference_and_old_boards_are_numbered_in_order() {
    let doc = Doc::new();
    add(&doc, "episodes", "e1", "a0", "E1");
    add(&doc, "episodes", "e2", "a1", "E2");
    {
        let mut txn = doc.transact_mut();
        txn.get_or_insert_map("episodes").remove(&mut txn, "e2");
    }
    let board = after(&doc, |doc| add(doc, "episodes", "e2", "a1", "E2"));
    assert_eq!(board.episodes[1].reference, "E2");

    // A board from before references: numbered in board order at its first change.
    let doc = Doc::new();
    add(&doc, "episodes", "b", "a1", "");
    add(&doc, "episodes", "a", "a0", "");
    add(&doc, "episodes", "c", "a2", "");
    let board = after(&doc, |doc| add(doc, "findings", "g", "a0", ""));
    let episodes: Vec<(&str, &str)> = board
        .episodes
        .iter()
        .map(|e| (e.id.as_str(), e.reference.as_str()))
        .collect();
    assert_eq!(episodes, [("a", "E1"), ("b", "E2"), ("c", "E3")]);
    let txn = doc.transact();
    assert!(txn.get_map("findings").is_some());
}
