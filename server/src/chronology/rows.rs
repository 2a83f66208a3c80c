//! From a file's rows to chronology entries, by a mapping the lead chose: which column
//! is the date, the time, the agency, the practitioner's role, the event and the
//! source. Every row becomes an entry or a bad row with its reason; none is dropped.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dates::{read_date, read_time};
use super::read::Table;

/// The most characters an agency's or a role's name may hold.
pub const MAX_NAME_CHARS: usize = 200;
/// The most characters a source may hold.
pub const MAX_SOURCE_CHARS: usize = 500;
/// The most characters an event may hold.
pub const MAX_EVENT_CHARS: usize = 20_000;

/// Which column (from 0) holds what. Date and event are needed; the rest may be absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Mapping {
    /// The first row names the columns (and is not an entry).
    #[serde(default = "yes")]
    pub header: bool,
    pub date: Option<usize>,
    pub time: Option<usize>,
    /// When absent (or blank in a row), the entry is the importing agency's.
    pub agency: Option<usize>,
    pub role: Option<usize>,
    pub event: Option<usize>,
    pub source: Option<usize>,
}

fn yes() -> bool {
    true
}

impl Mapping {
    /// The columns mapped, each once, and within the file; or what is wrong.
    pub fn check(&self, width: usize) -> Result<(), String> {
        let (Some(_), Some(_)) = (self.date, self.event) else {
            return Err(
                "choose the column that holds the date and the one that holds the event".into(),
            );
        };
        let chosen: Vec<usize> = [
            self.date,
            self.time,
            self.agency,
            self.role,
            self.event,
            self.source,
        ]
        .into_iter()
        .flatten()
        .collect();
        if chosen.iter().any(|&c| c >= width) {
            return Err(format!(
                "the file has {width} columns; a chosen column is not one of them"
            ));
        }
        for (i, c) in chosen.iter().enumerate() {
            if chosen[..i].contains(c) {
                return Err("each column can be chosen for one thing only".into());
            }
        }
        Ok(())
    }

    /// A first guess from the header's names ("Date", "Time", "Agency", "Worker",
    /// "Details", "Source"...).
    pub fn guess(header: &[String]) -> Mapping {
        let find = |words: &[&str], taken: &[Option<usize>]| {
            header.iter().enumerate().position(|(i, name)| {
                let name = name.to_lowercase();
                !taken.contains(&Some(i)) && words.iter().any(|w| name.contains(w))
            })
        };
        let mut m = Mapping {
            header: true,
            ..Mapping::default()
        };
        m.date = find(&["date", "when", "day"], &[]);
        m.time = find(&["time"], &[m.date]);
        m.agency = find(
            &["agency", "organisation", "organization", "service"],
            &[m.date, m.time],
        );
        m.role = find(
            &[
                "role",
                "practitioner",
                "worker",
                "professional",
                "staff",
                "author",
            ],
            &[m.date, m.time, m.agency],
        );
        m.source = find(
            &["source", "record", "reference", "document", "system"],
            &[m.date, m.time, m.agency, m.role],
        );
        m.event = find(
            &[
                "event",
                "detail",
                "description",
                "summary",
                "entry",
                "what",
                "note",
                "contact",
                "action",
            ],
            &[m.date, m.time, m.agency, m.role, m.source],
        );
        m
    }
}

/// One entry read from a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RowEntry {
    /// The row's number in the file.
    pub row: usize,
    /// ISO of its precision: "2025-07-02", "2025-07" or "2025".
    pub date: String,
    pub approximate: bool,
    /// "HH:MM", or empty.
    pub time: String,
    pub agency: String,
    pub role: String,
    pub event: String,
    pub source: String,
}

/// A row that is not an entry, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BadRow {
    pub row: usize,
    /// The column's name in the header (or its letter when there is none).
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// Every row of a table read by a mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadRows {
    pub entries: Vec<RowEntry>,
    pub bad: Vec<BadRow>,
}

