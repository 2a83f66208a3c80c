//! Comments on board items: short threads with mentions of review members, resolved
//! when done. Kept beside the board, never in it, so no snapshot, comparison or export
//! carries them. Everyone in the review reads them; those who may change the board
//! write them.

use std::collections::{HashMap, HashSet};

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiError, ApiResult, Authed, ErrorBody, JsonBody, found, snapshots::board_at};
use crate::{
    access::Role,
    audit::{AuditAction, AuditEvent},
    board::{Board, bin::Item},
    clock::now_ms,
    review::comments::{self, CommentRecord, NewComment},
    state::AppState,
};

/// The most comments one review keeps (a guard against a flood, far above real use).
const MAX_COMMENTS_PER_REVIEW: i64 = 20_000;

/// Someone mentioned in a comment.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Mention {
    pub user_id: String,
    pub name: String,
}

/// Who wrote a comment.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommentAuthor {
    /// "user" or "token".
    pub kind: String,
    pub name: String,
    pub agency: String,
}

/// One comment, as the caller sees it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommentView {
    pub id: String,
    /// The thread's first comment (this comment's own id when it starts the thread).
    pub thread_id: String,
    /// "episode", "factor", "finding" or "link".
    pub item_kind: String,
    pub item_id: String,
    /// The item's reference (episode E7, finding F3), when it has one.
    pub item_ref: String,
    /// The item's title as the board has it now (empty when it is off the board).
    pub item_label: String,
    pub on_board: bool,
    pub author: CommentAuthor,
    /// Empty for a deleted comment.
    pub body: String,
    pub mentions: Vec<Mention>,
    pub created_at: i64,
    /// On a thread's first comment: when the thread was resolved, if it is.
    pub resolved_at: Option<i64>,
    pub resolved_by: String,
    pub deleted: bool,
    /// The caller wrote it.
    pub mine: bool,
    /// The caller may delete it.
    pub can_delete: bool,
    /// On a thread's first comment: the caller may resolve or reopen the thread.
    pub can_resolve: bool,
    /// Written by someone else since the caller last read the comments.
    pub new: bool,
    /// On a thread or item the caller is linked to: they wrote in the thread, are
    /// mentioned in it, or changed the item.
    pub for_you: bool,
}

/// A review's comments for the caller.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommentsView {
    /// Oldest first.
    pub comments: Vec<CommentView>,
    /// New comments on threads or items the caller is linked to.
    pub new_for_you: usize,
    /// The caller may write comments (read-only roles read them).
    pub can_comment: bool,
    /// When the caller last marked the comments read (0 if never).
    pub seen_at: i64,
}

/// `GET /api/reviews/{review}/comments`: every comment of the review, with what is new
/// to the caller.
#[utoipa::path(get, path = "/api/reviews/{review}/comments", tag = "comments", operation_id = "list_comments",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = CommentsView), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<CommentsView>> {
    let role = auth.role_in(&app, &review_id).await?;
    let records = app.directory.comments(&review_id).await?;
    let (seen_at, changed) = match auth.0.user() {
        Some(user) => (
            app.directory.comments_seen(&review_id, &user.id).await?,
            app.directory.items_changed_by(&review_id, &user.id).await?,
        ),
        None => (0, Vec::new()),
    };
    let board = if records.is_empty() {
        None
    } else {
        Some(board_at(&app, &review_id, "live").await?)
    };
    let names: HashMap<String, String> = app
        .directory
        .members(&review_id)
        .await?
        .into_iter()
        .map(|m| (m.user_id, m.name))
        .collect();
    let caller = auth.0.actor();
    let changed: HashSet<String> = changed.into_iter().collect();
    // Who each thread involves: its writers and the people it mentions.
    let mut involved: HashMap<&str, HashSet<String>> = HashMap::new();
    for record in &records {
        let people = involved.entry(record.thread_id.as_str()).or_default();
        if record.author_kind == "user" {
            people.insert(record.author_id.clone());
        }
        people.extend(record.mention_ids());
    }
    let comments: Vec<CommentView> = records
        .iter()
        .map(|record| {
            let mine = record.is_by(&caller);
            let linked = caller.kind == "user"
                && (changed.contains(&record.item_id)
                    || involved
                        .get(record.thread_id.as_str())
                        .is_some_and(|people| people.contains(&caller.id)));
            let new = !mine && record.deleted_at.is_none() && record.created_at > seen_at;
            view(record, board.as_ref(), &names, role, &caller, new, linked)
        })
        .collect();
    Ok(Json(CommentsView {
        new_for_you: comments.iter().filter(|c| c.new && c.for_you).count(),
        can_comment: comments::may_comment(role),
        seen_at,
        comments,
    }))
}

