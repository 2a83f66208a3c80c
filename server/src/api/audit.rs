//! The history of an entity, a review's audit trail, and account activity.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Deserialize;
use utoipa::IntoParams;

use serde::Serialize;
use utoipa::ToSchema;

use super::QueryParams;
use super::{ApiError, ApiResult, Authed, ErrorBody, snapshots::board_at};
use crate::auth::document_access_of;
use crate::{
    access::DocumentPlace,
    audit::AuditEvent,
    board::{
        compare::{WordChange, words},
        texts::text_of,
    },
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// The document inside the review; default `board`.
    pub document: Option<String>,
    /// The entity id (a row, factor, finding or link).
    pub entity: String,
}

/// The full name of a document of the review (`board` unless `name` says otherwise)
/// that the caller may open; one they may not answers like a missing one.
async fn openable(
    app: &AppState,
    auth: &Authed,
    review_id: &str,
    name: Option<&str>,
) -> ApiResult<String> {
    let name = name.unwrap_or("board");
    let place = DocumentPlace { review_id, name };
    document_access_of(&app.directory, &auth.0, &place)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(format!("{review_id}/{name}"))
}

/// `GET /api/reviews/{review}/history?entity=ID`: who changed an entity, newest first.
#[utoipa::path(get, path = "/api/reviews/{review}/history", tag = "audit",
    params(("review" = String, Path, description = "The review's id"), HistoryQuery),
    responses((status = 200, body = Vec<AuditEvent>), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn history(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    QueryParams(query): QueryParams<HistoryQuery>,
) -> ApiResult<Json<Vec<AuditEvent>>> {
    auth.role_in(&app, &review_id).await?;
    let document = openable(&app, &auth, &review_id, query.document.as_deref()).await?;
    Ok(Json(
        app.directory
            .entity_history(&document, &query.entity, 200)
            .await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TextsQuery {
    /// The document inside the review; default `board`.
    pub document: Option<String>,
    /// One entity's runs; without it, the newest runs of the whole board (leads only,
    /// for the audit trail).
    pub entity: Option<String>,
}

/// One run of one person's changes to a text: its words before and after.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TextRun {
    pub entity: String,
    pub field: String,
    /// The update that began the run (the history's `seq`): the run covers the field's
    /// changes from it up to the next run of the same field.
    pub seq: i64,
    pub at_ms: i64,
    pub before: String,
    /// What the next run began with, or the text as it is now.
    pub after: String,
    /// The words kept, removed and added, in order.
    pub words: Vec<WordChange>,
}

/// The runs recorded per entity that the history shows words for.
const TEXT_RUNS: i64 = 100;
/// The runs of the whole board the audit trail shows words for.
const BOARD_TEXT_RUNS: i64 = 1_000;

/// `GET /api/reviews/{review}/history/texts?entity=ID`: the words before and after each
/// run of changes to the entity's texts (board entities only), oldest first; without
/// `entity`, the newest runs of the whole board, for a lead's audit trail.
#[utoipa::path(get, path = "/api/reviews/{review}/history/texts", tag = "audit", operation_id = "history_texts",
    params(("review" = String, Path, description = "The review's id"), TextsQuery),
    responses((status = 200, body = Vec<TextRun>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn history_texts(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    QueryParams(query): QueryParams<TextsQuery>,
) -> ApiResult<Json<Vec<TextRun>>> {
    let role = auth.role_in(&app, &review_id).await?;
    if query.entity.is_none() && !role.leads() {
        return Err(ApiError::Forbidden(
            "only a lead reviewer reads the words of every change (one item's history is open to everyone in the review)",
        ));
    }
    let document = openable(&app, &auth, &review_id, query.document.as_deref()).await?;
    if document != format!("{review_id}/board") {
        return Ok(Json(Vec::new()));
    }
    let records = match &query.entity {
        Some(entity) => {
            app.directory
                .field_texts(&document, entity, TEXT_RUNS)
                .await?
        }
        None => {
            app.directory
                .document_texts(&document, BOARD_TEXT_RUNS)
                .await?
        }
    };
    if records.is_empty() {
        return Ok(Json(Vec::new()));
    }
    let live = board_at(&app, &review_id, "live").await?;
    let now = |entity: &str| {
        ["episode", "factor", "finding"]
            .into_iter()
            .find_map(|kind| live.item(kind, entity))
    };
    let runs = records
        .iter()
        .enumerate()
        .map(|(i, record)| {
            let after = records[i + 1..]
                .iter()
                .find(|later| later.entity == record.entity && later.field == record.field)
                .map(|later| later.text.clone())
                .or_else(|| now(&record.entity).map(|item| text_of(&item, &record.field)))
                .unwrap_or_default();
            TextRun {
                words: words(&record.text, &after),
                entity: record.entity.clone(),
                field: record.field.clone(),
                seq: record.seq,
                at_ms: record.at_ms,
                before: record.text.clone(),
                after,
            }
        })
        .collect();
    Ok(Json(runs))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Most events returned (default 500, at most 5000).
    pub limit: Option<i64>,
}

/// `GET /api/reviews/{review}/audit`: a lead reads the review's audit trail, newest first.
#[utoipa::path(get, path = "/api/reviews/{review}/audit", tag = "audit",
    params(("review" = String, Path, description = "The review's id"), AuditQuery),
    responses((status = 200, body = Vec<AuditEvent>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn audit(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    QueryParams(query): QueryParams<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEvent>>> {
    auth.lead_of(&app, &review_id).await?;
    let limit = query.limit.unwrap_or(500).clamp(1, 5000);
    Ok(Json(app.directory.review_audit(&review_id, limit).await?))
}

/// `GET /api/audit`: an administrator reads what belongs to no review: sign-ins, failed
/// sign-ins, lockouts, sign-outs, password changes, accounts created. Newest first.
#[utoipa::path(get, path = "/api/audit", tag = "audit",
    params(AuditQuery),
    responses((status = 200, body = Vec<AuditEvent>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("session" = [])))]
pub async fn account_audit(
    State(app): State<AppState>,
    Authed(caller): Authed,
    QueryParams(query): QueryParams<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEvent>>> {
    if !caller.is_admin() {
        return Err(ApiError::Forbidden(
            "Only an administrator may read account activity.",
        ));
    }
    let limit = query.limit.unwrap_or(500).clamp(1, 5000);
    Ok(Json(app.directory.account_audit(limit).await?))
}
