//! The meeting timeline of a review.

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
    validate::{SHORT_TEXT, check_len},
};
use crate::{
    audit::{AuditAction, AuditEvent},
    review::{self, Meeting, NewMeeting},
    state::AppState,
};

/// `GET /api/reviews/{review}/meetings`: the review's meeting timeline.
#[utoipa::path(get, path = "/api/reviews/{review}/meetings", tag = "timeline",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Vec<Meeting>), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn meetings(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Vec<Meeting>>> {
    auth.role_in(&app, &review_id).await?;
    Ok(Json(app.directory.meetings(&review_id).await?))
}

#[derive(Debug, Deserialize, ToSchema, Default)]
pub struct MeetingFields {
    pub kind: Option<String>,
    pub title: Option<String>,
    pub scheduled_at: Option<String>,
    pub mode: Option<String>,
    pub attendees: Option<Vec<String>>,
    pub closed: Option<bool>,
    pub position: Option<i64>,
}

fn check_meeting(meeting: &Meeting) -> ApiResult<()> {
    if !review::is_one_of(&meeting.kind, review::MEETING_KINDS) {
        return Err(ApiError::bad_request(format!(
            "unknown kind of meeting {:?}",
            meeting.kind
        )));
    }
    if !review::MEETING_MODES.contains(&meeting.mode.as_str()) {
        return Err(ApiError::bad_request(
            "a meeting is in_person, remote or hybrid",
        ));
    }
    if meeting.title.trim().is_empty() {
        return Err(ApiError::bad_request("give the meeting a title"));
    }
    check_len("the title", &meeting.title, SHORT_TEXT)?;
    check_len("the date", &meeting.scheduled_at, 40)?;
    Ok(())
}

/// Attendees are people of this review, by user id. Someone already listed on the
/// meeting may stay listed after leaving the review: they did attend.
async fn check_attendees(
    app: &AppState,
    review_id: &str,
    attendees: &[String],
    already_listed: &[String],
) -> ApiResult<()> {
    if attendees.len() > 500 {
        return Err(ApiError::bad_request("too many attendees"));
    }
    let members = app.directory.members(review_id).await?;
    if let Some(stranger) = attendees
        .iter()
        .find(|id| !members.iter().any(|m| &m.user_id == *id) && !already_listed.contains(id))
    {
        return Err(ApiError::bad_request(format!(
            "Everyone attending must be in this review, and {stranger} is not."
        )));
    }
    Ok(())
}

/// `POST /api/reviews/{review}/meetings`: a lead adds a meeting at the end.
#[utoipa::path(post, path = "/api/reviews/{review}/meetings", tag = "timeline", request_body = MeetingFields,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = Meeting), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn add_meeting(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    JsonBody(body): JsonBody<MeetingFields>,
) -> ApiResult<(StatusCode, Json<Meeting>)> {
    auth.lead_of(&app, &review_id).await?;
    let draft = Meeting {
        id: String::new(),
        review_id: review_id.clone(),
        position: 0,
        kind: body.kind.unwrap_or_else(|| "other".into()),
        title: body.title.unwrap_or_default(),
        scheduled_at: body.scheduled_at.unwrap_or_default(),
        mode: body.mode.unwrap_or_else(|| "in_person".into()),
        attendees: body.attendees.unwrap_or_default(),
        closed: false,
    };
    check_meeting(&draft)?;
    check_attendees(&app, &review_id, &draft.attendees, &[]).await?;
    let meeting = app
        .directory
        .add_meeting(
            &review_id,
            &NewMeeting {
                kind: draft.kind,
                title: draft.title,
                scheduled_at: draft.scheduled_at,
                mode: draft.mode,
                attendees: draft.attendees,
            },
            |meeting| {
                AuditEvent::action(
                    auth.0.actor(),
                    &review_id,
                    AuditAction::MeetingAdded,
                    &meeting.id,
                    meeting.title.clone(),
                )
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(meeting)))
}

/// `PATCH /api/reviews/{review}/meetings/{meeting}`: a lead edits or closes a meeting.
#[utoipa::path(patch, path = "/api/reviews/{review}/meetings/{meeting}", tag = "timeline", request_body = MeetingFields,
    params(("review" = String, Path, description = "The review's id"), ("meeting" = String, Path, description = "The meeting's id")),
    responses((status = 200, body = Meeting), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn update_meeting(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, meeting_id)): Path<(String, String)>,
    JsonBody(body): JsonBody<MeetingFields>,
) -> ApiResult<Json<Meeting>> {
    auth.lead_of(&app, &review_id).await?;
    let mut meeting = app
        .directory
        .meetings(&review_id)
        .await?
        .into_iter()
        .find(|m| m.id == meeting_id)
        .ok_or(ApiError::NotFound)?;
    if let Some(kind) = body.kind {
        meeting.kind = kind;
    }
    if let Some(title) = body.title {
        meeting.title = title;
    }
    if let Some(at) = body.scheduled_at {
        meeting.scheduled_at = at;
    }
    if let Some(mode) = body.mode {
        meeting.mode = mode;
    }
    if let Some(attendees) = body.attendees {
        check_attendees(&app, &review_id, &attendees, &meeting.attendees).await?;
        meeting.attendees = attendees;
    }
    if let Some(closed) = body.closed {
        meeting.closed = closed;
    }
    if let Some(position) = body.position {
        meeting.position = position;
    }
    check_meeting(&meeting)?;
    let event = AuditEvent::action(
        auth.0.actor(),
        &review_id,
        AuditAction::MeetingUpdated,
        &meeting.id,
        meeting.title.clone(),
    );
    found(app.directory.update_meeting(&meeting, &event).await?)?;
    Ok(Json(meeting))
}

/// `DELETE /api/reviews/{review}/meetings/{meeting}`: a lead removes a meeting.
#[utoipa::path(delete, path = "/api/reviews/{review}/meetings/{meeting}", tag = "timeline",
    params(("review" = String, Path, description = "The review's id"), ("meeting" = String, Path, description = "The meeting's id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn delete_meeting(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, meeting_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    auth.lead_of(&app, &review_id).await?;
    let event = AuditEvent::action(
        auth.0.actor(),
        &review_id,
        AuditAction::MeetingRemoved,
        &meeting_id,
        String::new(),
    );
    found(
        app.directory
            .delete_meeting(&review_id, &meeting_id, &event)
            .await?,
    )?;
    Ok(StatusCode::NO_CONTENT)
}
