//! The history of an entity, a review's audit trail, and account activity.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::QueryParams;
use super::{ApiError, ApiResult, Authed, ErrorBody};
use crate::auth::document_access_of;
use crate::{access::DocumentPlace, audit::AuditEvent, state::AppState};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// The document inside the review; default `board`.
    pub document: Option<String>,
    /// The entity id (a row, factor, finding or link).
    pub entity: String,
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
    let name = query.document.as_deref().unwrap_or("board");
    let place = DocumentPlace {
        review_id: &review_id,
        name,
    };
    document_access_of(&app.directory, &auth.0, &place)
        .await?
        .ok_or(ApiError::NotFound)?;
    let document = format!("{review_id}/{name}");
    Ok(Json(
        app.directory
            .entity_history(&document, &query.entity, 200)
            .await?,
    ))
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
