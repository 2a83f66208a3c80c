//! The partnership's findings library: a lead publishes a review's agreed findings from
//! a snapshot (pseudonymised, its check clean), withdraws or replaces them; library
//! readers, analysts and leads search it, with facets counted by distinct review and
//! never below the small-number threshold. To anyone else the library answers like a
//! missing page (404), and a review not published is not there at all.

use std::collections::{BTreeMap, BTreeSet};

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiError, ApiResult, Authed, ErrorBody, QueryParams,
    input::JsonBody,
    report::{ExportRefused, frozen_details},
    snapshots::{load, off_the_workers},
};
use crate::{
    access::{Caller, Role},
    audit::{AuditAction, AuditEvent},
    board::Board,
    clock::now_ms,
    library::{
        self, LibraryRole,
        codebook::{Code, Codebook, codebook},
        export,
        query::{self, FACETS, Filters, ReviewCount},
    },
    report::Pseudonymiser,
    state::AppState,
    store::{LibraryHit, LibrarySet},
};

/// What the library says of itself, on every page of it.
pub const COVERAGE: &str = "The library holds the findings of reviewed cases that their partnerships chose to publish. \
It shows what reviews found, not how often anything happens: serious cases that are reviewed are a small and \
particular part of all practice.";

/// How the caller may use the library: `None` for anyone who may not see it at all.
async fn library_access(app: &AppState, caller: &Caller) -> ApiResult<Option<LibraryAccess>> {
    // Access tokens belong to one review: never to the library.
    let Some(user) = caller.user() else {
        return Ok(None);
    };
    if let Some(role) = app.directory.library_role(&user.id).await? {
        return Ok(Some(LibraryAccess {
            role: role.as_str(),
            analyst: role == LibraryRole::Analyst,
        }));
    }
    let leads = app
        .directory
        .reviews_of(&user.id)
        .await?
        .iter()
        .any(|(_, role)| *role == Role::LeadReviewer);
    Ok(leads.then_some(LibraryAccess {
        role: "lead_reviewer",
        analyst: false,
    }))
}

pub(super) async fn reader(app: &AppState, caller: &Caller) -> ApiResult<LibraryAccess> {
    library_access(app, caller).await?.ok_or(ApiError::NotFound)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LibraryAccess {
    /// `reader`, `analyst` or `lead_reviewer` (a lead of any review reads the library).
    pub role: &'static str,
    /// Whether the caller may export and manage themes.
    pub analyst: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LibraryInfo {
    pub access: LibraryAccess,
    /// Counts of fewer reviews than this are shown as "fewer than N".
    pub threshold: u64,
    /// What the library covers, and what it does not.
    pub coverage: &'static str,
    /// How many reviews have findings in the library.
    pub reviews: ReviewCount,
}

/// `GET /api/library`: what the caller may do in the library, and what it covers.
#[utoipa::path(get, path = "/api/library", tag = "library", operation_id = "library_info",
    responses((status = 200, body = LibraryInfo), (status = 404, body = ErrorBody, description = "The caller may not see the library")),
    security(("session" = [])))]
pub async fn info(State(app): State<AppState>, auth: Authed) -> ApiResult<Json<LibraryInfo>> {
    let access = reader(&app, &auth.0).await?;
    let reviews = app.directory.library_reviews(&Filters::default()).await?;
    Ok(Json(LibraryInfo {
        access,
        threshold: app.library_threshold,
        coverage: COVERAGE,
        reviews: ReviewCount::of(reviews.len() as u64, app.library_threshold),
    }))
}

/// `GET /api/library/codebook`: the codes findings are coded with, and their meanings.
#[utoipa::path(get, path = "/api/library/codebook", tag = "library", operation_id = "library_codebook",
    params(CodebookQuery),
    responses((status = 200, body = Codebook, description = "The codebook (JSON, or CSV with format=csv)"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody, description = "The caller may not see the library")),
    security(("session" = [])))]
