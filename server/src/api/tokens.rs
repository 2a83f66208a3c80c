//! Access tokens for scripts: one role in one review, expiring, revocable.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::JsonBody;
use super::{
    ApiResult, Authed, ErrorBody, found,
    validate::{SHORT_TEXT, check_len, parse_role},
};
use crate::{
    access::{AccessToken, secrets},
    audit::{AuditAction, AuditEvent},
    clock::now_ms,
    state::AppState,
};

#[derive(Debug, Deserialize, ToSchema)]
pub struct MintToken {
    pub role: String,
    #[serde(default)]
    pub label: String,
    /// Default 30 days, at most 365.
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    pub token: AccessToken,
    /// The bearer secret; shown once, stored only as a hash.
    pub secret: String,
}

/// `GET /api/reviews/{review}/tokens`: a lead lists the review's access tokens.
#[utoipa::path(get, path = "/api/reviews/{review}/tokens", tag = "access",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Vec<AccessToken>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn tokens(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Vec<AccessToken>>> {
    auth.lead_of(&app, &review_id).await?;
    Ok(Json(app.directory.tokens(&review_id).await?))
}

/// `POST /api/reviews/{review}/tokens`: a lead mints a token for one role in the review.
#[utoipa::path(post, path = "/api/reviews/{review}/tokens", tag = "access", request_body = MintToken,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = TokenCreated), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn mint_token(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    JsonBody(body): JsonBody<MintToken>,
) -> ApiResult<(StatusCode, Json<TokenCreated>)> {
    auth.person_leading(&app, &review_id).await?;
    let role = parse_role(&body.role)?;
    check_len("the label", &body.label, SHORT_TEXT)?;
    let days = i64::from(body.expires_in_days.unwrap_or(30).clamp(1, 365));
    let secret = secrets::new_secret("bt");
    let actor = auth.0.actor();
    let created_by = actor.id.clone();
    let token = app
        .directory
        .create_token(
            &secrets::secret_hash(&secret),
            &review_id,
            role,
            body.label.trim(),
            Some(&created_by),
            now_ms() + days * 86_400_000,
            |token| {
                AuditEvent::action(
                    actor,
                    &review_id,
                    AuditAction::TokenCreated,
                    &token.id,
                    format!("{} as {role}", token.label),
                )
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { token, secret })))
}

/// `DELETE /api/reviews/{review}/tokens/{token}`: a lead revokes a token.
#[utoipa::path(delete, path = "/api/reviews/{review}/tokens/{token}", tag = "access",
    params(("review" = String, Path, description = "The review's id"), ("token" = String, Path, description = "The token's id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn revoke_token(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, token_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    auth.person_leading(&app, &review_id).await?;
    let event = AuditEvent::action(
        auth.0.actor(),
        &review_id,
        AuditAction::TokenRevoked,
        &token_id,
        String::new(),
    );
    found(
        app.directory
            .revoke_token(&review_id, &token_id, &event)
            .await?,
    )?;
    app.access_changes.token(&token_id);
    Ok(StatusCode::NO_CONTENT)
}
