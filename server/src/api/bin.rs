//! A review's bin: what was deleted from its board, listed and put back one item at a
//! time by the review team and leads; emptied by a lead. Also restoring one item, or
//! one field, from a snapshot. Every put-back is a forward change made in the board's
//! room, which every connected client receives like any edit.

use axum::{
    Json,
    extract::{Path, State},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    ApiError, ApiResult, Authed, ErrorBody, JsonBody,
    snapshots::{audit_label, board_at, board_document, decode_board, load},
};
use crate::{
    access::Role,
    audit::{AuditAction, AuditEvent},
    board::bin::{Binned, PutBackError},
    review::BinRecord,
    room::{RestoreTarget, Restored},
    state::AppState,
};

/// The review team and leads may see and restore what was deleted; the case group,
/// board members and observers may not.
async fn may_restore(auth: &Authed, app: &AppState, review_id: &str) -> ApiResult<Role> {
    let role = auth.role_in(app, review_id).await?;
    match role {
        Role::LeadReviewer | Role::ReviewTeamMember => Ok(role),
        _ => Err(ApiError::Forbidden(
            "only the review team and lead reviewers may see and restore deleted items",
        )),
    }
}

/// Who took an item off the board.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeletedBy {
    /// "user", "token" or "system".
    pub kind: String,
    pub name: String,
    pub agency: String,
}

/// One entry of the bin.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BinEntryView {
    pub id: String,
    /// "episode", "factor", "finding" or "link".
    pub kind: String,
    /// The entity's id on the board.
    pub entity: String,
    pub label: String,
    pub deleted_at: i64,
    pub deleted_by: DeletedBy,
    /// Links that went with it (those whose other end is still on the board come back).
    pub links: usize,
    /// False when it cannot come back (a link whose end is gone).
    pub restorable: bool,
    /// The entity as it was (docs/board-schema.md field names).
    #[schema(value_type = Object)]
    pub entity_fields: serde_json::Value,
}

fn binned(record: &BinRecord) -> ApiResult<Binned> {
    serde_json::from_str(&record.content)
        .map_err(|e| ApiError::Internal(format!("a bin entry cannot be read: {e}")))
}

/// `GET /api/reviews/{review}/bin`: what was deleted from the board and is not back.
#[utoipa::path(get, path = "/api/reviews/{review}/bin", tag = "bin", operation_id = "list_bin",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Vec<BinEntryView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn list(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Vec<BinEntryView>>> {
    may_restore(&auth, &app, &review_id).await?;
    let records = app.directory.bin(&review_id).await?;
    if records.is_empty() {
        return Ok(Json(Vec::new()));
    }
    let live = board_at(&app, &review_id, "live").await?;
    let mut entries = Vec::with_capacity(records.len());
    for record in &records {
        let item = binned(record)?;
        // Back on the board already (its deleter undid it): not in the bin any more.
        let restorable = match live.can_put_back(&item) {
            Ok(()) => true,
            Err(PutBackError::AlreadyThere) => continue,
            Err(_) => false,
        };
        let entity_fields = match serde_json::to_value(&item.item) {
            Ok(serde_json::Value::Object(mut tagged)) => {
                tagged.remove("entity").unwrap_or_default()
            }
            _ => serde_json::Value::Null,
        };
        entries.push(BinEntryView {
            id: record.id.clone(),
            kind: record.kind.clone(),
            entity: record.entity.clone(),
            label: record.label.clone(),
            deleted_at: record.at_ms,
            deleted_by: DeletedBy {
                kind: record.actor_kind.clone(),
                name: record.actor_name.clone(),
                agency: record.actor_agency.clone(),
            },
            links: item.links.len(),
            restorable,
            entity_fields,
        });
    }
    Ok(Json(entries))
}

/// What a put-back did.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PutBack {
    pub kind: String,
    pub entity: String,
}

fn refused(reason: PutBackError) -> ApiError {
    ApiError::Conflict(format!("cannot restore it: {reason}"))
}

