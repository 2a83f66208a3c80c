//! Searching the restricted notes a caller may open. The board itself is searched in
//! the app, which holds it; notes are separate documents the app has not opened.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use yrs::{GetString, ReadTxn, Transact, Update, updates::decoder::Decode};

use super::{
    ApiError, ApiResult, Authed, ErrorBody, QueryParams, reviews::visible_documents,
    snapshots::off_the_workers,
};
use crate::{document::DocumentName, report::occurrences, state::AppState};

/// Matches listed at most, over all the notes.
const MOST_HITS: usize = 50;
/// Characters of context either side of a match.
const CONTEXT_CHARS: usize = 40;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// What to look for: 2 to 200 characters, matched ignoring case and accents.
    pub q: String,
}

/// One match in restricted notes.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotesHit {
    /// The notes' name in the review (`notes/{slug}`).
    pub name: String,
    pub title: String,
    /// The words before the match, the match as written, and the words after.
    pub before: String,
    #[serde(rename = "match")]
    pub matched: String,
    pub after: String,
}

/// `GET /api/reviews/{review}/search/notes?q=`: matches in the restricted notes the
/// caller may open (none of any other), with their context.
#[utoipa::path(get, path = "/api/reviews/{review}/search/notes", tag = "documents", operation_id = "search_notes",
    params(("review" = String, Path, description = "The review's id"), SearchQuery),
    responses((status = 200, body = Vec<NotesHit>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn search_notes(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    QueryParams(query): QueryParams<SearchQuery>,
) -> ApiResult<Json<Vec<NotesHit>>> {
    let role = auth.role_in(&app, &review_id).await?;
    let wanted = query.q.trim().to_string();
    let length = wanted.chars().count();
    if !(2..=200).contains(&length) {
        return Err(ApiError::bad_request("search for 2 to 200 characters"));
    }
    let mut hits = Vec::new();
    for notes in visible_documents(&app, &auth.0, &review_id, role)
        .await?
        .into_iter()
        .filter(|d| d.restricted)
    {
        if hits.len() >= MOST_HITS {
            break;
        }
        let name = DocumentName::parse(&notes.document).map_err(|_| ApiError::NotFound)?;
        let (state, _) = app.rooms.snapshot(&name).await?;
        let (wanted, room) = (wanted.clone(), MOST_HITS - hits.len());
        let found = off_the_workers(move || Ok(find(&state, &wanted, room))).await?;
        hits.extend(found.into_iter().map(|(before, matched, after)| NotesHit {
            name: notes.name.clone(),
            title: notes.title.clone(),
            before,
            matched,
            after,
        }));
    }
    Ok(Json(hits))
}

/// The matches of `wanted` in the notes text of a whole-document update, in context.
fn find(state: &[u8], wanted: &str, most: usize) -> Vec<(String, String, String)> {
    let doc = yrs::Doc::new();
    let Ok(update) = Update::decode_v1(state) else {
        return Vec::new();
    };
    if doc.transact_mut().apply_update(update).is_err() {
        return Vec::new();
    }
    let text = {
        let txn = doc.transact();
        txn.get_text("notes")
            .map(|t| t.get_string(&txn))
            .unwrap_or_default()
    };
    occurrences(&text, wanted, most)
        .into_iter()
        .map(|(start, end)| {
            let before: String = {
                let chars: Vec<char> = text[..start].chars().collect();
                let from = chars.len().saturating_sub(CONTEXT_CHARS);
                let lead = if from > 0 { "…" } else { "" };
                format!("{lead}{}", chars[from..].iter().collect::<String>())
            };
            let after: String = {
                let rest = &text[end..];
                let kept: String = rest.chars().take(CONTEXT_CHARS).collect();
                let more = if kept.len() < rest.len() { "…" } else { "" };
                format!("{kept}{more}")
            };
            (before, text[start..end].to_string(), after)
        })
        .collect()
}
