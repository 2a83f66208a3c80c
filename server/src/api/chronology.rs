//! Agencies' chronologies: a lead imports each agency's file (read, mapped, checked,
//! then stored only when confirmed); the review team reads the merged chronology,
//! corrects entries (each correction a new version) and marks discrepancies. The case
//! group reads its own agency's entries; nobody else sees any. Kept out of the report.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiError, ApiResult, Authed, ErrorBody, JsonBody, QueryParams, found,
    snapshots::off_the_workers,
};
use crate::{
    access::Role,
    audit::{AuditAction, AuditEvent},
    chronology::{
        self, Correction, DiscrepancyRecord, EntryRecord, ImportRecord, NewImport, Reach,
        dates::{read_date, read_time, this_year},
        read::{self, Kind, Table},
        rows::{self, BadRow, Mapping, RowEntry},
    },
    clock::now_ms,
    state::AppState,
};

/// The largest file a lead may import.
pub const MAX_FILE_BYTES: usize = 16 << 20;
/// The most entries one review keeps.
const MAX_ENTRIES_PER_REVIEW: i64 = 200_000;
/// Rows shown while choosing the columns.
const PREVIEW_ROWS: usize = 8;
/// Entries and bad rows sent back by a check (the counts are whole).
const SAMPLE_ENTRIES: usize = 50;
const SAMPLE_BAD_ROWS: usize = 1_000;
/// The most entries one discrepancy names, and the longest note.
const MAX_DISCREPANCY_ENTRIES: usize = 20;
const MAX_NOTE_CHARS: usize = 2_000;

/// One entry as the caller sees it (its current version).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EntryView {
    /// The entry's id across its versions.
    pub id: String,
    pub version: i64,
    /// ISO of its precision: "2025-07-02", "2025-07" or "2025".
    pub date: String,
    pub approximate: bool,
    /// "HH:MM", or empty.
    pub time: String,
    pub agency: String,
    pub role: String,
    pub event: String,
    pub source: String,
    /// The file it came from, and its row there.
    pub import_id: String,
    pub row: i64,
    /// Who made this version, and when (the import, or the correction).
    pub changed_by: String,
    pub changed_at: i64,
    /// Why it was corrected (empty for the imported version).
    pub note: String,
}

impl From<&EntryRecord> for EntryView {
    fn from(e: &EntryRecord) -> Self {
        EntryView {
            id: e.entry_id.clone(),
            version: e.version,
            date: e.date.clone(),
            approximate: e.approximate != 0,
            time: e.time.clone(),
            agency: e.agency.clone(),
            role: e.role.clone(),
            event: e.event.clone(),
            source: e.source.clone(),
            import_id: e.import_id.clone(),
            row: e.row_number,
            changed_by: e.created_by.clone(),
            changed_at: e.created_at,
            note: e.note.clone(),
        }
    }
}

/// One imported file.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportView {
    pub id: String,
    pub agency: String,
    pub file_name: String,
    /// "csv" or "xlsx".
    pub file_kind: String,
    pub entry_count: i64,
    /// The rows left out, with why.
    pub bad_rows: Vec<BadRow>,
    pub imported_at: i64,
    pub imported_by: String,
}

impl From<&ImportRecord> for ImportView {
    fn from(i: &ImportRecord) -> Self {
        ImportView {
            id: i.id.clone(),
            agency: i.agency.clone(),
            file_name: i.file_name.clone(),
            file_kind: i.file_kind.clone(),
            entry_count: i.entry_count,
            bad_rows: i
                .bad()
                .into_iter()
                .map(|b| BadRow {
                    row: b.row,
                    column: b.column,
                    value: b.value,
                    reason: b.reason,
                })
                .collect(),
            imported_at: i.imported_at,
            imported_by: i.imported_by.clone(),
        }
    }
}

/// Entries that disagree, to explore in the conversations.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DiscrepancyView {
    pub id: String,
    /// The entries concerned (ids across versions).
    pub entries: Vec<String>,
    pub note: String,
    pub created_at: i64,
    pub created_by: String,
    /// When it was settled, if it is, and how.
    pub resolved_at: Option<i64>,
    pub resolution: String,
}

