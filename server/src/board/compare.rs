//! What changed between two readings of a board: entities added, removed and changed,
//! field by field, with word-level changes in texts and re-classified findings called
//! out. Pure: both sides are [`Board`]s (a snapshot, or the live board read just now).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use similar::{ChangeTag, TextDiff};
use utoipa::ToSchema;

use super::{
    Board,
    restore::{EPISODE, FACTOR, FINDING, Fields, LINK, RECOMMENDATION, as_fields},
};

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Comparison {
    pub episodes: EntityChanges,
    pub factors: EntityChanges,
    pub findings: EntityChanges,
    /// Recommendations of every finding; `parent` is the finding's id.
    pub recommendations: EntityChanges,
    pub links: EntityChanges,
    /// Findings whose typology category changed.
    pub reclassified: Vec<Reclassified>,
    /// Entities whose position on the factor map changed (or was set or cleared).
    pub moved_on_map: Vec<String>,
    /// Added, removed and changed entities, all kinds together.
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct EntityChanges {
    pub added: Vec<EntitySummary>,
    pub removed: Vec<EntitySummary>,
    pub changed: Vec<ChangedEntity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EntitySummary {
    pub id: String,
    /// Its title (a finding's statement, a recommendation's text, a link's ends).
    pub label: String,
    /// The finding a recommendation belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ChangedEntity {
    pub id: String,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldChange {
    /// The schema's field name (`appraisal`, `status`, `order` for a move, ...).
    pub field: String,
    pub before: String,
    pub after: String,
    /// For texts: the words kept, removed and added, in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<WordChange>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WordChange {
    /// `same`, `removed` or `added`.
    pub op: &'static str,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Reclassified {
    pub id: String,
    pub label: String,
    pub before: String,
    pub after: String,
    /// The categories' labels from the boards' typologies.
    pub before_label: String,
    pub after_label: String,
}

type Entities = BTreeMap<String, (BTreeMap<String, Value>, Option<String>)>;

/// Compares `before` with `after`.
pub fn compare(before: &Board, after: &Board) -> Comparison {
    let episodes = diff(
        &entities(&before.episodes, None),
        &entities(&after.episodes, None),
        &EPISODE,
        "title",
        &["agencies"],
    );
    let factors = diff(
        &entities(&before.factors, None),
        &entities(&after.factors, None),
        &FACTOR,
        "title",
        &[],
    );
    let findings = diff(
        &entities(&before.findings, None),
        &entities(&after.findings, None),
        &FINDING,
        "statement",
        &["agencies"],
    );
    let recommendations = diff(
        &recommendations(before),
        &recommendations(after),
        &RECOMMENDATION,
        "text",
        &[],
    );
    let mut links = diff(
        &entities(&before.links, None),
        &entities(&after.links, None),
        &LINK,
        "",
        &[],
    );
    name_link_ends(&mut links, before, after);

    let typology_label = |board: &Board, code: &str| {
        board
            .vocabularies
            .get("typology")
            .and_then(|t| t.get(code))
            .map(|e| e.label.clone())
            .unwrap_or_else(|| {
                if code.is_empty() {
                    "Unclassified".into()
                } else {
                    code.to_string()
                }
            })
    };
    let reclassified = findings
        .changed
        .iter()
        .filter_map(|entity| {
            let change = entity.fields.iter().find(|f| f.field == "category")?;
            Some(Reclassified {
                id: entity.id.clone(),
                label: entity.label.clone(),
                before: change.before.clone(),
                after: change.after.clone(),
                before_label: typology_label(before, &change.before),
                after_label: typology_label(after, &change.after),
            })
        })
        .collect();

    let mut moved_on_map: Vec<String> = before
        .layout
        .keys()
        .chain(after.layout.keys())
        .filter(|id| before.layout.get(*id) != after.layout.get(*id))
        .cloned()
        .collect();
    moved_on_map.sort();
    moved_on_map.dedup();

    let all = [&episodes, &factors, &findings, &recommendations, &links];
    Comparison {
        added: all.iter().map(|c| c.added.len()).sum(),
        removed: all.iter().map(|c| c.removed.len()).sum(),
        changed: all.iter().map(|c| c.changed.len()).sum(),
        episodes,
        factors,
        findings,
        recommendations,
        links,
        reclassified,
        moved_on_map,
    }
}

/// Labels links by the titles of what they join ("Staff turnover → Home visit"),
/// looked up on whichever side still has them.
fn name_link_ends(links: &mut EntityChanges, before: &Board, after: &Board) {
    let title = |id: &str| -> String {
        for board in [after, before] {
            if let Some(e) = board.episodes.iter().find(|e| e.id == id) {
                return e.title.clone();
            }
            if let Some(f) = board.factors.iter().find(|f| f.id == id) {
                return f.title.clone();
            }
            if let Some(f) = board.findings.iter().find(|f| f.id == id) {
                return f.statement.clone();
            }
        }
        id.to_string()
    };
    let ends = |id: &str| {
        after
            .links
            .iter()
            .chain(before.links.iter())
            .find(|l| l.id == id)
            .map(|l| format!("{} → {}", title(&l.from), title(&l.to)))
    };
    for summary in links.added.iter_mut().chain(links.removed.iter_mut()) {
        if let Some(label) = ends(&summary.id) {
            summary.label = label;
        }
    }
    for changed in &mut links.changed {
        if let Some(label) = ends(&changed.id) {
            changed.label = label;
        }
    }
}

fn entities<T: Serialize>(list: &[T], parent: Option<&str>) -> Entities {
    list.iter()
        .map(|entity| {
            let fields = as_fields(entity);
            let id = fields
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            (id, (fields, parent.map(str::to_string)))
        })
        .collect()
}

fn recommendations(board: &Board) -> Entities {
    board
        .findings
        .iter()
        .flat_map(|f| entities(&f.recommendations, Some(&f.id)))
        .collect()
}

fn plain(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn label(fields: &BTreeMap<String, Value>, label_field: &str) -> String {
    if label_field.is_empty() {
        format!(
            "{} → {}",
            plain(fields.get("from")),
            plain(fields.get("to"))
        )
    } else {
        plain(fields.get(label_field))
    }
}

fn diff(
    before: &Entities,
    after: &Entities,
    spec: &Fields,
    label_field: &str,
    lists: &[&str],
) -> EntityChanges {
    let mut changes = EntityChanges::default();
    for (id, (fields, parent)) in before {
        if !after.contains_key(id) {
            changes.removed.push(EntitySummary {
                id: id.clone(),
                label: label(fields, label_field),
                parent: parent.clone(),
            });
        }
    }
    for (id, (fields, parent)) in after {
        let Some((old, _)) = before.get(id) else {
            changes.added.push(EntitySummary {
                id: id.clone(),
                label: label(fields, label_field),
                parent: parent.clone(),
            });
            continue;
        };
        let mut changed = Vec::new();
        for name in spec.texts {
            let (a, b) = (plain(old.get(*name)), plain(fields.get(*name)));
            if a != b {
                let words = words(&a, &b);
                changed.push(FieldChange {
                    field: name.to_string(),
                    before: a,
                    after: b,
                    words: Some(words),
                });
            }
        }
        for name in spec.plains.iter().chain(lists) {
            let (a, b) = (plain(old.get(*name)), plain(fields.get(*name)));
            // References are assigned, never edited: one appearing is not a change.
            if a != b && *name != "ref" {
                changed.push(FieldChange {
                    field: name.to_string(),
                    before: a,
                    after: b,
                    words: None,
                });
            }
        }
        if !changed.is_empty() {
            changes.changed.push(ChangedEntity {
                id: id.clone(),
                label: label(fields, label_field),
                parent: parent.clone(),
                fields: changed,
            });
        }
    }
    changes
}

/// Word-level changes from `a` to `b` (runs of the same kind merged).
pub fn words(a: &str, b: &str) -> Vec<WordChange> {
    let diff = TextDiff::from_words(a, b);
    let mut out: Vec<WordChange> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Delete => "removed",
            ChangeTag::Insert => "added",
        };
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => out.push(WordChange {
                op,
                text: change.value().to_string(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Board {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../web/src/board/fixtures/board-v1.bin"
        ))
        .expect("the shared fixture");
        Board::from_update(&bytes).expect("reads")
    }

    #[test]
    fn a_board_compared_with_itself_has_no_changes() {
        let board = fixture();
        let same = compare(&board, &board);
        assert_eq!((same.added, same.removed, same.changed), (0, 0, 0));
        assert!(same.reclassified.is_empty() && same.moved_on_map.is_empty());
    }

    #[test]
    fn exactly_the_changes_made_are_found() {
        let before = fixture();
        let mut after = before.clone();
        after.episodes[0].appraisal = format!(
            "{} Revised after the follow-on meeting.",
            before.episodes[0].appraisal
        );
        after.episodes[0].status = "agreed".into();
        let removed = after.factors.remove(0);
        let old_category = after.findings[0].category.clone();
        after.findings[0].category = if old_category == "human_tasks" {
            "tools".into()
        } else {
            "human_tasks".into()
        };
        let mut extra = after.episodes[0].clone();
        extra.id = "new-episode".into();
        extra.title = "A visit nobody recorded".into();
        after.episodes.push(extra);

        let c = compare(&before, &after);
        assert_eq!(c.episodes.added.len(), 1);
        assert_eq!(c.episodes.added[0].label, "A visit nobody recorded");
        assert_eq!(c.factors.removed.len(), 1);
        assert_eq!(c.factors.removed[0].id, removed.id);
        assert_eq!(c.episodes.changed.len(), 1);
        let fields: Vec<&str> = c.episodes.changed[0]
            .fields
            .iter()
            .map(|f| f.field.as_str())
            .collect();
        assert_eq!(fields, vec!["appraisal", "status"]);
        let words = c.episodes.changed[0].fields[0]
            .words
            .clone()
            .unwrap_or_default();
        let added: String = words
            .iter()
            .filter(|w| w.op == "added")
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(added.trim(), "Revised after the follow-on meeting.");
        assert!(words.iter().all(|w| w.op != "removed"));
        assert_eq!(c.reclassified.len(), 1);
        assert_eq!(c.reclassified[0].before, old_category);
        assert_eq!(c.findings.changed.len(), 1);
        assert_eq!((c.added, c.removed, c.changed), (1, 1, 2));
    }

    #[test]
    fn word_changes_merge_runs() {
        let w = words(
            "the family was seen twice",
            "the family was seen three times",
        );
        let ops: Vec<&str> = w.iter().map(|c| c.op).collect();
        assert_eq!(ops, vec!["same", "removed", "added"]);
        assert_eq!(w[1].text, "twice");
        assert_eq!(w[2].text, "three times");
    }
}
