//! Pseudonymisation: every export replaces the register's real names and identifying
//! details with their pseudonyms, and the pre-publication check lists any register
//! entry or flagged term that still appears.

use std::collections::HashMap;

use regex::{Regex, RegexBuilder};
use serde::Serialize;
use utoipa::ToSchema;

use super::Report;
use crate::store::RegisterEntry;

/// Finds terms case-insensitively, as whole words where a term starts or ends with a
/// letter or digit ("Ann" is not found inside "Annual").
fn pattern(terms: &[&str]) -> Option<Regex> {
    let mut terms: Vec<&str> = terms
        .iter()
        .copied()
        .filter(|t| !t.trim().is_empty())
        .collect();
    if terms.is_empty() {
        return None;
    }
    // Longest first, so "Jane Smith" wins over "Jane".
    terms.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
    let alternatives: Vec<String> = terms
        .iter()
        .map(|term| {
            let term = term.trim();
            let starts = term.chars().next().is_some_and(char::is_alphanumeric);
            let ends = term.chars().last().is_some_and(char::is_alphanumeric);
            format!(
                "{}{}{}",
                if starts { r"\b" } else { "" },
                regex::escape(term),
                if ends { r"\b" } else { "" }
            )
        })
        .collect();
    RegexBuilder::new(&alternatives.join("|"))
        .case_insensitive(true)
        .size_limit(1 << 24)
        .build()
        .ok()
}

fn key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// Replaces a review's registered terms with their pseudonyms.
pub struct Pseudonymiser {
    replace: Option<Regex>,
    pseudonyms: HashMap<String, String>,
    /// Every entry: the register's (replaced) and the flagged-only ones.
    entries: Vec<RegisterEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PublicationCheck {
    /// True when nothing registered or flagged remains in the export.
    pub ok: bool,
    /// Register entries and how many times each was replaced.
    pub replaced: Vec<Replaced>,
    /// Register entries or flagged terms that still appear, and where.
    pub remaining: Vec<Remaining>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Replaced {
    pub term: String,
    pub pseudonym: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Remaining {
    pub term: String,
    /// `register` (a name that should have been replaced) or `flagged`.
    pub kind: &'static str,
    pub count: usize,
    /// The report sections it appears in.
    pub places: Vec<String>,
}

impl Pseudonymiser {
    pub fn new(entries: &[RegisterEntry]) -> Self {
        let with_pseudonym: Vec<&RegisterEntry> = entries
            .iter()
            .filter(|e| !e.pseudonym.trim().is_empty() && !e.term.trim().is_empty())
            .collect();
        let terms: Vec<&str> = with_pseudonym.iter().map(|e| e.term.as_str()).collect();
        Self {
            replace: pattern(&terms),
            pseudonyms: with_pseudonym
                .iter()
                .map(|e| (key(&e.term), e.pseudonym.trim().to_string()))
                .collect(),
            entries: entries.to_vec(),
        }
    }

    /// `text` with every registered term replaced by its pseudonym.
    pub fn apply(&self, text: &str) -> String {
        match &self.replace {
            Some(re) => re
                .replace_all(text, |caps: &regex::Captures| {
                    self.pseudonyms
                        .get(&key(&caps[0]))
                        .cloned()
                        .unwrap_or_else(|| caps[0].to_string())
                })
                .into_owned(),
            None => text.to_string(),
        }
    }

    /// Pseudonymises `report` and checks the result: `original` is the report before.
    pub fn pseudonymise(&self, report: &Report) -> (Report, PublicationCheck) {
        let mut done = report.clone();
        done.map_texts(|t| self.apply(t));
        let check = self.check(report, &done);
        (done, check)
    }

    fn check(&self, before: &Report, after: &Report) -> PublicationCheck {
        let count = |report: &Report, term: &str| -> (usize, Vec<String>) {
            let Some(re) = pattern(&[term]) else {
                return (0, Vec::new());
            };
            let mut total = 0;
            let mut places = Vec::new();
            for (place, text) in report.texts() {
                let n = re.find_iter(text).count();
                if n > 0 {
                    total += n;
                    if !places.contains(&place) {
                        places.push(place);
                    }
                }
            }
            (total, places)
        };
        let mut replaced = Vec::new();
        let mut remaining = Vec::new();
        for entry in &self.entries {
            let flagged = entry.pseudonym.trim().is_empty();
            if !flagged {
                replaced.push(Replaced {
                    term: entry.term.clone(),
                    pseudonym: entry.pseudonym.clone(),
                    count: count(before, &entry.term).0,
                });
            }
            let (n, places) = count(after, &entry.term);
            if n > 0 {
                remaining.push(Remaining {
                    term: entry.term.clone(),
                    kind: if flagged { "flagged" } else { "register" },
                    count: n,
                    places,
                });
            }
        }
        PublicationCheck {
            ok: remaining.is_empty(),
            replaced,
            remaining,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Block;

    fn entry(term: &str, pseudonym: &str) -> RegisterEntry {
        RegisterEntry {
            id: term.into(),
            review_id: "r".into(),
            term: term.into(),
            pseudonym: pseudonym.into(),
            note: String::new(),
            created_at: 0,
        }
    }

    #[test]
    fn names_are_replaced_whole_and_longest_first() {
        let p = Pseudonymiser::new(&[
            entry("Jane", "the mother"),
            entry("Jane Smith", "Mother"),
            entry("Oak Road", "the family home"),
        ]);
        assert_eq!(
            p.apply("JANE SMITH moved to oak road; Jane called. Annual review of Janet."),
            "Mother moved to the family home; the mother called. Annual review of Janet."
        );
    }

    #[test]
    fn the_check_lists_flagged_terms_still_present() {
        let p = Pseudonymiser::new(&[entry("Jane Smith", "Mother"), entry("St Mary's School", "")]);
        let report = Report {
            title: "Child A".into(),
            subtitle: String::new(),
            provenance: String::new(),
            blocks: vec![
                Block::Heading {
                    level: 2,
                    text: "Episode 1".into(),
                },
                Block::Paragraph {
                    text: "Jane Smith took Child A to St Mary's School.".into(),
                },
            ],
        };
        let (done, check) = p.pseudonymise(&report);
        assert!(!check.ok);
        assert_eq!(check.replaced[0].count, 1);
        assert_eq!(check.remaining.len(), 1);
        assert_eq!(check.remaining[0].kind, "flagged");
        assert_eq!(check.remaining[0].places, vec!["Episode 1".to_string()]);
        let text: Vec<&str> = done.texts().into_iter().map(|(_, t)| t).collect();
        assert!(text.iter().all(|t| !t.contains("Jane")));
    }
}
