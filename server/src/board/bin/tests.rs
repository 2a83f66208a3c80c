use yrs::{Any, MapPrelim, MapRef, TextPrelim, TransactionMut, WriteTxn};

use super::*;
use crate::board::changes::ChangeLog;

fn add_entity(txn: &mut TransactionMut, root: &str, id: &str, title: &str) -> MapRef {
    let map = txn.get_or_insert_map(root);
    let entity = map.insert(txn, id, MapPrelim::default());
    let field = if root == "findings" {
        "statement"
    } else {
        "title"
    };
    entity.insert(txn, field, TextPrelim::new(title));
    entity.insert(txn, "order", "a0");
    entity
}

fn add_link(txn: &mut TransactionMut, id: &str, from: &str, to: &str) {
    let links = txn.get_or_insert_map("links");
    let link = links.insert(txn, id, MapPrelim::default());
    link.insert(txn, "from", from);
    link.insert(txn, "to", to);
    link.insert(txn, "kind", "contributed_to");
}

/// A board with two episodes, a factor linked to both, and positions on the map.
fn board() -> Doc {
    let doc = Doc::new();
    let mut txn = doc.transact_mut();
    add_entity(&mut txn, "episodes", "e1", "GP appointment");
    add_entity(&mut txn, "episodes", "e2", "Strategy discussion");
    add_entity(&mut txn, "factors", "f1", "Caseload pressure");
    add_link(&mut txn, "l1", "f1", "e1");
    add_link(&mut txn, "l2", "f1", "e2");
    let layout = txn.get_or_insert_map("layout");
    let mut at = std::collections::HashMap::new();
    at.insert("x".to_string(), Any::from(40));
    at.insert("y".to_string(), Any::from(80));
    layout.insert(&mut txn, "f1", Any::from(at));
    drop(txn);
    doc
}

fn remove(doc: &Doc, root: &str, ids: &[&str]) {
    let mut txn = doc.transact_mut();
    let map = txn.get_or_insert_map(root);
    for id in ids {
        map.remove(&mut txn, id);
    }
}

#[test]
fn a_deleted_entity_is_binned_with_its_links_and_position() {
    let doc = board();
    let log = ChangeLog::watch(&doc);
    let mut shadow = Shadow::default();
    shadow.ensure(&doc);
    {
        // As the app deletes: the entity, its links and its position in one transaction.
        let mut txn = doc.transact_mut();
        txn.get_or_insert_map("factors").remove(&mut txn, "f1");
        let links = txn.get_or_insert_map("links");
        links.remove(&mut txn, "l1");
        links.remove(&mut txn, "l2");
        txn.get_or_insert_map("layout").remove(&mut txn, "f1");
    }
    let binned = shadow.update(&doc, &log.take());
    assert_eq!(binned.len(), 1, "{binned:?}");
    let factor = &binned[0];
    assert_eq!(factor.item.kind(), "factor");
    assert_eq!(factor.item.id(), "f1");
    assert_eq!(factor.label, "Caseload pressure");
    assert_eq!(factor.links.len(), 2);
    assert_eq!(factor.position, Some(Position { x: 40, y: 80 }));

    // Put back on a board that lost e2 meanwhile: only the link to e1 returns.
    remove(&doc, "episodes", &["e2"]);
    let mut live = Board::read(&doc).expect("reads");
    live.put_back(factor).expect("goes back");
    assert!(
        live.factors
            .iter()
            .any(|f| f.id == "f1" && f.title == "Caseload pressure")
    );
    let links: Vec<&str> = live.links.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(links, ["l1"]);
    assert_eq!(live.layout["f1"], Position { x: 40, y: 80 });
    assert_eq!(live.put_back(factor), Err(PutBackError::AlreadyThere));
}

#[test]
fn a_link_deleted_on_its_own_is_binned_with_its_ends_named() {
    let doc = board();
    let log = ChangeLog::watch(&doc);
    let mut shadow = Shadow::default();
    shadow.ensure(&doc);
    remove(&doc, "links", &["l2"]);
    let binned = shadow.update(&doc, &log.take());
    assert_eq!(binned.len(), 1);
    assert_eq!(binned[0].label, "Caseload pressure → Strategy discussion");

    // Its end gone, it cannot come back.
    remove(&doc, "episodes", &["e2"]);
    shadow.update(&doc, &log.take());
    let mut live = Board::read(&doc).expect("reads");
    assert_eq!(live.put_back(&binned[0]), Err(PutBackError::EndMissing));
}

#[test]
fn an_entity_replaced_under_its_own_key_is_binned_and_edits_are_followed() {
    let doc = board();
    let log = ChangeLog::watch(&doc);
    let mut shadow = Shadow::default();
    shadow.ensure(&doc);
    {
        // Typing first: the shadow must hold the latest words.
        let mut txn = doc.transact_mut();
        let episodes = txn.get_or_insert_map("episodes");
        let Some(Out::YMap(e1)) = episodes.get(&txn, "e1") else {
            panic!("e1")
        };
        let Some(Out::YText(title)) = e1.get(&txn, "title") else {
            panic!("title")
        };
        yrs::Text::push(&title, &mut txn, " (missed)");
    }
    assert!(shadow.update(&doc, &log.take()).is_empty());
    {
        let mut txn = doc.transact_mut();
        txn.get_or_insert_map("episodes")
            .insert(&mut txn, "e1", "gone");
    }
    let binned = shadow.update(&doc, &log.take());
    assert_eq!(binned.len(), 1);
    assert_eq!(binned[0].label, "GP appointment (missed)");
}

#[test]
fn one_item_or_one_field_comes_back_from_a_snapshot() {
    let doc = board();
    let snapshot = Board::read(&doc).expect("reads");
    remove(&doc, "links", &["l1"]);
    remove(&doc, "episodes", &["e1"]);
    {
        let mut txn = doc.transact_mut();
        let factors = txn.get_or_insert_map("factors");
        let Some(Out::YMap(f1)) = factors.get(&txn, "f1") else {
            panic!("f1")
        };
        f1.insert(&mut txn, "level", "national");
        f1.insert(&mut txn, "title", TextPrelim::new("Workload"));
    }
    let mut live = Board::read(&doc).expect("reads");
    live.take_from(&snapshot, "factor", "f1", Some("title"))
        .expect("a field");
    let f1 = live.factors.iter().find(|f| f.id == "f1").expect("f1");
    assert_eq!(
        (f1.title.as_str(), f1.level.as_str()),
        ("Caseload pressure", "national")
    );

    live.take_from(&snapshot, "episode", "e1", None)
        .expect("an item");
    assert!(live.episodes.iter().any(|e| e.id == "e1"));
    assert!(
        live.links.iter().any(|l| l.id == "l1"),
        "its link comes back"
    );
    assert_eq!(
        live.take_from(&snapshot, "episode", "nope", None),
        Err(PutBackError::NotInSource)
    );
    for field in ["id", "ref"] {
        assert_eq!(
            live.take_from(&snapshot, "episode", "e1", Some(field)),
            Err(PutBackError::NoSuchField)
        );
    }
}

#[test]
fn binned_items_read_back_as_they_are_stored() {
    let doc = board();
    let log = ChangeLog::watch(&doc);
    let mut shadow = Shadow::default();
    shadow.ensure(&doc);
    remove(&doc, "episodes", &["e2"]);
    let binned = shadow.update(&doc, &log.take());
    let json = serde_json::to_string(&binned[0]).expect("serialises");
    let back: Binned = serde_json::from_str(&json).expect("reads back");
    assert_eq!(back, binned[0]);
}
