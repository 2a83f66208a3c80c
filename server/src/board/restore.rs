//! Bringing a live board back to a snapshot's content as one forward change.
//!
//! [`restore`] compares the live document with the target board and writes only what
//! differs, through the same structures the web app writes (`docs/board-schema.md`):
//! entities missing from the target are deleted, missing ones are created, plain fields
//! are set, and texts are edited character by character. The result is an ordinary
//! update that every client receives like any edit, stored like any edit; nothing
//! stored is overwritten, and restoring another snapshot undoes it.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;
use similar::{ChangeTag, TextDiff};
use yrs::{Any, Map, MapPrelim, MapRef, Out, Text, TextPrelim, TextRef, TransactionMut, WriteTxn};

use super::{Board, VOCABULARIES, VocabularyEntry};

/// Which fields of an entity are texts (`Y.Text`) and which plain values.
pub struct Fields {
    pub texts: &'static [&'static str],
    pub plains: &'static [&'static str],
}

pub const EPISODE: Fields = Fields {
    texts: &[
        "title",
        "whatHappened",
        "seenAtTheTime",
        "appraisal",
        "evidence",
        "openQuestions",
    ],
    plains: &[
        "order",
        "ref",
        "dateKind",
        "dateStart",
        "dateEnd",
        "quality",
        "status",
    ],
};
pub const FACTOR: Fields = Fields {
    texts: &["title", "description"],
    plains: &["order", "level", "type", "polarity"],
};
pub const FINDING: Fields = Fields {
    texts: &[
        "statement",
        "inCase",
        "underlying",
        "widespread",
        "matters",
        "questions",
    ],
    plains: &[
        "order",
        "ref",
        "category",
        "secondaryCategory",
        "effect",
        "status",
        "priority",
    ],
};
pub const RECOMMENDATION: Fields = Fields {
    texts: &["text"],
    plains: &["order", "type", "status"],
};
pub const LINK: Fields = Fields {
    texts: &[],
    plains: &["from", "to", "kind", "polarity"],
};

