//! Tells open connections at once that someone's access may have changed (a role
//! changed, a person removed, notes participants changed, a token revoked, a session
//! ended), so each affected connection checks its credentials again now instead of at
//! its next periodic recheck. The periodic recheck stays as the backstop for changes
//! made behind the server's back.

use std::sync::{Arc, OnceLock};

use tokio::sync::{broadcast, mpsc};

/// Whose access may have changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessChange {
    /// Anyone's in this review (roles, members, notes participants).
    Review(String),
    /// This person's, in every review (a session ended, the password changed).
    User(String),
    /// This token's.
    Token(String),
    /// Anyone's: changes may have been missed (in a cluster, while the node could not
    /// hear the others), so every connection checks again.
    Everyone,
}

/// Connections that lag this far behind just recheck.
const BACKLOG: usize = 256;

/// The process-wide channel of [`AccessChange`]s. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AccessChanges {
    tx: broadcast::Sender<AccessChange>,
    /// In a cluster: where changes made here go, to reach the other nodes' connections.
    outward: Arc<OnceLock<mpsc::UnboundedSender<AccessChange>>>,
}

impl Default for AccessChanges {
    fn default() -> Self {
        let (tx, _) = broadcast::channel(BACKLOG);
        Self {
            tx,
            outward: Arc::default(),
        }
    }
}

impl AccessChanges {
    pub fn review(&self, review_id: &str) {
        self.send(AccessChange::Review(review_id.to_string()));
    }

    pub fn user(&self, user_id: &str) {
        self.send(AccessChange::User(user_id.to_string()));
    }

    pub fn token(&self, token_id: &str) {
        self.send(AccessChange::Token(token_id.to_string()));
    }

    /// Every change from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<AccessChange> {
        self.tx.subscribe()
    }

    /// From now on, every change made on this node is also given to the returned
    /// receiver (to tell the other nodes of a cluster). `None` if already taken.
    pub fn outward(&self) -> Option<mpsc::UnboundedReceiver<AccessChange>> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.outward.set(tx).ok().map(|()| rx)
    }

    /// Tells this node's connections of a change made elsewhere.
    pub fn deliver(&self, change: AccessChange) {
        // Nobody listening means no connection is open: nothing to tell.
        let _ = self.tx.send(change);
    }

    fn send(&self, change: AccessChange) {
        if let Some(outward) = self.outward.get() {
            let _ = outward.send(change.clone());
        }
        self.deliver(change);
    }
}

impl AccessChange {
    /// Whether a connection to `review_id` by the user or token `caller_id` (an
    /// [`Author`](super::Author)'s kind and id) is concerned.
    pub fn concerns(&self, review_id: &str, caller_kind: &str, caller_id: &str) -> bool {
        match self {
            AccessChange::Review(review) => review == review_id,
            AccessChange::User(user) => caller_kind == "user" && user == caller_id,
            AccessChange::Token(token) => caller_kind == "token" && token == caller_id,
            AccessChange::Everyone => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_concern_their_review_person_or_token() {
        let review = AccessChange::Review("r1".into());
        assert!(review.concerns("r1", "user", "u1"));
        assert!(review.concerns("r1", "token", "t1"));
        assert!(!review.concerns("r2", "user", "u1"));
        let user = AccessChange::User("u1".into());
        assert!(user.concerns("r2", "user", "u1"));
        assert!(!user.concerns("r2", "token", "u1"));
        let token = AccessChange::Token("t1".into());
        assert!(token.concerns("r1", "token", "t1"));
        assert!(!token.concerns("r1", "user", "t1"));
    }
}
