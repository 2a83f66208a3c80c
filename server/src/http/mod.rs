//! Plain HTTP routes: health, readiness, metrics and the landing page; the connection
//! limits of the HTTP server ([`serve`]).

pub mod serve;

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{Html, IntoResponse, Response},
};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::{access::secrets, state::AppState};

/// `GET /healthz`: the process is up and serving.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /readyz`: the database answers and, in a cluster, the node's heartbeat is
/// current; a load balancer should route here.
pub async fn readyz(State(app): State<AppState>) -> impl IntoResponse {
    if let Some(cluster) = &app.cluster
        && !cluster.is_current()
    {
        // Cut off from the cluster's database: its boards may be served elsewhere.
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "not in touch with the cluster\n",
        );
    }
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready\n"),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}

/// `GET /metrics`: Prometheus text format, for a scraper holding the metrics token.
/// Without a configured token the metrics are not served at all (404, as for any
/// unknown path): they show how busy each part of the server is.
pub async fn metrics(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = &app.metrics_token else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    // Comparing hashes: how long a comparison takes says nothing about the token.
    if given.is_none_or(|token| secrets::secret_hash(token.trim()) != **expected) {
        tracing::debug!("refused /metrics without the metrics token");
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "the metrics need the metrics token\n",
        )
            .into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        app.metrics.render(),
    )
        .into_response()
}

/// `GET /`: a landing page until the web app is served here.
pub async fn index() -> Html<&'static str> {
    Html(include_str!("index.html"))
}

/// The content security policy: only this origin's scripts, styles and connections
/// (including its websocket), and no framing.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; \
    connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
    form-action 'self'";

/// Adds the security headers every response carries (unless a route set its own).
pub fn security_headers(router: Router) -> Router {
    let headers = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    headers.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ))
    })
}
