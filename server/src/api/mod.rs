//! The REST API under `/api`: sessions, reviews, people, invitations, access tokens,
//! the meeting timeline, restricted documents and the audit trail, described by the
//! OpenAPI document at `/api/openapi.json` (generated from these handlers).
//!
//! Every route resolves its caller with [`Authed`] (a session cookie or a bearer token)
//! and checks the caller's role in the review it names. A review the caller is not in
//! answers 404, exactly like one that does not exist.

mod audit;
mod documents;
mod input;
mod people;
mod reviews;
mod session;
mod snapshots;
mod timeline;
mod tokens;

use axum::{
    Json, Router,
    extract::{FromRequestParts, Request, State},
    http::{HeaderValue, Method, StatusCode, header, request::Parts},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{delete, get, post, put},
};
use serde::Serialize;
use utoipa::{
    Modify, OpenApi, ToSchema,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};

pub use input::{JsonBody, QueryParams};

use crate::{
    access::{Caller, Role, User},
    auth::{self, PasswordWorkError, resolve_caller, role_in},
    state::AppState,
    store::StoreError,
};

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
            ApiError::Store(_) | ApiError::Unavailable(_) | ApiError::Busy(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
            }
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

/// The caller of a request, who must be signed in (a session cookie) or hold an
/// access token (`Authorization: Bearer`).
pub struct Authed(pub Caller);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        match resolve_caller(&app.directory, &parts.headers, None).await? {
            Some((caller, _)) => Ok(Authed(caller)),
            None => Err(ApiError::Unauthenticated),
        }
    }
}

impl Authed {
    /// The caller's role in `review_id`; a review they are not in is not found.
    pub async fn role_in(&self, app: &AppState, review_id: &str) -> ApiResult<Role> {
        role_in(&app.directory, &self.0, review_id)
            .await?
            .ok_or(ApiError::NotFound)
    }

    /// The caller, who must be a signed-in person leading `review_id`. Access tokens
    /// and invitations are made and withdrawn by people only, so no credential can
    /// mint another that outlives it or reaches further.
    pub async fn person_leading(&self, app: &AppState, review_id: &str) -> ApiResult<&User> {
        self.lead_of(app, review_id).await?;
        self.0.user().ok_or(ApiError::Forbidden(
            "access tokens and invitations are managed by a signed-in lead reviewer, not with an access token",
        ))
    }

    /// The caller's role in `review_id`, which must be lead reviewer.
    pub async fn lead_of(&self, app: &AppState, review_id: &str) -> ApiResult<Role> {
        let role = self.role_in(app, review_id).await?;
        if role.leads() {
            Ok(role)
        } else {
            Err(ApiError::Forbidden("only a lead reviewer may do this"))
        }
    }
}

/// Refuses state-changing requests sent from another site. Browsers always say where a
/// cross-site request comes from (`Origin`, `Sec-Fetch-Site`); scripts using a bearer
/// token send neither and carry no ambient credentials, so they pass.
async fn refuse_cross_site(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method && auth::is_cross_site(request.headers(), &app.auth) {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
        return ApiError::CrossSite.into_response();
    }
    let mut response = next.run(request).await;
    // Review data must never sit in a shared cache.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The `/api` routes.
pub fn router(app: &AppState) -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route(
            "/api/setup",
            get(session::setup_status).post(session::setup),
        )
        .route("/api/session", post(session::login).delete(session::logout))
        .route("/api/me", get(session::me))
        .route("/api/me/password", put(session::change_password))
        // Invitation secrets travel in the body, never the path (proxies log paths).
        .route("/api/invitations/preview", post(people::invitation_preview))
        .route("/api/invitations/accept", post(people::accept_invitation))
        .route("/api/reviews", get(reviews::list).post(reviews::create))
        .route(
            "/api/reviews/{review}",
            get(reviews::show).patch(reviews::update),
        )
        .route("/api/reviews/{review}/members", get(people::members))
        .route(
            "/api/reviews/{review}/members/{user}",
            put(people::set_role).delete(people::remove_member),
        )
        .route(
            "/api/reviews/{review}/invitations",
            get(people::invitations).post(people::invite),
        )
        .route(
            "/api/reviews/{review}/invitations/{invitation}",
            delete(people::withdraw_invitation),
        )
        .route(
            "/api/reviews/{review}/tokens",
            get(tokens::tokens).post(tokens::mint_token),
        )
        .route(
            "/api/reviews/{review}/tokens/{token}",
            delete(tokens::revoke_token),
        )
        .route(
            "/api/reviews/{review}/meetings",
            get(timeline::meetings).post(timeline::add_meeting),
        )
        .route(
            "/api/reviews/{review}/meetings/{meeting}",
            axum::routing::patch(timeline::update_meeting).delete(timeline::delete_meeting),
        )
        .route(
            "/api/reviews/{review}/documents",
            get(documents::documents).post(documents::create_document),
        )
        .route(
            "/api/reviews/{review}/notes/{slug}",
            put(documents::update_notes),
        )
        .route("/api/reviews/{review}/history", get(audit::history))
        .route("/api/reviews/{review}/audit", get(audit::audit))
        .route("/api/audit", get(audit::account_audit))
        .route(
            "/api/reviews/{review}/snapshots",
            get(snapshots::list).post(snapshots::take),
        )
        .route(
            "/api/reviews/{review}/snapshots/{snapshot}",
            get(snapshots::show),
        )
        .route(
            "/api/reviews/{review}/snapshots/{snapshot}/state",
            get(snapshots::state),
        )
        .route(
            "/api/reviews/{review}/snapshots/{snapshot}/restore",
            post(snapshots::restore),
        )
        .route(
            "/api/reviews/{review}/snapshots/{snapshot}/export",
            get(snapshots::export),
        )
        .route(
            "/api/reviews/{review}/snapshots/{snapshot}/check",
            get(snapshots::check),
        )
        .route("/api/reviews/{review}/compare", get(snapshots::compare))
        .route("/api/reviews/{review}/board", get(snapshots::live_board))
        .route(
            "/api/reviews/{review}/register",
            get(snapshots::register).post(snapshots::add_register_entry),
        )
        .route(
            "/api/reviews/{review}/register/{entry}",
            delete(snapshots::remove_register_entry),
        )
        .route(
            "/api/reviews/{review}/safe-terms",
            get(snapshots::safe_terms).post(snapshots::add_safe_term),
        )
        .route(
            "/api/reviews/{review}/safe-terms/{term}",
            delete(snapshots::remove_safe_term),
        )
        .layer(middleware::from_fn_with_state(
            app.clone(),
            refuse_cross_site,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(
            app.auth.max_body_bytes,
        ))
}

/// This API's OpenAPI document as pretty JSON, for `board openapi` (the web app's
/// types are generated from it).
pub fn openapi_document() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_pretty_json()
}

