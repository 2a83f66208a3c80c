//! Comparing two versions of a review's board: snapshots or the live board.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{
    ApiResult, Authed, ErrorBody, QueryParams,
    snapshots::{board_at, off_the_workers},
};
use crate::{
    board::{Board, compare::Comparison},
    state::AppState,
};

pub(super) async fn compare_boards(before: Board, after: Board) -> ApiResult<Comparison> {
    off_the_workers(move || Ok(crate::board::compare::compare(&before, &after))).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// A snapshot id, or `live` for the board as it is now.
    pub from: String,
    /// A snapshot id, or `live` for the board as it is now.
    pub to: String,
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