pub async fn show_codebook(
    State(app): State<AppState>,
    auth: Authed,
    QueryParams(query): QueryParams<CodebookQuery>,
) -> ApiResult<Response> {
    reader(&app, &auth.0).await?;
    match query.format.as_deref() {
        None | Some("json") => Ok(Json(codebook()).into_response()),
        Some("csv") => {
            let bytes = export::codebook_csv(codebook()).map_err(|e| {
                ApiError::Internal(format!("the codebook could not be written: {e}"))
            })?;
            Ok(file(
                bytes,
                "text/csv; charset=utf-8",
                "library-codebook.csv",
            ))
        }
        Some(_) => Err(ApiError::bad_request("Ask for format json or csv.")),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CodebookQuery {
    /// `json` (the default) or `csv`.
    pub format: Option<String>,
}

pub(super) fn file(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` or `json`.
    pub format: String,
}

/// `GET /api/library/export?format=csv|json`: the findings matching a search, with
/// their codes and their reviews' kind, variant and year, for analysts. Held to the
/// small-number rule like every listing (403 below it, unless the analyst is in every
/// review it would hold), and recorded in the audit trail.
#[utoipa::path(get, path = "/api/library/export", tag = "library", operation_id = "library_export",
    params(ExportQuery, Filters),
    responses((status = 200, description = "The findings as CSV or JSON"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody, description = "Not an analyst, or the search matches too few reviews"),
        (status = 404, body = ErrorBody, description = "The caller may not see the library")),
    security(("session" = [])))]
pub async fn export_findings(
    State(app): State<AppState>,
    auth: Authed,
    QueryParams(query): QueryParams<ExportQuery>,
    QueryParams(filters): QueryParams<Filters>,
) -> ApiResult<Response> {
    let access = reader(&app, &auth.0).await?;
    filters.check().map_err(ApiError::bad_request)?;
    if !access.analyst {
        return Err(ApiError::Forbidden(
            "only partnership analysts export from the library",
        ));
    }
    let json = match query.format.as_str() {
        "csv" => false,
        "json" => true,
        _ => return Err(ApiError::bad_request("Ask for format csv or json.")),
    };
    let reviews = app.directory.library_reviews(&filters).await?;
    if small_number_rule(&app, &auth.0, &reviews).await?.1 {
        return Err(ApiError::Forbidden(
            "this search matches fewer reviews than the library's threshold: nothing is exported, so that no review can be singled out",
        ));
    }
    let hits = app.directory.search_library(&filters, MAX_EXPORT).await?;
    let rows: Vec<export::ExportedFinding> = hits
        .iter()
        .map(|h| export::ExportedFinding {
            case_name: &h.case_name,
            review_kind: &h.review_kind,
            variant: &h.variant,
            year: h.year,
            finding: &h.finding,
        })
        .collect();
    let bytes = if json {
        serde_json::to_vec_pretty(&rows)
            .map_err(|e| ApiError::Internal(format!("the export could not be written: {e}")))?
    } else {
        export::findings_csv(&rows, codebook())
            .map_err(|e| ApiError::Internal(format!("the export could not be written: {e}")))?
    };
    // Nothing leaves before the trail holds it: what was asked, never the words found.
    let chosen: Vec<String> = filters
        .codes()
        .iter()
        .map(|(facet, code)| format!("{facet}={code}"))
        .chain(filters.kind().map(|k| format!("kind={k}")))
        .chain(filters.variant().map(|v| format!("variant={v}")))
        .chain(filters.years().map(|(from, until)| {
            if until > from {
                format!("years={from}-{until}")
            } else {
                format!("year={from}")
            }
        }))
        .chain(filters.words().map(|_| "words".to_string()))
        .collect();
    app.directory
        .record(&[AuditEvent::action(
            auth.0.actor(),
            "",
            AuditAction::LibraryExported,
            "",
            format!(
                "{} findings as {} ({})",
                rows.len(),
                query.format,
                if chosen.is_empty() {
                    "the whole library".to_string()
                } else {
                    chosen.join(", ")
                }
            ),
        )])
        .await?;
    Ok(if json {
        file(bytes, "application/json", "library-findings.json")
    } else {
        file(bytes, "text/csv; charset=utf-8", "library-findings.csv")
    })
}

/// The most findings one export holds.
const MAX_EXPORT: i64 = 20_000;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// At most this many findings (default 50, at most 200).
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LibraryFindings {
    /// How many reviews the matching findings come from.
    pub matched: ReviewCount,
    /// The findings, best first; empty when they are withheld.
    pub findings: Vec<LibraryHit>,
    /// True when the choices would single out fewer reviews than the threshold (and the
    /// caller is not in all of them), so no finding is listed.
    pub withheld: bool,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// Whether the caller is a member of every one of `reviews` (and may see their
/// findings however few they are).
/// How many reviews `reviews` are as they may leave, and whether what they hold is
/// withheld from the caller: fewer than the threshold, and the caller not in all of them.
/// The one check every listing, export and theme goes through.
pub(super) async fn small_number_rule(
    app: &AppState,
    caller: &Caller,
    reviews: &[String],
) -> ApiResult<(ReviewCount, bool)> {
    let matched = ReviewCount::of(reviews.len() as u64, app.library_threshold);
    let withheld = matched.suppressed() && !member_of_all(app, caller, reviews).await?;
    Ok((matched, withheld))
}

async fn member_of_all(app: &AppState, caller: &Caller, reviews: &[String]) -> ApiResult<bool> {
    let Some(user) = caller.user() else {
        return Ok(false);
    };
    let mine: BTreeSet<String> = app
        .directory
        .reviews_of(&user.id)
        .await?
        .into_iter()
        .map(|(review, _)| review.id)
        .collect();
    Ok(reviews.iter().all(|r| mine.contains(r)))
}

/// `GET /api/library/findings`: published findings matching words and facets, best
/// first. A search that matches fewer reviews than the threshold lists nothing, unless
/// the caller is in every one of those reviews.
#[utoipa::path(get, path = "/api/library/findings", tag = "library", operation_id = "library_findings",
    params(Filters, Page),
    responses((status = 200, body = LibraryFindings), (status = 404, body = ErrorBody, description = "The caller may not see the library")),
    security(("session" = [])))]
pub async fn findings(
    State(app): State<AppState>,
    auth: Authed,
    QueryParams(filters): QueryParams<Filters>,
    QueryParams(page): QueryParams<Page>,
) -> ApiResult<Json<LibraryFindings>> {
    reader(&app, &auth.0).await?;
    filters.check().map_err(ApiError::bad_request)?;
    let reviews = app.directory.library_reviews(&filters).await?;
    // Every listing, words alone too: a distinctive phrase would otherwise single a
    // review out as surely as a facet.
    let (matched, withheld) = small_number_rule(&app, &auth.0, &reviews).await?;
    if withheld {
        return Ok(Json(LibraryFindings {
            message: format!(
                "This search matches {}: its findings are not listed, so that no review can be singled out. Choose fewer facets or other words.",
                matched.text
            ),
            matched,
            findings: Vec::new(),
            withheld: true,
        }));
    }
    let limit = page.limit.unwrap_or(50).clamp(1, 200);
    let findings = app.directory.search_library(&filters, limit).await?;
    Ok(Json(LibraryFindings {
        matched,
        findings,
        withheld: false,
        message: String::new(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FacetValue {
    pub code: String,
    pub label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub count: ReviewCount,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LibraryFacets {
    pub matched: ReviewCount,
    /// Each facet's values with their number of distinct reviews, among the findings
    /// matching every other choice: `category`, `effect`, `level`, `factor_type`,
    /// `agency`, `recommendation_type`, `kind`, `variant`, `year`.
    pub facets: BTreeMap<String, Vec<FacetValue>>,
}

fn facet_label(facet: &str, code: &str) -> (String, Option<String>) {
    if let Some(Code {
        label, description, ..
    }) = codebook().facet(facet).and_then(|codes| codes.get(code))
    {
        return (label.clone(), description.clone());
    }
    let named = |list: &[(&str, &str)]| {
        list.iter()
            .find(|(c, _)| *c == code)
            .map(|(_, label)| label.to_string())
    };
    let label = match facet {
        "kind" => named(crate::review::KINDS),
        "variant" => named(crate::review::VARIANTS),
        _ => None,
    };
    (label.unwrap_or_else(|| code.to_string()), None)
}

/// `GET /api/library/facets`: for each facet, how many distinct reviews carry each of
/// its values among the findings matching the other choices (a review with three
/// findings in one category counts once), each count below the threshold given as
/// "fewer than N".
#[utoipa::path(get, path = "/api/library/facets", tag = "library", operation_id = "library_facets",
    params(Filters),
    responses((status = 200, body = LibraryFacets), (status = 404, body = ErrorBody, description = "The caller may not see the library")),
    security(("session" = [])))]
pub async fn facets(
    State(app): State<AppState>,
    auth: Authed,
    QueryParams(filters): QueryParams<Filters>,
) -> ApiResult<Json<LibraryFacets>> {
    reader(&app, &auth.0).await?;
    filters.check().map_err(ApiError::bad_request)?;
    let threshold = app.library_threshold;
    let reviews = app.directory.library_reviews(&filters).await?;
    // A facet's counts ignore its own choice: the facets not chosen share the search
    // as it is (one statement for them all); each chosen one has its own.
    let all: Vec<&str> = FACETS
        .iter()
        .copied()
        .chain(["kind", "variant", "year"])
        .collect();
    let (chosen, shared): (Vec<&str>, Vec<&str>) =
        all.iter().partition(|f| filters.without(f) != filters);
    let mut counts = app.directory.library_facets(&filters, &shared).await?;
    for facet in chosen {
        counts.extend(
            app.directory
                .library_facets(&filters.without(facet), &[facet])
                .await?,
        );
    }
    let mut out = BTreeMap::new();
    for facet in all {
        let mut values: Vec<FacetValue> = counts
            .iter()
            .filter(|(f, _, _)| f == facet)
            .map(|(_, code, n)| {
                let code = code.clone();
                let n = *n;
                let (label, description) = facet_label(facet, &code);
                FacetValue {
                    count: ReviewCount::of(u64::try_from(n).unwrap_or(0), threshold),
                    code,
                    label,
                    description,
                }
            })
            .collect();
        // The codebook's order where there is one, else by label (years newest first).
        let order = |code: &str| {
            codebook()
                .facet(facet)
                .and_then(|codes| codes.get(code))
                .map_or(i64::MAX, |c| c.order)
        };
        values.sort_by(|a, b| {
            order(&a.code)
                .cmp(&order(&b.code))
                .then_with(|| match facet {
                    "year" => b.code.cmp(&a.code),
                    _ => a.label.cmp(&b.label),
                })
        });
        out.insert(facet.to_string(), values);
    }
    Ok(Json(LibraryFacets {
        matched: ReviewCount::of(reviews.len() as u64, threshold),
        facets: out,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PublishRequest {
    /// The snapshot whose agreed findings are published.
    pub snapshot: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewLibrary {
    /// The current set, if the review's findings are in the library.
    pub current: Option<LibrarySet>,
    /// Every set published, newest first (withdrawn and replaced ones kept).
    pub sets: Vec<LibrarySet>,
}

/// `GET /api/reviews/{review}/library`: what the review published to the library.
#[utoipa::path(get, path = "/api/reviews/{review}/library", tag = "library", operation_id = "review_library",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = ReviewLibrary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn show(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<ReviewLibrary>> {
    let role = auth.role_in(&app, &review_id).await?;
    if !matches!(role, Role::LeadReviewer | Role::ReviewTeamMember) {
        return Err(ApiError::Forbidden(
            "only lead reviewers and the review team see what the review published",
        ));
    }
    let sets = app.directory.library_sets(&review_id).await?;
    Ok(Json(ReviewLibrary {
        current: sets.iter().find(|s| s.withdrawn_at.is_none()).cloned(),
        sets,
    }))
}

/// `POST /api/reviews/{review}/library`: a lead publishes the agreed findings of a
/// snapshot to the library, pseudonymised through the review's register; refused
/// (409) while the check of exactly those texts is not clean. Replaces what the review
/// published before (kept, marked replaced).
#[utoipa::path(post, path = "/api/reviews/{review}/library", tag = "library", operation_id = "publish_to_library", request_body = PublishRequest,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = LibrarySet),
        (status = 409, body = ExportRefused, description = "The check is not clean, or another publication of the review won a race"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn publish(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    JsonBody(request): JsonBody<PublishRequest>,
) -> ApiResult<Response> {
    let role = auth.role_in(&app, &review_id).await?;
    // The library is the partnership's: a person publishes to it, never a script's token.
    if role != Role::LeadReviewer || auth.0.user().is_none() {
        return Err(ApiError::Forbidden(
            "only a lead reviewer, signed in, publishes the review's findings to the library",
        ));
    }
    let (snapshot, state) = load(&app, &review_id, &request.snapshot).await?;
    let review = frozen_details(&app, &review_id, &snapshot.id).await?.review;
    let register = app.directory.register(&review_id).await?;
    let safe_terms = app.directory.safe_terms(&review_id).await?;
    let partnership = app.report_setting.partnership.clone();
    let taken_at = snapshot.taken_at;
    let (publication, check) = off_the_workers(move || {
        let board = Board::from_update(&state)?;
        Ok(library::prepare(
            &review,
            &board,
            taken_at,
            &partnership,
            &register,
            &safe_terms,
        ))
    })
    .await?;
    if !check.ok {
        let refused = ExportRefused {
            error: "check_not_clean",
            message: format!(
                "The findings were not published: {} A lead reviewer registers or marks safe what is listed, then publishes again.",
                check.summary
            ),
            remaining: check.remaining,
            possible: check.possible,
        };
        return Ok((StatusCode::CONFLICT, Json(refused)).into_response());
    }
    if publication.findings.is_empty() {
        return Err(ApiError::bad_request(
            "The snapshot holds no agreed finding: there is nothing to publish.",
        ));
    }
    let actor = auth.0.actor();
    let event = AuditEvent::action(
        actor.clone(),
        &review_id,
        AuditAction::LibraryPublished,
        &snapshot.id,
        format!(
            "{} agreed findings from the snapshot \u{201c}{}\u{201d}",
            publication.findings.len(),
            Pseudonymiser::new(&app.directory.register(&review_id).await?).apply(&snapshot.label)
        ),
    );
    let set = app
        .directory
        .publish_to_library(
            &review_id,
            &snapshot.id,
            &publication,
            &actor.name,
            now_ms(),
            &event,
        )
        .await?
        .ok_or_else(|| {
            ApiError::Conflict(
                "another publication of this review was made at the same moment; look again".into(),
            )
        })?;
    Ok((StatusCode::CREATED, Json(set)).into_response())
}

/// `DELETE /api/reviews/{review}/library`: a lead withdraws the review's findings from
/// the library (kept in its history, no longer found).
#[utoipa::path(delete, path = "/api/reviews/{review}/library", tag = "library", operation_id = "withdraw_from_library",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody, description = "Nothing is published")),
    security(("session" = []), ("bearer" = [])))]
pub async fn withdraw(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<StatusCode> {
    let role = auth.role_in(&app, &review_id).await?;
    if role != Role::LeadReviewer || auth.0.user().is_none() {
        return Err(ApiError::Forbidden(
            "only a lead reviewer, signed in, withdraws the review's findings from the library",
        ));
    }
    let actor = auth.0.actor();
    let event = AuditEvent::action(
        actor.clone(),
        &review_id,
        AuditAction::LibraryWithdrawn,
        "",
        "withdrew the review's findings from the library".into(),
    );
    if app
        .directory
        .withdraw_from_library(&review_id, &actor.name, now_ms(), &event)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SetLibraryRole {
    /// `reader`, `analyst`, or null to take the role away.
    pub role: Option<String>,
}

/// `PUT /api/accounts/{user}/library-role`: an administrator gives a person a library
/// role (`reader` or `analyst`) or takes it away.
#[utoipa::path(put, path = "/api/accounts/{user}/library-role", tag = "library", operation_id = "set_library_role", request_body = SetLibraryRole,
    params(("user" = String, Path, description = "The person's account id")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn set_role(
    State(app): State<AppState>,
    auth: Authed,
    Path(user_id): Path<String>,
    JsonBody(request): JsonBody<SetLibraryRole>,
) -> ApiResult<StatusCode> {
    if !auth.0.is_admin() {
        return Err(ApiError::Forbidden(
            "only an administrator gives library roles",
        ));
    }
    let role = match request.role.as_deref() {
        None => None,
        Some(text) => Some(LibraryRole::parse(text).ok_or_else(|| {
            ApiError::bad_request("A library role is reader, analyst, or null to take it away.")
        })?),
    };
    let actor = auth.0.actor();
    let event = AuditEvent::action(
        actor.clone(),
        "",
        AuditAction::LibraryRoleChanged,
        &user_id,
        match role {
            Some(role) => format!("library role {}", role.as_str()),
            None => "library role taken away".into(),
        },
    );
    if app
        .directory
        .set_library_role(&user_id, role, &actor.id, now_ms(), &event)
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::NotFound)
    }
}

/// The facets a matrix may cross.
fn facet_param(name: &str, value: &str) -> ApiResult<&'static str> {
    FACETS
        .iter()
        .copied()
        .find(|f| *f == value)
        .ok_or_else(|| ApiError::bad_request(format!("{name} is one of {}.", FACETS.join(", "))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Axes {
    /// The facet of the rows: `category`, `effect`, `level`, `factor_type`, `agency` or
    /// `recommendation_type`.
    pub rows: String,
    /// The facet of the columns (the same list; the same facet crosses it with itself).
    pub columns: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Axis {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LibraryMatrix {
    pub rows: Vec<Axis>,
    pub columns: Vec<Axis>,
    /// `cells[r][c]`: the distinct reviews with a finding carrying both codes.
    pub cells: Vec<Vec<ReviewCount>>,
    pub matched: ReviewCount,
}

/// The codes of a facet to show on an axis: the codebook's, in its order, or (agencies)
/// those found.
fn axis(facet: &str, found: impl Iterator<Item = String>) -> Vec<Axis> {
    match codebook().facet(facet) {
        Some(codes) => {
            let mut all: Vec<(&String, &Code)> = codes.iter().collect();
            all.sort_by_key(|(_, c)| c.order);
            all.into_iter()
                .map(|(code, c)| Axis {
                    code: code.clone(),
                    label: c.short_label.clone().unwrap_or_else(|| c.label.clone()),
                })
                .collect()
        }
        None => {
            let found: BTreeSet<String> = found.collect();
            found
                .into_iter()
                .map(|code| Axis {
                    label: code.clone(),
                    code,
                })
                .collect()
        }
    }
}

/// `GET /api/library/matrix?rows=&columns=`: how many distinct reviews have a finding
/// carrying each pair of codes (typology × factor level, typology × recommendation
/// type, agency × typology, factor type × factor type, ...), among the findings matching
/// the other choices; each count below the threshold is "fewer than N".
#[utoipa::path(get, path = "/api/library/matrix", tag = "library", operation_id = "library_matrix",
    params(Axes, Filters),
    responses((status = 200, body = LibraryMatrix), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody, description = "The caller may not see the library")),
    security(("session" = [])))]
pub async fn matrix(
    State(app): State<AppState>,
    auth: Authed,
    QueryParams(axes): QueryParams<Axes>,
    QueryParams(filters): QueryParams<Filters>,
) -> ApiResult<Json<LibraryMatrix>> {
    reader(&app, &auth.0).await?;
    filters.check().map_err(ApiError::bad_request)?;
    let rows = facet_param("rows", &axes.rows)?;
    let columns = facet_param("columns", &axes.columns)?;
    let threshold = app.library_threshold;
    let counts = app
        .directory
        .library_matrix(&filters, rows, columns)
        .await?;
    let row_axis = axis(rows, counts.iter().map(|(r, _, _)| r.clone()));
    let column_axis = axis(columns, counts.iter().map(|(_, c, _)| c.clone()));
    let cells = row_axis
        .iter()
        .map(|r| {
            column_axis
                .iter()
                .map(|c| {
                    let n = counts
                        .iter()
                        .find(|(a, b, _)| *a == r.code && *b == c.code)
                        .map_or(0, |(_, _, n)| *n);
                    ReviewCount::of(u64::try_from(n).unwrap_or(0), threshold)
                })
                .collect()
        })
        .collect();
    let reviews = app.directory.library_reviews(&filters).await?;
    Ok(Json(LibraryMatrix {
        rows: row_axis,
        columns: column_axis,
        cells,
        matched: ReviewCount::of(reviews.len() as u64, threshold),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrendYear {
    /// The period's first year.
    pub year: i64,
    /// Its last year (the same as `year` for a year alone).
    pub until: i64,
    /// Reviews of the period with a matching finding.
    pub matched: ReviewCount,
    /// Reviews of the period in the library.
    pub reviews: ReviewCount,
    /// `matched` as a share of `reviews` (0 to 1); absent when either count is hidden,
    /// since a share would give the small number away.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
}

/// `GET /api/library/trend`: for each period of the library, how many reviews have a
/// finding matching the choices, out of that period's reviews (normalised: a period
/// with more reviews does not look like one with more of the pattern). Years are
/// grouped into periods of at least the threshold of reviews ([`query::periods`]), so
/// a partnership's few reviews a year still show a trend; and where one period's
/// count is hidden, the next smallest is too, as the parts of a total shown elsewhere.
#[utoipa::path(get, path = "/api/library/trend", tag = "library", operation_id = "library_trend",
    params(Filters),
    responses((status = 200, body = [TrendYear]), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = [])))]
pub async fn trend(
    State(app): State<AppState>,
    auth: Authed,
    QueryParams(filters): QueryParams<Filters>,
) -> ApiResult<Json<Vec<TrendYear>>> {
    reader(&app, &auth.0).await?;
    filters.check().map_err(ApiError::bad_request)?;
    let threshold = app.library_threshold;
    let years: Vec<(i64, u64, u64)> = app
        .directory
        .library_years(&filters.without("year"))
        .await?
        .into_iter()
        .map(|(year, matched, reviews)| {
            (
                year,
                u64::try_from(matched).unwrap_or(0),
                u64::try_from(reviews).unwrap_or(0),
            )
        })
        .collect();
    let periods = query::periods(&years, threshold);
    let matched = query::parts(&periods.iter().map(|p| p.2).collect::<Vec<_>>(), threshold);
    let reviews = query::parts(&periods.iter().map(|p| p.3).collect::<Vec<_>>(), threshold);
    Ok(Json(
        periods
            .iter()
            .zip(matched.into_iter().zip(reviews))
            .map(
                |(&(year, until, matched_n, reviews_n), (matched, reviews))| {
                    let share = (!matched.suppressed() && !reviews.suppressed() && reviews_n > 0)
                        .then(|| matched_n as f64 / reviews_n as f64);
                    TrendYear {
                        year,
                        until,
                        matched,
                        reviews,
                        share,
                    }
                },
            )
            .collect(),
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersistenceQuery {
    /// Seen in at least this many distinct reviews (never fewer than the threshold).
    pub reviews: Option<u64>,
    /// Over at least this many distinct years (default 3).
    pub years: Option<u64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersistentPattern {
    /// `category` (a typology category) or `factor_type` (a contributory factor type).
    pub facet: String,
    pub code: String,
    pub label: String,
    pub reviews: ReviewCount,
    pub years: u64,
}

/// `GET /api/library/persistent`: the typology categories and factor types seen in at
/// least N reviews over at least M years: the patterns that persist.
#[utoipa::path(get, path = "/api/library/persistent", tag = "library", operation_id = "library_persistent",
    params(PersistenceQuery),
    responses((status = 200, body = [PersistentPattern]), (status = 404, body = ErrorBody, description = "The caller may not see the library")),
    security(("session" = [])))]
pub async fn persistent(
    State(app): State<AppState>,
    auth: Authed,
    QueryParams(query): QueryParams<PersistenceQuery>,
) -> ApiResult<Json<Vec<PersistentPattern>>> {
    reader(&app, &auth.0).await?;
    let threshold = app.library_threshold;
    let min_reviews = query.reviews.unwrap_or(threshold).max(threshold);
    let min_years = query.years.unwrap_or(3).max(1);
    let mut out = Vec::new();
    for facet in ["category", "factor_type"] {
        for (code, reviews, years) in app.directory.library_spread(facet).await? {
            let (reviews, years) = (
                u64::try_from(reviews).unwrap_or(0),
                u64::try_from(years).unwrap_or(0),
            );
            if reviews >= min_reviews && years >= min_years {
                out.push(PersistentPattern {
                    facet: facet.to_string(),
                    label: facet_label(facet, &code).0,
                    code,
                    reviews: ReviewCount::of(reviews, threshold),
                    years,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        b.reviews
            .reviews
            .cmp(&a.reviews.reviews)
            .then(a.label.cmp(&b.label))
    });
    Ok(Json(out))
}
