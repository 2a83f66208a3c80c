//! Plain HTTP routes: health, readiness, metrics and the landing page.

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{Html, IntoResponse},
};

use crate::app::AppState;

/// `GET /healthz`: the process is up and serving.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /readyz`: the database answers; a load balancer should route here.
pub async fn readyz(State(app): State<AppState>) -> impl IntoResponse {
    match app.store.ping().await {
        Ok(()) => (StatusCode::OK, "ready\n"),
        Err(err) => {
            tracing::warn!(error = %err, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n")
        }
    }
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics(State(app): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        app.metrics.render(),
    )
}

/// `GET /`: a landing page until the web app is served here.
pub async fn index() -> Html<&'static str> {
    Html(include_str!("index.html"))
}