impl From<&DiscrepancyRecord> for DiscrepancyView {
    fn from(d: &DiscrepancyRecord) -> Self {
        DiscrepancyView {
            id: d.id.clone(),
            entries: d.entry_ids(),
            note: d.note.clone(),
            created_at: d.created_at,
            created_by: d.created_by.clone(),
            resolved_at: d.resolved_at,
            resolution: d.resolution.clone(),
        }
    }
}

/// The merged chronology as the caller may see it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChronologyView {
    /// Every agency's entries in time order (only the caller's agency's for the case group).
    pub entries: Vec<EntryView>,
    pub imports: Vec<ImportView>,
    /// For the review team and leads; empty for others.
    pub discrepancies: Vec<DiscrepancyView>,
    /// The caller may import files (leads).
    pub can_import: bool,
    /// The caller may correct entries and mark discrepancies (review team and leads).
    pub can_interpret: bool,
    /// The one agency whose entries the caller sees, when they see one only.
    pub agency_only: Option<String>,
}

fn reach(auth: &Authed, role: Role) -> Reach {
    Reach::of(role, &auth.0.actor().agency)
}

/// The caller's role, refusing those who see no entries at all as if the review had no
/// chronology route for them (board members and observers read the board, not this).
async fn reader(app: &AppState, auth: &Authed, review_id: &str) -> ApiResult<(Role, Reach)> {
    let role = auth.role_in(app, review_id).await?;
    match reach(auth, role) {
        Reach::None => Err(ApiError::Forbidden(
            "the chronologies are read by the review team and lead reviewers (and the case group, their own agency's)",
        )),
        r => Ok((role, r)),
    }
}

/// `GET /api/reviews/{review}/chronology`: the merged chronology.
#[utoipa::path(get, path = "/api/reviews/{review}/chronology", tag = "chronology", operation_id = "chronology",
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 200, body = ChronologyView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn show(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
) -> ApiResult<Json<ChronologyView>> {
    let (role, reach) = reader(&app, &auth, &review_id).await?;
    let entries = app.directory.chronology_entries(&review_id, &reach).await?;
    let imports = app.directory.chronology_imports(&review_id, &reach).await?;
    let discrepancies = if chronology::may_interpret(role) {
        app.directory.chronology_discrepancies(&review_id).await?
    } else {
        Vec::new()
    };
    Ok(Json(ChronologyView {
        entries: entries.iter().map(EntryView::from).collect(),
        imports: imports.iter().map(ImportView::from).collect(),
        discrepancies: discrepancies.iter().map(DiscrepancyView::from).collect(),
        can_import: chronology::may_import(role),
        can_interpret: chronology::may_interpret(role),
        agency_only: match reach {
            Reach::Agency(_) => Some(auth.0.actor().agency),
            _ => None,
        },
    }))
}

/// A file's first rows, to choose its columns by.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FilePreview {
    /// "csv" or "xlsx".
    pub file_kind: String,
    /// The sheet read, for a workbook.
    pub sheet: String,
    /// Columns in the widest row.
    pub width: usize,
    /// Rows with anything in them (blank rows are not counted).
    pub row_count: usize,
    /// Each column's label: its letter, and its name in the first row ("B · Date").
    pub columns: Vec<String>,
    /// The first rows as read.
    pub rows: Vec<PreviewRow>,
    /// The columns last used for this agency's files, when they fit this file; otherwise
    /// a guess from the first row.
    pub mapping: Mapping,
    /// The mapping is the one last used for this agency.
    pub remembered: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    pub row: usize,
    pub cells: Vec<String>,
}

/// Which file: its name (for its kind) and the agency it comes from.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct FileQuery {
    /// The file's name as sent ("police.xlsx"): .xlsx is read as a workbook, anything
    /// else as CSV.
    pub name: String,
    /// The agency the file comes from.
    pub agency: String,
}

fn check_file(name: &str, agency: &str, bytes: &[u8]) -> ApiResult<Kind> {
    if name.trim().is_empty() || name.chars().count() > 255 {
        return Err(ApiError::bad_request(
            "give the file's name (up to 255 characters)",
        ));
    }
    let agency = agency.trim();
    if agency.is_empty() || agency.chars().count() > rows::MAX_NAME_CHARS {
        return Err(ApiError::bad_request(
            "say which agency the chronology comes from (up to 200 characters)",
        ));
    }
    Kind::of(name, bytes).map_err(|e| ApiError::bad_request(e.to_string()))
}

