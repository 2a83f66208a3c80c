//! The bin: what a deletion took off the board, kept so that it can be put back.
//!
//! By the time the room sees that an update removed an entity, the entity's content is
//! gone from the document. So the room keeps a [`Shadow`]: the last content of every
//! entity and map position, refreshed for the entities each update touches. Whatever
//! an update removes (by a deletion, by overwriting the entity's key, by a restore) is
//! taken from the shadow as a [`Binned`] item and stored with the update, in the same
//! transaction: a deletion cannot be stored without its bin entry, whoever sent it and
//! however it was shaped.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use yrs::{Doc, Map, Out, ReadTxn, Transact};

use super::{
    Board, Episode, Factor, Finding, Link, Position, position, read_episode, read_factor,
    read_finding, read_link,
};
use crate::audit::Change;

/// One entity of the board, whichever kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "entity", rename_all = "lowercase")]
pub enum Item {
    Episode(Episode),
    Factor(Factor),
    Finding(Finding),
    Link(Link),
}

/// The kinds of entity, as the audit trail names them, with their root maps.
pub const KINDS: [(&str, &str); 4] = [
    ("episode", "episodes"),
    ("factor", "factors"),
    ("finding", "findings"),
    ("link", "links"),
];

/// Longest label kept for a bin entry's listing.
const LABEL_CHARS: usize = 160;

impl Item {
    pub fn kind(&self) -> &'static str {
        match self {
            Item::Episode(_) => "episode",
            Item::Factor(_) => "factor",
            Item::Finding(_) => "finding",
            Item::Link(_) => "link",
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Item::Episode(e) => &e.id,
            Item::Factor(f) => &f.id,
            Item::Finding(f) => &f.id,
            Item::Link(l) => &l.id,
        }
    }

    /// How a listing names it: its title, clipped ("link" for a link).
    pub fn label(&self) -> String {
        match self {
            Item::Link(_) => "link".into(),
            _ => clip(self.title()),
        }
    }

    /// The words people know the entity by (a link has none of its own).
    fn title(&self) -> &str {
        match self {
            Item::Episode(e) => &e.title,
            Item::Factor(f) => &f.title,
            Item::Finding(f) => &f.statement,
            Item::Link(_) => "",
        }
    }
}

/// What one update took off the board with one entity: the entity, the links that went
/// with it and its position on the factor map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Binned {
    #[serde(flatten)]
    pub item: Item,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default)]
    pub position: Option<Position>,
    /// How the bin lists it: the entity's title, or for a link the titles of its ends.
    #[serde(default)]
    pub label: String,
}

/// The last content of every entity and map position of one document.
#[derive(Debug, Default)]
pub struct Shadow {
    items: HashMap<(&'static str, String), Item>,
    layout: HashMap<String, Position>,
    ready: bool,
}

impl Shadow {
    /// Reads the whole board into the shadow, once; later calls do nothing.
    pub fn ensure(&mut self, doc: &Doc) {
        if self.ready {
            return;
        }
        let txn = doc.transact();
        for (kind, root) in KINDS {
            let Some(map) = txn.get_map(root) else {
                continue;
            };
            for (id, value) in map.iter(&txn) {
                if let Out::YMap(entity) = value {
                    let item = read(&txn, kind, id.to_string(), &entity);
                    self.items.insert((kind, id.to_string()), item);
                }
            }
        }
        if let Some(layout) = txn.get_map("layout") {
            for (id, value) in layout.iter(&txn) {
                if let Some(at) = position(&value) {
                    self.layout.insert(id.to_string(), at);
                }
            }
        }
        self.ready = true;
    }

    /// The entity as it was before the update being looked at (the shadow is refreshed
    /// after the room's checks).
    pub fn get(&self, kind: &'static str, id: &str) -> Option<&Item> {
        self.items.get(&(kind, id.to_string()))
    }

    /// Every entity of `kind` as it was before the update being looked at.
    pub fn items(&self, kind: &'static str) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(move |((k, _), _)| *k == kind)
            .map(|(_, item)| item)
    }

    /// Where the entity's node was on the factor map.
    pub fn position(&self, id: &str) -> Option<Position> {
        self.layout.get(id).copied()
    }

    /// True once the shadow holds the board.
    pub fn is_ready(&self) -> bool {
        self.ready
    }

    /// Forgets everything (the document it shadowed was replaced).
    pub fn reset(&mut self) {
        *self = Shadow::default();
    }