/// An entity as its schema field names and values (the board's JSON shape).
pub(crate) fn as_fields<T: serde::Serialize>(entity: &T) -> BTreeMap<String, Value> {
    match serde_json::to_value(entity) {
        Ok(Value::Object(map)) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

fn text_of(value: Option<&Value>) -> &str {
    value.and_then(Value::as_str).unwrap_or("")
}

/// Makes the live document's board content equal to `target`.
pub fn restore(txn: &mut TransactionMut, target: &Board) {
    let meta = txn.get_or_insert_map("meta");
    set_any(
        txn,
        &meta,
        "schemaVersion",
        int(i64::from(target.schema_version)),
    );
    set_any(
        txn,
        &meta,
        "vocabularyVersion",
        Any::from(target.vocabulary_version.as_str()),
    );
    for name in VOCABULARIES {
        let map = txn.get_or_insert_map(format!("vocab.{name}"));
        let empty = BTreeMap::new();
        let entries = target.vocabularies.get(name).unwrap_or(&empty);
        restore_vocabulary(txn, &map, entries);
    }

    let episodes = txn.get_or_insert_map("episodes");
    let wanted: Vec<_> = target
        .episodes
        .iter()
        .map(|e| (e.id.clone(), as_fields(e)))
        .collect();
    restore_entities(txn, &episodes, &EPISODE, &wanted, |txn, entity, fields| {
        for set in ["agencies", "chronology"] {
            let keys: Vec<String> = fields
                .get(set)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            restore_set(txn, entity, set, &keys);
        }
    });

    let factors = txn.get_or_insert_map("factors");
    let wanted: Vec<_> = target
        .factors
        .iter()
        .map(|f| (f.id.clone(), as_fields(f)))
        .collect();
    restore_entities(txn, &factors, &FACTOR, &wanted, |_, _, _| {});

    let findings = txn.get_or_insert_map("findings");
    let by_id: HashMap<&str, &super::Finding> =
        target.findings.iter().map(|f| (f.id.as_str(), f)).collect();
    let wanted: Vec<_> = target
        .findings
        .iter()
        .map(|f| (f.id.clone(), as_fields(f)))
        .collect();
    restore_entities(txn, &findings, &FINDING, &wanted, |txn, entity, fields| {
        let id = fields.get("id").and_then(Value::as_str).unwrap_or("");
        let agencies = by_id
            .get(id)
            .map(|f| f.agencies.clone())
            .unwrap_or_default();
        restore_set(txn, entity, "agencies", &agencies);
        restore_seen_before(
            txn,
            entity,
            by_id
                .get(id)
                .map(|f| f.seen_before.as_slice())
                .unwrap_or(&[]),
        );
        let none_wanted = by_id.get(id).is_none_or(|f| f.recommendations.is_empty());
        let recommendations = match entity.get(txn, "recommendations") {
            Some(Out::YMap(map)) => map,
            // A missing list reads as empty.
            None if none_wanted => return,
            _ => entity.insert(txn, "recommendations", MapPrelim::default()),
        };
        let wanted: Vec<_> = by_id
            .get(id)
            .map(|f| {
                f.recommendations
                    .iter()
                    .map(|r| (r.id.clone(), as_fields(r)))
                    .collect()
            })
            .unwrap_or_default();
        restore_entities(
            txn,
            &recommendations,
            &RECOMMENDATION,
            &wanted,
            |_, _, _| {},
        );
    });

    let links = txn.get_or_insert_map("links");
    let wanted: Vec<_> = target
        .links
        .iter()
        .map(|l| (l.id.clone(), as_fields(l)))
        .collect();
    restore_entities(txn, &links, &LINK, &wanted, |_, _, _| {});

    let texts = [
        &target.report.executive_summary,
        &target.report.family_contribution,
    ];
    for (name, wanted) in super::REPORT_TEXTS.into_iter().zip(texts) {
        let text = txn.get_or_insert_text(name);
        edit_text(txn, &text, wanted);
    }

    let layout = txn.get_or_insert_map("layout");
    let stale: Vec<String> = layout
        .keys(txn)
        .filter(|id| !target.layout.contains_key(*id))
        .map(str::to_string)
        .collect();
    for id in stale {
        layout.remove(txn, &id);
    }
    for (id, position) in &target.layout {
        let current = layout.get(txn, id).and_then(|v| super::position(&v));
        if current != Some(*position) {
            let value = Any::from(HashMap::from([
                ("x".to_string(), int(position.x)),
                ("y".to_string(), int(position.y)),
            ]));
            layout.insert(txn, id.as_str(), value);
        }
    }
}

/// An integer as Yjs writes one.
fn int(n: i64) -> Any {
    Any::Number(yrs::any::Number::Int(n))
}

/// Sets a plain value unless it already holds that (numbers compare by value).
fn set_any(txn: &mut TransactionMut, map: &MapRef, key: &str, value: Any) {
    let same = match (map.get(txn, key), &value) {
        (Some(Out::Any(current)), value) if &current == value => true,
        (Some(Out::Any(current)), value) => {
            matches!((super::any_integer(&current), super::any_integer(value)), (Some(a), Some(b)) if a == b)
                && matches!(current, Any::Number(_))
                && matches!(value, Any::Number(_))
        }
        _ => false,
    };
    if !same {
        map.insert(txn, key, value);
    }
}

fn vocabulary_any(entry: &VocabularyEntry) -> Any {
    let mut fields = HashMap::from([
        ("label".to_string(), Any::from(entry.label.as_str())),
        ("order".to_string(), int(entry.order)),
    ]);
    if let Some(short) = &entry.short_label {
        fields.insert("shortLabel".into(), Any::from(short.as_str()));
    }
    if let Some(description) = &entry.description {
        fields.insert("description".into(), Any::from(description.as_str()));
    }
    Any::from(fields)
}

fn restore_vocabulary(
    txn: &mut TransactionMut,
    map: &MapRef,
    entries: &BTreeMap<String, VocabularyEntry>,
) {
    let stale: Vec<String> = map
        .keys(txn)
        .filter(|code| !entries.contains_key(*code))
        .map(str::to_string)
        .collect();
    for code in stale {
        map.remove(txn, &code);
    }
    for (code, entry) in entries {
        let current = map.get(txn, code).and_then(|v| super::vocabulary_entry(&v));
        if current.as_ref() != Some(entry) {
            map.insert(txn, code.as_str(), vocabulary_any(entry));
        }
    }
}

/// Makes the entities of `root` those of `wanted` (id, fields), then calls `extra` on
/// each wanted entity for what `fields` does not cover.
fn restore_entities(
    txn: &mut TransactionMut,
    root: &MapRef,
    spec: &Fields,
    wanted: &[(String, BTreeMap<String, Value>)],
    extra: impl Fn(&mut TransactionMut, &MapRef, &BTreeMap<String, Value>),
) {
    let keep: std::collections::HashSet<&str> = wanted.iter().map(|(id, _)| id.as_str()).collect();
    let stale: Vec<String> = root
        .keys(txn)
        .filter(|id| !keep.contains(*id))
        .map(str::to_string)
        .collect();
    for id in stale {
        root.remove(txn, &id);
    }
    for (id, fields) in wanted {
        let (entity, created) = match root.get(txn, id) {
            Some(Out::YMap(entity)) => (entity, false),
            _ => (root.insert(txn, id.as_str(), MapPrelim::default()), true),
        };
        for name in spec.texts {
            let target = text_of(fields.get(*name));
            match entity.get(txn, name) {
                Some(Out::YText(text)) => edit_text(txn, &text, target),
                // A missing field reads as empty: an existing entity is not given one
                // (a client may be creating it); a new one gets all its texts at once.
                None if !created && target.is_empty() => {}
                _ => {
                    entity.insert(txn, *name, TextPrelim::new(target));
                }
            }
        }
        for name in spec.plains {
            let value = text_of(fields.get(*name));
            // A snapshot from before references never takes one away, and a missing
            // field already reads as empty.
            if value.is_empty() && (*name == "ref" || entity.get(txn, name).is_none()) {
                continue;
            }
            set_any(txn, &entity, name, Any::from(value));
        }
        extra(txn, &entity, fields);
    }
}

/// Makes a finding's `seenBefore` hold exactly `entries` (plain values: an entry that
/// differs is replaced whole).
fn restore_seen_before(txn: &mut TransactionMut, entity: &MapRef, entries: &[super::SeenBefore]) {
    let map = match entity.get(txn, "seenBefore") {
        Some(Out::YMap(map)) => map,
        None if entries.is_empty() => return,
        _ => entity.insert(txn, "seenBefore", MapPrelim::default()),
    };
    let current = super::read_seen_before(txn, &map);
    let stale: Vec<String> = map
        .keys(txn)
        .filter(|id| !entries.iter().any(|e| e.id == *id))
        .map(str::to_string)
        .collect();
    for id in stale {
        map.remove(txn, &id);
    }
    for entry in entries {
        if current.contains(entry) {
            continue;
        }
        map.insert(txn, entry.id.as_str(), entry.as_any());
    }
}

/// Makes a `Y.Map<name, true>` hold exactly `names`.
fn restore_set(txn: &mut TransactionMut, entity: &MapRef, key: &str, names: &[String]) {
    let set = match entity.get(txn, key) {
        Some(Out::YMap(set)) => set,
        // A missing set reads as empty.
        None if names.is_empty() => return,
        _ => entity.insert(txn, key, MapPrelim::default()),
    };
    let stale: Vec<String> = set
        .keys(txn)
        .filter(|name| !names.iter().any(|n| n == name))
        .map(str::to_string)
        .collect();
    for name in stale {
        set.remove(txn, &name);
    }
    for name in names {
        if set.get(txn, name).is_none() {
            set.insert(txn, name.as_str(), true);
        }
    }
}

/// Edits `text` into `target` with the fewest character insertions and deletions, so
/// what is the same keeps its identity (and anyone's caret in it).
fn edit_text(txn: &mut TransactionMut, text: &TextRef, target: &str) {
    use yrs::GetString;
    let current = text.get_string(txn);
    if current == target {
        return;
    }
    // A text holding anything besides strings (an embed, which Yjs allows and an editor
    // may send) takes positions `get_string` does not show; offsets computed from the
    // string would land elsewhere, so such a text is replaced whole.
    let len = text.len(txn);
    if len as usize != current.len() {
        text.remove_range(txn, 0, len);
        text.insert(txn, 0, target);
        return;
    }
    // The server's documents count offsets in UTF-8 bytes (yrs' default).
    let diff = TextDiff::from_chars(current.as_str(), target);
    let mut at: u32 = 0;
    for change in diff.iter_all_changes() {
        let value = change.value();
        let len = value.len() as u32;
        match change.tag() {
            ChangeTag::Equal => at += len,
            ChangeTag::Delete => text.remove_range(txn, at, len),
            ChangeTag::Insert => {
                text.insert(txn, at, value);
                at += len;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use yrs::{Doc, ReadTxn, StateVector, Transact, Update, updates::decoder::Decode};

    fn fixture() -> Vec<u8> {
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../web/src/board/fixtures/board-v1.bin"
        ))
        .expect("the shared fixture")
    }

    fn board_of(doc: &Doc) -> Board {
        Board::read(doc).expect("reads")
    }

    fn load(update: &[u8]) -> Doc {
        let doc = Doc::new();
        doc.transact_mut()
            .apply_update(Update::decode_v1(update).expect("decodes"))
            .expect("applies");
        doc
    }

    #[test]
    fn restoring_brings_back_every_entity_field_link_and_position() {
        let snapshot = fixture();
        let target = Board::from_update(&snapshot).expect("the fixture reads");
        assert!(!target.episodes.is_empty() && !target.findings.is_empty());

        // The live board drifts: entities deleted, texts rewritten, a new row added.
        let live = load(&snapshot);
        {
            let mut txn = live.transact_mut();
            let episodes = txn.get_or_insert_map("episodes");
            let first = target.episodes[0].id.clone();
            if let Some(Out::YMap(row)) = episodes.get(&txn, &first)
                && let Some(Out::YText(text)) = row.get(&txn, "appraisal")
            {
                let len = text.len(&txn);
                text.remove_range(&mut txn, 0, len);
                text.insert(&mut txn, 0, "Rewritten completely");
            }
            let extra = episodes.insert(&mut txn, "extra-row", MapPrelim::default());
            extra.insert(
                &mut txn,
                "title",
                TextPrelim::new("Added after the meeting"),
            );
            let findings = txn.get_or_insert_map("findings");
            findings.remove(&mut txn, &target.findings[0].id);
            let links = txn.get_or_insert_map("links");
            if let Some(link) = target.links.first() {
                links.remove(&mut txn, &link.id);
            }
            let layout = txn.get_or_insert_map("layout");
            layout.clear(&mut txn);
        }
        assert_ne!(board_of(&live), target);
        // A client that has the drifted board.
        let drifted = live
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let client = load(&drifted);

        let before = live.transact().state_vector();
        restore(&mut live.transact_mut(), &target);
        assert_eq!(board_of(&live), target);

        // The restore is an ordinary update: the client receives only it and ends up
        // equal to the snapshot too.
        let delta = live.transact().encode_state_as_update_v1(&before);
        client
            .transact_mut()
            .apply_update(Update::decode_v1(&delta).expect("decodes"))
            .expect("applies");
        assert_eq!(board_of(&client), target);
    }

    #[test]
    fn a_findings_codes_agencies_and_links_seen_before_come_back() {
        let snapshot = fixture();
        let target = Board::from_update(&snapshot).expect("reads");
        let finding = &target.findings[0];
        assert!(!finding.seen_before.is_empty(), "the fixture links one");
        let live = load(&snapshot);
        {
            let mut txn = live.transact_mut();
            let findings = txn.get_or_insert_map("findings");
            let Some(Out::YMap(f)) = findings.get(&txn, &finding.id) else {
                panic!("the finding is there");
            };
            f.insert(&mut txn, "effect", "supports");
            f.insert(&mut txn, "secondaryCategory", "human_judgement_reasoning");
            let agencies = f.insert(&mut txn, "agencies", MapPrelim::default());
            agencies.insert(&mut txn, "Police", true);
            let links = f.insert(&mut txn, "seenBefore", MapPrelim::default());
            let mut other = finding.seen_before[0].clone();
            other.id = "another".into();
            other.relation = "contrasting".into();
            links.insert(&mut txn, "another", other.as_any());
        }
        assert_ne!(board_of(&live), target);
        restore(&mut live.transact_mut(), &target);
        assert_eq!(board_of(&live), target);
    }

    #[test]
    fn restoring_an_equal_board_changes_nothing() {
        let snapshot = fixture();
        let target = Board::from_update(&snapshot).expect("reads");
        let live = load(&snapshot);
        let before = live.transact().state_vector();
        restore(&mut live.transact_mut(), &target);
        assert_eq!(live.transact().state_vector(), before, "no new operations");
    }

    #[test]
    fn a_text_holding_embeds_is_restored_exactly() {
        use yrs::GetString;
        let doc = Doc::new();
        let text = doc.get_or_insert_text("t");
        text.insert(&mut doc.transact_mut(), 0, "Seen café twice");
        // Embeds in the middle take positions the string does not show.
        text.insert_embed(&mut doc.transact_mut(), 5, Any::from("planted"));
        text.insert_embed(&mut doc.transact_mut(), 1, Any::from(true));
        let target = "Seen at the café three times";
        edit_text(&mut doc.transact_mut(), &text, target);
        let txn = doc.transact();
        assert_eq!(text.get_string(&txn), target);
        assert_eq!(text.len(&txn) as usize, target.len(), "no embed left");
    }

    #[test]
    fn texts_are_edited_not_replaced() {
        let doc = Doc::new();
        let text = doc.get_or_insert_text("t");
        text.insert(
            &mut doc.transact_mut(),
            0,
            "The health visitor saw the family twice.",
        );
        edit_text(
            &mut doc.transact_mut(),
            &text,
            "The health visitor saw the family three times — café.",
        );
        use yrs::GetString;
        assert_eq!(
            text.get_string(&doc.transact()),
            "The health visitor saw the family three times — café."
        );
    }
}
