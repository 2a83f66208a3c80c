//! What an update changed, in the board's own terms: which entity, which field. The
//! room watches the board's root maps and the audit trail records what it saw, so the
//! app can show the history of a row, factor or finding.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
};

use yrs::{
    DeepObservable, Doc, Map, Out, TransactionMut,
    types::{EntryChange, Event, PathSegment},
};

use crate::audit::Change;

/// The roots that hold entities, and what the audit trail calls their entities.
const ENTITY_ROOTS: [(&str, &str); 5] = [
    ("episodes", "episode"),
    ("factors", "factor"),
    ("findings", "finding"),
    ("links", "link"),
    ("suggestions", "suggestion"),
];
/// Positions on the factor map, keyed by entity id.
const LAYOUT_ROOT: &str = "layout";
/// The key of this module's observers (one per root).
const OBSERVER: &str = "board-audit";

/// Collects the changes each transaction on a document makes to its board entities.
#[derive(Clone, Default)]
pub struct ChangeLog {
    seen: Arc<Mutex<Seen>>,
    /// Each link's two ends, kept as links come and go: a removed link's content is gone
    /// by the time its removal is seen, and its ends' history should still show it.
    link_ends: Arc<Mutex<HashMap<String, [String; 2]>>>,
}

impl ChangeLog {
    /// Starts watching `doc`'s board roots.
    pub fn watch(doc: &Doc) -> Self {
        let log = ChangeLog::default();
        for (root, kind) in ENTITY_ROOTS {
            let seen = log.seen.clone();
            let link_ends = log.link_ends.clone();
            doc.get_or_insert_map(root)
                .observe_deep(OBSERVER, move |txn, events| {
                    let mut changes = Vec::new();
                    let mut ends = link_ends.lock().unwrap_or_else(|e| e.into_inner());
                    for event in events.iter() {
                        entity_changes(kind, txn, event, &mut ends, &mut changes);
                    }
                    log_changes(&seen, changes);
                });
        }
        let seen = log.seen.clone();
        doc.get_or_insert_map(LAYOUT_ROOT)
            .observe_deep(OBSERVER, move |txn, events| {
                let mut changes = Vec::new();
                for event in events.iter() {
                    layout_changes(txn, event, &mut changes);
                }
                log_changes(&seen, changes);
            });
        log
    }

    /// The changes seen since the last call, each once, in the order first seen.
    pub fn take(&self) -> Vec<Change> {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.known.clear();
        std::mem::take(&mut seen.order)
    }

    /// How many distinct changes have been seen since the last [`take`](Self::take).
    pub fn len(&self) -> usize {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Changes in the order first seen, each once. The set makes a repeat cost O(1): one
/// update can touch hundreds of thousands of fields.
#[derive(Default)]
struct Seen {
    order: Vec<Change>,
    known: HashSet<Change>,
}

fn log_changes(seen: &Mutex<Seen>, changes: Vec<Change>) {
    let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
    for change in changes {
        if seen.known.insert(change.clone()) {
            seen.order.push(change);
        }
    }
}

fn key(segment: Option<&PathSegment>) -> Option<String> {
    match segment {
        Some(PathSegment::Key(key)) => Some(key.to_string()),
        _ => None,
    }
}

fn action(change: &EntryChange) -> &'static str {
    match change {
        EntryChange::Inserted(_) => "added",
        EntryChange::Updated(_, _) => "changed",
        EntryChange::Removed(_) => "removed",
    }
}

/// An event under one entity root: the root itself (entities added or removed), an
/// entity's map (plain fields set), or anything deeper (a text, a set, a nested map),
/// which counts as a change to the entity field it sits in.
fn entity_changes(
    kind: &'static str,
    txn: &TransactionMut,
    event: &Event,
    link_ends: &mut HashMap<String, [String; 2]>,
    out: &mut Vec<Change>,
) {
    let path = event.path();
    match (key(path.front()), key(path.get(1))) {
        (None, _) => {
            let Event::Map(map) = event else { return };
            for (id, change) in map.keys(txn) {
                out.push(Change {
                    action: action(change),
                    entity_kind: kind,
                    entity: id.to_string(),
                    field: String::new(),
                });
                // A link is also part of the history of both things it joins.
                if kind == "link" {
                    link_changes(txn, id, change, link_ends, out);
                }
            }
        }
        (Some(entity), None) => {
            let Event::Map(map) = event else { return };
            for (field, change) in map.keys(txn) {
                let action = if &**field == "order" {
                    "moved"
                } else {
                    action(change)
                };
                out.push(Change {
                    action,
                    entity_kind: kind,
                    entity: entity.clone(),
                    field: field.to_string(),
                });
            }
        }
        (Some(entity), Some(field)) => out.push(Change {
            action: "changed",
            entity_kind: kind,
            entity,
            field,
        }),
    }
}

/// Records "linked" or "unlinked" on both ends of a link added or removed, and keeps
/// the index of ends up to date.
fn link_changes(
    txn: &TransactionMut,
    id: &str,
    change: &EntryChange,
    link_ends: &mut HashMap<String, [String; 2]>,
    out: &mut Vec<Change>,
) {
    let mut end = |action: &'static str, entity: &str| {
        out.push(Change {
            action,
            entity_kind: "",
            entity: entity.to_string(),
            field: "links".into(),
        })
    };
    if let EntryChange::Removed(_) | EntryChange::Updated(_, _) = change
        && let Some(ends) = link_ends.remove(id)
    {
        for entity in &ends {
            end("unlinked", entity);
        }
    }
    if let EntryChange::Inserted(Out::YMap(link)) | EntryChange::Updated(_, Out::YMap(link)) =
        change
    {
        let read = |key: &str| match link.get(txn, key) {
            Some(Out::Any(yrs::Any::String(id))) => Some(id.to_string()),
            _ => None,
        };
        if let (Some(from), Some(to)) = (read("from"), read("to")) {
            end("linked", &from);
            end("linked", &to);
            link_ends.insert(id.to_string(), [from, to]);
        }
    }
}