/// `POST /api/reviews/{review}/bin/{item}/restore`: puts one deleted item back on the
/// board, with its links whose other end is still there and its map position.
#[utoipa::path(post, path = "/api/reviews/{review}/bin/{item}/restore", tag = "bin", operation_id = "restore_from_bin",
    params(("review" = String, Path, description = "The review's id"), ("item" = String, Path, description = "The bin entry's id")),
    responses((status = 200, body = PutBack), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn restore(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, id)): Path<(String, String)>,
) -> ApiResult<Json<PutBack>> {
    may_restore(&auth, &app, &review_id).await?;
    let record = app
        .directory
        .bin_item(&review_id, &id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let item = binned(&record)?;
    let actor = auth.0.actor();
    let label = audit_label(&app, &review_id, &record.label).await?;
    let event = AuditEvent::action(
        actor.clone(),
        &review_id,
        AuditAction::ItemRestoredFromBin,
        &record.entity,
        format!("{}: {label}", record.kind),
    );
    let outcome = app
        .rooms
        .restore(
            &board_document(&review_id)?,
            RestoreTarget::PutBack(Box::new(item)),
            actor,
            event,
        )
        .await?;
    match outcome {
        Restored::Changed | Restored::Unchanged => {}
        Restored::Refused(PutBackError::AlreadyThere) => {
            app.directory.take_from_bin(&review_id, &id).await?;
            return Err(refused(PutBackError::AlreadyThere));
        }
        Restored::Refused(reason) => return Err(refused(reason)),
    }
    app.directory.take_from_bin(&review_id, &id).await?;
    Ok(Json(PutBack {
        kind: record.kind,
        entity: record.entity,
    }))
}

/// How many entries emptying the bin deleted for good.
#[derive(Debug, Serialize, ToSchema)]
pub struct Emptied {
    pub deleted: u64,
}

/// `DELETE /api/reviews/{review}/bin`: a lead empties the bin; what was in it is gone
/// for good (snapshots still hold what they held).
#[utoipa::path(delete, path = "/api/reviews/{review}/bin", tag = "bin", operation_id = "empty_bin",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = Emptied), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn empty(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<Emptied>> {
    auth.lead_of(&app, &review_id).await?;
    let event = AuditEvent::action(
        auth.0.actor(),
        &review_id,
        AuditAction::BinEmptied,
        "",
        String::new(),
    );
    // The words kept for an entity's history go with it, unless its deleter undid the
    // deletion and it is on the board again.
    let live = board_at(&app, &review_id, "live").await?;
    let mut gone = Vec::new();
    for record in app.directory.bin(&review_id).await? {
        if !matches!(
            live.can_put_back(&binned(&record)?),
            Err(PutBackError::AlreadyThere)
        ) {
            gone.push(record.entity);
        }
    }
    app.directory.empty_bin(&review_id, &gone, &event).await?;
    // As many as the bin listed (entries whose deletion was undone were not listed).
    Ok(Json(Emptied {
        deleted: gone.len() as u64,
    }))
}

/// Which item of a snapshot to restore, and optionally which one of its fields.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreItem {
    /// "episode", "factor", "finding" or "link".
    pub kind: String,
    /// The entity's id.
    pub id: String,
    /// A field's name (docs/board-schema.md); the whole item when absent.
    #[serde(default)]
    pub field: Option<String>,
}

/// `POST /api/reviews/{review}/snapshots/{snapshot}/restore-item`: a lead brings one
/// item, or one field of it, back to what the snapshot holds, leaving the rest of the
/// board as it is.
#[utoipa::path(post, path = "/api/reviews/{review}/snapshots/{snapshot}/restore-item", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id"), ("snapshot" = String, Path, description = "The snapshot's id")),
    request_body = RestoreItem,
    responses((status = 200, body = PutBack), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn restore_item(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, snapshot_id)): Path<(String, String)>,
    JsonBody(body): JsonBody<RestoreItem>,
) -> ApiResult<Json<PutBack>> {
    auth.lead_of(&app, &review_id).await?;
    if !matches!(
        body.kind.as_str(),
        "episode" | "factor" | "finding" | "link"
    ) {
        return Err(ApiError::BadRequest(
            "kind must be episode, factor, finding or link".into(),
        ));
    }
    if body.id.is_empty() || body.id.len() > 200 {
        return Err(ApiError::BadRequest(
            "id must be 1 to 200 characters".into(),
        ));
    }
    if body
        .field
        .as_ref()
        .is_some_and(|f| f.is_empty() || f.len() > 64)
    {
        return Err(ApiError::BadRequest(
            "field must be 1 to 64 characters".into(),
        ));
    }
    let (snapshot, state) = load(&app, &review_id, &snapshot_id).await?;
    let source = decode_board(state).await?;
    let Some(label) = label_in(&source, &body.kind, &body.id) else {
        return Err(ApiError::NotFound);
    };
    let actor = auth.0.actor();
    let label = audit_label(&app, &review_id, &format!("{label} ({})", snapshot.label)).await?;
    let event = AuditEvent::action(
        actor.clone(),
        &review_id,
        AuditAction::ItemRestoredFromSnapshot,
        &body.id,
        match &body.field {
            Some(field) => format!("{} {field}: {label}", body.kind),
            None => format!("{}: {label}", body.kind),
        },
    );
    let outcome = app
        .rooms
        .restore(
            &board_document(&review_id)?,
            RestoreTarget::Take {
                source: Box::new(source),
                kind: body.kind.clone(),
                id: body.id.clone(),
                field: body.field.clone(),
            },
            actor,
            event.clone(),
        )
        .await?;
    match outcome {
        Restored::Changed => {}
        // Already as the snapshot has it: the request is still on record.
        Restored::Unchanged => app.directory.record(&[event]).await?,
        Restored::Refused(reason @ (PutBackError::NoSuchField | PutBackError::NotInSource)) => {
            return Err(ApiError::BadRequest(reason.to_string()));
        }
        Restored::Refused(reason) => return Err(refused(reason)),
    }
    Ok(Json(PutBack {
        kind: body.kind,
        entity: body.id,
    }))
}

/// The words an item of `board` is known by, if the board holds it.
fn label_in(board: &crate::board::Board, kind: &str, id: &str) -> Option<String> {
    board.item(kind, id).map(|item| item.label())
}