fn view(
    record: &CommentRecord,
    board: Option<&Board>,
    names: &HashMap<String, String>,
    role: Role,
    caller: &crate::access::Author,
    new: bool,
    for_you: bool,
) -> CommentView {
    let item = board.and_then(|b| b.item(&record.item_kind, &record.item_id));
    let item_ref = match &item {
        Some(Item::Episode(e)) => e.reference.clone(),
        Some(Item::Finding(f)) => f.reference.clone(),
        _ => String::new(),
    };
    let deleted = record.deleted_at.is_some();
    CommentView {
        id: record.id.clone(),
        thread_id: record.thread_id.clone(),
        item_kind: record.item_kind.clone(),
        item_id: record.item_id.clone(),
        item_ref,
        item_label: item.as_ref().map(Item::label).unwrap_or_default(),
        on_board: item.is_some(),
        author: CommentAuthor {
            kind: record.author_kind.clone(),
            name: record.author_name.clone(),
            agency: record.author_agency.clone(),
        },
        body: record.body.clone(),
        mentions: record
            .mention_ids()
            .into_iter()
            .map(|id| Mention {
                name: names
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| "someone no longer in the review".into()),
                user_id: id,
            })
            .collect(),
        created_at: record.created_at,
        resolved_at: record.resolved_at,
        resolved_by: record.resolved_by.clone(),
        deleted,
        mine: record.is_by(caller),
        can_delete: !deleted && comments::may_delete(role, record, caller),
        can_resolve: record.starts_thread() && comments::may_resolve(role, record, caller),
        new,
        for_you,
    }
}

/// A new comment: on an item (starting a thread) or a reply in a thread.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewCommentBody {
    /// With `itemId`, starts a thread on that board item.
    pub item_kind: Option<String>,
    pub item_id: Option<String>,
    /// Replies in this thread (its first comment's id) instead.
    pub thread_id: Option<String>,
    pub body: String,
    /// User ids of review members mentioned (@name in the text).
    #[serde(default)]
    pub mentions: Vec<String>,
}

/// `POST /api/reviews/{review}/comments`: starts a thread on a board item or replies
/// in one.
#[utoipa::path(post, path = "/api/reviews/{review}/comments", tag = "comments", operation_id = "add_comment",
    request_body = NewCommentBody,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = CommentView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn add(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    JsonBody(body): JsonBody<NewCommentBody>,
) -> ApiResult<(StatusCode, Json<CommentView>)> {
    let role = auth.role_in(&app, &review_id).await?;
    if !comments::may_comment(role) {
        return Err(ApiError::Forbidden(
            "board members and observers read comments but do not write them",
        ));
    }
    let text = comments::clean_body(&body.body).map_err(ApiError::bad_request)?;
    let members = app.directory.members(&review_id).await?;
    let mentions = check_mentions(&body.mentions, &members)?;
    let board = board_at(&app, &review_id, "live").await?;
    let (item_kind, item_id, thread_id) = match (&body.thread_id, &body.item_kind, &body.item_id) {
        (Some(thread), None, None) => {
            let first = app
                .directory
                .comment(&review_id, thread)
                .await?
                .filter(|c| c.starts_thread() && c.deleted_at.is_none())
                .ok_or(ApiError::NotFound)?;
            (first.item_kind, first.item_id, Some(first.id))
        }
        (None, Some(kind), Some(id)) => {
            if !comments::ITEM_KINDS.contains(&kind.as_str()) {
                return Err(ApiError::bad_request(
                    "comments are on an episode, factor, finding or link",
                ));
            }
            if board.item(kind, id).is_none() {
                return Err(ApiError::bad_request(format!(
                    "that {kind} is not on the board (it may have just been deleted)"
                )));
            }
            (kind.clone(), id.clone(), None)
        }
        _ => {
            return Err(ApiError::bad_request(
                "give either an item (itemKind and itemId) or a thread to reply in",
            ));
        }
    };
    if app.directory.comment_count(&review_id).await? >= MAX_COMMENTS_PER_REVIEW {
        return Err(ApiError::Conflict(
            "this review holds as many comments as it can; resolve and delete old ones first"
                .into(),
        ));
    }
    let author = auth.0.actor();
    let event = AuditEvent {
        entity_kind: item_kind.clone(),
        ..AuditEvent::action(
            author.clone(),
            &review_id,
            AuditAction::CommentAdded,
            &item_id,
            String::new(),
        )
    };
    let record = app
        .directory
        .add_comment(
            &review_id,
            &NewComment {
                item_kind,
                item_id,
                thread_id,
                body: text,
                mentions,
                author: author.clone(),
            },
            now_ms(),
            &event,
        )
        .await?
        // The thread was deleted between the check and the insert.
        .ok_or(ApiError::NotFound)?;
    let names = members.into_iter().map(|m| (m.user_id, m.name)).collect();
    Ok((
        StatusCode::CREATED,
        Json(view(
            &record,
            Some(&board),
            &names,
            role,
            &author,
            false,
            true,
        )),
    ))
}

