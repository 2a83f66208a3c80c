//! The `/api` routes and the OpenAPI document that describes them.

use axum::{
    Json, Router, middleware,
    response::IntoResponse,
    routing::{delete, get, post, put},
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use super::{
    ErrorBody, audit, bin, chronology, comments, compare, documents, extractors::refuse_cross_site,
    library, people, register, report, reviews, search, seen_before, session, snapshots, themes,
    timeline, tokens,
};
use crate::{auth, state::AppState};

/// The `/api` routes.
pub fn router(app: &AppState) -> Router<AppState> {
    // Restores change the live board, so they run where it is served (in a cluster).
    let owner = axum::middleware::from_fn_with_state(app.clone(), super::relay::follow_owner);
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route(
            "/api/setup",
            get(session::setup_status).post(session::setup),
        )
        .route(
            "/api/session",
            get(session::session_state)
                .post(session::login)
                .delete(session::logout),
        )
        .route("/api/me", get(session::me))
        .route("/api/me/password", put(session::change_password))
        // Invitation secrets travel in the body, never the path (proxies log paths).
        .route("/api/invitations/preview", post(people::invitation_preview))
        .route("/api/invitations/accept", post(people::accept_invitation))
        .route("/api/reviews", get(reviews::list).post(reviews::create))
        .route(
            "/api/reviews/{review}",
            get(reviews::show).patch(reviews::update),
        )
        .route("/api/reviews/{review}/members", get(people::members))
        .route(
            "/api/reviews/{review}/members/{user}",
            put(people::set_role).delete(people::remove_member),
        )
        .route(
            "/api/reviews/{review}/invitations",
            get(people::invitations).post(people::invite),
        )
        .route(
            "/api/reviews/{review}/invitations/{invitation}",
            delete(people::withdraw_invitation),
        )
        .route(
            "/api/reviews/{review}/tokens",
            get(tokens::tokens).post(tokens::mint_token),
        )
        .route(
            "/api/reviews/{review}/tokens/{token}",
            delete(tokens::revoke_token),
        )
        .route(
            "/api/reviews/{review}/meetings",
            get(timeline::meetings).post(timeline::add_meeting),
        )
        .route(
            "/api/reviews/{review}/meetings/{meeting}",
            axum::routing::patch(timeline::update_meeting).delete(timeline::delete_meeting),
        )
        .route(
            "/api/reviews/{review}/documents",
            get(documents::documents).post(documents::create_document),
        )
        .route(
            "/api/reviews/{review}/notes/{slug}",
            put(documents::update_notes),
        )
        .route(
            "/api/reviews/{review}/search/notes",
            get(search::search_notes),
        )
        .route("/api/reviews/{review}/history", get(audit::history))
        .route(
            "/api/reviews/{review}/history/texts",
            get(audit::history_texts),
        )
        .route("/api/reviews/{review}/audit", get(audit::audit))
        .route("/api/audit", get(audit::account_audit))
        .route(
            "/api/reviews/{review}/snapshots",
            get(snapshots::list).post(snapshots::take),
        )
        .route(
            "/api/reviews/{review}/snapshots/{snapshot}",
            get(snapshots::show),
        )
        .route(
            "/api/reviews/{review}/snapshots/{snapshot}/state",
            get(snapshots::state),
        )
        .route(
            "/api/reviews/{review}/snapshots/{snapshot}/restore",
            post(snapshots::restore).route_layer(owner.clone()),
        )
        .route(
            "/api/reviews/{review}/snapshots/{snapshot}/restore-item",
            post(bin::restore_item).route_layer(owner.clone()),
        )
        .route(
            "/api/reviews/{review}/bin",
            get(bin::list).delete(bin::empty),
        )
        .route(
            "/api/reviews/{review}/bin/{item}/restore",
            post(bin::restore).route_layer(owner.clone()),
        )
        .route(
            "/api/reviews/{review}/comments",
            get(comments::list).post(comments::add),
        )
        .route("/api/reviews/{review}/comments/seen", post(comments::seen))
        .route(
            "/api/reviews/{review}/comments/{comment}",
            axum::routing::patch(comments::resolve).delete(comments::delete),
        )
        .route(
            "/api/reviews/{review}/snapshots/{snapshot}/export",
            get(report::export),
        )
        .route(
            "/api/reviews/{review}/snapshots/{snapshot}/check",
            get(report::check),
        )
        .route("/api/library", get(library::info))
        .route("/api/library/codebook", get(library::show_codebook))
        .route("/api/library/findings", get(library::findings))
        .route("/api/library/facets", get(library::facets))
        .route("/api/library/matrix", get(library::matrix))
        .route("/api/library/trend", get(library::trend))
        .route("/api/library/persistent", get(library::persistent))
        .route("/api/library/export", get(library::export_findings))
        .route(
            "/api/library/themes",
            get(themes::themes).post(themes::create_theme),
        )
        .route(
            "/api/library/themes/{theme}",
            get(themes::show_theme).patch(themes::update_theme),
        )
        .route(
            "/api/library/themes/{theme}/findings/{finding}",
            put(themes::add_to_theme).delete(themes::remove_from_theme),
        )
        .route(
            "/api/library/themes/{theme}/summary",
            get(themes::theme_summary),
        )
        .route("/api/accounts/{user}/library-role", put(library::set_role))
        .route(
            "/api/reviews/{review}/findings/{finding}/seen-before",
            get(seen_before::seen_before),
        )
        .route(
            "/api/reviews/{review}/library",
            get(library::show)
                .post(library::publish)
                .delete(library::withdraw),
        )
        .route("/api/reviews/{review}/chronology", get(chronology::show))
        .route(
            "/api/reviews/{review}/chronology/preview",
            post(chronology::preview).layer(file_limit()),
        )
        .route(
            "/api/reviews/{review}/chronology/imports",
            post(chronology::import).layer(file_limit()),
        )
        .route(
            "/api/reviews/{review}/chronology/entries/{entry}",
            get(chronology::versions).patch(chronology::correct),
        )
        .route(
            "/api/reviews/{review}/chronology/discrepancies",
            post(chronology::mark),
        )
        .route(
            "/api/reviews/{review}/chronology/discrepancies/{discrepancy}",
            axum::routing::patch(chronology::settle),
        )
        .route("/api/reviews/{review}/compare", get(compare::compare))
        .route("/api/reviews/{review}/board", get(snapshots::live_board))
        .route(
            "/api/reviews/{review}/register",
            get(register::register).post(register::add_register_entry),
        )
        .route(
            "/api/reviews/{review}/register/{entry}",
            delete(register::remove_register_entry),
        )
        .route(
            "/api/reviews/{review}/safe-terms",
            get(register::safe_terms).post(register::add_safe_term),
        )
        .route(
            "/api/reviews/{review}/safe-terms/{term}",
            delete(register::remove_safe_term),
        )
        .layer(middleware::from_fn_with_state(
            app.clone(),
            refuse_cross_site,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(
            app.auth.max_body_bytes,
        ))
}

/// This API's OpenAPI document as pretty JSON, for `board openapi` (the web app's
/// types are generated from it).
/// Routes that take a whole file (an agency's chronology) have a limit of their own.
fn file_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(chronology::MAX_FILE_BYTES)
}

pub fn openapi_document() -> Result<String, serde_json::Error> {
    ApiDoc::openapi().to_pretty_json()
}

/// `GET /api/openapi.json`: this API, described from the code.
async fn openapi_json() -> impl IntoResponse {
    Json(ApiDoc::openapi())
}

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(auth::SESSION_COOKIE))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Answers every route can give that its own annotation need not repeat: a route that
/// takes a JSON body or a query string answers 400 to one it cannot read, and one that takes a
/// credential answers 401 without a valid one.
struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = || {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build()
        };
        let bad_body = ResponseBuilder::new()
            .description("The request body or query string is not what this route takes")
            .content("application/json", error())
            .build();
        let unauthenticated = ResponseBuilder::new()
            .description("No valid session or token")
            .content("application/json", error())
            .build();
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let takes_query = operation.parameters.iter().flatten().any(|p| {
                    matches!(p, utoipa::openapi::RefOr::T(p)
                        if p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
                });
                if operation.request_body.is_some() || takes_query {
                    operation
                        .responses
                        .responses
                        .entry("400".to_string())
                        .or_insert_with(|| bad_body.clone().into());
                }
                let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                if secured {
                    operation
                        .responses
                        .responses
                        .entry("401".to_string())
                        .or_insert_with(|| unauthenticated.clone().into());
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Analysis board API",
        description = "Reviews, the people in them, access, the audit trail, snapshots, comparison, restore and the review report. Boards themselves sync over the y-websocket protocol at /sync/{review id}/board (see docs/protocol.md)."
    ),
    paths(
        session::setup_status,
        session::setup,
        session::login,
        session::logout,
        session::session_state,
        session::me,
        session::change_password,
        people::invitation_preview,
        people::accept_invitation,
        reviews::list,
        reviews::create,
        reviews::show,
        reviews::update,
        people::members,
        people::set_role,
        people::remove_member,
        people::invitations,
        people::invite,
        people::withdraw_invitation,
        tokens::tokens,
        tokens::mint_token,
        tokens::revoke_token,
        timeline::meetings,
        timeline::add_meeting,
        timeline::update_meeting,
        timeline::delete_meeting,
        documents::documents,
        documents::create_document,
        documents::update_notes,
        search::search_notes,
        audit::history,
        audit::history_texts,
        audit::audit,
        audit::account_audit,
        snapshots::list,
        snapshots::take,
        snapshots::show,
        snapshots::state,
        compare::compare,
        snapshots::live_board,
        snapshots::restore,
        bin::restore_item,
        bin::list,
        bin::restore,
        bin::empty,
        comments::list,
        comments::add,
        comments::resolve,
        comments::delete,
        comments::seen,
        library::info,
        library::show_codebook,
        library::findings,
        library::facets,
        library::matrix,
        library::trend,
        library::persistent,
        library::export_findings,
        themes::themes,
        themes::create_theme,
        themes::show_theme,
        themes::update_theme,
        themes::add_to_theme,
        themes::remove_from_theme,
        themes::theme_summary,
        library::set_role,
        library::show,
        library::publish,
        seen_before::seen_before,
        library::withdraw,
        chronology::show,
        chronology::preview,
        chronology::import,
        chronology::versions,
        chronology::correct,
        chronology::mark,
        chronology::settle,
        report::export,
        report::check,
        register::register,
        register::add_register_entry,
        register::remove_register_entry,
        register::safe_terms,
        register::add_safe_term,
        register::remove_safe_term,
    ),
    components(schemas(ErrorBody)),
    modifiers(&SecuritySchemes, &CommonAnswers)
)]
pub struct ApiDoc;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use utoipa::OpenApi;

    use super::ApiDoc;

    /// Generated clients name one function per operation: every id must be unique.
    #[test]
    fn every_operation_has_its_own_id() {
        let document = ApiDoc::openapi();
        let mut seen = HashSet::new();
        for (path, item) in &document.paths.paths {
            let operations = [&item.get, &item.put, &item.post, &item.delete, &item.patch];
            for operation in operations.into_iter().flatten() {
                let id = operation.operation_id.clone().unwrap_or_default();
                assert!(!id.is_empty(), "an operation of {path} has no id");
                assert!(
                    seen.insert(id.clone()),
                    "the operation id {id} is used twice"
                );
            }
        }
        assert!(seen.len() > 40, "the document lists the API's operations");
    }
}
