//! The review report of a snapshot: the pseudonymised export in every format, and the
//! pre-publication check behind it.

use axum::{
    Json,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiError, ApiResult, Authed, ErrorBody, QueryParams,
    snapshots::{load, off_the_workers},
};
use crate::{
    access::Role,
    audit::{AuditAction, AuditEvent},
    board::Board,
    clock::now_ms,
    report::{self, Format, Possible, Pseudonymiser, PublicationCheck, Remaining, Texts},
    review::{FrozenDetails, SnapshotInfo},
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `docx`, `pdf`, `html`, `md` or `json`.
    pub format: String,
    /// A lead's explicit confirmation to export although the pre-publication check is
    /// not clean: `unreviewed`. Recorded in the audit trail.
    pub confirm: Option<String>,
    /// Include candidate episodes and draft findings, each marked as not yet agreed
    /// (leads only). Without it the report holds agreed work only.
    pub drafts: Option<bool>,
    /// Name the lead reviewers, the review team and the case group (leads only).
    /// Without it they are listed by role and agency.
    pub names: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// Check the report with candidate episodes and draft findings included (as an
    /// export with `drafts=true` holds them).
    pub drafts: Option<bool>,
    /// Check the report with the people named (as an export with `names=true`).
    pub names: Option<bool>,
}

/// What the caller asked to include: drafts and names are a lead's choice.
fn scope_for(role: Role, drafts: Option<bool>, names: Option<bool>) -> ApiResult<report::Scope> {
    let (drafts, names) = (drafts.unwrap_or(false), names.unwrap_or(false));
    if drafts && role != Role::LeadReviewer {
        return Err(ApiError::Forbidden(
            "only a lead reviewer may include work the review team has not agreed",
        ));
    }
    if names && role != Role::LeadReviewer {
        return Err(ApiError::Forbidden(
            "only a lead reviewer may name the people who took part",
        ));
    }
    Ok(report::Scope { drafts, names })
}

/// Who may export: the leads and the review team (exports are always pseudonymised).
fn may_export(role: Role) -> bool {
    matches!(role, Role::LeadReviewer | Role::ReviewTeamMember)
}

/// A snapshot's report as it leaves in an export: the review as the snapshot froze it,
/// the report (every text through the register, characters no format can hold
/// removed), the check of exactly it, and the file name it leaves under.
struct Outgoing {
    snapshot: SnapshotInfo,
    report: report::Report,
    check: PublicationCheck,
    file_stem: String,
}

/// Links to findings seen before checked against the library at most, per report (a
/// board holding more, written by hand, leaves the rest unquoted).
const MOST_LINKS_CHECKED: usize = 500;

/// The report of a snapshot as it leaves in an export (every text through the
/// register, characters no format can hold removed), and the check of exactly it.
async fn pseudonymised_report(
    app: &AppState,
    review_id: &str,
    id: &str,
    scope: report::Scope,
) -> ApiResult<Outgoing> {
    let (snapshot, state) = load(app, review_id, id).await?;
    let FrozenDetails {
        review,
        members: people,
    } = frozen_details(app, review_id, id).await?;
    let register = app.directory.register(review_id).await?;
    let safe_terms = app.directory.safe_terms(review_id).await?;
    let info = snapshot.clone();
    let named = if review.case_ref.trim().is_empty() {
        review.title.clone()
    } else {
        review.case_ref.clone()
    };
    // The file name leaves the board too: through the register like every text.
    let file_stem = report::file_stem(
        &Pseudonymiser::new(&register).apply(&named),
        &review.kind,
        &review.phase,
        now_ms(),
    );
    let meetings = app.directory.meetings(review_id).await?;
    let setting = report::Setting {
        exported_at: now_ms(),
        ..(*app.report_setting).clone()
    };
    let mut board = off_the_workers(move || Ok(Board::from_update(&state)?)).await?;
    // A finding seen before is quoted only while the library still holds it: the
    // words of a set since withdrawn or replaced do not leave again in a report.
    let mut linked: Vec<String> = board
        .findings
        .iter()
        .flat_map(|f| f.seen_before.iter().map(|l| l.id.clone()))
        .collect();
    linked.sort();
    linked.dedup();
    linked.truncate(MOST_LINKS_CHECKED);
    let current = app.directory.current_library_findings(&linked).await?;
    for link in board
        .findings
        .iter_mut()
        .flat_map(|f| f.seen_before.iter_mut())
    {
        if !current.contains(&link.id) {
            link.statement.clear();
        }
    }
    let (report, check) = off_the_workers(move || {
        let mut original =
            report::build(&review, &people, &meetings, &info, &board, scope, &setting);
        original.clean_characters();
        let mut safe = report::safe_vocabulary(&board, &safe_terms);
        // The title page's own words are the server's, not the case's.
        safe.extend([setting.partnership.clone(), setting.marking.clone()]);
        Ok(Pseudonymiser::new(&register).pseudonymise(&original, &safe))
    })
    .await?;
    Ok(Outgoing {
        snapshot,
        report,
        check,
        file_stem,
    })
}