async fn read_table(name: String, bytes: Bytes) -> ApiResult<Table> {
    off_the_workers(move || {
        read::read(&name, &bytes).map_err(|e| ApiError::bad_request(e.to_string()))
    })
    .await
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Csv => "csv",
        Kind::Xlsx => "xlsx",
    }
}

async fn lead_of(app: &AppState, auth: &Authed, review_id: &str) -> ApiResult<Role> {
    let role = auth.role_in(app, review_id).await?;
    if !chronology::may_import(role) {
        return Err(ApiError::Forbidden("a lead reviewer imports chronologies"));
    }
    Ok(role)
}

/// `POST /api/reviews/{review}/chronology/preview`: reads a file (the body, as sent)
/// and shows its first rows with a mapping to start from. Stores nothing.
#[utoipa::path(post, path = "/api/reviews/{review}/chronology/preview", tag = "chronology", operation_id = "preview_chronology_file",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file, as the agency sent it"),
    params(("review" = String, Path, description = "The review's id"), FileQuery),
    responses((status = 200, body = FilePreview), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn preview(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    QueryParams(file): QueryParams<FileQuery>,
    body: Bytes,
) -> ApiResult<Json<FilePreview>> {
    lead_of(&app, &auth, &review_id).await?;
    let kind = check_file(&file.name, &file.agency, &body)?;
    let table = read_table(file.name.clone(), body).await?;
    let remembered = app
        .directory
        .chronology_mapping(&file.agency)
        .await?
        .and_then(|json| serde_json::from_str::<Mapping>(&json).ok())
        .filter(|m| m.check(table.width).is_ok());
    let first: Vec<String> = table
        .rows
        .first()
        .map(|(_, r)| r.clone())
        .unwrap_or_default();
    let columns = (0..table.width)
        .map(|i| {
            let letter = rows::column_letter(i);
            match first.get(i).filter(|n| !n.is_empty()) {
                Some(name) => format!("{letter} · {}", name.chars().take(60).collect::<String>()),
                None => letter,
            }
        })
        .collect();
    Ok(Json(FilePreview {
        file_kind: kind_name(kind).into(),
        sheet: table.sheet.clone(),
        width: table.width,
        row_count: table.rows.len(),
        columns,
        rows: table
            .rows
            .iter()
            .take(PREVIEW_ROWS)
            .map(|(row, cells)| PreviewRow {
                row: *row,
                cells: cells
                    .iter()
                    .map(|c| c.chars().take(300).collect())
                    .collect(),
            })
            .collect(),
        remembered: remembered.is_some(),
        mapping: remembered.unwrap_or_else(|| Mapping::guess(&first)),
    }))
}

/// A file to import, the columns chosen, and whether to store it now.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// The file's name as sent.
    pub name: String,
    /// The agency the file comes from (entries without an agency column are its).
    pub agency: String,
    /// The first row names the columns (default true).
    pub header: Option<bool>,
    /// Column numbers, from 0: the date and the event are needed.
    pub date: Option<usize>,
    pub time: Option<usize>,
    pub agency_column: Option<usize>,
    pub role: Option<usize>,
    pub event: Option<usize>,
    pub source: Option<usize>,
    /// Store the entries read (leaving out the bad rows listed). Without it nothing is
    /// stored: the answer says what would be.
    pub confirm: Option<bool>,
}

/// What a file comes to by a mapping, and whether it was stored.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportCheck {
    /// Entries read.
    pub entry_count: usize,
    /// The first entries read, as they would be stored.
    pub entries: Vec<RowEntry>,
    /// Rows that are not entries, with why (the first thousand; `badCount` counts all).
    pub bad_rows: Vec<BadRow>,
    pub bad_count: usize,
    /// The import stored (with `confirm`).
    pub import: Option<ImportView>,
}

