//! "Seen before": while the review team drafts a finding, the published findings of
//! other reviews that share its codes or read alike. The team records one on the
//! finding itself (its `seenBefore` map, written on the board like any edit); this is
//! only the lookup.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    ApiError, ApiResult, Authed, ErrorBody,
    library::small_number_rule,
    snapshots::{board_document, off_the_workers},
};
use crate::{
    access::Role,
    board::Board,
    library::{
        query::ReviewCount,
        similar::{self, Draft, Suggestion},
    },
    state::AppState,
};

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SeenBeforeAnswer {
    /// Best first; empty when nothing is alike, or when the lookup is withheld.
    pub suggestions: Vec<Suggestion>,
    /// How many reviews the findings looked at come from.
    pub matched: ReviewCount,
    /// True when they come from fewer reviews than the threshold, none of them the
    /// caller's: nothing is listed, so that no review is singled out.
    pub withheld: bool,
    /// Why nothing is listed, in words; empty otherwise.
    pub message: String,
}

/// `GET /api/reviews/{review}/findings/{finding}/seen-before`: published findings of
/// other reviews like this finding as it stands on the live board (its statement and
/// why it is underlying, its categories, effect and agencies), best first. For the
/// review's leads and review team, signed in: the library's findings are the
/// partnership's, never a token's.
#[utoipa::path(get, path = "/api/reviews/{review}/findings/{finding}/seen-before", tag = "library", operation_id = "seen_before",
    params(("review" = String, Path, description = "The review's id"), ("finding" = String, Path, description = "The finding's id on the board")),
    responses((status = 200, body = SeenBeforeAnswer), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "No such review or finding")),
    security(("session" = [])))]
pub async fn seen_before(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, finding_id)): Path<(String, String)>,
) -> ApiResult<Json<SeenBeforeAnswer>> {
    let role = auth.role_in(&app, &review_id).await?;
    if !matches!(role, Role::LeadReviewer | Role::ReviewTeamMember) || auth.0.user().is_none() {
        return Err(ApiError::Forbidden(
            "findings seen before in other reviews are looked up by the review team, signed in",
        ));
    }
    let (state, _) = app.rooms.snapshot(&board_document(&review_id)?).await?;
    let draft = off_the_workers(move || {
        let board = Board::from_update(&state)?;
        Ok(board
            .findings
            .iter()
            .find(|f| f.id == finding_id)
            .map(Draft::of))
    })
    .await?
    .ok_or(ApiError::NotFound)?;
    if draft.is_empty() {
        return Ok(Json(SeenBeforeAnswer {
            suggestions: Vec::new(),
            matched: ReviewCount::of(0, app.library_threshold),
            withheld: false,
            message: "Write the finding's statement or choose its category: findings seen before are looked up by its words and codes.".into(),
        }));
    }
    // Only words and codes that enough other reviews carry look anything up, so a
    // rare word cannot single a review out behind common ones.
    let (words, categories) = app
        .directory
        .common_terms(
            &review_id,
            &draft.words,
            &draft.categories,
            app.library_threshold,
        )
        .await?;
    let narrowed = words.len() < draft.words.len() || categories.len() < draft.categories.len();
    let draft = Draft {
        words,
        categories,
        ..draft
    };
    let candidates = app
        .directory
        .similar_findings(&review_id, &draft.words, &draft.categories)
        .await?;
    let mut reviews: Vec<String> = candidates.iter().map(|c| c.hit.review_id.clone()).collect();
    reviews.sort();
    reviews.dedup();
    // The lookup lists findings like any search, so it keeps the same rule: a handful
    // of findings from fewer reviews than the threshold would point at those reviews.
    let (matched, withheld) = small_number_rule(&app, &auth.0, &reviews).await?;
    if withheld {
        return Ok(Json(SeenBeforeAnswer {
            suggestions: Vec::new(),
            message: format!(
                "Findings like this one come from {}: they are not listed, so that no review can be singled out.",
                matched.text
            ),
            matched,
            withheld: true,
        }));
    }
    let message = match (candidates.is_empty(), narrowed) {
        (true, false) => {
            "No published finding of another review shares this finding's words or categories."
                .to_string()
        }
        (true, true) => format!(
            "No published finding of another review is like this one in words or categories that {} or more reviews share: rarer ones are not looked up, so that no review can be singled out.",
            app.library_threshold
        ),
        (false, _) => String::new(),
    };
    Ok(Json(SeenBeforeAnswer {
        suggestions: similar::rank(&draft, candidates),
        matched,
        withheld: false,
        message,
    }))
}
