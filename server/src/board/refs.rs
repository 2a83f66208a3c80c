//! Stable references: every episode is E1, E2, … and every finding F1, F2, … for good.
//! The room assigns them (it is the document's one writer, so people adding rows at
//! the same moment never get the same number), in the order it first sees each item;
//! a number is never reused or changed, and an item that comes back keeps its own.
//! Items on a board from before references are numbered in board order the first time
//! the board changes.

use std::collections::HashSet;

use super::{
    bin::{Item, Shadow},
    locks::{Fix, Now},
};
use crate::audit::Change;

fn reference(item: &Item) -> Option<&str> {
    match item {
        Item::Episode(e) => Some(&e.reference),
        Item::Finding(f) => Some(&f.reference),
        _ => None,
    }
}

fn order(item: &Item) -> &str {
    match item {
        Item::Episode(e) => &e.order,
        Item::Finding(f) => &f.order,
        _ => "",
    }
}

/// The number in a reference of `prefix` ("E7" → 7).
fn number(reference: &str, prefix: char) -> Option<u64> {
    reference.strip_prefix(prefix)?.parse().ok()
}

/// What gives every episode and finding `changes` touched (and any without one yet) its
/// reference, and puts back one somebody changed.
pub fn assign(shadow: &Shadow, now: Now, changes: &[Change]) -> Vec<Fix> {
    let mut fixes = Vec::new();
    for (kind, prefix) in [("episode", 'E'), ("finding", 'F')] {
        let mut touched: Vec<&str> = changes
            .iter()
            .filter(|c| c.entity_kind == kind)
            .map(|c| c.entity.as_str())
            .collect();
        touched.sort_unstable();
        touched.dedup();
        // Items from before references, in board order, after those touched now.
        let mut legacy: Vec<&Item> = shadow
            .items(kind)
            .filter(|item| reference(item).is_some_and(str::is_empty))
            .filter(|item| !touched.contains(&item.id()))
            .collect();
        if touched.is_empty() && legacy.is_empty() {
            continue;
        }
        // Every reference in use before the update; read only when one is needed.
        let in_use = || -> HashSet<String> {
            shadow
                .items(kind)
                .filter_map(reference)
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect()
        };
        let mut used: Option<HashSet<String>> = None;
        // Only an item added, replaced or given a reference by the update can need one:
        // typing in a numbered item reads nothing here.
        let reference_touched: HashSet<&str> = changes
            .iter()
            .filter(|c| c.entity_kind == kind && (c.field.is_empty() || c.field == "ref"))
            .map(|c| c.entity.as_str())
            .collect();
        let mut wanting: Vec<Item> = Vec::new();
        for id in &touched {
            let before = shadow.get(kind, id).and_then(reference).unwrap_or("");
            if !before.is_empty() && !reference_touched.contains(id) {
                continue;
            }
            let Some(item) = now(kind, id) else { continue };
            let after = reference(&item).unwrap_or("");
            if !before.is_empty() {
                if after != before {
                    fixes.push(Fix::Reference(kind, id.to_string(), before.to_string()));
                }
                continue;
            }
            let used = used.get_or_insert_with(in_use);
            if number(after, prefix).is_some() && !used.contains(after) {
                // An item coming back (its deleter's undo) keeps its reference.
                used.insert(after.to_string());
            } else {
                wanting.push(item);
            }
        }
        if wanting.is_empty() && legacy.is_empty() {
            continue;
        }
        let used = used.get_or_insert_with(in_use);
        legacy.sort_by(|a, b| (order(a), a.id()).cmp(&(order(b), b.id())));
        wanting.sort_by(|a, b| (order(a), a.id()).cmp(&(order(b), b.id())));
        let ids: Vec<String> = legacy
            .iter()
            .map(|i| i.id().to_string())
            .chain(wanting.iter().map(|i| i.id().to_string()))
            .collect();
        let mut next = used
            .iter()
            .filter_map(|r| number(r, prefix))
            .max()
            .unwrap_or(0);
        for id in ids {
            let label = loop {
                next += 1;
                let label = format!("{prefix}{next}");
                if !used.contains(&label) {
                    break label;
                }
            };
            used.insert(label.clone());
            fixes.push(Fix::Reference(kind, id, label));
        }
    }
    fixes
}

#[cfg(test)]
mod tests;
