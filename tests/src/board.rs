//! Writing a review board the way the web app does (docs/board-schema.md), from a yrs
//! document: for tests that build boards by scripted edits.

use yrs::{Any, Doc, Map, MapPrelim, MapRef, Out, Text, TextPrelim, Transact, WriteTxn};

fn entity(doc: &Doc, root: &str, id: &str) -> Option<MapRef> {
    let mut txn = doc.transact_mut();
    let root = txn.get_or_insert_map(root);
    match root.get(&txn, id) {
        Some(Out::YMap(map)) => Some(map),
        _ => None,
    }
}

/// Adds an episode with a title and an appraisal.
pub fn add_episode(doc: &Doc, id: &str, order: &str, title: &str, appraisal: &str) {
    let mut txn = doc.transact_mut();
    let episodes = txn.get_or_insert_map("episodes");
    let e = episodes.insert(&mut txn, id, MapPrelim::default());
    e.insert(&mut txn, "order", order);
    for (field, value) in [
        ("title", title),
        ("whatHappened", ""),
        ("seenAtTheTime", ""),
        ("appraisal", appraisal),
        ("evidence", ""),
        ("openQuestions", ""),
    ] {
        e.insert(&mut txn, field, TextPrelim::new(value));
    }
    for (field, value) in [
        ("dateKind", "exact"),
        ("dateStart", "2023-03-14"),
        ("dateEnd", ""),
        ("quality", "mixed"),
        ("status", "candidate"),
    ] {
        e.insert(&mut txn, field, value);
    }
    let agencies = e.insert(&mut txn, "agencies", MapPrelim::default());
    agencies.insert(&mut txn, "Health visiting", true);
}

/// Links chronology entries to an episode (its `chronology` set), as the board does
/// when entries are made an episode or added to one.
pub fn link_entries(doc: &Doc, episode: &str, entries: &[&str]) {
    let mut txn = doc.transact_mut();
    let episodes = txn.get_or_insert_map("episodes");
    let Some(yrs::Out::YMap(e)) = episodes.get(&txn, episode) else {
        return;
    };
    let set = match e.get(&txn, "chronology") {
        Some(yrs::Out::YMap(set)) => set,
        _ => e.insert(&mut txn, "chronology", MapPrelim::default()),
    };
    for id in entries {
        set.insert(&mut txn, *id, true);
    }
}

/// Writes `text` at the end of the root `Y.Text` named `name` (the report's own words).
pub fn append_root_text(doc: &Doc, name: &str, text: &str) {
    let mut txn = doc.transact_mut();
    let root = txn.get_or_insert_text(name);
    let end = root.len(&txn);
    root.insert(&mut txn, end, text);
}

/// Writes the vocabularies the web app starts every board with (typology, factor levels
/// and types, recommendation types), as the shared fixture holds them.
pub fn init_vocabularies(doc: &Doc) {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("../../web/src/board/fixtures/board-v1.json"))
            .unwrap_or_default();
    let mut txn = doc.transact_mut();
    let Some(vocabularies) = fixture["vocabularies"].as_object() else {
        return;
    };
    for (name, entries) in vocabularies {
        let map = txn.get_or_insert_map(format!("vocab.{name}"));
        for (code, entry) in entries.as_object().into_iter().flatten() {
            let mut fields = std::collections::HashMap::new();
            for (key, value) in entry.as_object().into_iter().flatten() {
                let value = match value {
                    serde_json::Value::Number(n) => Any::from(n.as_f64().unwrap_or(0.0)),
                    other => Any::from(other.as_str().unwrap_or_default()),
                };
                fields.insert(key.clone(), value);
            }
            map.insert(&mut txn, code.as_str(), Any::from(fields));
        }
    }
}

/// Adds a contributory factor.
pub fn add_factor(doc: &Doc, id: &str, order: &str, title: &str) {
    let mut txn = doc.transact_mut();
    let factors = txn.get_or_insert_map("factors");
    let f = factors.insert(&mut txn, id, MapPrelim::default());
    f.insert(&mut txn, "order", order);
    f.insert(&mut txn, "title", TextPrelim::new(title));
    f.insert(&mut txn, "description", TextPrelim::new(""));
    f.insert(&mut txn, "level", "frontline");
    f.insert(&mut txn, "type", "other");
    f.insert(&mut txn, "polarity", "hindering");
}

/// Adds a finding with a statement and a typology category.
pub fn add_finding(doc: &Doc, id: &str, order: &str, statement: &str, category: &str) {
    let mut txn = doc.transact_mut();
    let findings = txn.get_or_insert_map("findings");
    let f = findings.insert(&mut txn, id, MapPrelim::default());
    f.insert(&mut txn, "order", order);
    for (field, value) in [
        ("statement", statement),
        ("inCase", "It showed in how the visits were recorded."),
        ("underlying", ""),
        ("widespread", ""),
        ("matters", "Children are missed."),
        ("questions", "How will the board know?"),
    ] {
        f.insert(&mut txn, field, TextPrelim::new(value));
    }
    f.insert(&mut txn, "category", category);
    f.insert(&mut txn, "status", "draft");
    f.insert(&mut txn, "priority", "high");
    let recs = f.insert(&mut txn, "recommendations", MapPrelim::default());
    let r = recs.insert(&mut txn, format!("{id}-r1"), MapPrelim::default());
    r.insert(&mut txn, "order", "a0");
    r.insert(
        &mut txn,
        "text",
        TextPrelim::new("Agree one record of visits."),
    );
    r.insert(&mut txn, "type", "local_clear_cut");
}

/// Links two entities.
pub fn add_link(doc: &Doc, id: &str, from: &str, to: &str, kind: &str) {
    let mut txn = doc.transact_mut();
    let links = txn.get_or_insert_map("links");
    let l = links.insert(&mut txn, id, MapPrelim::default());
    l.insert(&mut txn, "from", from);
    l.insert(&mut txn, "to", to);
    l.insert(&mut txn, "kind", kind);
    l.insert(&mut txn, "polarity", "negative");
}

/// Appends to a text field of an entity.
pub fn append_text(doc: &Doc, root: &str, id: &str, field: &str, text: &str) {
    let Some(e) = entity(doc, root, id) else {
        return;
    };
    let mut txn = doc.transact_mut();
    if let Some(Out::YText(t)) = e.get(&txn, field) {
        let len = t.len(&txn);
        t.insert(&mut txn, len, text);
    }
}

/// Sets a plain field of an entity.
pub fn set_field(doc: &Doc, root: &str, id: &str, field: &str, value: &str) {
    let Some(e) = entity(doc, root, id) else {
        return;
    };
    e.insert(&mut doc.transact_mut(), field, Any::from(value));
}

/// Deletes an entity from its root.
pub fn remove(doc: &Doc, root: &str, id: &str) {
    let mut txn = doc.transact_mut();
    let root = txn.get_or_insert_map(root);
    root.remove(&mut txn, id);
}

/// Adds `key` to a set (a `Y.Map<key, true>`) of an entity, making the set if needed.
pub fn add_to_set(doc: &Doc, root: &str, id: &str, field: &str, key: &str) {
    let Some(e) = entity(doc, root, id) else {
        return;
    };
    let mut txn = doc.transact_mut();
    let set = match e.get(&txn, field) {
        Some(Out::YMap(set)) => set,
        _ => e.insert(&mut txn, field, MapPrelim::default()),
    };
    set.insert(&mut txn, key, true);
}
