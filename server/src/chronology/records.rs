//! What the directory keeps of chronologies: imports, entry versions, the mapping last
//! used for each agency, and discrepancies.

use super::rows::{BadRow, Mapping, RowEntry};

/// One imported file.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ImportRecord {
    pub id: String,
    pub agency: String,
    pub file_name: String,
    pub file_kind: String,
    /// JSON of the [`Mapping`] used.
    pub mapping: String,
    pub entry_count: i64,
    /// JSON of the [`BadRow`]s left out.
    pub bad_rows: String,
    pub imported_at: i64,
    pub imported_by: String,
}

impl ImportRecord {
    pub fn bad(&self) -> Vec<BadRowRecord> {
        serde_json::from_str(&self.bad_rows).unwrap_or_default()
    }
}

/// A bad row as kept with its import.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BadRowRecord {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl From<&BadRow> for BadRowRecord {
    fn from(b: &BadRow) -> Self {
        BadRowRecord {
            row: b.row,
            column: b.column.clone(),
            value: b.value.clone(),
            reason: b.reason.clone(),
        }
    }
}

/// A file to store, with what was read from it.
#[derive(Debug, Clone)]
pub struct NewImport<'a> {
    pub agency: String,
    pub file_name: String,
    pub file_kind: &'static str,
    pub mapping: &'a Mapping,
    pub entries: &'a [RowEntry],
    pub bad: &'a [BadRow],
    pub imported_by: String,
}

/// One version of an entry.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EntryRecord {
    pub id: String,
    pub entry_id: String,
    pub version: i64,
    pub import_id: String,
    pub row_number: i64,
    pub agency: String,
    pub date: String,
    pub approximate: i64,
    pub time: String,
    pub role: String,
    pub event: String,
    pub source: String,
    pub created_at: i64,
    pub created_by: String,
    pub note: String,
    pub superseded_at: Option<i64>,
}

/// What a correction changes: every field of the entry as it should now read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub date: String,
    pub approximate: bool,
    pub time: String,
    pub agency: String,
    pub role: String,
    pub event: String,
    pub source: String,
    /// Why.
    pub note: String,
    pub by: String,
}

/// Entries that disagree, to explore with the case group.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DiscrepancyRecord {
    pub id: String,
    /// JSON array of entry ids.
    pub entries: String,
    pub note: String,
    pub created_at: i64,
    pub created_by: String,
    pub resolved_at: Option<i64>,
    pub resolution: String,
}

impl DiscrepancyRecord {
    pub fn entry_ids(&self) -> Vec<String> {
        serde_json::from_str(&self.entries).unwrap_or_default()
    }
}