/// `GET /api/openapi.json`: this API, described from the code.
async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(auth::SESSION_COOKIE))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Answers every route can give that its own annotation need not repeat: a route that
/// takes a JSON body or a query string answers 400 to one it cannot read, and one that takes a
/// credential answers 401 without a valid one.
struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = || {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build()
        };
        let bad_body = ResponseBuilder::new()
            .description("The request body or query string is not what this route takes")
            .content("application/json", error())
            .build();
        let unauthenticated = ResponseBuilder::new()
            .description("No valid session or token")
            .content("application/json", error())
            .build();
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let takes_query = operation.parameters.iter().flatten().any(|p| {
                    matches!(p, utoipa::openapi::RefOr::T(p)
                        if p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
                });
                if operation.request_body.is_some() || takes_query {
                    operation
                        .responses
                        .responses
                        .entry("400".to_string())
                        .or_insert_with(|| bad_body.clone().into());
                }
                let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                if secured {
                    operation
                        .responses
                        .responses
                        .entry("401".to_string())
                        .or_insert_with(|| unauthenticated.clone().into());
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Analysis board API",
        description = "Reviews, the people in them, access, the audit trail, snapshots, comparison, restore and the review report. Boards themselves sync over the y-websocket protocol at /sync/{review id}/board (see docs/protocol.md)."
    ),
    paths(
        session::setup_status,
        session::setup,
        session::login,
        session::logout,
        session::me,
        session::change_password,
        people::invitation_preview,
        people::accept_invitation,
        reviews::list,
        reviews::create,
        reviews::show,
        reviews::update,
        people::members,
        people::set_role,
        people::remove_member,
        people::invitations,
        people::invite,
        people::withdraw_invitation,
        tokens::tokens,
        tokens::mint_token,
        tokens::revoke_token,
        timeline::meetings,
        timeline::add_meeting,
        timeline::update_meeting,
        timeline::delete_meeting,
        documents::documents,
        documents::create_document,
        documents::update_notes,
        audit::history,
        audit::audit,
        audit::account_audit,
        snapshots::list,
        snapshots::take,
        snapshots::show,
        snapshots::state,
        snapshots::compare,
        snapshots::live_board,
        snapshots::restore,
        snapshots::export,
        snapshots::check,
        snapshots::register,
        snapshots::add_register_entry,
        snapshots::remove_register_entry,
        snapshots::safe_terms,
        snapshots::add_safe_term,
        snapshots::remove_safe_term,
    ),
    components(schemas(ErrorBody)),
    modifiers(&SecuritySchemes, &CommonAnswers)
)]
pub struct ApiDoc;

/// `Ok` when what the call looked for exists, else the 404 every missing thing gets.
pub(crate) fn found(exists: bool) -> ApiResult<()> {
    if exists {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// Records an event that is a change in itself (a refused sign-in, for one). Any other
/// change records its event through the directory method that makes it, in the same
/// transaction.
pub(crate) async fn record(
    app: &AppState,
    actor: crate::access::Actor,
    review_id: &str,
    action: &str,
    entity: &str,
    detail: String,
) -> ApiResult<()> {
    app.directory
        .record(&[crate::audit::AuditEvent::action(
            actor, review_id, action, entity, detail,
        )])
        .await?;
    Ok(())
}