/// `POST /api/reviews/{review}/chronology/imports`: reads a file by the columns chosen.
/// Without `confirm` it only says what would be stored and which rows are bad; with it,
/// the entries are stored (the bad rows kept with the import, listed).
#[utoipa::path(post, path = "/api/reviews/{review}/chronology/imports", tag = "chronology", operation_id = "import_chronology",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file, as the agency sent it"),
    params(("review" = String, Path, description = "The review's id"), ImportQuery),
    responses((status = 200, body = ImportCheck), (status = 201, body = ImportCheck), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn import(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    QueryParams(query): QueryParams<ImportQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ImportCheck>)> {
    lead_of(&app, &auth, &review_id).await?;
    let kind = check_file(&query.name, &query.agency, &body)?;
    let mapping = Mapping {
        header: query.header.unwrap_or(true),
        date: query.date,
        time: query.time,
        agency: query.agency_column,
        role: query.role,
        event: query.event,
        source: query.source,
    };
    let agency = query.agency.trim().to_string();
    let (name, for_rows, map) = (query.name.clone(), agency.clone(), mapping.clone());
    let read = off_the_workers(move || {
        let table = read::read(&name, &body).map_err(|e| ApiError::bad_request(e.to_string()))?;
        map.check(table.width).map_err(ApiError::bad_request)?;
        Ok(rows::read_rows(&table, &map, &for_rows, this_year()))
    })
    .await?;
    if read.entries.is_empty() {
        return Err(ApiError::bad_request(match read.bad.first() {
            Some(b) => format!(
                "no row could be read as an entry ({} rows are bad; row {}, {}: {})",
                read.bad.len(),
                b.row,
                b.column,
                b.reason
            ),
            None => "the file has no rows below its header".into(),
        }));
    }
    let mut check = ImportCheck {
        entry_count: read.entries.len(),
        entries: read.entries.iter().take(SAMPLE_ENTRIES).cloned().collect(),
        bad_rows: read.bad.iter().take(SAMPLE_BAD_ROWS).cloned().collect(),
        bad_count: read.bad.len(),
        import: None,
    };
    if !query.confirm.unwrap_or(false) {
        return Ok((StatusCode::OK, Json(check)));
    }
    let held = app.directory.chronology_entry_count(&review_id).await?;
    if held + read.entries.len() as i64 > MAX_ENTRIES_PER_REVIEW {
        return Err(ApiError::Conflict(format!(
            "this review holds {held} chronology entries; it can hold {MAX_ENTRIES_PER_REVIEW} in all"
        )));
    }
    let actor = auth.0.actor();
    let stored = app
        .directory
        .import_chronology(
            &review_id,
            &NewImport {
                agency: agency.clone(),
                file_name: query.name.trim().to_string(),
                file_kind: kind_name(kind),
                mapping: &mapping,
                entries: &read.entries,
                bad: &read.bad,
                imported_by: actor.name.clone(),
            },
            now_ms(),
            |record| AuditEvent {
                entity_kind: "chronology".into(),
                ..AuditEvent::action(
                    actor.clone(),
                    &review_id,
                    AuditAction::ChronologyImported,
                    &record.id,
                    format!(
                        "{agency}: {} entries, {} rows left out",
                        record.entry_count,
                        read.bad.len()
                    ),
                )
            },
        )
        .await?;
    check.import = Some(ImportView::from(&stored));
    Ok((StatusCode::CREATED, Json(check)))
}

/// An entry's versions, oldest first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EntryVersions {
    pub versions: Vec<EntryView>,
}

async fn visible_versions(
    app: &AppState,
    review_id: &str,
    entry_id: &str,
    reach: &Reach,
) -> ApiResult<Vec<EntryRecord>> {
    let versions = app
        .directory
        .chronology_entry_versions(review_id, entry_id)
        .await?;
    // An entry of an agency the caller does not see answers like one that is not there.
    match versions.last() {
        Some(current) if reach.sees(&current.agency) => Ok(versions),
        _ => Err(ApiError::NotFound),
    }
}

/// `GET /api/reviews/{review}/chronology/entries/{entry}`: every version of an entry.
#[utoipa::path(get, path = "/api/reviews/{review}/chronology/entries/{entry}", tag = "chronology", operation_id = "chronology_entry_versions",
    params(("review" = String, Path, description = "The review's id"), ("entry" = String, Path, description = "The entry's id")),
    responses((status = 200, body = EntryVersions), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn versions(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, entry_id)): Path<(String, String)>,
) -> ApiResult<Json<EntryVersions>> {
    let (_, reach) = reader(&app, &auth, &review_id).await?;
    let versions = visible_versions(&app, &review_id, &entry_id, &reach).await?;
    Ok(Json(EntryVersions {
        versions: versions.iter().map(EntryView::from).collect(),
    }))
}

