//! `GET /sync/{document}`: who is calling, from where, and what they may do with the
//! document, checked before the upgrade.

use std::collections::HashMap;

use axum::{
    extract::{
        Path, Query, State,
        ws::{CloseFrame, Message, WebSocketUpgrade},
    },
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use tokio::time::timeout;
use tracing::{error, warn};

use super::{
    close::{self, CLOSE_TIMEOUT},
    connection::serve,
};
use crate::{
    access::{Author, Caller, DocumentAccess, DocumentPlace},
    auth,
    document::DocumentName,
    state::AppState,
    store::StoreError,
};

/// `GET /sync/{document}`: checks who is calling and what they may do with the
/// document, then upgrades to the y-websocket protocol.
///
/// Refusals happen before the upgrade, as plain HTTP: 403 for a browser page from
/// another origin, 401 without a valid credential (session cookie, `?token=` or
/// `Authorization: Bearer`), 404 for a document the caller may not open, exactly as
/// for one that does not exist, 429 when the credential already holds its most open
/// websockets.
pub async fn sync(
    State(app): State<AppState>,
    Path(document): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    // Browsers always send Origin on a websocket; other clients need not.
    if let Some(origin) = headers.get(header::ORIGIN)
        && !auth::allowed_origin(origin, &headers, &app.auth)
    {
        warn!(origin = ?origin, "refused a websocket from another origin");
        app.metrics.refused("origin");
        return (StatusCode::FORBIDDEN, "origin not allowed").into_response();
    }
    let caller = match auth::resolve_caller(
        &app.directory,
        &headers,
        params.get("token").map(String::as_str),
    )
    .await
    {
        Ok(Some((caller, _))) => caller,
        Ok(None) => {
            app.metrics.refused("unauthenticated");
            return (StatusCode::UNAUTHORIZED, "sign in or give a valid token").into_response();
        }
        Err(err) => {
            error!(error = %err, "could not check a websocket's credentials");
            return (StatusCode::SERVICE_UNAVAILABLE, "storage unavailable").into_response();
        }
    };
    let upgrade = sized(upgrade, &app);
    let name = match DocumentName::parse(&document) {
        Ok(name) => name,
        Err(err) => {
            warn!(document = %document.escape_debug(), error = %err, "refused a bad document name");
            return upgrade.on_upgrade(move |mut socket| async move {
                let frame = CloseFrame {
                    code: close::INVALID_DOCUMENT,
                    reason: err.to_string().into(),
                };
                let _ = timeout(CLOSE_TIMEOUT, socket.send(Message::Close(Some(frame)))).await;
            });
        }
    };
    let access = match document_access_for(&app, &caller, &name).await {
        Ok(Some(access)) => access,
        Ok(None) => {
            app.metrics.refused("not_found");
            return (StatusCode::NOT_FOUND, "no such document").into_response();
        }
        Err(err) => {
            error!(error = %err, "could not check access to a document");
            return (StatusCode::SERVICE_UNAVAILABLE, "storage unavailable").into_response();
        }
    };
    let author = caller.actor();
    let Some(place) = app
        .socket_quota
        .try_take(format!("{}:{}", author.kind, author.id))
    else {
        warn!(who = %author.name, "refused a websocket over the credential's limit");
        app.metrics.refused("too_many");
        return (
            StatusCode::TOO_MANY_REQUESTS,
            "this account or token already has its most open connections",
        )
            .into_response();
    };
    // Only the credentials are kept for rechecks: an idle connection stays small.
    let mut credentials = HeaderMap::new();
    for name in [header::COOKIE, header::AUTHORIZATION] {
        for value in headers.get_all(&name) {
            credentials.append(name.clone(), value.clone());
        }
    }
    let grant = Grant {
        author,
        access,
        headers: credentials,
        token: params.get("token").cloned(),
        forwarded: false,
    };
    let tracker = app.tracker.clone();
    // The place is released when `serve` ends, or here if the upgrade never happens.
    upgrade.on_upgrade(move |socket| {
        tracker.track_future(serve(app, name, socket, grant, Some(place)))
    })
}

/// The upgrade with the server's message limit and small buffers: they keep an idle
/// connection cheap, and grow for large messages.
pub(super) fn sized(upgrade: WebSocketUpgrade, app: &AppState) -> WebSocketUpgrade {
    let limit = app.ws.max_message_bytes;
    upgrade
        .max_message_size(limit)
        .max_frame_size(limit)
        .read_buffer_size(4 << 10)
        .write_buffer_size(0)
}

/// What a connection was allowed on upgrade, and the credentials to check it again.
pub(super) struct Grant {
    pub(super) author: Author,
    pub(super) access: DocumentAccess,
    pub(super) headers: HeaderMap,
    pub(super) token: Option<String>,
    /// Relayed by another node of the cluster, which checked the caller (and rechecks
    /// them): served here or closed, never relayed again.
    pub(super) forwarded: bool,
}

/// What `caller` may do with `document`; `None` when it must look like it does not exist.
pub(super) async fn document_access_for(
    app: &AppState,
    caller: &Caller,
    document: &DocumentName,
) -> Result<Option<DocumentAccess>, StoreError> {
    let Some(place) = DocumentPlace::of(document.as_str()) else {
        return Ok(None);
    };
    auth::document_access_of(&app.directory, caller, &place).await
}
