//! Reading the files agencies send: CSV (UTF-8 with or without a byte-order mark, or
//! Windows-1252 as older Excel saves it; comma, semicolon or tab separated) and Excel
//! workbooks (.xlsx, the first sheet). Every cell comes out as text, dates from a
//! workbook as ISO dates, so one set of rules reads both.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

use super::dates::from_serial;

/// The most rows one file may hold.
pub const MAX_ROWS: usize = 50_000;
/// The most columns one file may hold.
pub const MAX_COLUMNS: usize = 200;
/// The most characters one cell may hold.
pub const MAX_CELL_CHARS: usize = 20_000;
/// The most a workbook may unpack to (its parts as the zip declares them).
const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// A file's rows, every cell as text, with the row numbers a spreadsheet shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// (row number from 1, cells); blank rows are left out.
    pub rows: Vec<(usize, Vec<String>)>,
    /// The widest row's number of cells.
    pub width: usize,
    /// The sheet read, for a workbook.
    pub sheet: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    #[error("the file is empty")]
    Empty,
    #[error(
        "this kind of file is not read here: save the chronology as CSV or as an Excel workbook (.xlsx)"
    )]
    UnknownKind,
    #[error(
        "the workbook could not be read ({0}); open it in a spreadsheet and save it again as .xlsx"
    )]
    Workbook(String),
    #[error("the CSV file could not be read at row {row}: {reason}")]
    Csv { row: usize, reason: String },
    #[error("the file has more than {MAX_ROWS} rows; split it into several files")]
    TooManyRows,
    #[error("the file has more than {MAX_COLUMNS} columns")]
    TooManyColumns,
    #[error("row {row} has a cell longer than {MAX_CELL_CHARS} characters")]
    CellTooLong { row: usize },
}

/// What kind of file a name and its first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Xlsx,
}

impl Kind {
    pub fn of(name: &str, bytes: &[u8]) -> Result<Kind, ReadError> {
        let lower = name.to_lowercase();
        let zip = bytes.starts_with(b"PK\x03\x04");
        if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") || zip {
            return if zip {
                Ok(Kind::Xlsx)
            } else {
                Err(ReadError::Workbook("it is not a zip package".into()))
            };
        }
        // Old binary workbooks (.xls) and OpenDocument start with these.
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) || lower.ends_with(".ods") {
            return Err(ReadError::UnknownKind);
        }
        Ok(Kind::Csv)
    }
}

/// Reads a file sent as `name`.
pub fn read(name: &str, bytes: &[u8]) -> Result<Table, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let table = match Kind::of(name, bytes)? {
        Kind::Csv => read_csv(bytes)?,
        Kind::Xlsx => read_xlsx(bytes)?,
    };
    if table.rows.is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(table)
}

/// UTF-8 (its byte-order mark dropped), or Windows-1252 when the bytes are not UTF-8.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

/// The separator of the first line: the most common of comma, semicolon and tab
/// outside quotes (Excel in much of Europe writes semicolons).
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

fn read_csv(bytes: &[u8]) -> Result<Table, ReadError> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(&text))
        .from_reader(text.as_bytes());
    let mut table = Table::default();
    let mut lines = LineCounter::new(text.as_bytes());
    for record in reader.records() {
        let record = record.map_err(|e| ReadError::Csv {
            row: e
                .position()
                .map_or(table.rows.len() + 1, |p| lines.line_at(p.byte() as usize)),
            reason: e.to_string(),
        })?;
        let row = record
            .position()
            .map_or(table.rows.len() + 1, |p| lines.line_at(p.byte() as usize));
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        push_row(&mut table, row, cells)?;
    }
    Ok(table)
}

/// The line a record starts on, as an editor numbers it. The CSV reader's own line
/// count lags behind (it places a record at the line break before it), so count the
/// breaks up to the record's first byte, past the breaks and blank lines before it.
struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            at: 0,
            line: 1,
        }
    }

    /// Offsets only grow, so the count carries on from the last one asked.
    fn line_at(&mut self, offset: usize) -> usize {
        let mut start = offset.min(self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start >= self.at {
            self.line += self.text[self.at..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.at = start;
        }
        self.line
    }
}

fn push_row(table: &mut Table, row: usize, mut cells: Vec<String>) -> Result<(), ReadError> {
    while cells.last().is_some_and(String::is_empty) {
        cells.pop();
    }
    if cells.is_empty() {
        return Ok(());
    }
    if cells.len() > MAX_COLUMNS {
        return Err(ReadError::TooManyColumns);
    }
    if cells.iter().any(|c| c.chars().count() > MAX_CELL_CHARS) {
        return Err(ReadError::CellTooLong { row });
    }
    if table.rows.len() >= MAX_ROWS {
        return Err(ReadError::TooManyRows);
    }
    table.width = table.width.max(cells.len());
    table.rows.push((row, cells));
    Ok(())
}

/// Refuses a workbook whose parts would unpack to more than the limit, before any of
/// it is unpacked.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), ReadError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Workbook(e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let part = archive
            .by_index_raw(i)
            .map_err(|e| ReadError::Workbook(e.to_string()))?;
        total = total.saturating_add(part.size());
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(ReadError::Workbook("it unpacks to more than 256 MB".into()));
    }
    Ok(())
}