    /// Refreshes the shadow for the entities `changes` touched and returns what they
    /// took off the board, each removed entity with the links removed with it.
    pub fn update(&mut self, doc: &Doc, changes: &[Change]) -> Vec<Binned> {
        if !self.ready {
            return Vec::new();
        }
        let txn = doc.transact();
        let mut removed: Vec<Item> = Vec::new();
        let mut seen: HashSet<(&'static str, &str)> = HashSet::new();
        for change in changes {
            if change.entity_kind.is_empty() {
                if change.field == "position" {
                    self.refresh_position(&txn, &change.entity);
                }
                continue;
            }
            let Some((kind, root)) = KINDS.into_iter().find(|(k, _)| *k == change.entity_kind)
            else {
                continue;
            };
            // An entity replaced under its own key (never done by the app) loses its
            // content just as a deleted one does.
            let replaced = change.field.is_empty() && change.action == "changed";
            if !seen.insert((kind, change.entity.as_str())) && !replaced {
                continue;
            }
            let key = (kind, change.entity.clone());
            let now = match txn.get_map(root).and_then(|m| m.get(&txn, &change.entity)) {
                Some(Out::YMap(entity)) => Some(read(&txn, kind, change.entity.clone(), &entity)),
                _ => None,
            };
            if (now.is_none() || replaced)
                && let Some(before) = self.items.remove(&key)
            {
                removed.push(before);
            }
            if let Some(item) = now {
                self.items.insert(key, item);
            }
        }
        self.group(removed)
    }

    fn refresh_position<T: ReadTxn>(&mut self, txn: &T, id: &str) {
        let at = txn
            .get_map("layout")
            .and_then(|layout| layout.get(txn, id))
            .and_then(|value| position(&value));
        if let Some(at) = at {
            self.layout.insert(id.to_string(), at);
        }
    }

    /// Puts each removed link with a removed entity it joins, if any; the rest are
    /// binned on their own.
    fn group(&mut self, removed: Vec<Item>) -> Vec<Binned> {
        let (links, entities): (Vec<Item>, Vec<Item>) = removed
            .into_iter()
            .partition(|i| matches!(i, Item::Link(_)));
        let mut binned: Vec<Binned> = entities
            .into_iter()
            .map(|item| Binned {
                label: clip(item.title()),
                position: self.layout.remove(item.id()),
                links: Vec::new(),
                item,
            })
            .collect();
        for link in links {
            let Item::Link(l) = link else { continue };
            let with = binned
                .iter_mut()
                .find(|b| b.item.id() == l.from || b.item.id() == l.to);
            match with {
                Some(entity) => entity.links.push(l),
                None => {
                    let label = clip(&format!(
                        "{} → {}",
                        self.title_of(&l.from),
                        self.title_of(&l.to)
                    ));
                    binned.push(Binned {
                        item: Item::Link(l),
                        links: Vec::new(),
                        position: None,
                        label,
                    });
                }
            }
        }
        binned
    }

    fn title_of(&self, id: &str) -> String {
        KINDS
            .iter()
            .find_map(|(kind, _)| self.items.get(&(*kind, id.to_string())))
            .map(|item| item.title().to_string())
            .unwrap_or_else(|| "(deleted)".into())
    }
}

/// The entity of `kind` and `id` as the document holds it now.
pub fn current(doc: &Doc, kind: &'static str, id: &str) -> Option<Item> {
    let root = KINDS.iter().find(|(k, _)| *k == kind)?.1;
    let txn = doc.transact();
    match txn.get_map(root)?.get(&txn, id)? {
        Out::YMap(entity) => Some(read(&txn, kind, id.to_string(), &entity)),
        _ => None,
    }
}

fn read<T: ReadTxn>(txn: &T, kind: &str, id: String, entity: &yrs::MapRef) -> Item {
    match kind {
        "episode" => Item::Episode(read_episode(txn, id, entity)),
        "factor" => Item::Factor(read_factor(txn, id, entity)),
        "finding" => Item::Finding(read_finding(txn, id, entity)),
        _ => Item::Link(read_link(txn, id, entity)),
    }
}

fn clip(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= LABEL_CHARS {
        return text;
    }
    let mut clipped: String = text.chars().take(LABEL_CHARS - 1).collect();
    clipped.push('…');
    clipped
}

/// Why an item cannot be put back on the board.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PutBackError {
    #[error("it is on the board already")]
    AlreadyThere,
    #[error("what it links is no longer on the board")]
    EndMissing,
    #[error("the snapshot holds no such item")]
    NotInSource,
    #[error("the item is not on the board, so one field of it cannot be restored")]
    NotOnBoard,
    #[error("no such field")]
    NoSuchField,
    #[error("the board cannot be read by this server")]
    Unreadable,
}

impl Board {
    fn holds(&self, kind: &str, id: &str) -> bool {
        match kind {
            "episode" => self.episodes.iter().any(|e| e.id == id),
            "factor" => self.factors.iter().any(|f| f.id == id),
            "finding" => self.findings.iter().any(|f| f.id == id),
            "link" => self.links.iter().any(|l| l.id == id),
            _ => false,
        }
    }

    fn holds_entity(&self, id: &str) -> bool {
        ["episode", "factor", "finding"]
            .into_iter()
            .any(|kind| self.holds(kind, id))
    }