/// A correction: the entry as it should read, and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EntryCorrection {
    /// The version corrected (a correction of an older one is refused: 409).
    pub version: i64,
    /// As a person writes it: "02/07/2025", "July 2025", "about 2024".
    pub date: String,
    #[serde(default)]
    pub time: String,
    pub agency: String,
    #[serde(default)]
    pub role: String,
    pub event: String,
    #[serde(default)]
    pub source: String,
    /// Why it is corrected.
    #[serde(default)]
    pub note: String,
}

/// `PATCH /api/reviews/{review}/chronology/entries/{entry}`: corrects an entry; the
/// correction is its next version, the imported one kept.
#[utoipa::path(patch, path = "/api/reviews/{review}/chronology/entries/{entry}", tag = "chronology", operation_id = "correct_chronology_entry",
    request_body = EntryCorrection,
    params(("review" = String, Path, description = "The review's id"), ("entry" = String, Path, description = "The entry's id")),
    responses((status = 200, body = EntryView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn correct(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, entry_id)): Path<(String, String)>,
    JsonBody(body): JsonBody<EntryCorrection>,
) -> ApiResult<Json<EntryView>> {
    let (role, reach) = reader(&app, &auth, &review_id).await?;
    let versions = visible_versions(&app, &review_id, &entry_id, &reach).await?;
    if !chronology::may_interpret(role) {
        return Err(ApiError::Forbidden(
            "entries are corrected by the review team and lead reviewers",
        ));
    }
    let current = versions.last().ok_or(ApiError::NotFound)?;
    if current.version != body.version {
        return Err(ApiError::Conflict(
            "someone corrected this entry since you opened it; look at its latest version".into(),
        ));
    }
    let (day, time_in_date) = read_date(&body.date, this_year()).map_err(ApiError::bad_request)?;
    let time = if body.time.trim().is_empty() {
        time_in_date.unwrap_or_default()
    } else {
        read_time(&body.time).map_err(ApiError::bad_request)?
    };
    if !time.is_empty() && day.iso.len() < 10 {
        return Err(ApiError::bad_request(
            "a time needs a whole date (day, month and year)",
        ));
    }
    let fields = [
        ("agency", body.agency.trim(), rows::MAX_NAME_CHARS, true),
        ("role", body.role.trim(), rows::MAX_NAME_CHARS, false),
        ("event", body.event.trim(), rows::MAX_EVENT_CHARS, true),
        ("source", body.source.trim(), rows::MAX_SOURCE_CHARS, false),
        ("note", body.note.trim(), MAX_NOTE_CHARS, false),
    ];
    for (name, value, limit, needed) in fields {
        if needed && value.is_empty() {
            return Err(ApiError::bad_request(format!("the {name} is empty")));
        }
        if value.chars().count() > limit {
            return Err(ApiError::bad_request(format!(
                "the {name} is longer than {limit} characters"
            )));
        }
    }
    let actor = auth.0.actor();
    let event = AuditEvent {
        entity_kind: "chronology".into(),
        ..AuditEvent::action(
            actor.clone(),
            &review_id,
            AuditAction::ChronologyEntryCorrected,
            &entry_id,
            format!("version {}", current.version + 1),
        )
    };
    let corrected = app
        .directory
        .correct_chronology_entry(
            &review_id,
            current,
            &Correction {
                date: day.iso,
                approximate: day.approximate,
                time,
                agency: body.agency.trim().into(),
                role: body.role.trim().into(),
                event: body.event.trim().into(),
                source: body.source.trim().into(),
                note: body.note.trim().into(),
                by: actor.name,
            },
            now_ms(),
            &event,
        )
        .await?
        .ok_or_else(|| {
            ApiError::Conflict(
                "someone corrected this entry at the same moment; look at its latest version"
                    .into(),
            )
        })?;
    Ok(Json(EntryView::from(&corrected)))
}

/// Entries to mark as a discrepancy, and what to explore.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewDiscrepancy {
    /// One entry (an event no other agency records) or several that disagree.
    pub entries: Vec<String>,
    pub note: String,
}

