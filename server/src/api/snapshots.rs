//! Snapshots of a review's board: take, list, read and restore them, and the live
//! board as JSON. Comparing boards is in `compare`, the report and its check in
//! `report`, the pseudonymisation register in `register`.

use axum::{
    Json,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::{ApiError, ApiResult, Authed, ErrorBody, JsonBody, compare::compare_boards};
use crate::{
    audit::{AuditAction, AuditEvent},
    board::{Board, compare::Comparison},
    document::DocumentName,
    report::Pseudonymiser,
    review::{FrozenDetails, SnapshotInfo},
    room::{self, RestoreTarget},
    state::AppState,
};

pub(super) fn board_document(review_id: &str) -> ApiResult<DocumentName> {
    DocumentName::parse(&format!("{review_id}/board")).map_err(|_| ApiError::NotFound)
}

/// Runs CPU-heavy board work (decoding a whole board, comparing two, building,
/// pseudonymising and rendering a report) on a blocking thread: no request may hold
/// the async workers that every board's room and the health checks run on.
pub(super) async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("board work stopped: {e}")))?
}

/// The board held in a whole-document update, decoded off the async workers.
pub(super) async fn decode_board(state: Vec<u8>) -> ApiResult<Board> {
    off_the_workers(move || Ok(Board::from_update(&state)?)).await
}

/// `GET /api/reviews/{review}/snapshots`: the review's snapshots, newest first.
#[utoipa::path(get, path = "/api/reviews/{review}/snapshots", tag = "snapshots", operation_id = "list_snapshots",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Vec<SnapshotInfo>), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Vec<SnapshotInfo>>> {
    auth.role_in(&app, &review_id).await?;
    Ok(Json(app.directory.snapshots(&review_id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TakeSnapshot {
    /// e.g. "Analysis meeting 2: agreed findings".
    pub label: String,
    /// The meeting of the timeline this records, if any.
    pub meeting_id: Option<String>,
}

/// `POST /api/reviews/{review}/snapshots`: a lead records the board as it is now. The
/// snapshot holds everything stored up to that moment, even while others edit.
#[utoipa::path(post, path = "/api/reviews/{review}/snapshots", tag = "snapshots", request_body = TakeSnapshot,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = SnapshotInfo), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn take(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    JsonBody(body): JsonBody<TakeSnapshot>,
) -> ApiResult<(StatusCode, Json<SnapshotInfo>)> {
    auth.lead_of(&app, &review_id).await?;
    let label = body.label.trim();
    if label.is_empty() || label.len() > 300 {
        return Err(ApiError::bad_request(
            "Give the snapshot a label of up to 300 characters.",
        ));
    }
    if let Some(meeting) = &body.meeting_id
        && !app
            .directory
            .meetings(&review_id)
            .await?
            .iter()
            .any(|m| &m.id == meeting)
    {
        return Err(ApiError::bad_request(
            "That meeting is not on this review's timeline.",
        ));
    }
    let document = board_document(&review_id)?;
    // The review's details and people as they are now go with the board's state.
    let review = app
        .directory
        .review(&review_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let members = app.directory.members(&review_id).await?;
    let details = serde_json::to_string(&FrozenDetails::of(&review, &members))
        .map_err(|e| ApiError::Internal(format!("the review's details: {e}")))?;
    let (state, seq) = app.rooms.snapshot(&document).await?;
    let hash = crate::access::secrets::hex(&Sha256::digest(&state));
    let actor = auth.0.actor();
    let detail = audit_label(&app, &review_id, label).await?;
    let snapshot = app
        .directory
        .create_snapshot(
            &review_id,
            document.as_str(),
            label,
            body.meeting_id.as_deref(),
            &actor,
            crate::clock::now_ms(),
            seq,
            &state,
            &hash,
            &details,
            |snapshot| {
                AuditEvent::action(
                    actor.clone(),
                    &review_id,
                    AuditAction::SnapshotTaken,
                    &snapshot.id,
                    detail,
                )
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(snapshot)))
}

/// A snapshot's label as the audit trail records it: through the register, since the
/// trail never repeats a real name.
pub(super) async fn audit_label(app: &AppState, review_id: &str, label: &str) -> ApiResult<String> {
    let register = app.directory.register(review_id).await?;
    Ok(Pseudonymiser::new(&register).apply(label))
}

pub(super) async fn load(
    app: &AppState,
    review_id: &str,
    id: &str,
) -> ApiResult<(SnapshotInfo, Vec<u8>)> {
    app.directory
        .snapshot(review_id, id)
        .await?
        .ok_or(ApiError::NotFound)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SnapshotContent {
    pub snapshot: SnapshotInfo,
    /// The board as JSON (docs/board-schema.md; the same shape as the web app's plain reading).
    #[schema(value_type = Object)]
    pub board: Board,
}

/// `GET /api/reviews/{review}/snapshots/{snapshot}`: a snapshot and its board as JSON.
#[utoipa::path(get, path = "/api/reviews/{review}/snapshots/{snapshot}", tag = "snapshots", operation_id = "show_snapshot",
    params(("review" = String, Path, description = "The review's id"), ("snapshot" = String, Path, description = "The snapshot's id")),
    responses((status = 200, body = SnapshotContent), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn show(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, id)): Path<(String, String)>,
) -> ApiResult<Json<SnapshotContent>> {
    auth.role_in(&app, &review_id).await?;
    let (snapshot, state) = load(&app, &review_id, &id).await?;
    let board = decode_board(state).await?;
    Ok(Json(SnapshotContent { snapshot, board }))
}

/// `GET /api/reviews/{review}/board`: the live board as JSON, as it is stored now (the
/// same shape as a snapshot's board).
#[utoipa::path(get, path = "/api/reviews/{review}/board", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Object, description = "The board (docs/board-schema.md)"), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn live_board(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Board>> {
    auth.role_in(&app, &review_id).await?;
    Ok(Json(board_at(&app, &review_id, "live").await?))
}

/// `GET /api/reviews/{review}/snapshots/{snapshot}/state`: the snapshot as one Yjs update
/// (lib0 v1), to open read-only in the board's own screens.
#[utoipa::path(get, path = "/api/reviews/{review}/snapshots/{snapshot}/state", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id"), ("snapshot" = String, Path, description = "The snapshot's id")),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn state(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, id)): Path<(String, String)>,
) -> ApiResult<Response> {
    auth.role_in(&app, &review_id).await?;
    let (snapshot, state) = load(&app, &review_id, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::ETAG, format!("\"{}\"", snapshot.content_hash)),
        ],
        state,
    )
        .into_response())
}