    /// The board's entity of `kind` with `id`.
    pub fn item(&self, kind: &str, id: &str) -> Option<Item> {
        match kind {
            "episode" => self
                .episodes
                .iter()
                .find(|e| e.id == id)
                .cloned()
                .map(Item::Episode),
            "factor" => self
                .factors
                .iter()
                .find(|f| f.id == id)
                .cloned()
                .map(Item::Factor),
            "finding" => self
                .findings
                .iter()
                .find(|f| f.id == id)
                .cloned()
                .map(Item::Finding),
            "link" => self
                .links
                .iter()
                .find(|l| l.id == id)
                .cloned()
                .map(Item::Link),
            _ => None,
        }
    }

    /// Takes the entity of `kind` and `id` off the board (links: their ends stay).
    pub fn remove(&mut self, kind: &str, id: &str) {
        match kind {
            "episode" => self.episodes.retain(|e| e.id != id),
            "factor" => self.factors.retain(|f| f.id != id),
            "finding" => self.findings.retain(|f| f.id != id),
            "link" => self.links.retain(|l| l.id != id),
            _ => {}
        }
    }

    /// Adds `item`, or replaces the entity of the same kind and id.
    pub fn put(&mut self, item: Item) {
        fn upsert<T>(list: &mut Vec<T>, value: T, same: impl Fn(&T) -> bool) {
            match list.iter_mut().find(|x| same(x)) {
                Some(slot) => *slot = value,
                None => list.push(value),
            }
        }
        match item {
            Item::Episode(e) => {
                let id = e.id.clone();
                upsert(&mut self.episodes, e, |x| x.id == id)
            }
            Item::Factor(f) => {
                let id = f.id.clone();
                upsert(&mut self.factors, f, |x| x.id == id)
            }
            Item::Finding(f) => {
                let id = f.id.clone();
                upsert(&mut self.findings, f, |x| x.id == id)
            }
            Item::Link(l) => {
                let id = l.id.clone();
                upsert(&mut self.links, l, |x| x.id == id)
            }
        }
    }

    /// Adds the links whose ends are both on the board and that it lacks.
    fn add_links<'a>(&mut self, links: impl IntoIterator<Item = &'a Link>) -> usize {
        let mut added = 0;
        for link in links {
            if !self.holds("link", &link.id)
                && self.holds_entity(&link.from)
                && self.holds_entity(&link.to)
            {
                self.links.push(link.clone());
                added += 1;
            }
        }
        added
    }

    /// Whether a binned item can come back: it is not on the board already and, for a
    /// link, both its ends are.
    pub fn can_put_back(&self, binned: &Binned) -> Result<(), PutBackError> {
        if self.holds(binned.item.kind(), binned.item.id()) {
            return Err(PutBackError::AlreadyThere);
        }
        match &binned.item {
            Item::Link(l) if !(self.holds_entity(&l.from) && self.holds_entity(&l.to)) => {
                Err(PutBackError::EndMissing)
            }
            _ => Ok(()),
        }
    }

    /// Puts a binned item back: the entity, its links whose other end is still on the
    /// board, and its map position.
    pub fn put_back(&mut self, binned: &Binned) -> Result<(), PutBackError> {
        self.can_put_back(binned)?;
        let id = binned.item.id();
        self.put(binned.item.clone());
        self.add_links(&binned.links);
        if let Some(at) = binned.position {
            self.layout.entry(id.to_string()).or_insert(at);
        }
        Ok(())
    }

    /// Takes one item, or one field of it, from `source` (a snapshot's board): the item
    /// replaces the board's (or comes back, with its links whose ends are on the board
    /// and its map position); a field replaces only that field of the board's item.
    pub fn take_from(
        &mut self,
        source: &Board,
        kind: &str,
        id: &str,
        field: Option<&str>,
    ) -> Result<(), PutBackError> {
        let taken = source.item(kind, id).ok_or(PutBackError::NotInSource)?;
        if let Item::Link(l) = &taken
            && !(self.holds_entity(&l.from) && self.holds_entity(&l.to))
        {
            return Err(PutBackError::EndMissing);
        }
        let Some(field) = field else {
            let back = !self.holds(kind, id);
            self.put(taken);
            if back {
                let links: Vec<&Link> = source
                    .links
                    .iter()
                    .filter(|l| l.from == id || l.to == id)
                    .collect();
                self.add_links(links);
                if let Some(at) = source.layout.get(id) {
                    self.layout.entry(id.to_string()).or_insert(*at);
                }
            }
            return Ok(());
        };
        let live = self.item(kind, id).ok_or(PutBackError::NotOnBoard)?;
        let mut fields = serde_json::to_value(&live).map_err(|_| PutBackError::NoSuchField)?;
        let from = serde_json::to_value(&taken).map_err(|_| PutBackError::NoSuchField)?;
        let value = from
            .get("entity")
            .and_then(|e| e.get(field))
            // An id and a reference are the item's, not a field to restore.
            .filter(|_| field != "id" && field != "ref")
            .ok_or(PutBackError::NoSuchField)?;
        if let Some(entity) = fields.get_mut("entity").and_then(|e| e.as_object_mut()) {
            entity.insert(field.to_string(), value.clone());
        }
        let item: Item = serde_json::from_value(fields).map_err(|_| PutBackError::NoSuchField)?;
        self.put(item);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
