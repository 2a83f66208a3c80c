//! In a cluster, a request that changes a live board (a restore) must run where the
//! board is served. A node that finds another node serving it sends the same request
//! there and answers with that node's response; that node checks the caller again, as
//! for any request.

use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use hyper_util::rt::TokioIo;
use tracing::warn;

use crate::{
    cluster::{Cluster, Owner},
    state::AppState,
};

/// Marks a request another node relayed: it is answered here, never relayed again.
const RELAYED: &str = "x-board-relayed";

/// Put on a response by a handler whose board another node serves.
#[derive(Debug, Clone)]
pub struct ServedElsewhere(pub Owner);

/// Runs the request; if the board turned out to be served by another node, sends the
/// same request there and answers with its response.
pub async fn follow_owner(State(app): State<AppState>, request: Request, next: Next) -> Response {
    if app.cluster.is_none() || request.headers().contains_key(RELAYED) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(body) = to_bytes(body, app_body_limit(&app)).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
    };
    let response = next
        .run(Request::from_parts(parts.clone(), Body::from(body.clone())))
        .await;
    let Some(ServedElsewhere(owner)) = response.extensions().get::<ServedElsewhere>().cloned()
    else {
        return response;
    };
    let mut relayed = Request::from_parts(parts, Body::from(body));
    let headers = relayed.headers_mut();
    // Hop-by-hop headers belong to the caller's connection, not to this one.
    for name in HOP_BY_HOP {
        headers.remove(*name);
    }
    headers.insert(RELAYED, HeaderValue::from_static("1"));
    let Some(cluster) = app.cluster.clone() else {
        return response;
    };
    match tokio::time::timeout(RELAY_TIMEOUT, send(&cluster, &owner, relayed)).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(err)) => {
            warn!(error = %err, owner = %owner.address, "could not relay a request to the board's server");
            response
        }
        Err(_) => {
            warn!(owner = %owner.address, "the board's server did not answer a relayed request in time");
            response
        }
    }
}

/// How long a relayed request may take, restoring a large board included.
const RELAY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

fn app_body_limit(_app: &AppState) -> usize {
    // Restores carry no body of note; the routes' own limit applies after this.
    1 << 20
}

async fn send(cluster: &Cluster, owner: &Owner, mut request: Request) -> Result<Response, String> {
    let stream = cluster
        .connect_to(&owner.address)
        .await
        .map_err(|e| e.to_string())?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(connection);
    let path = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    *request.uri_mut() = path.parse().map_err(|_| "bad path".to_string())?;
    // The Host header is kept: the owner checks origins against it as this node did.
    let answer = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    Ok(answer.map(Body::new))
}