/// A column's letter as a spreadsheet shows it: 0 → A, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Reads every row of `table` (after the header, when there is one) by `mapping`;
/// entries without an agency of their own are `agency`'s.
pub fn read_rows(table: &Table, mapping: &Mapping, agency: &str, this_year: i32) -> ReadRows {
    let header: Vec<String> = match (mapping.header, table.rows.first()) {
        (true, Some((_, names))) => names.clone(),
        _ => Vec::new(),
    };
    let name_of = |column: usize| {
        header
            .get(column)
            .filter(|n| !n.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("column {}", column_letter(column)))
    };
    let skip = usize::from(mapping.header);
    let mut out = ReadRows::default();
    for (row, cells) in table.rows.iter().skip(skip) {
        let cell = |c: Option<usize>| {
            c.and_then(|c| cells.get(c))
                .map(String::as_str)
                .unwrap_or_default()
        };
        let mut bad = |column: Option<usize>, reason: String| {
            out.bad.push(BadRow {
                row: *row,
                column: column.map(name_of).unwrap_or_default(),
                value: cell(column).chars().take(200).collect(),
                reason,
            });
        };
        let (day, mut time) = match read_date(cell(mapping.date), this_year) {
            Ok(read) => read,
            Err(reason) => {
                bad(mapping.date, reason);
                continue;
            }
        };
        if !cell(mapping.time).is_empty() {
            match read_time(cell(mapping.time)) {
                Ok(t) => time = Some(t),
                Err(reason) => {
                    bad(mapping.time, reason);
                    continue;
                }
            }
        }
        if time.is_some() && day.iso.len() < 10 {
            bad(
                mapping.time,
                "a time needs a whole date (day, month and year)".into(),
            );
            continue;
        }
        let event = cell(mapping.event);
        if event.is_empty() {
            bad(mapping.event, "the event is empty".into());
            continue;
        }
        let limits = [
            (mapping.event, MAX_EVENT_CHARS),
            (mapping.agency, MAX_NAME_CHARS),
            (mapping.role, MAX_NAME_CHARS),
            (mapping.source, MAX_SOURCE_CHARS),
        ];
        if let Some((column, limit)) = limits
            .into_iter()
            .find(|(c, limit)| cell(*c).chars().count() > *limit)
        {
            bad(column, format!("longer than {limit} characters"));
            continue;
        }
        let own = cell(mapping.agency);
        out.entries.push(RowEntry {
            row: *row,
            date: day.iso,
            approximate: day.approximate,
            time: time.unwrap_or_default(),
            agency: if own.is_empty() { agency } else { own }.to_string(),
            role: cell(mapping.role).to_string(),
            event: event.to_string(),
            source: cell(mapping.source).to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| (i + 1, r.iter().map(|c| c.to_string()).collect()))
                .collect(),
            width: rows.iter().map(|r| r.len()).max().unwrap_or(0),
            sheet: String::new(),
        }
    }

    #[test]
    fn the_header_suggests_a_mapping() {
        let header: Vec<String> = [
            "Date of contact",
            "Time",
            "Practitioner",
            "Details",
            "Source record",
        ]
        .map(String::from)
        .to_vec();
        let m = Mapping::guess(&header);
        assert_eq!(
            (m.date, m.time, m.role, m.event, m.source),
            (Some(0), Some(1), Some(2), Some(3), Some(4))
        );
        assert_eq!(m.agency, None);
    }

    #[test]
    fn every_row_is_an_entry_or_a_bad_row_with_its_reason() {
        let t = table(&[
            &["Date", "Time", "Event", "Agency"],
            &["02/07/2025", "14:30", "Home visit", ""],
            &["31/02/2025", "", "Call", ""],
            &[
                "July 2025",
                "",
                "Strategy discussion",
                "Children's social care",
            ],
            &["03/07/2025", "noon-ish", "Call", ""],
            &["04/07/2025", "", "", ""],
            &["2025", "10:00", "Referral", ""],
        ]);
        let mapping = Mapping {
            header: true,
            date: Some(0),
            time: Some(1),
            event: Some(2),
            agency: Some(3),
            ..Mapping::default()
        };
        mapping.check(t.width).expect("a good mapping");
        let read = read_rows(&t, &mapping, "Police", 2026);
        assert_eq!(read.entries.len(), 2);
        assert_eq!(read.entries[0].agency, "Police");
        assert_eq!(read.entries[0].time, "14:30");
        assert_eq!(read.entries[1].agency, "Children's social care");
        assert_eq!(read.entries[1].date, "2025-07");
        let bad: Vec<(usize, &str)> = read
            .bad
            .iter()
            .map(|b| (b.row, b.column.as_str()))
            .collect();
        assert_eq!(
            bad,
            vec![(3, "Date"), (5, "Time"), (6, "Event"), (7, "Time")]
        );
        assert_eq!(read.bad[0].value, "31/02/2025");
    }

    #[test]
    fn a_mapping_names_each_column_once_and_within_the_file() {
        let m = Mapping {
            date: Some(0),
            event: Some(0),
            ..Mapping::default()
        };
        assert!(m.check(3).is_err());
        let m = Mapping {
            date: Some(0),
            event: Some(5),
            ..Mapping::default()
        };
        assert!(m.check(3).is_err());
        assert!(
            Mapping {
                date: Some(0),
                ..Mapping::default()
            }
            .check(3)
            .is_err()
        );
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(27), "AB");
    }
}
