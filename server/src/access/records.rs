//! What the directory keeps about accounts and access tokens.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Role, User};

/// An access token's record (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AccessToken {
    pub id: String,
    pub review_id: String,
    pub role: Role,
    pub label: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

/// What a login attempt needs to know about an account.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    pub user: User,
    pub password_hash: String,
    pub failed_logins: i64,
    pub locked_until: i64,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub agency: String,
    pub job_title: String,
    pub password_hash: String,
    pub is_admin: bool,
}
