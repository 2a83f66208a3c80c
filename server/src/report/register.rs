//! A review's pseudonymisation register as the directory keeps it: the real names and
//! identifying details with what exports say instead, and the terms marked safe.

use serde::Serialize;
use utoipa::ToSchema;

/// One entry of a review's pseudonymisation register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct RegisterEntry {
    pub id: String,
    pub review_id: String,
    /// The real name or identifying detail.
    pub term: String,
    /// What exports say instead; empty for a flagged term that is only checked.
    pub pseudonym: String,
    pub note: String,
    pub created_at: i64,
}

/// A term a lead marked safe to publish: the pre-publication check does not list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, sqlx::FromRow)]
pub struct SafeTerm {
    pub id: String,
    pub review_id: String,
    pub term: String,
    pub created_at: i64,
}

/// The terms the detector does not report: those the lead marked safe, and the board's
/// and the review's own vocabulary.
pub fn safe_vocabulary(board: &crate::board::Board, safe_terms: &[SafeTerm]) -> Vec<String> {
    let mut safe: Vec<String> = safe_terms.iter().map(|t| t.term.clone()).collect();
    for entries in board.vocabularies.values() {
        safe.extend(entries.values().map(|e| e.label.clone()));
    }
    for (_, label) in crate::review::KINDS.iter().chain(crate::review::VARIANTS) {
        safe.push(label.to_string());
    }
    safe
}