/// `POST /api/reviews/{review}/chronology/discrepancies`: marks entries as a
/// discrepancy to explore in the conversations.
#[utoipa::path(post, path = "/api/reviews/{review}/chronology/discrepancies", tag = "chronology", operation_id = "mark_discrepancy",
    request_body = NewDiscrepancy,
    params(("review" = String, Path, description = "The review's id")),
    responses((status = 201, body = DiscrepancyView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn mark(
    State(app): State<AppState>,
    auth: Authed,
    Path(review_id): Path<String>,
    JsonBody(body): JsonBody<NewDiscrepancy>,
) -> ApiResult<(StatusCode, Json<DiscrepancyView>)> {
    let (role, reach) = reader(&app, &auth, &review_id).await?;
    if !chronology::may_interpret(role) {
        return Err(ApiError::Forbidden(
            "discrepancies are marked by the review team and lead reviewers",
        ));
    }
    let note = body.note.trim();
    if note.is_empty() || note.chars().count() > MAX_NOTE_CHARS {
        return Err(ApiError::bad_request(
            "say what disagrees or is missing (up to 2,000 characters)",
        ));
    }
    let mut ids: Vec<String> = Vec::new();
    for id in &body.entries {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    if ids.is_empty() || ids.len() > MAX_DISCREPANCY_ENTRIES {
        return Err(ApiError::bad_request(
            "choose between 1 and 20 entries for a discrepancy",
        ));
    }
    let entries = app.directory.chronology_entries(&review_id, &reach).await?;
    if ids
        .iter()
        .any(|id| !entries.iter().any(|e| &e.entry_id == id))
    {
        return Err(ApiError::bad_request(
            "an entry chosen is not in this review's chronology",
        ));
    }
    let actor = auth.0.actor();
    let record = app
        .directory
        .add_chronology_discrepancy(&review_id, &ids, note, &actor.name, now_ms(), |id| {
            AuditEvent {
                entity_kind: "chronology".into(),
                ..AuditEvent::action(
                    actor.clone(),
                    &review_id,
                    AuditAction::DiscrepancyMarked,
                    id,
                    format!("{} entries", ids.len()),
                )
            }
        })
        .await?;
    Ok((StatusCode::CREATED, Json(DiscrepancyView::from(&record))))
}

/// Settling or reopening a discrepancy.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DiscrepancyState {
    pub settled: bool,
    /// What the conversations found (when settling).
    #[serde(default)]
    pub resolution: String,
}

/// `PATCH /api/reviews/{review}/chronology/discrepancies/{discrepancy}`: settles a
/// discrepancy with what was found, or reopens it.
#[utoipa::path(patch, path = "/api/reviews/{review}/chronology/discrepancies/{discrepancy}", tag = "chronology", operation_id = "settle_discrepancy",
    request_body = DiscrepancyState,
    params(("review" = String, Path, description = "The review's id"), ("discrepancy" = String, Path, description = "The discrepancy's id")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("bearer" = [])))]
pub async fn settle(
    State(app): State<AppState>,
    auth: Authed,
    Path((review_id, id)): Path<(String, String)>,
    JsonBody(body): JsonBody<DiscrepancyState>,
) -> ApiResult<StatusCode> {
    let (role, _) = reader(&app, &auth, &review_id).await?;
    if !chronology::may_interpret(role) {
        return Err(ApiError::Forbidden(
            "discrepancies are settled by the review team and lead reviewers",
        ));
    }
    let resolution = body.resolution.trim();
    if resolution.chars().count() > MAX_NOTE_CHARS {
        return Err(ApiError::bad_request(
            "the resolution is longer than 2,000 characters",
        ));
    }
    let action = if body.settled {
        AuditAction::DiscrepancySettled
    } else {
        AuditAction::DiscrepancyReopened
    };
    let event = AuditEvent {
        entity_kind: "chronology".into(),
        ..AuditEvent::action(auth.0.actor(), &review_id, action, &id, String::new())
    };
    let settled = body.settled.then(|| (now_ms(), resolution));
    found(
        app.directory
            .settle_chronology_discrepancy(&review_id, &id, settled, &event)
            .await?,
    )?;
    Ok(StatusCode::NO_CONTENT)
}
