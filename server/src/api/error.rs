//! How the API refuses a request: [`ApiError`], the [`ErrorBody`] every refusal answers
//! with, and the conversions from the errors of the parts below.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{auth::PasswordWorkError, board::BoardError, room::RoomError, store::StoreError};

/// Why a request was refused. Each answers with its status and a JSON body
/// `{"error": code, "message": text}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("sign in first")]
    Unauthenticated,
    #[error(
        "wrong email or password (after several wrong passwords in a row an account is locked for a while)"
    )]
    BadCredentials,
    #[error(
        "the current password is not right (after several wrong passwords in a row the account is locked for a while)"
    )]
    WrongCurrentPassword,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("too many attempts; try again in {0} seconds")]
    TooManyAttempts(u64),
    #[error("cross-site request refused")]
    CrossSite,
    #[error("the database is unavailable")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Unavailable(&'static str),
    #[error("the server is busy checking passwords; try again in a moment")]
    Busy(u64),
    #[error("internal error")]
    Internal(String),
    #[error("the board is being served by another server of the cluster; try again")]
    Elsewhere(crate::cluster::Owner),
}

impl From<PasswordWorkError> for ApiError {
    fn from(err: PasswordWorkError) -> Self {
        match err {
            PasswordWorkError::Busy(seconds) => ApiError::Busy(seconds),
            PasswordWorkError::Rejected(why) => ApiError::BadRequest(why),
            PasswordWorkError::Internal(why) => ApiError::Internal(why),
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code: unauthenticated, bad_credentials, not_found, forbidden,
    /// bad_request, conflict, too_many_attempts, cross_site, unavailable, internal.
    pub error: &'static str,
    /// What went wrong, in words for people.
    pub message: String,
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            ApiError::BadCredentials | ApiError::WrongCurrentPassword => {
                (StatusCode::UNAUTHORIZED, "bad_credentials")
            }
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ApiError::TooManyAttempts(_) => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
            ApiError::CrossSite => (StatusCode::FORBIDDEN, "cross_site"),
            ApiError::Store(_)
            | ApiError::Unavailable(_)
            | ApiError::Busy(_)
            | ApiError::Elsewhere(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::BadRequest(message.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, error) = self.status_and_code();
        match &self {
            ApiError::Store(err) => tracing::error!(error = %err, "API request failed: database"),
            ApiError::Internal(err) => tracing::error!(error = %err, "API request failed"),
            _ => {}
        }
        let body = ErrorBody {
            error,
            message: sentence(&self.to_string()),
        };
        let mut response = (status, Json(body)).into_response();
        if let ApiError::TooManyAttempts(seconds) | ApiError::Busy(seconds) = self
            && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if let ApiError::Elsewhere(owner) = self {
            // `relay::follow_owner` sends the request on to that server.
            response
                .extensions_mut()
                .insert(super::relay::ServedElsewhere(owner));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A message as a sentence for people: capital first letter, closing full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.trim().chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

impl From<RoomError> for ApiError {
    fn from(err: RoomError) -> Self {
        match err {
            RoomError::ShuttingDown => ApiError::Unavailable("the server is shutting down"),
            RoomError::Unavailable => {
                ApiError::Unavailable("the board could not be loaded or stored")
            }
            RoomError::Elsewhere(owner) => ApiError::Elsewhere(owner),
        }
    }
}

impl From<BoardError> for ApiError {
    fn from(err: BoardError) -> Self {
        match err {
            BoardError::UnsupportedSchema(_) => ApiError::Conflict(err.to_string()),
            BoardError::Decode(_) => ApiError::Internal(err.to_string()),
        }
    }
}

/// `Ok` when what the call looked for exists, else the 404 every missing thing gets.
pub(crate) fn found(exists: bool) -> ApiResult<()> {
    if exists {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn messages_read_as_sentences() {
        assert_eq!(super::sentence("sign in first"), "Sign in first.");
        assert_eq!(
            super::sentence("Too many participants."),
            "Too many participants."
        );
        assert_eq!(super::sentence(""), "");
    }
}
