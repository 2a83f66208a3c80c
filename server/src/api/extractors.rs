//! What every route takes from its request: the caller ([`Authed`]), and the
//! middleware that refuses cross-site requests and keeps answers out of shared caches.

use axum::{
    extract::{FromRequestParts, Request, State},
    http::{HeaderValue, Method, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};

use super::{ApiError, ApiResult};
use crate::{
    access::{Caller, Role, User},
    auth::{self, resolve_caller, role_in},
    state::AppState,
};

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
pub(super) async fn refuse_cross_site(
    State(app): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
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
