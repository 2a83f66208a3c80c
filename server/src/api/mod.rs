//! The REST API under `/api`: sessions, reviews, people, invitations, access tokens,
//! the meeting timeline, restricted documents, comments and the audit trail, described by the
//! OpenAPI document at `/api/openapi.json` (generated from these handlers).
//!
//! Every route resolves its caller with [`Authed`] (a session cookie or a bearer token)
//! and checks the caller's role in the review it names. A review the caller is not in
//! answers 404, exactly like one that does not exist.

mod audit;
mod bin;
mod chronology;
mod comments;
mod compare;
mod documents;
mod error;
mod extractors;
mod input;
mod library;
mod people;
mod register;
mod relay;
mod report;
mod reviews;
mod router;
mod search;
mod seen_before;
mod session;
mod snapshots;
mod themes;
mod timeline;
mod tokens;
mod validate;

pub(crate) use error::found;
pub use error::{ApiError, ApiResult, ErrorBody};
pub use extractors::Authed;
pub use input::{JsonBody, QueryParams};
pub use router::{openapi_document, router};
