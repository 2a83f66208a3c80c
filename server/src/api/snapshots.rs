//! Snapshots of a review's board: take, list, read, compare, restore, export, and the
//! pseudonymisation register and pre-publication check behind every export.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::{ApiError, ApiResult, Authed, ErrorBody, found};
use super::{JsonBody, QueryParams};
use crate::{
    access::Role,
    board::{Board, compare::Comparison},
    document::DocumentName,
    report::{self, Format, Possible, Pseudonymiser, PublicationCheck, Remaining},
    state::AppState,
    store::{AuditEvent, RegisterEntry, SafeTerm, SnapshotInfo},
};

fn board_document(review_id: &str) -> ApiResult<DocumentName> {
    DocumentName::parse(&format!("{review_id}/board")).map_err(|_| ApiError::NotFound)
}

/// Runs CPU-heavy board work (decoding a whole board, comparing two, building,
/// pseudonymising and rendering a report) on a blocking thread: no request may hold
/// the async workers that every board's room and the health checks run on.
async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("board work stopped: {e}")))?
}

/// The board held in a whole-document update, decoded off the async workers.
async fn decode_board(state: Vec<u8>) -> ApiResult<Board> {
    off_the_workers(move || Ok(Board::from_update(&state)?)).await
}

async fn compare_boards(before: Board, after: Board) -> ApiResult<Comparison> {
    off_the_workers(move || Ok(crate::board::compare::compare(&before, &after))).await
}