/// The review's details and people as the snapshot froze them; for a snapshot taken
/// before snapshots kept them, the review as it is now.
pub(super) async fn frozen_details(
    app: &AppState,
    review_id: &str,
    snapshot: &str,
) -> ApiResult<FrozenDetails> {
    let details = app
        .directory
        .snapshot_details(review_id, snapshot)
        .await?
        .unwrap_or_default();
    if !details.is_empty() {
        return serde_json::from_str(&details)
            .map_err(|e| ApiError::Internal(format!("a snapshot's details cannot be read: {e}")));
    }
    let review = app
        .directory
        .review(review_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let members = app.directory.members(review_id).await?;
    Ok(FrozenDetails::of(&review, &members))
}

/// The answer to an export whose pre-publication check is not clean.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportRefused {
    /// Always `check_not_clean`.
    pub error: &'static str,
    pub message: String,
    /// Register entries or flagged terms still in the export.
    pub remaining: Vec<Remaining>,
    /// Possible names or identifying details nobody registered or marked safe.
    pub possible: Vec<Possible>,
}

/// `GET /api/reviews/{review}/snapshots/{snapshot}/export?format=docx|html|md|json`: the
/// review report of a snapshot, with every registered name replaced by its pseudonym.
/// Refused (409) while the pre-publication check is not clean, unless a lead confirms
/// with `confirm=unreviewed` (recorded in the audit trail).
#[utoipa::path(get, path = "/api/reviews/{review}/snapshots/{snapshot}/export", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id"), ("snapshot" = String, Path, description = "The snapshot's id"), ExportQuery),
    responses(
        (status = 200, description = "The report in the asked format (Word, PDF, HTML, Markdown or JSON)"),
        (status = 409, body = ExportRefused, description = "The pre-publication check is not clean and no lead confirmed the export"),
        (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 503, body = ErrorBody, description = "A PDF was asked for and the server cannot print one")),
    security(("session" = []), ("bearer" = [])))]
