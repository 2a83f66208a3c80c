//! The audit trail's records: one event per action or edited field, and the edit an
//! update makes, as the room hands it to the store.

use serde::Serialize;
use utoipa::ToSchema;

use crate::{access::Actor, clock::now_ms};

/// One row of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AuditEvent {
    pub at_ms: i64,
    pub actor: Actor,
    pub review_id: String,
    pub document: String,
    pub seq: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_kind: String,
    pub field: String,
    pub detail: String,
}

impl AuditEvent {
    /// An event that is not an edit of a document (a sign-in, an invitation, ...), now.
    /// `review_id` is empty for what belongs to no review.
    pub fn action(
        actor: Actor,
        review_id: &str,
        action: &str,
        entity: &str,
        detail: String,
    ) -> Self {
        AuditEvent {
            at_ms: now_ms(),
            actor,
            review_id: review_id.to_string(),
            document: String::new(),
            seq: None,
            action: action.to_string(),
            entity: entity.to_string(),
            entity_kind: String::new(),
            field: String::new(),
            detail,
        }
    }
}

/// The audit trail's view of one update.
#[derive(Debug, Clone, Default)]
pub struct Edit {
    pub at_ms: i64,
    pub actor: Actor,
    /// The entity fields it touched; an update that touched nothing the board schema
    /// names is still recorded once, with an empty change.
    pub changes: Vec<Change>,
    /// What the update was for, when it is more than an edit (a restore names its
    /// snapshot): recorded after its changes, in the same transaction.
    pub event: Option<AuditEvent>,
}

/// One entity field an update touched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Change {
    /// "added", "changed" or "removed".
    pub action: &'static str,
    /// "episode", "factor", "finding", "link", "layout", or "" for the rest.
    pub entity_kind: &'static str,
    pub entity: String,
    pub field: String,
}
