//! What a text said before a run of changes to it, so that the history can show each
//! run's words before and after (word-level, as comparisons do). A run is one person's
//! changes to one text field of one entity, each within five minutes of the last; the
//! room notes the field's text as it was when a run begins, and the next run's start
//! (or the board as it is now) says what the run left.

use std::collections::HashMap;

use super::{
    bin::{Item, Shadow},
    restore::{self, EPISODE, FACTOR, FINDING},
};
use crate::audit::{Change, FieldText};

/// Changes by one person to one field this close together are one run.
pub const RUN_MS: i64 = 5 * 60_000;

/// Fields tracked at once before old runs are forgotten (they would have ended anyway).
const MOST_TRACKED: usize = 4_096;

/// The runs in progress on one board: who last changed each entity, which field, and
/// when. A run goes on while the same person keeps changing the same field of an entity
/// and nothing else of it changes in between: the history lists an entity's changes in
/// order and groups them by the same rule, so its lines and the runs line up.
#[derive(Debug, Default)]
pub struct Runs {
    last: HashMap<String, Last>,
}

#[derive(Debug)]
struct Last {
    author: String,
    field: String,
    at_ms: i64,
}

impl Runs {
    /// Notes changes the room made itself (undoing a change to agreed work): they end
    /// the runs they touch, as they end the history's lines.
    pub fn interrupted(&mut self, author: &str, now_ms: i64, changes: &[Change]) {
        for change in changes
            .iter()
            .filter(|c| !c.entity.is_empty() && c.field != "ref")
        {
            self.note(change, author, now_ms);
        }
    }

    /// Records `author`'s change as the entity's last; true when it goes on that
    /// author's run of the same field. Typing keeps its entry and copies nothing.
    fn note(&mut self, change: &Change, author: &str, now_ms: i64) -> bool {
        if let Some(last) = self.last.get_mut(&change.entity)
            && last.author == author
            && last.field == change.field
        {
            let continues = now_ms - last.at_ms <= RUN_MS;
            last.at_ms = now_ms;
            return continues;
        }
        self.last.insert(
            change.entity.clone(),
            Last {
                author: author.to_string(),
                field: change.field.clone(),
                at_ms: now_ms,
            },
        );
        false
    }

    /// The texts to keep for an update by `author` at `now_ms` that made `changes`: for
    /// each text field where a run begins, its text before the update, from `shadow`
    /// (the board as it was; a field of an entity the update added was empty).
    pub fn begun(
        &mut self,
        shadow: &Shadow,
        author: &str,
        now_ms: i64,
        changes: &[Change],
    ) -> Vec<FieldText> {
        if self.last.len() > MOST_TRACKED {
            self.last.retain(|_, last| now_ms - last.at_ms <= RUN_MS);
        }
        let mut begun: Vec<FieldText> = Vec::new();
        for change in changes {
            // The room gives references itself; the history does not show them.
            if change.entity.is_empty() || change.field == "ref" {
                continue;
            }
            let continues = self.note(change, author, now_ms);
            let text_changed =
                change.action == "changed" && is_text(change.entity_kind, &change.field);
            let already = begun
                .iter()
                .any(|t| t.entity == change.entity && t.field == change.field);
            if !text_changed || continues || already {
                continue;
            }
            let text = shadow
                .get(change.entity_kind, &change.entity)
                .map(|item| text_of(item, &change.field))
                .unwrap_or_default();
            begun.push(FieldText {
                entity: change.entity.clone(),
                field: change.field.clone(),
                text,
            });
        }
        begun
    }
}

/// A text's words as a run of changes to it began, as the directory keeps them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TextRecord {
    pub entity: String,
    pub field: String,
    /// The update that began the run.
    pub seq: i64,
    pub at_ms: i64,
    pub text: String,
}

/// Whether `field` of an entity of `kind` is a text (`Y.Text`).
pub fn is_text(kind: &str, field: &str) -> bool {
    let fields = match kind {
        "episode" => EPISODE.texts,
        "factor" => FACTOR.texts,
        "finding" => FINDING.texts,
        _ => return false,
    };
    fields.contains(&field)
}

/// The text `field` of `item` holds.
pub fn text_of(item: &Item, field: &str) -> String {
    let fields = match item {
        Item::Episode(e) => restore::as_fields(e),
        Item::Factor(f) => restore::as_fields(f),
        Item::Finding(f) => restore::as_fields(f),
        Item::Link(_) => return String::new(),
    };
    fields
        .get(field)
        .and_then(|value| value.as_str())
        .unwrap_or_default()
        .to_string()
}

#[cfg(test)]
mod tests {
    use yrs::{Doc, Map, Text, TextPrelim, Transact, WriteTxn};

    use super::*;

    fn changed(entity: &str, field: &str) -> Change {
        Change {
            action: "changed",
            entity_kind: "episode",
            entity: entity.into(),
            field: field.into(),
        }
    }

    fn board_with(text: &str) -> Shadow {
        let doc = Doc::new();
        {
            let mut txn = doc.transact_mut();
            let episodes = txn.get_or_insert_map("episodes");
            let e = episodes.insert(&mut txn, "e1", yrs::MapPrelim::default());
            let t = e.insert(&mut txn, "appraisal", TextPrelim::new(""));
            t.push(&mut txn, text);
        }
        let mut shadow = Shadow::default();
        shadow.ensure(&doc);
        shadow
    }

    #[test]
    fn a_run_begins_with_a_new_person_a_new_field_or_a_pause() {
        let shadow = board_with("Thorough.");
        let mut runs = Runs::default();
        let start = runs.begun(&shadow, "user:sam", 0, &[changed("e1", "appraisal")]);
        assert_eq!(start.len(), 1);
        assert_eq!(start[0].text, "Thorough.");
        // Sam keeps typing: the same run.
        assert!(
            runs.begun(&shadow, "user:sam", 60_000, &[changed("e1", "appraisal")])
                .is_empty()
        );
        // Ana types in the same field: a new run.
        assert_eq!(
            runs.begun(&shadow, "user:ana", 61_000, &[changed("e1", "appraisal")])
                .len(),
            1
        );
        // Ana comes back after a pause: a new run again.
        assert_eq!(
            runs.begun(
                &shadow,
                "user:ana",
                61_000 + RUN_MS + 1,
                &[changed("e1", "appraisal")]
            )
            .len(),
            1
        );
        // Fields that are not texts, and entities added, are not runs.
        let status = Change {
            field: "status".into(),
            ..changed("e1", "status")
        };
        let added = Change {
            action: "added",
            ..changed("e2", "")
        };
        assert!(
            runs.begun(&shadow, "user:sam", 0, &[status, added])
                .is_empty()
        );
        // A field of an entity the shadow does not have yet was empty.
        let fresh = runs.begun(&shadow, "user:sam", 0, &[changed("e2", "title")]);
        assert_eq!(fresh[0].text, "");
    }
}
