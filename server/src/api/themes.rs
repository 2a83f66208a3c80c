//! Themes in the findings library: an analyst groups published findings from several
//! reviews under a name and a memo, and takes the theme's thematic summary as Word or
//! Markdown; every reader sees the themes, held to the small-number rule like every
//! listing.

use std::collections::BTreeSet;

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::Response,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    ApiError, ApiResult, Authed, ErrorBody, QueryParams,
    input::JsonBody,
    library::{COVERAGE, CodebookQuery, file, reader, small_number_rule},
    snapshots::off_the_workers,
};
use crate::{
    access::Caller,
    audit::{AuditAction, AuditEvent},
    clock::now_ms,
    library::{self, query::ReviewCount},
    report::Texts,
    state::AppState,
    store::{LibraryHit, LibraryTheme},
};

/// The caller, who must be an analyst to manage themes.
async fn analyst(app: &AppState, caller: &Caller) -> ApiResult<()> {
    if reader(app, caller).await?.analyst {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only partnership analysts manage themes",
        ))
    }
}

const MAX_THEME_NAME: usize = 200;
const MAX_THEME_MEMO: usize = 20_000;

fn theme_words(name: &str, memo: &str) -> ApiResult<(String, String)> {
    let name = name.trim();
    if name.is_empty()
        || name.chars().count() > MAX_THEME_NAME
        || name.chars().any(char::is_control)
    {
        return Err(ApiError::bad_request(format!(
            "A theme's name is 1 to {MAX_THEME_NAME} characters on one line."
        )));
    }
    if memo.chars().count() > MAX_THEME_MEMO {
        return Err(ApiError::bad_request(format!(
            "A theme's memo takes at most {MAX_THEME_MEMO} characters."
        )));
    }
    Ok((name.to_string(), memo.trim().to_string()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewTheme {
    pub name: String,
    #[serde(default)]
    pub memo: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ThemeChange {
    pub name: Option<String>,
    pub memo: Option<String>,
}

/// `GET /api/library/themes`: the partnership's themes.
#[utoipa::path(get, path = "/api/library/themes", tag = "library", operation_id = "library_themes",
    responses((status = 200, body = [LibraryTheme]), (status = 404, body = ErrorBody, description = "The caller may not see the library")),
    security(("session" = [])))]
pub async fn themes(
    State(app): State<AppState>,
    auth: Authed,
) -> ApiResult<Json<Vec<LibraryTheme>>> {
    reader(&app, &auth.0).await?;
    Ok(Json(app.directory.library_themes().await?))
}

/// `POST /api/library/themes`: an analyst makes a theme.
#[utoipa::path(post, path = "/api/library/themes", tag = "library", operation_id = "create_library_theme", request_body = NewTheme,
    responses((status = 201, body = LibraryTheme), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn create_theme(
    State(app): State<AppState>,
    auth: Authed,
    JsonBody(request): JsonBody<NewTheme>,
) -> ApiResult<(StatusCode, Json<LibraryTheme>)> {
    analyst(&app, &auth.0).await?;
    let (name, memo) = theme_words(&request.name, &request.memo)?;
    let now = now_ms();
    let actor = auth.0.actor();
    let theme = LibraryTheme {
        id: crate::access::secrets::new_id(),
        name,
        memo,
        created_at: now,
        created_by: actor.name.clone(),
        updated_at: now,
    };
    let event = AuditEvent::action(
        actor,
        "",
        AuditAction::LibraryThemeCreated,
        &theme.id,
        String::new(),
    );
    app.directory.create_library_theme(&theme, &event).await?;
    Ok((StatusCode::CREATED, Json(theme)))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ThemeView {
    pub theme: LibraryTheme,
    pub matched: ReviewCount,
    pub findings: Vec<LibraryHit>,
    /// True when the theme's findings come from fewer reviews than the threshold (and
    /// the caller is not in all of them), so none is listed.
    pub withheld: bool,
}

async fn theme_of(app: &AppState, id: &str) -> ApiResult<LibraryTheme> {
    app.directory
        .library_theme(id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// `GET /api/library/themes/{theme}`: a theme with its findings (held to the
/// small-number rule like every listing).
#[utoipa::path(get, path = "/api/library/themes/{theme}", tag = "library", operation_id = "library_theme",
    params(("theme" = String, Path, description = "The theme's id")),
    responses((status = 200, body = ThemeView), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn show_theme(
    State(app): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
) -> ApiResult<Json<ThemeView>> {
    reader(&app, &auth.0).await?;
    let theme = theme_of(&app, &id).await?;
    let findings = app.directory.library_theme_findings(&id).await?;
    let reviews: BTreeSet<String> = findings.iter().map(|f| f.review_id.clone()).collect();
    let (matched, withheld) = small_number_rule(&app, &auth.0, &Vec::from_iter(reviews)).await?;
    Ok(Json(ThemeView {
        theme,
        matched,
        findings: if withheld { Vec::new() } else { findings },
        withheld,
    }))
}

/// `PATCH /api/library/themes/{theme}`: an analyst renames a theme or rewrites its memo.
#[utoipa::path(patch, path = "/api/library/themes/{theme}", tag = "library", operation_id = "update_library_theme", request_body = ThemeChange,
    params(("theme" = String, Path, description = "The theme's id")),
    responses((status = 200, body = LibraryTheme), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn update_theme(
    State(app): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    JsonBody(request): JsonBody<ThemeChange>,
) -> ApiResult<Json<LibraryTheme>> {
    analyst(&app, &auth.0).await?;
    let theme = theme_of(&app, &id).await?;
    let (name, memo) = theme_words(
        request.name.as_deref().unwrap_or(&theme.name),
        request.memo.as_deref().unwrap_or(&theme.memo),
    )?;
    let now = now_ms();
    if !app
        .directory
        .update_library_theme(&id, &name, &memo, now)
        .await?
    {
        return Err(ApiError::NotFound);
    }
    Ok(Json(LibraryTheme {
        name,
        memo,
        updated_at: now,
        ..theme
    }))
}

/// `PUT /api/library/themes/{theme}/findings/{finding}`: an analyst puts a published
/// finding in a theme.
#[utoipa::path(put, path = "/api/library/themes/{theme}/findings/{finding}", tag = "library", operation_id = "add_to_library_theme",
    params(("theme" = String, Path, description = "The theme's id"), ("finding" = String, Path, description = "A library finding's id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "No such theme or current finding")),
    security(("session" = [])))]
pub async fn add_to_theme(
    State(app): State<AppState>,
    auth: Authed,
    Path((theme, finding)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    analyst(&app, &auth.0).await?;
    if app
        .directory
        .add_to_library_theme(&theme, &finding, &auth.0.actor().name, now_ms())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// `DELETE /api/library/themes/{theme}/findings/{finding}`: an analyst takes a finding
/// out of a theme.
#[utoipa::path(delete, path = "/api/library/themes/{theme}/findings/{finding}", tag = "library", operation_id = "remove_from_library_theme",
    params(("theme" = String, Path, description = "The theme's id"), ("finding" = String, Path, description = "A library finding's id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn remove_from_theme(
    State(app): State<AppState>,
    auth: Authed,
    Path((theme, finding)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    analyst(&app, &auth.0).await?;
    if app
        .directory
        .remove_from_library_theme(&theme, &finding)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// `GET /api/library/themes/{theme}/summary?format=docx|md`: the theme's thematic
/// summary for the board's annual report (analysts; held to the small-number rule;
/// audited).
#[utoipa::path(get, path = "/api/library/themes/{theme}/summary", tag = "library", operation_id = "library_theme_summary",
    params(("theme" = String, Path, description = "The theme's id"), CodebookQuery),
    responses((status = 200, description = "The summary as Word or Markdown"), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "Not an analyst, or the theme's findings come from too few reviews"), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn theme_summary(
    State(app): State<AppState>,
    auth: Authed,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<CodebookQuery>,
) -> ApiResult<Response> {
    analyst(&app, &auth.0).await?;
    let format = match query.format.as_deref() {
        Some("docx") => crate::report::Format::Docx,
        Some("md") | None => crate::report::Format::Markdown,
        Some(_) => return Err(ApiError::bad_request("Ask for format docx or md.")),
    };
    let theme = theme_of(&app, &id).await?;
    let findings = app.directory.library_theme_findings(&id).await?;
    let reviews: BTreeSet<String> = findings.iter().map(|f| f.review_id.clone()).collect();
    if small_number_rule(&app, &auth.0, &Vec::from_iter(reviews))
        .await?
        .1
    {
        return Err(ApiError::Forbidden(
            "this theme's findings come from fewer reviews than the library's threshold: no summary leaves, so that no review can be singled out",
        ));
    }
    let setting = crate::report::Setting {
        exported_at: now_ms(),
        ..(*app.report_setting).clone()
    };
    let threshold = app.library_threshold;
    let count = findings.len();
    let name = theme.name.clone();
    let bytes = off_the_workers(move || {
        let rows: Vec<library::theme::ThemeFinding> = findings
            .iter()
            .map(|h| library::theme::ThemeFinding {
                review_id: &h.review_id,
                case_name: &h.case_name,
                year: h.year,
                finding: &h.finding,
            })
            .collect();
        let mut summary = library::theme::summary(
            &theme.name,
            &theme.memo,
            &rows,
            threshold,
            &setting,
            COVERAGE,
        );
        summary.clean_characters();
        crate::report::render(&summary, format).map_err(|e| ApiError::Internal(e.to_string()))
    })
    .await?;
    app.directory
        .record(&[AuditEvent::action(
            auth.0.actor(),
            "",
            AuditAction::LibraryExported,
            &id,
            format!(
                "the thematic summary of a theme of {count} findings as {}",
                format.extension()
            ),
        )])
        .await?;
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    Ok(file(
        bytes,
        format.content_type(),
        &format!(
            "theme-{}.{}",
            if stem.is_empty() { "summary" } else { &stem },
            format.extension()
        ),
    ))
}