pub async fn export(
    State(app): State<AppState>,
    auth: Authed,
    headers: HeaderMap,
    Path((review_id, id)): Path<(String, String)>,
    QueryParams(query): QueryParams<ExportQuery>,
) -> ApiResult<Response> {
    let role = auth.role_in(&app, &review_id).await?;
    if !may_export(role) {
        return Err(ApiError::Forbidden(
            "only lead reviewers and the review team may export the report",
        ));
    }
    let scope = scope_for(role, query.drafts, query.names)?;
    let format = Format::parse(&query.format)
        .ok_or_else(|| ApiError::bad_request("Ask for format docx, pdf, html, md or json."))?;
    let confirmed = match query.confirm.as_deref() {
        None | Some("") => false,
        Some("unreviewed") => true,
        Some(_) => {
            return Err(ApiError::bad_request(
                "To export although the check is not clean, a lead confirms with confirm=unreviewed.",
            ));
        }
    };
    if confirmed && role != Role::LeadReviewer {
        return Err(ApiError::Forbidden(
            "only a lead reviewer may confirm an export the check has not cleared",
        ));
    }
    if confirmed && crate::auth::is_cross_site(&headers, &app.auth) {
        return Err(ApiError::CrossSite);
    }
    let Outgoing {
        snapshot,
        report,
        check,
        file_stem,
    } = pseudonymised_report(&app, &review_id, &id, scope).await?;
    if !check.ok && !confirmed {
        let refused = ExportRefused {
            error: "check_not_clean",
            message: format!(
                "The report was not exported: {} A lead reviewer registers or marks safe what is listed, or confirms the export.",
                check.summary
            ),
            remaining: check.remaining,
            possible: check.possible,
        };
        return Ok((StatusCode::CONFLICT, Json(refused)).into_response());
    }
    let bytes = if format == Format::Pdf {
        let html = off_the_workers(move || Ok(report::html(&report))).await?;
        report::pdf::print(app.chromium.as_ref().as_ref(), &html)
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "a report could not be printed to PDF");
                match e {
                    report::pdf::PdfError::NoChromium => ApiError::Unavailable(
                        "PDF export needs Chromium on the server; print the printable page to PDF from a browser instead",
                    ),
                    _ => ApiError::Unavailable(
                        "the report could not be printed to PDF just now; try again, or print the printable page",
                    ),
                }
            })?
    } else {
        off_the_workers(move || {
            report::render(&report, format).map_err(|e| ApiError::Internal(e.to_string()))
        })
        .await?
    };
    let actor = auth.0.actor();
    let mut events = Vec::new();
    // The trail says what was confirmed, never which names (they are real names).
    if !check.ok {
        events.push(AuditEvent::action(
            actor.clone(),
            &review_id,
            AuditAction::UnreviewedExportConfirmed,
            &snapshot.id,
            format!(
                "{} registered or flagged terms remaining and {} possible names or identifying details unreviewed",
                check.remaining.len(),
                check.possible.len()
            ),
        ));
    }
    let detail = format!(
        "as {}{}; {}",
        format.extension(),
        match (scope.drafts, scope.names) {
            (true, true) => ", with work not yet agreed and the people named",
            (true, false) => ", with work not yet agreed",
            (false, true) => ", with the people named",
            (false, false) => "",
        },
        if check.ok {
            "the pre-publication check was clean"
        } else {
            "on a lead's confirmation, the check was not clean"
        }
    );
    events.push(AuditEvent::action(
        actor,
        &review_id,
        AuditAction::ReportExported,
        &snapshot.id,
        detail,
    ));
    // Nothing leaves before the trail holds it.
    app.directory.record(&events).await?;
    let filename = format!("{file_stem}.{}", format.extension());
    let disposition = if format == Format::Html {
        format!("inline; filename=\"{filename}\"")
    } else {
        format!("attachment; filename=\"{filename}\"")
    };
    Ok((
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /api/reviews/{review}/snapshots/{snapshot}/check`: the pre-publication check of
/// exactly the texts the snapshot's export contains: what the register replaced, any
/// registered or flagged term that still appears, and anything else that looks like a
/// personal name or identifying detail (names, streets, dates of birth, postcodes, phone
/// and NHS numbers) that is neither registered nor marked safe. Lead reviewers only (it
/// names real names).
#[utoipa::path(get, path = "/api/reviews/{review}/snapshots/{snapshot}/check", tag = "snapshots",
    params(("review" = String, Path, description = "The review's id"), ("snapshot" = String, Path, description = "The snapshot's id"), CheckQuery),
    responses((status = 200, body = PublicationCheck), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn check(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, id)): Path<(String, String)>,
    QueryParams(query): QueryParams<CheckQuery>,
) -> ApiResult<Json<PublicationCheck>> {
    auth.lead_of(&app, &review_id).await?;
    let scope = scope_for(Role::LeadReviewer, query.drafts, query.names)?;
    Ok(Json(
        pseudonymised_report(&app, &review_id, &id, scope)
            .await?
            .check,
    ))
}