/// A position set on the factor map counts as moving that entity.
fn layout_changes(txn: &TransactionMut, event: &Event, out: &mut Vec<Change>) {
    let path = event.path();
    if let Some(entity) = key(path.front()) {
        out.push(Change {
            action: "moved",
            entity_kind: "",
            entity,
            field: "position".into(),
        });
        return;
    }
    let Event::Map(map) = event else { return };
    for (entity, change) in map.keys(txn) {
        if matches!(change, EntryChange::Removed(_)) {
            continue;
        }
        out.push(Change {
            action: "moved",
            entity_kind: "",
            entity: entity.to_string(),
            field: "position".into(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::{MapPrelim, ReadTxn, Text, TextPrelim, Transact, Update, updates::decoder::Decode};

    /// Applies a change made on another doc (as a client would send it) and returns
    /// what the watched doc saw.
    fn seen_after(
        server: &Doc,
        log: &ChangeLog,
        client: &Doc,
        edit: impl FnOnce(&Doc),
    ) -> Vec<Change> {
        let before = client.transact().state_vector();
        edit(client);
        let update = client.transact().encode_state_as_update_v1(&before);
        let update = Update::decode_v1(&update).expect("decodes");
        server.transact_mut().apply_update(update).expect("applies");
        log.take()
    }

    fn change(action: &'static str, kind: &'static str, entity: &str, field: &str) -> Change {
        Change {
            action,
            entity_kind: kind,
            entity: entity.into(),
            field: field.into(),
        }
    }

    #[test]
    fn entity_fields_and_texts_are_named() {
        let server = Doc::new();
        let log = ChangeLog::watch(&server);
        let client = Doc::new();
        let episodes = client.get_or_insert_map("episodes");

        let added = seen_after(&server, &log, &client, |_| {
            let mut txn = client.transact_mut();
            let row = episodes.insert(&mut txn, "e1", MapPrelim::default());
            row.insert(&mut txn, "appraisal", TextPrelim::new(""));
            row.insert(&mut txn, "status", "candidate");
        });
        assert_eq!(added, vec![change("added", "episode", "e1", "")]);

        let typed = seen_after(&server, &log, &client, |_| {
            let mut txn = client.transact_mut();
            let Some(Out::YMap(row)) = episodes.get(&txn, "e1") else {
                panic!("row")
            };
            let Some(Out::YText(text)) = row.get(&txn, "appraisal") else {
                panic!("text")
            };
            text.insert(&mut txn, 0, "Good practice");
        });
        assert_eq!(typed, vec![change("changed", "episode", "e1", "appraisal")]);

        let set = seen_after(&server, &log, &client, |_| {
            let mut txn = client.transact_mut();
            let Some(Out::YMap(row)) = episodes.get(&txn, "e1") else {
                panic!("row")
            };
            row.insert(&mut txn, "status", "agreed");
            row.insert(&mut txn, "order", "a1");
        });
        assert_eq!(set.len(), 2);
        assert!(set.contains(&change("changed", "episode", "e1", "status")));
        assert!(set.contains(&change("moved", "episode", "e1", "order")));

        let removed = seen_after(&server, &log, &client, |_| {
            episodes.remove(&mut client.transact_mut(), "e1");
        });
        assert_eq!(removed, vec![change("removed", "episode", "e1", "")]);
    }

    #[test]
    fn links_belong_to_both_ends_and_layout_moves_entities() {
        let server = Doc::new();
        let log = ChangeLog::watch(&server);
        let client = Doc::new();
        let links = client.get_or_insert_map("links");
        let layout = client.get_or_insert_map("layout");

        let linked = seen_after(&server, &log, &client, |_| {
            let mut txn = client.transact_mut();
            links.insert(
                &mut txn,
                "l1",
                MapPrelim::from([("from", "f1"), ("to", "e1")]),
            );
        });
        assert_eq!(linked.len(), 3, "{linked:?}");
        assert!(linked.contains(&change("added", "link", "l1", "")));
        assert!(linked.contains(&change("linked", "", "f1", "links")));
        assert!(linked.contains(&change("linked", "", "e1", "links")));

        let unlinked = seen_after(&server, &log, &client, |_| {
            links.remove(&mut client.transact_mut(), "l1");
        });
        assert_eq!(unlinked.len(), 3, "{unlinked:?}");
        assert!(unlinked.contains(&change("removed", "link", "l1", "")));
        assert!(unlinked.contains(&change("unlinked", "", "f1", "links")));
        assert!(unlinked.contains(&change("unlinked", "", "e1", "links")));

        let moved = seen_after(&server, &log, &client, |_| {
            layout.insert(
                &mut client.transact_mut(),
                "f1",
                MapPrelim::from([("x", 1), ("y", 2)]),
            );
        });
        assert_eq!(moved, vec![change("moved", "", "f1", "position")]);
    }

    #[test]
    fn links_loaded_from_the_store_are_known_when_removed() {
        let client = Doc::new();
        let links = client.get_or_insert_map("links");
        links.insert(
            &mut client.transact_mut(),
            "l1",
            MapPrelim::from([("from", "f1"), ("to", "e1")]),
        );
        // A room opening the stored board: one merged state, applied before any edit.
        let stored = client
            .transact()
            .encode_state_as_update_v1(&yrs::StateVector::default());
        let server = Doc::new();
        let log = ChangeLog::watch(&server);
        let update = Update::decode_v1(&stored).expect("decodes");
        server.transact_mut().apply_update(update).expect("applies");
        log.take();
        let unlinked = seen_after(&server, &log, &client, |_| {
            links.remove(&mut client.transact_mut(), "l1");
        });
        assert!(
            unlinked.contains(&change("unlinked", "", "f1", "links")),
            "{unlinked:?}"
        );
        assert!(unlinked.contains(&change("unlinked", "", "e1", "links")));
    }

    #[test]
    fn many_fields_in_one_update_are_each_named_once_in_linear_time() {
        let server = Doc::new();
        let log = ChangeLog::watch(&server);
        let client = Doc::new();
        let episodes = client.get_or_insert_map("episodes");
        let count = 50_000;
        let seen = seen_after(&server, &log, &client, |_| {
            let mut txn = client.transact_mut();
            let row = episodes.insert(&mut txn, "e1", MapPrelim::default());
            for i in 0..count {
                row.insert(&mut txn, format!("field{i}"), i);
            }
        });
        // Quadratic de-duplication took minutes here; linear takes milliseconds.
        assert_eq!(seen, vec![change("added", "episode", "e1", "")]);
        let seen = seen_after(&server, &log, &client, |_| {
            let mut txn = client.transact_mut();
            let Some(Out::YMap(row)) = episodes.get(&txn, "e1") else {
                panic!("row")
            };
            for i in 0..count {
                row.insert(&mut txn, format!("field{i}"), i + 1);
            }
        });
        assert_eq!(seen.len(), count as usize);
        assert!(log.is_empty());
    }

    #[test]
    fn other_documents_record_nothing_named() {
        let server = Doc::new();
        let log = ChangeLog::watch(&server);
        let client = Doc::new();
        let text = client.get_or_insert_text("t");
        let seen = seen_after(&server, &log, &client, |_| {
            text.insert(&mut client.transact_mut(), 0, "hello");
        });
        assert!(seen.is_empty());
        let _ = server.transact().state_vector();
    }
}
