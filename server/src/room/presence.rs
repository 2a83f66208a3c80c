//! Presence (Yjs "awareness"): who is on a board and what they are doing.
//!
//! The rules follow `y-protocols/awareness.js` exactly, so every Yjs client agrees with
//! the server: an entry is accepted if its clock is newer, or if the clock is equal and
//! it removes a present state. The server additionally remembers which connection
//! supplied each entry, so that a connection that drops without saying goodbye has its
//! entries removed for everyone, and it expires entries not refreshed in time.

use std::{
    collections::HashMap,
    sync::Arc,
    time::{Duration, Instant},
};

use yrs::{
    block::ClientID,
    sync::{AwarenessUpdate, awareness::AwarenessUpdateEntry},
};

use super::PeerId;

const NULL: &str = "null";

struct Entry {
    clock: u32,
    /// The state as JSON text; `None` once removed (the clock is kept, as Yjs does).
    state: Option<Arc<str>>,
    last_updated: Instant,
    /// The connection that last supplied a present state.
    owner: Option<PeerId>,
}

/// The presence table of one room.
#[derive(Default)]
pub struct Presence {
    entries: HashMap<ClientID, Entry>,
}

impl Presence {
    /// Applies entries received from `peer`. Returns the accepted ones, to relay.
    pub fn apply(
        &mut self,
        update: AwarenessUpdate,
        peer: PeerId,
        now: Instant,
    ) -> Option<AwarenessUpdate> {
        let mut accepted = HashMap::new();
        for (client, incoming) in update.clients {
            let removes = &*incoming.json == NULL;
            let (clock, present) = match self.entries.get(&client) {
                Some(entry) => (entry.clock, entry.state.is_some()),
                None => (0, false),
            };
            if !(clock < incoming.clock || (clock == incoming.clock && removes && present)) {
                continue;
            }
            let entry = Entry {
                clock: incoming.clock,
                state: (!removes).then(|| incoming.json.clone()),
                last_updated: now,
                owner: (!removes).then_some(peer),
            };
            self.entries.insert(client, entry);
            accepted.insert(client, incoming);
        }
        (!accepted.is_empty()).then_some(AwarenessUpdate { clients: accepted })
    }

    /// Every present state, for a newcomer or an awareness query.
    pub fn all(&self) -> Option<AwarenessUpdate> {
        let clients: HashMap<_, _> = self
            .entries
            .iter()
            .filter_map(|(client, entry)| {
                let json = entry.state.clone()?;
                Some((
                    *client,
                    AwarenessUpdateEntry {
                        clock: entry.clock,
                        json,
                    },
                ))
            })
            .collect();
        (!clients.is_empty()).then_some(AwarenessUpdate { clients })
    }

    /// Removes every entry `peer` supplied; returns the removals to relay.
    pub fn remove_owned_by(&mut self, peer: PeerId, now: Instant) -> Option<AwarenessUpdate> {
        self.remove_where(now, |entry| entry.owner == Some(peer))
    }

    /// Removes entries not refreshed within `timeout` and forgets long-removed ones.
    pub fn expire(&mut self, now: Instant, timeout: Duration) -> Option<AwarenessUpdate> {
        // A removed entry's clock only matters while a stale message could still arrive.
        self.entries
            .retain(|_, e| e.state.is_some() || now.duration_since(e.last_updated) < timeout * 4);
        self.remove_where(now, |entry| {
            now.duration_since(entry.last_updated) >= timeout
        })
    }

    /// The number of present states.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.values().filter(|e| e.state.is_some()).count()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn remove_where(
        &mut self,
        now: Instant,
        mut matches: impl FnMut(&Entry) -> bool,
    ) -> Option<AwarenessUpdate> {
        let mut removed = HashMap::new();
        for (client, entry) in &mut self.entries {
            if entry.state.is_some() && matches(entry) {
                // Same clock with a null state: y-protocols accepts that as a removal.
                entry.state = None;
                entry.owner = None;
                entry.last_updated = now;
                removed.insert(
                    *client,
                    AwarenessUpdateEntry {
                        clock: entry.clock,
                        json: NULL.into(),
                    },
                );
            }
        }
        (!removed.is_empty()).then_some(AwarenessUpdate { clients: removed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(entries: &[(u64, u32, &str)]) -> AwarenessUpdate {
        AwarenessUpdate {
            clients: entries
                .iter()
                .map(|(id, clock, json)| {
                    (
                        ClientID::new(*id),
                        AwarenessUpdateEntry {
                            clock: *clock,
                            json: (*json).into(),
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn newer_clocks_win_and_equal_clocks_only_remove() {
        let mut p = Presence::default();
        let now = Instant::now();
        assert!(p.apply(update(&[(1, 1, r#"{"n":"a"}"#)]), 7, now).is_some());
        assert!(p.apply(update(&[(1, 1, r#"{"n":"b"}"#)]), 7, now).is_none());
        assert!(p.apply(update(&[(1, 0, r#"{"n":"c"}"#)]), 7, now).is_none());
        assert!(p.apply(update(&[(1, 2, r#"{"n":"d"}"#)]), 7, now).is_some());
        assert_eq!(p.len(), 1);
        assert!(p.apply(update(&[(1, 2, "null")]), 7, now).is_some());
        assert!(p.is_empty());
        // A second removal at the same clock changes nothing.
        assert!(p.apply(update(&[(1, 2, "null")]), 7, now).is_none());
    }

    #[test]
    fn a_dropped_connection_takes_only_its_own_entries() {
        let mut p = Presence::default();
        let now = Instant::now();
        p.apply(update(&[(1, 1, "{}")]), 10, now);
        p.apply(update(&[(2, 1, "{}")]), 20, now);
        let removed = p.remove_owned_by(10, now).expect("removal");
        assert_eq!(removed.clients.len(), 1);
        assert_eq!(&*removed.clients[&ClientID::new(1)].json, "null");
        assert_eq!(removed.clients[&ClientID::new(1)].clock, 1);
        assert_eq!(p.len(), 1);
        assert!(p.remove_owned_by(10, now).is_none());
    }

    #[test]
    fn stale_entries_expire() {
        let mut p = Presence::default();
        let start = Instant::now();
        p.apply(update(&[(1, 1, "{}")]), 10, start);
        p.apply(update(&[(2, 1, "{}")]), 10, start + Duration::from_secs(20));
        let removed = p
            .expire(start + Duration::from_secs(31), Duration::from_secs(30))
            .expect("one expired");
        assert_eq!(removed.clients.len(), 1);
        assert!(removed.clients.contains_key(&ClientID::new(1)));
        assert_eq!(p.len(), 1);
    }
}