/// The mentioned people, once each; every one must be in the review.
fn check_mentions(
    mentions: &[String],
    members: &[crate::review::Member],
) -> ApiResult<Vec<String>> {
    let mut unique: Vec<String> = Vec::new();
    for id in mentions {
        if !members.iter().any(|m| &m.user_id == id) {
            return Err(ApiError::bad_request(
                "only people in this review can be mentioned",
            ));
        }
        if !unique.contains(id) {
            unique.push(id.clone());
        }
    }
    if unique.len() > comments::MAX_MENTIONS {
        return Err(ApiError::bad_request("a comment mentions up to 50 people"));
    }
    Ok(unique)
}

/// Resolving or reopening a thread.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThreadState {
    pub resolved: bool,
}

/// `PATCH /api/reviews/{review}/comments/{comment}`: resolves or reopens the thread
/// that `comment` starts.
#[utoipa::path(patch, path = "/api/reviews/{review}/comments/{comment}", tag = "comments", operation_id = "resolve_thread",
    request_body = ThreadState,
    params(("review" = String, Path, description = "The review's id"), ("comment" = String, Path, description = "The thread's first comment")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn resolve(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, comment_id)): Path<(String, String)>,
    JsonBody(body): JsonBody<ThreadState>,
) -> ApiResult<StatusCode> {
    let role = auth.role_in(&app, &review_id).await?;
    let first = app
        .directory
        .comment(&review_id, &comment_id)
        .await?
        .filter(CommentRecord::starts_thread)
        .ok_or(ApiError::NotFound)?;
    let caller = auth.0.actor();
    if !comments::may_resolve(role, &first, &caller) {
        return Err(ApiError::Forbidden(
            "a thread is resolved by whoever started it, the review team or a lead reviewer",
        ));
    }
    let (action, resolved) = if body.resolved {
        (
            AuditAction::CommentResolved,
            Some((now_ms(), caller.name.as_str())),
        )
    } else {
        (AuditAction::CommentReopened, None)
    };
    let event = AuditEvent {
        entity_kind: first.item_kind.clone(),
        ..AuditEvent::action(
            caller.clone(),
            &review_id,
            action,
            &first.item_id,
            String::new(),
        )
    };
    found(
        app.directory
            .set_thread_resolved(&review_id, &first.id, resolved, &event)
            .await?,
    )?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/reviews/{review}/comments/{comment}`: its author, or a lead, deletes a
/// comment's words (the thread keeps its place).
#[utoipa::path(delete, path = "/api/reviews/{review}/comments/{comment}", tag = "comments", operation_id = "delete_comment",
    params(("review" = String, Path, description = "The review's id"), ("comment" = String, Path, description = "The comment's id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn delete(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, comment_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let role = auth.role_in(&app, &review_id).await?;
    let comment = app
        .directory
        .comment(&review_id, &comment_id)
        .await?
        .filter(|c| c.deleted_at.is_none())
        .ok_or(ApiError::NotFound)?;
    let caller = auth.0.actor();
    if !comments::may_delete(role, &comment, &caller) {
        return Err(ApiError::Forbidden(
            "a comment is deleted by whoever wrote it or a lead reviewer",
        ));
    }
    let event = AuditEvent {
        entity_kind: comment.item_kind.clone(),
        ..AuditEvent::action(
            caller,
            &review_id,
            AuditAction::CommentDeleted,
            &comment.item_id,
            String::new(),
        )
    };
    found(
        app.directory
            .delete_comment(&review_id, &comment.id, now_ms(), &event)
            .await?,
    )?;
    Ok(StatusCode::NO_CONTENT)
}

/// How far the caller has read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Seen {
    /// The newest comment's `createdAt` the caller was shown (never later than now).
    pub up_to: i64,
}

/// `POST /api/reviews/{review}/comments/seen`: the caller has read the review's
/// comments up to `upTo` (nothing for an access token, which has no one to tell).
#[utoipa::path(post, path = "/api/reviews/{review}/comments/seen", tag = "comments", operation_id = "mark_comments_seen",
    request_body = Seen,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn seen(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    JsonBody(body): JsonBody<Seen>,
) -> ApiResult<StatusCode> {
    auth.role_in(&app, &review_id).await?;
    if let Some(user) = auth.0.user() {
        app.directory
            .mark_comments_seen(&review_id, &user.id, body.up_to.min(now_ms()))
            .await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
