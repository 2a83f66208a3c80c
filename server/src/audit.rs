//! The audit trail's records: one event per action or edited field, and the edit an
//! update makes, as the room hands it to the store.

use std::sync::Arc;

use serde::Serialize;
use utoipa::ToSchema;

use crate::{access::Author, clock::now_ms};

/// Defines [`AuditAction`] from one list: each variant with the text stored in the
/// database and sent in the API (the web app's words for them are typed by it).
macro_rules! audit_actions {
    ($($variant:ident = $text:literal,)*) => {
        /// What an audit event records. Stored as its text; the API sends the same text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum AuditAction {
            $($variant,)*
        }

        impl AuditAction {
            /// Every action, in the order they are listed.
            pub const ALL: &[AuditAction] = &[$(AuditAction::$variant,)*];

            /// The text stored in the database and sent in the API.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $text,)*
                }
            }
        }
    };
}

audit_actions! {
    Edit = "edit",
    ReviewCreated = "review_created",
    ReviewUpdated = "review_updated",
    InvitationCreated = "invitation_created",
    InvitationWithdrawn = "invitation_withdrawn",
    InvitationAccepted = "invitation_accepted",
    RoleChanged = "role_changed",
    MemberRemoved = "member_removed",
    TokenCreated = "token_created",
    TokenRevoked = "token_revoked",
    MeetingAdded = "meeting_added",
    MeetingUpdated = "meeting_updated",
    MeetingRemoved = "meeting_removed",
    DocumentCreated = "document_created",
    DocumentParticipantsChanged = "document_participants_changed",
    SnapshotTaken = "snapshot_taken",
    SnapshotRestored = "snapshot_restored",
    ItemRestoredFromBin = "item_restored_from_bin",
    ItemRestoredFromSnapshot = "item_restored_from_snapshot",
    BinEmptied = "bin_emptied",
    CommentAdded = "comment_added",
    CommentResolved = "comment_resolved",
    CommentReopened = "comment_reopened",
    CommentDeleted = "comment_deleted",
    ReportExported = "report_exported",
    LibraryPublished = "library_published",
    LibraryWithdrawn = "library_withdrawn",
    LibraryRoleChanged = "library_role_changed",
    LibraryExported = "library_exported",
    LibraryThemeCreated = "library_theme_created",
    ChronologyImported = "chronology_imported",
    ChronologyEntryCorrected = "chronology_entry_corrected",
    DiscrepancyMarked = "discrepancy_marked",
    DiscrepancySettled = "discrepancy_settled",
    DiscrepancyReopened = "discrepancy_reopened",
    RegisterEntryAdded = "register_entry_added",
    RegisterEntryRemoved = "register_entry_removed",
    UnreviewedExportConfirmed = "unreviewed_export_confirmed",
    SafeTermAdded = "safe_term_added",
    SafeTermRemoved = "safe_term_removed",
    Login = "login",
    Logout = "logout",
    LoginFailed = "login_failed",
    LoginRefusedLocked = "login_refused_locked",
    PasswordChanged = "password_changed",
    PasswordChangeFailed = "password_change_failed",
    PasswordChangeRefusedLocked = "password_change_refused_locked",
    AdministratorCreated = "administrator_created",
    AccountCreated = "account_created",
}

impl AuditAction {
    /// The action stored as `text`; `None` for one this server does not know.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|action| action.as_str() == text)
    }
}

/// One row of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AuditEvent {
    pub at_ms: i64,
    pub actor: Author,
    pub review_id: String,
    pub document: String,
    pub seq: Option<i64>,
    pub action: AuditAction,
    pub entity: String,
    pub entity_kind: String,
    pub field: String,
    pub detail: String,
}

impl AuditEvent {
    /// An event that is not an edit of a document (a sign-in, an invitation, ...), now.
    /// `review_id` is empty for what belongs to no review.
    pub fn action(
        actor: Author,
        review_id: &str,
        action: AuditAction,
        entity: &str,
        detail: String,
    ) -> Self {
        AuditEvent {
            at_ms: now_ms(),
            actor,
            review_id: review_id.to_string(),
            document: String::new(),
            seq: None,
            action,
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
    /// Shared with the connection that made it: one author per connection, not per update.
    pub actor: Arc<Author>,
    /// The entity fields it touched; an update that touched nothing the board schema
    /// names is still recorded once, with an empty change.
    pub changes: Vec<Change>,
    /// What the update was for, when it is more than an edit (a restore names its
    /// snapshot): recorded after its changes, in the same transaction.
    pub event: Option<AuditEvent>,
    /// What it took off the board, kept in the review's bin (stored with the update).
    pub binned: Vec<BinEntry>,
    /// The texts of fields where a run of this person's changes began, as they were
    /// before the update (stored with it; `board::texts`).
    pub texts: Vec<FieldText>,
}

/// A text field's words before a run of changes to it began.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldText {
    pub entity: String,
    pub field: String,
    pub text: String,
}

/// An entity an update took off the board, as the review's bin keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BinEntry {
    /// "episode", "factor", "finding" or "link".
    pub kind: &'static str,
    pub entity: String,
    /// How the bin lists it (the entity's title).
    pub label: String,
    /// The entity, the links that went with it and its map position, as JSON.
    pub content: String,
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

#[cfg(test)]
mod tests {
    use super::AuditAction;

    #[test]
    fn actions_read_back_as_they_are_written_and_sent() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(*action));
            let sent = serde_json::to_value(action).expect("serialises");
            assert_eq!(sent, serde_json::json!(action.as_str()));
        }
        assert_eq!(AuditAction::parse("something_new"), None);
    }
}
