//! The pseudonymisation register (real names and what exports say instead) and the
//! terms a lead marked safe to publish. Leads only: the register holds real names.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiError, ApiResult, Authed, ErrorBody, JsonBody, found};
use crate::{
    audit::{AuditAction, AuditEvent},
    report::{RegisterEntry, SafeTerm},
    state::AppState,
};

/// `GET /api/reviews/{review}/register`: the pseudonymisation register (leads only).
#[utoipa::path(get, path = "/api/reviews/{review}/register", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Vec<RegisterEntry>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn register(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Vec<RegisterEntry>>> {
    auth.lead_of(&app, &review_id).await?;
    Ok(Json(app.directory.register(&review_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewRegisterEntry {
    /// The real name or identifying detail.
    pub term: String,
    /// What exports say instead; leave empty to only flag the term.
    #[serde(default)]
    pub pseudonym: String,
    #[serde(default)]
    pub note: String,
}

/// `POST /api/reviews/{review}/register`: a lead adds a real name with its pseudonym, or
/// a term to flag.
#[utoipa::path(post, path = "/api/reviews/{review}/register", tag = "snapshots", request_body = NewRegisterEntry,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = RegisterEntry), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn add_register_entry(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    JsonBody(body): JsonBody<NewRegisterEntry>,
) -> ApiResult<(StatusCode, Json<RegisterEntry>)> {
    auth.lead_of(&app, &review_id).await?;
    let term = checked_term(&body.term)?;
    if body.pseudonym.len() > 200 || body.note.len() > 1000 {
        return Err(ApiError::bad_request("The pseudonym or note is too long."));
    }
    // The same name however it is typed (case, spaces, accents, apostrophes) is one
    // entry: the register matches them all alike.
    let wanted = crate::report::term_key(term);
    // The audit trail never repeats a real name.
    let entry = app
        .directory
        .add_register_entry(
            &review_id,
            term,
            body.pseudonym.trim(),
            body.note.trim(),
            |existing| crate::report::term_key(existing) == wanted,
            |entry| {
                AuditEvent::action(
                    auth.0.actor(),
                    &review_id,
                    AuditAction::RegisterEntryAdded,
                    &entry.id,
                    String::new(),
                )
            },
        )
        .await?
        .map_err(|existing| {
            ApiError::Conflict(format!("“{existing}” is already in the register."))
        })?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// `DELETE /api/reviews/{review}/register/{entry}`: a lead removes a register entry.
#[utoipa::path(delete, path = "/api/reviews/{review}/register/{entry}", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id"), ("entry" = String, Path, description = "The entry's id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn remove_register_entry(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, entry)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    auth.lead_of(&app, &review_id).await?;
    let event = AuditEvent::action(
        auth.0.actor(),
        &review_id,
        AuditAction::RegisterEntryRemoved,
        &entry,
        String::new(),
    );
    found(
        app.directory
            .remove_register_entry(&review_id, &entry, &event)
            .await?,
    )?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/reviews/{review}/safe-terms`: the terms a lead marked safe to publish
/// (leads only).
#[utoipa::path(get, path = "/api/reviews/{review}/safe-terms", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Vec<SafeTerm>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn safe_terms(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Vec<SafeTerm>>> {
    auth.lead_of(&app, &review_id).await?;
    Ok(Json(app.directory.safe_terms(&review_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewSafeTerm {
    /// An agency, a role, a place or another term that is safe to publish.
    pub term: String,
}

/// `POST /api/reviews/{review}/safe-terms`: a lead marks a term the check listed as safe
/// to publish; the check no longer lists it.
#[utoipa::path(post, path = "/api/reviews/{review}/safe-terms", tag = "snapshots", request_body = NewSafeTerm,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = SafeTerm), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn add_safe_term(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    JsonBody(body): JsonBody<NewSafeTerm>,
) -> ApiResult<(StatusCode, Json<SafeTerm>)> {
    auth.lead_of(&app, &review_id).await?;
    let term = checked_term(&body.term)?;
    let entry = app
        .directory
        .add_safe_term(&review_id, term, |entry| {
            AuditEvent::action(
                auth.0.actor(),
                &review_id,
                AuditAction::SafeTermAdded,
                &entry.id,
                String::new(),
            )
        })
        .await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// `DELETE /api/reviews/{review}/safe-terms/{term}`: a lead withdraws a safe term.
#[utoipa::path(delete, path = "/api/reviews/{review}/safe-terms/{term}", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id"), ("term" = String, Path, description = "The safe term's id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn remove_safe_term(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, term)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    auth.lead_of(&app, &review_id).await?;
    let event = AuditEvent::action(
        auth.0.actor(),
        &review_id,
        AuditAction::SafeTermRemoved,
        &term,
        String::new(),
    );
    found(
        app.directory
            .remove_safe_term(&review_id, &term, &event)
            .await?,
    )?;
    Ok(StatusCode::NO_CONTENT)
}

/// A register or safe term, trimmed: 2 to 200 characters.
fn checked_term(term: &str) -> ApiResult<&str> {
    let term = term.trim();
    if term.chars().count() < 2 || term.len() > 200 {
        return Err(ApiError::bad_request("A term takes 2 to 200 characters."));
    }
    Ok(term)
}