pub(super) async fn board_at(app: &AppState, review_id: &str, which: &str) -> ApiResult<Board> {
    let state = if which == "live" {
        app.rooms.snapshot(&board_document(review_id)?).await?.0
    } else {
        load(app, review_id, which).await?.1
    };
    decode_board(state).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Restored {
    pub snapshot: String,
    /// What the restore changed on the live board, in the comparison's terms.
    pub changes: Comparison,
}

/// `POST /api/reviews/{review}/snapshots/{snapshot}/restore`: a lead brings the live
/// board back to the snapshot's content, as one forward change every connected client
/// receives like any edit (undone by restoring another snapshot).
#[utoipa::path(post, path = "/api/reviews/{review}/snapshots/{snapshot}/restore", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id"), ("snapshot" = String, Path, description = "The snapshot's id")),
    responses((status = 200, body = Restored), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn restore(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, id)): Path<(String, String)>,
) -> ApiResult<Json<Restored>> {
    auth.lead_of(&app, &review_id).await?;
    let (snapshot, state) = load(&app, &review_id, &id).await?;
    let target = decode_board(state).await?;
    let document = board_document(&review_id)?;
    let before = board_at(&app, &review_id, "live").await?;
    let actor = auth.0.actor();
    let detail = audit_label(&app, &review_id, &snapshot.label).await?;
    let event = AuditEvent::action(
        actor.clone(),
        &review_id,
        AuditAction::SnapshotRestored,
        &snapshot.id,
        detail,
    );
    // The event is stored with the restoring change; a board that already matched the
    // snapshot changes nothing, and the event is then all there is to record.
    let outcome = app
        .rooms
        .restore(
            &document,
            RestoreTarget::Board(Box::new(target.clone())),
            actor,
            event.clone(),
        )
        .await?;
    if outcome != room::Restored::Changed {
        app.directory.record(&[event]).await?;
    }
    let changes = compare_boards(before, target).await?;
    Ok(Json(Restored {
        snapshot: snapshot.id,
        changes,
    }))
}
