//! A review's documents: the board, and restricted notes with their participants.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::Deserialize;
use utoipa::ToSchema;

use super::JsonBody;
use super::{
    ApiError, ApiResult, Authed, ErrorBody, found,
    reviews::{DocumentView, visible_documents},
    validate::{SHORT_TEXT, check_len},
};
use crate::{
    access::is_notes_slug,
    audit::{AuditAction, AuditEvent},
    review::RestrictedDocument,
    state::AppState,
};

/// `GET /api/reviews/{review}/documents`: the documents the caller may open.
#[utoipa::path(get, path = "/api/reviews/{review}/documents", tag = "documents",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Vec<DocumentView>), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn documents(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Vec<DocumentView>>> {
    let role = auth.role_in(&app, &review_id).await?;
    Ok(Json(
        visible_documents(&app, &auth.0, &review_id, role).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateDocument {
    /// Letters, digits, '-' and '_': the document becomes `notes/{slug}`.
    pub slug: String,
    pub title: String,
    /// User ids of the people (besides the leads) who may open it.
    #[serde(default)]
    pub participants: Vec<String>,
}

/// `POST /api/reviews/{review}/documents`: a lead creates restricted notes (e.g. an
/// individual conversation's) that only the participants and the leads may open.
#[utoipa::path(post, path = "/api/reviews/{review}/documents", tag = "documents", request_body = CreateDocument,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = RestrictedDocument), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn create_document(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    JsonBody(body): JsonBody<CreateDocument>,
) -> ApiResult<(StatusCode, Json<RestrictedDocument>)> {
    auth.lead_of(&app, &review_id).await?;
    let slug = body.slug.trim();
    if !is_notes_slug(slug) {
        return Err(ApiError::bad_request(
            "the slug takes 1 to 80 letters, digits, '-' or '_'",
        ));
    }
    check_len("the title", &body.title, SHORT_TEXT)?;
    check_participants(&app, &review_id, &body.participants).await?;
    let name = format!("notes/{slug}");
    let title = if body.title.trim().is_empty() {
        name.clone()
    } else {
        body.title.trim().to_string()
    };
    let event = AuditEvent::action(
        auth.0.actor(),
        &review_id,
        AuditAction::DocumentCreated,
        &name,
        title.clone(),
    );
    if !app
        .directory
        .create_restricted_document(&review_id, &name, &title, &body.participants, &event)
        .await?
    {
        return Err(ApiError::Conflict(format!("the review already has {name}")));
    }
    Ok((
        StatusCode::CREATED,
        Json(RestrictedDocument {
            name,
            title,
            participants: body.participants,
        }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateNotes {
    pub title: String,
    /// User ids of the people (besides the leads) who may open the notes.
    pub participants: Vec<String>,
}

/// `PUT /api/reviews/{review}/notes/{slug}`: a lead renames restricted notes and sets who
/// may open them. People taken off lose access at once (their open connection closes).
#[utoipa::path(put, path = "/api/reviews/{review}/notes/{slug}", tag = "documents", request_body = UpdateNotes,
    params(("review" = String, Path, description = "The review's id"), ("slug" = String, Path, description = "The notes' slug: the document is notes/{slug}")),
    responses((status = 200, body = RestrictedDocument), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_notes(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, slug)): Path<(String, String)>,
    JsonBody(body): JsonBody<UpdateNotes>,
) -> ApiResult<Json<RestrictedDocument>> {
    auth.lead_of(&app, &review_id).await?;
    check_len("the title", &body.title, SHORT_TEXT)?;
    check_participants(&app, &review_id, &body.participants).await?;
    let name = format!("notes/{slug}");
    let title = if body.title.trim().is_empty() {
        name.clone()
    } else {
        body.title.trim().to_string()
    };
    let event = AuditEvent::action(
        auth.0.actor(),
        &review_id,
        AuditAction::DocumentParticipantsChanged,
        &name,
        body.participants.join(", "),
    );
    found(
        app.directory
            .update_restricted_document(&review_id, &name, &title, &body.participants, &event)
            .await?,
    )?;
    app.access_changes.review(&review_id);
    Ok(Json(RestrictedDocument {
        name,
        title,
        participants: body.participants,
    }))
}

async fn check_participants(
    app: &AppState,
    review_id: &str,
    participants: &[String],
) -> ApiResult<()> {
    if participants.len() > 500 {
        return Err(ApiError::bad_request("Too many participants."));
    }
    let members = app.directory.members(review_id).await?;
    if let Some(stranger) = participants
        .iter()
        .find(|p| !members.iter().any(|m| &m.user_id == *p))
    {
        return Err(ApiError::bad_request(format!(
            "Everyone given the notes must be in this review, and {stranger} is not."
        )));
    }
    Ok(())
}
