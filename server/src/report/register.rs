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
