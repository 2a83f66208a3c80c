//! What the directory keeps about a review: its details, members, invitations, meetings,
//! restricted documents and snapshots.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::{Role, User};

/// A review and its details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
pub struct Review {
    pub id: String,
    pub title: String,
    /// The pseudonymised case reference, e.g. "Child A".
    pub case_ref: String,
    pub kind: String,
    /// The Learning Together variant.
    pub variant: String,
    pub period_start: String,
    pub period_end: String,
    /// The review questions, one per line.
    pub questions: String,
    pub terms_of_reference: String,
    pub phase: String,
    pub created_at: i64,
}

/// The editable details of a review.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewFields {
    pub title: String,
    pub case_ref: String,
    pub kind: String,
    pub variant: String,
    pub period_start: String,
    pub period_end: String,
    pub questions: String,
    pub terms_of_reference: String,
    pub phase: String,
}

/// A person in a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Member {
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub job_title: String,
    pub role: Role,
}

/// What changing or removing a member came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberChange {
    /// Done; the role they had before.
    Done { before: Role },
    /// They are not in the review (or there is no such review).
    NotMember,
    /// The person acting no longer leads the review.
    ActorNotLead,
    /// It would leave the review without a lead reviewer: nothing was changed.
    LastLead,
}

/// An invitation to a review (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Invitation {
    pub id: String,
    pub review_id: String,
    pub role: Role,
    pub name: String,
    pub email: String,
    pub agency: String,
    pub job_title: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub accepted_at: Option<i64>,
    pub withdrawn_at: Option<i64>,
}

/// What accepting an invitation with a new account came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewAccountJoin {
    /// The account was created and is in the review.
    Joined(User),
    /// Someone else used the invitation first (or it expired or was withdrawn).
    InvitationUsed,
    /// An account with that email exists.
    EmailTaken,
}

/// One meeting of a review's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Meeting {
    pub id: String,
    pub review_id: String,
    pub position: i64,
    pub kind: String,
    pub title: String,
    /// ISO 8601 date or date-time; empty while unscheduled.
    pub scheduled_at: String,
    /// `in_person`, `remote` or `hybrid`.
    pub mode: String,
    /// User ids of the people who attend.
    pub attendees: Vec<String>,
    pub closed: bool,
}

/// A meeting to add to a timeline.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub kind: String,
    pub title: String,
    pub scheduled_at: String,
    pub mode: String,
    pub attendees: Vec<String>,
}

/// A restricted document of a review, with the people who may open it besides the leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RestrictedDocument {
    /// The name inside the review, e.g. `notes/conversation-sw1`.
    pub name: String,
    pub title: String,
    pub participants: Vec<String>,
}

/// A snapshot's record (its state is read separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct SnapshotInfo {
    pub id: String,
    pub review_id: String,
    pub document: String,
    pub label: String,
    pub meeting_id: Option<String>,
    pub taken_at: i64,
    pub taken_by_kind: String,
    pub taken_by_id: String,
    pub taken_by_name: String,
    pub seq: i64,
    /// SHA-256 of the state, hex.
    pub content_hash: String,
}

/// An entity in a review's bin: what an update took off the board, and who did it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct BinRecord {
    pub id: String,
    pub kind: String,
    pub entity: String,
    pub label: String,
    /// The entity, the links that went with it and its map position, as JSON.
    pub content: String,
    pub at_ms: i64,
    pub actor_kind: String,
    pub actor_name: String,
    pub actor_agency: String,
}

/// A review's details and people as they were when a snapshot was taken: the report of
/// that snapshot says what the review said then, whatever was edited since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenDetails {
    pub review: Review,
    pub members: Vec<FrozenMember>,
}

/// A person in the review when a snapshot was taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenMember {
    pub name: String,
    pub agency: String,
    pub job_title: String,
    pub role: Role,
}

impl FrozenDetails {
    pub fn of(review: &Review, members: &[Member]) -> Self {
        FrozenDetails {
            review: review.clone(),
            members: members
                .iter()
                .map(|m| FrozenMember {
                    name: m.name.clone(),
                    agency: m.agency.clone(),
                    job_title: m.job_title.clone(),
                    role: m.role,
                })
                .collect(),
        }
    }
}