/// `GET /api/reviews/{review}/snapshots`: the review's snapshots, newest first.
#[utoipa::path(get, path = "/api/reviews/{review}/snapshots", tag = "snapshots",
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
            seq,
            &state,
            &hash,
            |snapshot| {
                AuditEvent::action(
                    actor.clone(),
                    &review_id,
                    "snapshot_taken",
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
async fn audit_label(app: &AppState, review_id: &str, label: &str) -> ApiResult<String> {
    let register = app.directory.register(review_id).await?;
    Ok(Pseudonymiser::new(&register).apply(label))
}

async fn load(app: &AppState, review_id: &str, id: &str) -> ApiResult<(SnapshotInfo, Vec<u8>)> {
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
#[utoipa::path(get, path = "/api/reviews/{review}/snapshots/{snapshot}", tag = "snapshots",
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// A snapshot id, or `live` for the board as it is now.
    pub from: String,
    /// A snapshot id, or `live` for the board as it is now.
    pub to: String,
}

async fn board_at(app: &AppState, review_id: &str, which: &str) -> ApiResult<Board> {
    let state = if which == "live" {
        app.rooms.snapshot(&board_document(review_id)?).await?.0
    } else {
        load(app, review_id, which).await?.1
    };
    decode_board(state).await
}

/// `GET /api/reviews/{review}/compare?from=A&to=B`: what changed from A to B (snapshot
/// ids, or `live`): rows, factors, links and findings added, removed or changed, with
/// word-level changes in texts and re-classified findings.
#[utoipa::path(get, path = "/api/reviews/{review}/compare", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id"), CompareQuery),
    responses((status = 200, body = Comparison), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn compare(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    QueryParams(query): QueryParams<CompareQuery>,
) -> ApiResult<Json<Comparison>> {
    auth.role_in(&app, &review_id).await?;
    let before = board_at(&app, &review_id, &query.from).await?;
    let after = board_at(&app, &review_id, &query.to).await?;
    Ok(Json(compare_boards(before, after).await?))
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
        "snapshot_restored",
        &snapshot.id,
        detail,
    );
    // The event is stored with the restoring change; a board that already matched the
    // snapshot changes nothing, and the event is then all there is to record.
    let changed = app
        .rooms
        .restore(&document, target.clone(), actor, event.clone())
        .await?;
    if !changed {
        app.directory.record(&[event]).await?;
    }
    let changes = compare_boards(before, target).await?;
    Ok(Json(Restored {
        snapshot: snapshot.id,
        changes,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `docx`, `html`, `md` or `json`.
    pub format: String,
    /// A lead's explicit confirmation to export although the pre-publication check is
    /// not clean: `unreviewed`. Recorded in the audit trail.
    pub confirm: Option<String>,
}

/// Who may export: the leads and the review team (exports are always pseudonymised).
fn may_export(role: Role) -> bool {
    matches!(role, Role::LeadReviewer | Role::ReviewTeamMember)
}

/// The terms the detector does not report: those the lead marked safe, and the board's
/// and the review's own vocabulary.
fn safe_vocabulary(board: &Board, safe_terms: &[SafeTerm]) -> Vec<String> {
    let mut safe: Vec<String> = safe_terms.iter().map(|t| t.term.clone()).collect();
    for entries in board.vocabularies.values() {
        safe.extend(entries.values().map(|e| e.label.clone()));
    }
    for (_, label) in crate::review::KINDS.iter().chain(crate::review::VARIANTS) {
        safe.push(label.to_string());
    }
    safe
}

/// The report of a snapshot as it leaves in an export (every text through the
/// register, characters no format can hold removed), and the check of exactly it.
async fn pseudonymised_report(
    app: &AppState,
    review_id: &str,
    id: &str,
) -> ApiResult<(SnapshotInfo, report::Report, PublicationCheck)> {
    let (snapshot, state) = load(app, review_id, id).await?;
    let review = app
        .directory
        .review(review_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let register = app.directory.register(review_id).await?;
    let safe_terms = app.directory.safe_terms(review_id).await?;
    let info = snapshot.clone();
    let (report, check) = off_the_workers(move || {
        let board = Board::from_update(&state)?;
        let mut original = report::build(&review, &info, &board);
        original.clean_characters();
        let safe = safe_vocabulary(&board, &safe_terms);
        Ok(Pseudonymiser::new(&register).pseudonymise(&original, &safe))
    })
    .await?;
    Ok((snapshot, report, check))
}

/// The answer to an export whose pre-publication check is not clean.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportRefused {
    /// Always `check_not_clean`.
    pub error: &'static str,
    pub message: String,
    /// Register entries or flagged terms still in the export.
    pub remaining: Vec<Remaining>,
    /// Possible names or identifying details nobody registered or marked safe.
    pub possible: Vec<Possible>,
}

/// `GET /api/reviews/{review}/snapshots/{snapshot}/export?format=docx|html|md|json`: the
/// review report of a snapshot, with every registered name replaced by its pseudonym.
/// Refused (409) while the pre-publication check is not clean, unless a lead confirms
/// with `confirm=unreviewed` (recorded in the audit trail).
#[utoipa::path(get, path = "/api/reviews/{review}/snapshots/{snapshot}/export", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id"), ("snapshot" = String, Path, description = "The snapshot's id"), ExportQuery),
    responses(
        (status = 200, description = "The report in the asked format (Word, HTML, Markdown or JSON)"),
        (status = 409, body = ExportRefused, description = "The pre-publication check is not clean and no lead confirmed the export"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn export(
    State(app): State<AppState>,
    auth: Authed,
    headers: HeaderMap,
    Path((review_id, id)): Path<(String, String)>,
    QueryParams(query): QueryParams<ExportQuery>,
) -> ApiResult<Response> {
    let role = auth.role_in(&app, &review_id).await?;
    if !may_export(role) {
        return Err(ApiError::Forbidden(
            "only lead reviewers and the review team may export the report",
        ));
    }
    let format = Format::parse(&query.format)
        .ok_or_else(|| ApiError::bad_request("Ask for format docx, html, md or json."))?;
    let confirmed = match query.confirm.as_deref() {
        None | Some("") => false,
        Some("unreviewed") => true,
        Some(_) => {
            return Err(ApiError::bad_request(
                "To export although the check is not clean, a lead confirms with confirm=unreviewed.",
            ));
        }
    };
    if confirmed && role != Role::LeadReviewer {
        return Err(ApiError::Forbidden(
            "only a lead reviewer may confirm an export the check has not cleared",
        ));
    }
    if confirmed && crate::auth::is_cross_site(&headers, &app.auth) {
        return Err(ApiError::CrossSite);
    }
    let (snapshot, report, check) = pseudonymised_report(&app, &review_id, &id).await?;
    if !check.ok && !confirmed {
        let refused = ExportRefused {
            error: "check_not_clean",
            message: format!(
                "The report was not exported: {} A lead reviewer registers or marks safe what is listed, or confirms the export.",
                check.summary
            ),
            remaining: check.remaining,
            possible: check.possible,
        };
        return Ok((StatusCode::CONFLICT, Json(refused)).into_response());
    }
    let bytes = off_the_workers(move || {
        report::render(&report, format).map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await?;
    let actor = auth.0.actor();
    let mut events = Vec::new();
    // The trail says what was confirmed, never which names (they are real names).
    if !check.ok {
        events.push(AuditEvent::action(
            actor.clone(),
            &review_id,
            "unreviewed_export_confirmed",
            &snapshot.id,
            format!(
                "{} registered or flagged terms remaining and {} possible names or identifying details unreviewed",
                check.remaining.len(),
                check.possible.len()
            ),
        ));
    }
    let detail = format!(
        "as {}; {}",
        format.extension(),
        if check.ok {
            "the pre-publication check was clean"
        } else {
            "on a lead's confirmation, the check was not clean"
        }
    );
    events.push(AuditEvent::action(
        actor,
        &review_id,
        "report_exported",
        &snapshot.id,
        detail,
    ));
    // Nothing leaves before the trail holds it.
    app.directory.record(&events).await?;
    let filename = format!(
        "review-report-{}.{}",
        &snapshot.id[..8.min(snapshot.id.len())],
        format.extension()
    );
    let disposition = if format == Format::Html {
        format!("inline; filename=\"{filename}\"")
    } else {
        format!("attachment; filename=\"{filename}\"")
    };
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /api/reviews/{review}/snapshots/{snapshot}/check`: the pre-publication check of
/// exactly the texts the snapshot's export contains: what the register replaced, any
/// registered or flagged term that still appears, and anything else that looks like a
/// personal name or identifying detail (names, streets, dates of birth, postcodes, phone
/// and NHS numbers) that is neither registered nor marked safe. Lead reviewers only (it
/// names real names).
#[utoipa::path(get, path = "/api/reviews/{review}/snapshots/{snapshot}/check", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id"), ("snapshot" = String, Path, description = "The snapshot's id")),
    responses((status = 200, body = PublicationCheck), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn check(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, id)): Path<(String, String)>,
) -> ApiResult<Json<PublicationCheck>> {
    auth.lead_of(&app, &review_id).await?;
    let (_, _, check) = pseudonymised_report(&app, &review_id, &id).await?;
    Ok(Json(check))
}

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
    responses((status = 201, body = RegisterEntry), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn add_register_entry(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    JsonBody(body): JsonBody<NewRegisterEntry>,
) -> ApiResult<(StatusCode, Json<RegisterEntry>)> {
    auth.lead_of(&app, &review_id).await?;
    let term = body.term.trim();
    if term.chars().count() < 2 || term.len() > 200 {
        return Err(ApiError::bad_request("A term takes 2 to 200 characters."));
    }
    if body.pseudonym.len() > 200 || body.note.len() > 1000 {
        return Err(ApiError::bad_request("The pseudonym or note is too long."));
    }
    // The audit trail never repeats a real name.
    let entry = app
        .directory
        .add_register_entry(
            &review_id,
            term,
            body.pseudonym.trim(),
            body.note.trim(),
            |entry| {
                AuditEvent::action(
                    auth.0.actor(),
                    &review_id,
                    "register_entry_added",
                    &entry.id,
                    String::new(),
                )
            },
        )
        .await?;
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
        "register_entry_removed",
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
    let term = body.term.trim();
    if term.chars().count() < 2 || term.len() > 200 {
        return Err(ApiError::bad_request("A term takes 2 to 200 characters."));
    }
    let entry = app
        .directory
        .add_safe_term(&review_id, term, |entry| {
            AuditEvent::action(
                auth.0.actor(),
                &review_id,
                "safe_term_added",
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
        "safe_term_removed",
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
