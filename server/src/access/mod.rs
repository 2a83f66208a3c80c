//! Who may do what: roles in a review, the callers the server knows, and the rules that
//! decide whether a caller may open a document or use a route. Pure logic, no I/O; the
//! directory (`crate::store::Directory`) looks the facts up and the API and the websocket
//! endpoint apply these rules.

pub mod changes;
mod records;
pub mod secrets;

pub use records::{AccessToken, LoginRecord, NewUser};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A person's role in one review (domain model §2 and §11.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Runs the review: everything, including people, invitations and restricted notes.
    LeadReviewer,
    /// Senior manager from an agency: edits the board.
    ReviewTeamMember,
    /// Frontline staff who worked the case: edits the board in the meetings.
    CaseGroupMember,
    /// Commissioning board: reads the board, cannot change it.
    BoardMember,
    /// Reads the board, cannot change it (e.g. a QA supervisor or minute-taker).
    Observer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::LeadReviewer,
        Role::ReviewTeamMember,
        Role::CaseGroupMember,
        Role::BoardMember,
        Role::Observer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::LeadReviewer => "lead_reviewer",
            Role::ReviewTeamMember => "review_team_member",
            Role::CaseGroupMember => "case_group_member",
            Role::BoardMember => "board_member",
            Role::Observer => "observer",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }

    /// May change the review's shared documents.
    pub fn edits(self) -> bool {
        matches!(
            self,
            Role::LeadReviewer | Role::ReviewTeamMember | Role::CaseGroupMember
        )
    }

    /// May manage the review: details, people, invitations, tokens, timeline, notes.
    pub fn leads(self) -> bool {
        self == Role::LeadReviewer
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who is calling: a signed-in person or a script holding an access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    User(User),
    Token(TokenGrant),
}

/// A signed-in person, as the audit trail and presence name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub agency: String,
    pub job_title: String,
    pub is_admin: bool,
}

/// What an access token allows: one role in one review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenGrant {
    pub id: String,
    pub review_id: String,
    pub role: Role,
    pub label: String,
}

/// How the audit trail names whoever made a change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, ToSchema)]
pub struct Author {
    /// "user", "token" or "system".
    #[schema(value_type = String)]
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub agency: String,
}

impl Caller {
    pub fn actor(&self) -> Author {
        match self {
            Caller::User(user) => Author {
                kind: "user",
                id: user.id.clone(),
                name: user.name.clone(),
                agency: user.agency.clone(),
            },
            Caller::Token(token) => Author {
                kind: "token",
                id: token.id.clone(),
                name: if token.label.is_empty() {
                    "access token".to_string()
                } else {
                    token.label.clone()
                },
                agency: String::new(),
            },
        }
    }

    pub fn user(&self) -> Option<&User> {
        match self {
            Caller::User(user) => Some(user),
            Caller::Token(_) => None,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.user().is_some_and(|user| user.is_admin)
    }
}

/// Where a document sits in a review. A document name is `{review id}/{name in the
/// review}`: `board` is the shared board and `notes/{slug}` are restricted documents.
/// No other name is a document: it answers exactly like one that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentPlace<'a> {
    pub review_id: &'a str,
    pub name: &'a str,
}

impl<'a> DocumentPlace<'a> {
    /// Splits a (validated) document name; `None` when it names no review document.
    pub fn of(document: &'a str) -> Option<Self> {
        let (review_id, name) = document.split_once('/')?;
        Some(DocumentPlace { review_id, name })
    }

    /// Which of a review's documents the name is; `None` for any name a review
    /// cannot have (restricted notes exist only once a lead has created them).
    pub fn kind(&self) -> Option<DocumentKind> {
        if self.name == "board" {
            Some(DocumentKind::Board)
        } else if self.name.strip_prefix("notes/").is_some_and(is_notes_slug) {
            Some(DocumentKind::Notes)
        } else {
            None
        }
    }
}

/// The documents a review has: its board, and restricted notes created by a lead, open
/// only to their participants and the leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Board,
    Notes,
}

/// A restricted document's slug: 1 to 80 ASCII letters, digits, '-' or '_'.
pub fn is_notes_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 80
        && slug
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What a caller may do with one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentAccess {
    /// Receives the document and its updates; any update sent is refused.
    Read,
    /// Reads and changes the document.
    Edit,
    /// Reads and changes the board, except work the review team agreed, which only the
    /// review team and leads change (the case group).
    EditExceptAgreed,
}

/// The rule for one document: `role` is the caller's role in the document's review,
/// `participant` whether the caller is listed on a restricted document. `None` means
/// the document must look exactly as if it did not exist.
pub fn document_access(
    role: Option<Role>,
    restricted: bool,
    participant: bool,
) -> Option<DocumentAccess> {
    let role = role?;
    if restricted && !(role.leads() || participant) {
        return None;
    }
    Some(if !role.edits() {
        DocumentAccess::Read
    } else if role == Role::CaseGroupMember && !restricted {
        DocumentAccess::EditExceptAgreed
    } else {
        DocumentAccess::Edit
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).expect("serialises");
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn shared_documents_follow_the_role() {
        use DocumentAccess::*;
        assert_eq!(document_access(None, false, false), None);
        assert_eq!(
            document_access(Some(Role::LeadReviewer), false, false),
            Some(Edit)
        );
        assert_eq!(
            document_access(Some(Role::ReviewTeamMember), false, false),
            Some(Edit)
        );
        // The case group edits the board except agreed work; their notes wholly.
        assert_eq!(
            document_access(Some(Role::CaseGroupMember), false, false),
            Some(EditExceptAgreed)
        );
        assert_eq!(
            document_access(Some(Role::CaseGroupMember), true, true),
            Some(Edit)
        );
        assert_eq!(
            document_access(Some(Role::BoardMember), false, false),
            Some(Read)
        );
        assert_eq!(
            document_access(Some(Role::Observer), false, false),
            Some(Read)
        );
    }

    #[test]
    fn restricted_documents_are_for_participants_and_leads() {
        use DocumentAccess::*;
        assert_eq!(
            document_access(Some(Role::LeadReviewer), true, false),
            Some(Edit)
        );
        assert_eq!(
            document_access(Some(Role::ReviewTeamMember), true, false),
            None
        );
        assert_eq!(
            document_access(Some(Role::CaseGroupMember), true, true),
            Some(Edit)
        );
        assert_eq!(
            document_access(Some(Role::Observer), true, true),
            Some(Read)
        );
        assert_eq!(document_access(None, true, true), None);
    }

    #[test]
    fn document_names_split_into_review_and_place() {
        let place = DocumentPlace::of("r1/board").expect("a review document");
        assert_eq!(place.review_id, "r1");
        assert_eq!(place.name, "board");
        let notes = DocumentPlace::of("r1/notes/sw1").expect("a review document");
        assert_eq!(notes.name, "notes/sw1");
        assert_eq!(DocumentPlace::of("board"), None);
    }

    #[test]
    fn only_the_board_and_notes_are_documents() {
        let kind = |document: &str| DocumentPlace::of(document).and_then(|p| p.kind());
        assert_eq!(kind("r1/board"), Some(DocumentKind::Board));
        assert_eq!(kind("r1/notes/sw-1_a"), Some(DocumentKind::Notes));
        for other in [
            "r1/cold",
            "r1/board/x",
            "r1/Board",
            "r1/notes",
            "r1/notes/",
            "r1/notes/a/b",
            "r1/notes/a.b",
            "r1/other/board",
        ] {
            assert_eq!(kind(other), None, "{other}");
        }
        assert_eq!(kind(&format!("r1/notes/{}", "a".repeat(81))), None);
    }
}
