//! Comments on board items: short threads beside the board (never in it), with
//! mentions of review members, resolved when done. What the directory keeps, and the
//! rules for who may do what with a thread.

use crate::access::{Author, Role};

/// The kinds of board item a comment can be on (as the audit trail names them).
pub const ITEM_KINDS: [&str; 4] = ["episode", "factor", "finding", "link"];

/// The most one comment may hold, in characters.
pub const MAX_BODY_CHARS: usize = 4_000;

/// The most people one comment may mention.
pub const MAX_MENTIONS: usize = 50;

/// One comment as the directory keeps it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CommentRecord {
    pub id: String,
    pub item_kind: String,
    pub item_id: String,
    /// The thread's first comment (its own id for a first comment).
    pub thread_id: String,
    pub body: String,
    /// The user ids mentioned, as JSON.
    pub mentions: String,
    pub created_at: i64,
    pub author_kind: String,
    pub author_id: String,
    pub author_name: String,
    pub author_agency: String,
    pub resolved_at: Option<i64>,
    pub resolved_by: String,
    pub deleted_at: Option<i64>,
}

impl CommentRecord {
    pub fn mention_ids(&self) -> Vec<String> {
        serde_json::from_str(&self.mentions).unwrap_or_default()
    }

    pub fn starts_thread(&self) -> bool {
        self.id == self.thread_id
    }

    pub fn is_by(&self, author: &Author) -> bool {
        self.author_kind == author.kind && self.author_id == author.id
    }
}

/// A comment to store.
#[derive(Debug, Clone)]
pub struct NewComment {
    pub item_kind: String,
    pub item_id: String,
    /// `None` starts a thread.
    pub thread_id: Option<String>,
    pub body: String,
    pub mentions: Vec<String>,
    pub author: Author,
}

/// Who may write comments: whoever may change the board (read-only roles read them).
pub fn may_comment(role: Role) -> bool {
    role.edits()
}

/// Who may resolve or reopen a thread: whoever started it, the review team and leads.
pub fn may_resolve(role: Role, first: &CommentRecord, caller: &Author) -> bool {
    may_comment(role)
        && (matches!(role, Role::LeadReviewer | Role::ReviewTeamMember) || first.is_by(caller))
}

/// Who may delete a comment: its author, and leads (who keep the discussion civil).
pub fn may_delete(role: Role, comment: &CommentRecord, caller: &Author) -> bool {
    may_comment(role) && (role.leads() || comment.is_by(caller))
}

/// The body as stored (trimmed), or why it cannot be: empty or too long.
pub fn clean_body(body: &str) -> Result<String, &'static str> {
    let body = body.trim();
    if body.is_empty() {
        return Err("write something before posting a comment");
    }
    if body.chars().count() > MAX_BODY_CHARS {
        return Err("a comment takes up to 4,000 characters");
    }
    Ok(body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment(author: &str) -> CommentRecord {
        CommentRecord {
            id: "c1".into(),
            item_kind: "episode".into(),
            item_id: "e1".into(),
            thread_id: "c1".into(),
            body: "Why then?".into(),
            mentions: "[\"u2\"]".into(),
            created_at: 1,
            author_kind: "user".into(),
            author_id: author.into(),
            author_name: "Ann".into(),
            author_agency: "Health".into(),
            resolved_at: None,
            resolved_by: String::new(),
            deleted_at: None,
        }
    }

    fn user(id: &str) -> Author {
        Author {
            kind: "user",
            id: id.into(),
            ..Author::default()
        }
    }

    #[test]
    fn read_only_roles_never_write() {
        let first = comment("u1");
        for role in [Role::BoardMember, Role::Observer] {
            assert!(!may_comment(role));
            assert!(!may_resolve(role, &first, &user("u1")));
            assert!(!may_delete(role, &first, &user("u1")));
        }
    }

    #[test]
    fn threads_are_resolved_by_their_starter_the_review_team_and_leads() {
        let first = comment("u1");
        assert!(may_resolve(Role::CaseGroupMember, &first, &user("u1")));
        assert!(!may_resolve(Role::CaseGroupMember, &first, &user("u2")));
        assert!(may_resolve(Role::ReviewTeamMember, &first, &user("u2")));
        assert!(may_resolve(Role::LeadReviewer, &first, &user("u2")));
    }

    #[test]
    fn comments_are_deleted_by_their_author_and_leads() {
        let first = comment("u1");
        assert!(may_delete(Role::CaseGroupMember, &first, &user("u1")));
        assert!(!may_delete(Role::ReviewTeamMember, &first, &user("u2")));
        assert!(may_delete(Role::LeadReviewer, &first, &user("u2")));
        // A token with the same id as a person is not that person.
        let token = Author {
            kind: "token",
            id: "u1".into(),
            ..Author::default()
        };
        assert!(!may_delete(Role::CaseGroupMember, &first, &token));
    }

    #[test]
    fn bodies_are_trimmed_and_bounded() {
        assert_eq!(clean_body("  ok \n").as_deref(), Ok("ok"));
        assert!(clean_body(" \n ").is_err());
        assert!(clean_body(&"é".repeat(MAX_BODY_CHARS)).is_ok());
        assert!(clean_body(&"é".repeat(MAX_BODY_CHARS + 1)).is_err());
        assert_eq!(comment("u1").mention_ids(), vec!["u2".to_string()]);
    }
}
