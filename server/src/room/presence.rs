//! Presence (Yjs "awareness"): who is on a board and what they are doing.
//!
//! The rules follow `y-protocols/awareness.js` exactly, so every Yjs client agrees with
//! the server: an entry is accepted if its clock is newer, or if the clock is equal and
//! it removes a present state. The server additionally remembers which connection
//! supplied each entry, so that a connection that drops without saying goodbye has its
//! entries removed for everyone, and it expires entries not refreshed in time.
//!
//! Presence cannot be forged: an entry belongs to the connection that supplied it, and
//! no other connection may change or clear it; a state's `user.name` and
//! `user.agency` are set by the server from the connection's signed-in identity; one
//! connection supplies a few entries at most.

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
use crate::access::Author;

const NULL: &str = "null";
/// Entries one connection may supply (one per open document view is usual).
const MOST_PER_PEER: usize = 8;

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
    /// Applies entries received from `peer`, whose connection belongs to `who`.
    /// Returns the accepted ones, to relay.
    pub fn apply(
        &mut self,
        update: AwarenessUpdate,
        peer: PeerId,
        who: &Author,
        now: Instant,
    ) -> Option<AwarenessUpdate> {
        let mut accepted = HashMap::new();
        for (client, mut incoming) in update.clients {
            let removes = &*incoming.json == NULL;
            let (clock, present, owner) = match self.entries.get(&client) {
                Some(entry) => (entry.clock, entry.state.is_some(), entry.owner),
                None => (0, false, None),
            };
            if owner.is_some_and(|owner| owner != peer) {
                continue; // somebody else's entry
            }
            if !(clock < incoming.clock || (clock == incoming.clock && removes && present)) {
                continue;
            }
            if !removes && owner.is_none() && self.owned_by(peer) >= MOST_PER_PEER {
                continue;
            }
            if !removes {
                incoming.json = stamp(&incoming.json, who);
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

    fn owned_by(&self, peer: PeerId) -> usize {
        self.entries
            .values()
            .filter(|e| e.owner == Some(peer))
            .count()
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

/// The state with `user.name`, `user.agency` and `user.account` set to who the connection is, when it
/// names a user (what the web app shows); other states are relayed as they are.
fn stamp(json: &Arc<str>, who: &Author) -> Arc<str> {
    let Ok(serde_json::Value::Object(mut state)) = serde_json::from_str(json) else {
        return json.clone();
    };
    let Some(serde_json::Value::Object(user)) = state.get_mut("user") else {
        return json.clone();
    };
    user.insert("name".into(), who.name.clone().into());
    user.insert("agency".into(), who.agency.clone().into());
    // Which account it is, so that one person's tabs share one colour for everyone.
    user.insert("account".into(), who.id.clone().into());
    serde_json::to_string(&state)
        .map(Arc::from)
        .unwrap_or_else(|_| json.clone())
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

    fn who() -> Author {
        Author {
            kind: "user",
            id: "u1".into(),
            name: "Sam Jones".into(),
            agency: "Health visiting".into(),
        }
    }

    #[test]
    fn another_connections_entries_cannot_be_changed_or_cleared() {
        let mut p = Presence::default();
        let now = Instant::now();
        p.apply(update(&[(1, 1, r#"{"n":"mine"}"#)]), 10, &who(), now);
        assert!(
            p.apply(update(&[(1, 2, r#"{"n":"forged"}"#)]), 20, &who(), now)
                .is_none()
        );
        assert!(
            p.apply(update(&[(1, 2, "null")]), 20, &who(), now)
                .is_none()
        );
        assert_eq!(p.len(), 1);
        assert!(
            p.all().expect("one").clients[&ClientID::new(1)]
                .json
                .contains("mine")
        );
        // Once its owner has gone, the client id is free again (a reconnecting tab).
        p.remove_owned_by(10, now);
        assert!(
            p.apply(update(&[(1, 3, r#"{"n":"back"}"#)]), 20, &who(), now)
                .is_some()
        );
    }

    #[test]
    fn the_server_names_the_user_and_bounds_entries_per_connection() {
        let mut p = Presence::default();
        let now = Instant::now();
        let forged = r##"{"user":{"name":"Alex Lead","agency":"Police","account":"u-alex","colour":"#0072B2"},"focus":null}"##;
        let accepted = p
            .apply(update(&[(1, 1, forged)]), 10, &who(), now)
            .expect("accepted");
        let state: serde_json::Value =
            serde_json::from_str(&accepted.clients[&ClientID::new(1)].json).expect("json");
        assert_eq!(state["user"]["name"], "Sam Jones");
        assert_eq!(state["user"]["agency"], "Health visiting");
        assert_eq!(state["user"]["account"], "u1");
        assert_eq!(state["user"]["colour"], "#0072B2");
        for id in 2..20 {
            p.apply(update(&[(id, 1, "{}")]), 10, &who(), now);
        }
        assert_eq!(p.len(), MOST_PER_PEER);
    }

    #[test]
    fn newer_clocks_win_and_equal_clocks_only_remove() {
        let mut p = Presence::default();
        let now = Instant::now();
        assert!(
            p.apply(update(&[(1, 1, r#"{"n":"a"}"#)]), 7, &who(), now)
                .is_some()
        );
        assert!(
            p.apply(update(&[(1, 1, r#"{"n":"b"}"#)]), 7, &who(), now)
                .is_none()
        );
        assert!(
            p.apply(update(&[(1, 0, r#"{"n":"c"}"#)]), 7, &who(), now)
                .is_none()
        );
        assert!(
            p.apply(update(&[(1, 2, r#"{"n":"d"}"#)]), 7, &who(), now)
                .is_some()
        );
        assert_eq!(p.len(), 1);
        assert!(p.apply(update(&[(1, 2, "null")]), 7, &who(), now).is_some());
        assert!(p.is_empty());
        // A second removal at the same clock changes nothing.
        assert!(p.apply(update(&[(1, 2, "null")]), 7, &who(), now).is_none());
    }

    #[test]
    fn a_dropped_connection_takes_only_its_own_entries() {
        let mut p = Presence::default();
        let now = Instant::now();
        p.apply(update(&[(1, 1, "{}")]), 10, &who(), now);
        p.apply(update(&[(2, 1, "{}")]), 20, &who(), now);
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
        p.apply(update(&[(1, 1, "{}")]), 10, &who(), start);
        p.apply(
            update(&[(2, 1, "{}")]),
            10,
            &who(),
            start + Duration::from_secs(20),
        );
        let removed = p
            .expire(start + Duration::from_secs(31), Duration::from_secs(30))
            .expect("one expired");
        assert_eq!(removed.clients.len(), 1);
        assert!(removed.clients.contains_key(&ClientID::new(1)));
        assert_eq!(p.len(), 1);
    }
}