/// The first sheet of a workbook, read cell by cell (never as one dense grid, so a
/// stray cell far down or across cannot make it huge).
fn read_xlsx(bytes: &[u8]) -> Result<Table, ReadError> {
    check_unpacked_size(bytes)?;
    let mut workbook: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError::Workbook(e.to_string()))?;
    let sheet = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| ReadError::Workbook("it has no sheets".into()))?;
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|e| ReadError::Workbook(e.to_string()))?;
    let mut table = Table {
        sheet: sheet.clone(),
        ..Table::default()
    };
    let mut current: Option<(u32, Vec<String>)> = None;
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| ReadError::Workbook(e.to_string()))?
    {
        let (row, column) = cell.get_position();
        if column as usize >= MAX_COLUMNS {
            if cell_text(cell.get_value()).is_empty() {
                continue;
            }
            return Err(ReadError::TooManyColumns);
        }
        if current.as_ref().is_some_and(|(r, _)| *r != row)
            && let Some((r, values)) = current.take()
        {
            push_row(&mut table, r as usize + 1, values)?;
        }
        let (_, values) = current.get_or_insert_with(|| (row, Vec::new()));
        let column = column as usize;
        if values.len() <= column {
            values.resize(column + 1, String::new());
        }
        values[column] = cell_text(cell.get_value());
    }
    if let Some((r, values)) = current.take() {
        push_row(&mut table, r as usize + 1, values)?;
    }
    // Rows arrive in order in every workbook Excel and LibreOffice write; keep them so
    // whatever wrote this one.
    table.rows.sort_by_key(|(row, _)| *row);
    Ok(table)
}

/// A cell as text: numbers without a needless ".0", dates as ISO, times as HH:MM.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.trim().to_string(),
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.into(),
        DataRef::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            match from_serial((y, mo, d, h, mi, s), dt.as_f64()) {
                (Some(date), time) if time.is_empty() => date,
                (Some(date), time) => format!("{date}T{time}"),
                (None, time) if time.is_empty() => "00:00".into(),
                (None, time) => time,
            }
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_a_byte_order_mark_and_windows_line_endings() {
        let file = b"\xEF\xBB\xBFDate,Event\r\n02/07/2025,\"Home visit, \r\nmother present\"\r\n\r\n03/07/2025,Call\r\n";
        let table = read("police.csv", file).expect("reads");
        assert_eq!(table.rows[0], (1, vec!["Date".into(), "Event".into()]));
        assert_eq!(
            table.rows[1],
            (
                2,
                vec!["02/07/2025".into(), "Home visit, \r\nmother present".into()]
            )
        );
        // The blank line is left out; the next row keeps its own number.
        assert_eq!(table.rows[2], (5, vec!["03/07/2025".into(), "Call".into()]));
        assert_eq!(table.rows.len(), 3);
    }

    #[test]
    fn windows_1252_and_semicolons() {
        let file = b"Date;Event\n02/07/2025;Paid \xA35 for the caf\xE9\n";
        let table = read("x.csv", file).expect("reads");
        assert_eq!(table.rows[1].1[1], "Paid £5 for the café");
    }

    #[test]
    fn files_that_are_not_chronologies_say_so() {
        assert_eq!(read("a.csv", b""), Err(ReadError::Empty));
        assert_eq!(
            read("a.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0]),
            Err(ReadError::UnknownKind)
        );
        assert!(matches!(
            read("a.xlsx", b"not a zip"),
            Err(ReadError::Workbook(_))
        ));
        assert!(matches!(
            read("a.xlsx", b"PK\x03\x04 broken"),
            Err(ReadError::Workbook(_))
        ));
        let wide = vec!["x"; MAX_COLUMNS + 1].join(",");
        assert_eq!(
            read("a.csv", wide.as_bytes()),
            Err(ReadError::TooManyColumns)
        );
    }

    /// Damaged workbooks (bytes changed, cut short) give an error, never a panic.
    #[test]
    fn damaged_workbooks_are_refused_without_a_panic() {
        use rand::{Rng, SeedableRng, rngs::StdRng};
        let good: &[u8] =
            include_bytes!("../../../tests/fixtures/chronology/police-libreoffice.xlsx");
        assert_eq!(read("p.xlsx", good).map(|t| t.rows.len()), Ok(5));
        let mut rng = StdRng::seed_from_u64(7);
        for round in 0..400 {
            let mut bytes = good.to_vec();
            if round % 4 == 0 {
                bytes.truncate(rng.random_range(4..good.len()));
            } else {
                for _ in 0..rng.random_range(1..12) {
                    let at = rng.random_range(0..bytes.len());
                    bytes[at] = rng.random();
                }
            }
            let outcome = std::panic::catch_unwind(|| read("p.xlsx", &bytes));
            assert!(outcome.is_ok(), "round {round} panicked");
        }
    }
}
