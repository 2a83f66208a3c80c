//! Agreed work is locked: an episode the review team agreed (or checked with the case
//! group) and a finding it agreed can be changed only by the review team and leads.
//!
//! The room decides after applying an update, against the [`Shadow`] (every entity as
//! it was before the update): what a case group member's update did to locked work is
//! undone by a forward change written at once, so an honest client whose offline edit
//! met a lock keeps the rest of its work and is never stuck. A review team member's
//! edit of an episode checked with the case group marks it for re-checking.

use std::collections::BTreeSet;

use super::{
    Board,
    bin::{Item, Shadow},
};
use crate::audit::Change;

/// Episode statuses the review team set: the case group may not change such an episode.
pub const LOCKED_EPISODE: [&str; 3] = ["agreed", "checked", "recheck"];
/// Finding statuses from "agreed by the review team" on.
pub const LOCKED_FINDING: [&str; 3] = ["agreed", "tested", "final"];

/// True when the case group may not change `item`.
pub fn is_locked(item: &Item) -> bool {
    match item {
        Item::Episode(e) => LOCKED_EPISODE.contains(&e.status.as_str()),
        Item::Finding(f) => LOCKED_FINDING.contains(&f.status.as_str()),
        Item::Factor(_) | Item::Link(_) => false,
    }
}

/// The entities `changes` touched, by kind and id. Moving an item in its list (its
/// `order`) is not changing it: anyone who edits may arrange the table.
fn touched(changes: &[Change]) -> BTreeSet<(&'static str, &str)> {
    changes
        .iter()
        .filter(|c| matches!(c.entity_kind, "episode" | "factor" | "finding" | "link"))
        .filter(|c| c.field != "order")
        .map(|c| (c.entity_kind, c.entity.as_str()))
        .collect()
}

/// A correction to the board after an update: the change the room then makes.
#[derive(Debug, Clone, PartialEq)]
pub enum Fix {
    /// Put the entity on the board as given (replacing the board's).
    Put(Box<Item>),
    /// Take the entity of this kind and id off the board.
    Remove(&'static str, String),
    /// Put the entity's node back at this place on the factor map.
    Place(String, super::Position),
    /// Give the episode or finding of this kind and id this reference.
    Reference(&'static str, String, String),
}

impl Board {
    /// The board with `fixes` made.
    pub fn fixed(mut self, fixes: Vec<Fix>) -> Board {
        for fix in fixes {
            match fix {
                Fix::Put(item) => self.put(*item),
                Fix::Remove(kind, id) => self.remove(kind, &id),
                Fix::Place(id, at) => {
                    self.layout.entry(id).or_insert(at);
                }
                Fix::Reference(kind, id, reference) => match kind {
                    "episode" => {
                        if let Some(e) = self.episodes.iter_mut().find(|e| e.id == id) {
                            e.reference = reference;
                        }
                    }
                    _ => {
                        if let Some(f) = self.findings.iter_mut().find(|f| f.id == id) {
                            f.reference = reference;
                        }
                    }
                },
            }
        }
        self
    }
}

/// Reads one entity as it is now (after the update).
pub type Now<'a> = &'a dyn Fn(&'static str, &str) -> Option<Item>;

/// Whether the entity `id` (of any kind) is locked before or after the update.
fn end_locked(shadow: &Shadow, now: Now, id: &str) -> bool {
    ["episode", "finding"].into_iter().any(|kind| {
        shadow.get(kind, id).is_some_and(is_locked) || now(kind, id).as_ref().is_some_and(is_locked)
    })
}

/// What undoes a case group member's update's changes to locked work (nothing when it
/// left locked work alone). Only the entities the update touched are read.
pub fn undo_for_case_group(shadow: &Shadow, now: Now, changes: &[Change]) -> Vec<Fix> {
    let mut fixes = Vec::new();
    for (kind, id) in touched(changes) {
        let before = shadow.get(kind, id);
        let after = now(kind, id);
        if kind == "link" {
            let ends = |item: Option<&Item>| match item {
                Some(Item::Link(l)) => vec![l.from.clone(), l.to.clone()],
                _ => Vec::new(),
            };
            let mut all = ends(before);
            all.extend(ends(after.as_ref()));
            if all.iter().any(|end| end_locked(shadow, now, end)) {
                fixes.push(match before {
                    Some(link) => Fix::Put(Box::new(link.clone())),
                    None => Fix::Remove("link", id.to_string()),
                });
            }
            continue;
        }
        match (before, after) {
            // Locked before: back to exactly what it was (a deleted one comes back).
            (Some(before), after) if is_locked(before) && after.as_ref() != Some(before) => {
                if after.is_none()
                    && let Some(at) = shadow.position(id)
                {
                    fixes.push(Fix::Place(id.to_string(), at));
                }
                fixes.push(Fix::Put(Box::new(before.clone())));
            }
            // Locked before and unchanged (a field set to what it was).
            (Some(before), _) if is_locked(before) => {}
            // Not locked before, locked now: agreeing is the review team's to do.
            (before, Some(mut after)) if is_locked(&after) => {
                let status = match before {
                    Some(Item::Episode(e)) => e.status.clone(),
                    Some(Item::Finding(f)) => f.status.clone(),
                    _ if kind == "episode" => "candidate".into(),
                    _ => "draft".into(),
                };
                match &mut after {
                    Item::Episode(e) => e.status = status,
                    Item::Finding(f) => f.status = status,
                    _ => {}
                }
                fixes.push(Fix::Put(Box::new(after)));
            }
            _ => {}
        }
    }
    fixes
}

/// What marks every episode that was checked with the case group, and whose content a
/// review team member or lead has just changed, for re-checking.
pub fn mark_for_rechecking(shadow: &Shadow, now: Now, changes: &[Change]) -> Vec<Fix> {
    let edited: BTreeSet<&str> = changes
        .iter()
        .filter(|c| {
            c.entity_kind == "episode" && !matches!(c.field.as_str(), "" | "status" | "order")
        })
        .map(|c| c.entity.as_str())
        .collect();
    let mut fixes = Vec::new();
    for id in edited {
        let was_checked =
            matches!(shadow.get("episode", id), Some(Item::Episode(e)) if e.status == "checked");
        if !was_checked {
            continue;
        }
        if let Some(Item::Episode(mut episode)) = now("episode", id)
            && episode.status == "checked"
        {
            episode.status = "recheck".into();
            fixes.push(Fix::Put(Box::new(Item::Episode(episode))));
        }
    }
    fixes
}

#[cfg(test)]
mod tests;
