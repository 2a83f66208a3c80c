//! Pseudonymisation: every text of an export goes through the review's register, which
//! replaces real names and identifying details with their pseudonyms however they were
//! typed (see `fold`). The pre-publication check then reads exactly those texts: any
//! register entry or flagged term still there, and anything else that looks like a
//! personal name or identifying detail nobody registered or marked safe (see `detect`).

use std::collections::{BTreeMap, HashMap};

use regex::{Regex, RegexBuilder};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    RegisterEntry, Texts,
    detect::Detector,
    fold::{fold, key},
};

/// Finds folded terms as whole words where a term starts or ends with a letter or digit
/// ("Ann" is not found inside "Annual"; "Anna" is found in "Anna's").
fn pattern(terms: &[String]) -> Option<Regex> {
    let mut terms: Vec<&String> = terms.iter().filter(|t| !t.is_empty()).collect();
    if terms.is_empty() {
        return None;
    }
    // Longest first, so "Jane Smith" wins over "Jane".
    terms.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
    let alternatives: Vec<String> = terms
        .iter()
        .map(|term| {
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
        .size_limit(1 << 24)
        .build()
        .ok()
}

/// Replaces a review's registered terms with their pseudonyms.
pub struct Pseudonymiser {
    replace: Option<Regex>,
    /// Folded term to pseudonym.
    pseudonyms: HashMap<String, String>,
    /// Every entry: the register's (replaced) and the flagged-only ones.
    entries: Vec<RegisterEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PublicationCheck {
    /// True only when no registered or flagged term remains and nothing else in the
    /// export looks like a name or identifying detail still to review.
    pub ok: bool,
    /// What was checked and what was found, in one sentence ("Checked the 42 texts of
    /// the export against 3 register entries: no registered name remains; 3 possible
    /// names or identifying details to review.").
    pub summary: String,
    /// How many texts the export has; the check read every one.
    pub texts_checked: usize,
    /// Register entries and how many times each was replaced.
    pub replaced: Vec<Replaced>,
    /// Register entries or flagged terms that still appear, and where.
    pub remaining: Vec<Remaining>,
    /// What looks like a personal name or identifying detail that is neither in the
    /// register nor marked safe: register it or mark it safe.
    pub possible: Vec<Possible>,
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

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Possible {
    /// The text as it appears in the export.
    pub text: String,
    /// `name`, `address`, `date_of_birth`, `postcode`, `phone` or `nhs_number`.
    pub kind: &'static str,
    pub count: usize,
    /// The report sections it appears in.
    pub places: Vec<String>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl Pseudonymiser {
    pub fn new(entries: &[RegisterEntry]) -> Self {
        let with_pseudonym: Vec<&RegisterEntry> = entries
            .iter()
            .filter(|e| !e.pseudonym.trim().is_empty() && !key(&e.term).is_empty())
            .collect();
        let terms: Vec<String> = with_pseudonym.iter().map(|e| key(&e.term)).collect();
        let mut pseudonyms = HashMap::new();
        for e in &with_pseudonym {
            pseudonyms
                .entry(key(&e.term))
                .or_insert_with(|| e.pseudonym.trim().to_string());
        }
        Self {
            replace: pattern(&terms),
            pseudonyms,
            entries: entries.to_vec(),
        }
    }

    /// `text` with every registered term replaced by its pseudonym, however the term
    /// was typed; the rest of the text is kept as it was.
    pub fn apply(&self, text: &str) -> String {
        let Some(re) = &self.replace else {
            return text.to_string();
        };
        let folded = fold(text, true);
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for m in re.find_iter(&folded.text) {
            let (start, end) = folded.original(m.start(), m.end());
            let Some(pseudonym) = self.pseudonyms.get(m.as_str()) else {
                continue;
            };
            if start < last || end <= start {
                continue;
            }
            out.push_str(&text[last..start]);
            out.push_str(pseudonym);
            last = end;
        }
        out.push_str(&text[last..]);
        out
    }

    /// Pseudonymises every text of `report` and checks the result. `safe` are the
    /// terms the lead marked safe and the board's own vocabulary.
    pub fn pseudonymise<T: Texts>(&self, report: &T, safe: &[String]) -> (T, PublicationCheck) {
        let mut done = report.clone();
        for (_, text) in done.texts_mut() {
            *text = self.apply(text);
        }
        let check = self.check(report, &done, safe);
        (done, check)
    }

    fn check<T: Texts>(&self, before: &T, after: &T, safe: &[String]) -> PublicationCheck {
        let fold_all = |report: &T| -> Vec<(String, String)> {
            report
                .texts()
                .into_iter()
                .map(|(place, text)| (place, fold(&text, true).text))
                .collect()
        };
        let before_texts = fold_all(before);
        let after_texts = fold_all(after);
        // Each occurrence counts once, for the longest entry it belongs to: "Jane" inside
        // "Jane Smith" is the entry "Jane Smith"'s, not both entries'.
        let patterns: Vec<_> = self
            .entries
            .iter()
            .map(|e| pattern(&[key(&e.term)]))
            .collect();
        let mut longest_first: Vec<usize> = (0..self.entries.len()).collect();
        longest_first
            .sort_by_key(|&i| std::cmp::Reverse(key(&self.entries[i].term).chars().count()));
        let counts = |texts: &[(String, String)]| -> Vec<(usize, Vec<String>)> {
            let mut found = vec![(0, Vec::new()); self.entries.len()];
            for (place, text) in texts {
                let mut claimed: Vec<(usize, usize)> = Vec::new();
                for &i in &longest_first {
                    let Some(re) = &patterns[i] else { continue };
                    for m in re.find_iter(text) {
                        if claimed.iter().any(|&(s, e)| m.start() < e && s < m.end()) {
                            continue;
                        }
                        claimed.push((m.start(), m.end()));
                        let (total, places): &mut (usize, Vec<String>) = &mut found[i];
                        *total += 1;
                        if !places.contains(place) {
                            places.push(place.clone());
                        }
                    }
                }
            }
            found
        };
        let before_counts = counts(&before_texts);
        let after_counts = counts(&after_texts);
        let mut replaced = Vec::new();
        let mut remaining = Vec::new();
        for (i, entry) in self.entries.iter().enumerate() {
            let flagged = entry.pseudonym.trim().is_empty();
            if !flagged {
                replaced.push(Replaced {
                    term: entry.term.clone(),
                    pseudonym: entry.pseudonym.clone(),
                    count: before_counts[i].0,
                });
            }
            let (n, places) = after_counts[i].clone();
            if n > 0 {
                remaining.push(Remaining {
                    term: entry.term.clone(),
                    kind: if flagged { "flagged" } else { "register" },
                    count: n,
                    places,
                });
            }
        }
        let possible = self.possible(after, safe);
        let texts_checked = after_texts.len();
        let summary = format!(
            "Checked the {} of the export against {}: {}; {}.",
            plural(texts_checked, "text", "texts"),
            plural(self.entries.len(), "register entry", "register entries"),
            if remaining.is_empty() {
                "no registered name or flagged term remains".to_string()
            } else {
                format!(
                    "{} still in it",
                    plural(
                        remaining.len(),
                        "registered name or flagged term is",
                        "registered names or flagged terms are"
                    )
                )
            },
            if possible.is_empty() {
                "nothing else that looks like a name or identifying detail".to_string()
            } else {
                format!(
                    "{} to review",
                    plural(
                        possible.len(),
                        "possible name or identifying detail",
                        "possible names or identifying details"
                    )
                )
            }
        );
        PublicationCheck {
            ok: remaining.is_empty() && possible.is_empty(),
            summary,
            texts_checked,
            replaced,
            remaining,
            possible,
        }
    }

    /// What the detector finds in the pseudonymised texts, grouped.
    fn possible<T: Texts>(&self, after: &T, safe: &[String]) -> Vec<Possible> {
        let pseudonyms = self.entries.iter().map(|e| e.pseudonym.as_str());
        let detector = Detector::new(
            safe.iter().map(String::as_str).chain(pseudonyms),
            self.entries.iter().map(|e| e.term.as_str()),
        );
        let mut grouped: BTreeMap<(super::detect::Kind, String), Possible> = BTreeMap::new();
        let mut order = Vec::new();
        for (place, text) in after.texts() {
            for found in detector.find(&text) {
                let id = (found.kind, key(&found.text));
                let entry = grouped.entry(id.clone()).or_insert_with(|| {
                    order.push(id);
                    Possible {
                        text: found.text.clone(),
                        kind: found.kind.code(),
                        count: 0,
                        places: Vec::new(),
                    }
                });
                entry.count += 1;
                if !entry.places.contains(&place) {
                    entry.places.push(place.clone());
                }
            }
        }
        order
            .into_iter()
            .filter_map(|id| grouped.remove(&id))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Block, Report};

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

    fn report(provenance: &str, paragraph: &str) -> Report {
        Report {
            title: "Child A".into(),
            subtitle: String::new(),
            provenance: provenance.into(),
            cover: super::super::Cover::default(),
            blocks: vec![
                Block::Heading {
                    level: 2,
                    text: "Episode 1".into(),
                },
                Block::Paragraph {
                    text: paragraph.into(),
                },
            ],
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
    fn names_are_replaced_however_they_were_typed() {
        let p = Pseudonymiser::new(&[
            entry("Jane Smith", "Mother"),
            entry("Zo\u{00EB}", "Child A"),
            entry("Sean O'Brien", "Father"),
            entry("Anna", "Sister"),
        ]);
        for (typed, expected) in [
            ("Jane\u{00A0}Smith called.", "Mother called."),
            ("Ja\u{00AD}ne Smith called.", "Mother called."),
            ("Jane  Smith called.", "Mother called."),
            ("Jane\nSmith called.", "Mother called."),
            ("Jane\u{200B} Smith called.", "Mother called."),
            ("Jane Smi\u{200D}th called.", "Mother called."),
            ("\u{FF2A}ane Smith called.", "Mother called."),
            ("Zoe\u{0308} was seen.", "Child A was seen."),
            ("Zo\u{00EB} was seen.", "Child A was seen."),
            ("Sean O\u{2019}Brien left.", "Father left."),
            ("Sean O\u{02BC}Brien left.", "Father left."),
            ("Anna's school phoned.", "Sister's school phoned."),
            (
                "Anna\u{2019}s school phoned.",
                "Sister\u{2019}s school phoned.",
            ),
            (
                "Annabel phoned \u{201c}Anna\u{201d}.",
                "Annabel phoned \u{201c}Sister\u{201d}.",
            ),
        ] {
            assert_eq!(p.apply(typed), expected, "{typed:?}");
        }
    }

    #[test]
    fn overlapping_names_are_counted_once_for_the_longest() {
        let p = Pseudonymiser::new(&[entry("Jane", "the mother"), entry("Jane Smith", "Mother")]);
        let original = report("Jane Smith visited. Jane called.", "Nothing.");
        let (_, check) = p.pseudonymise(&original, &[]);
        let count = |term: &str| {
            check
                .replaced
                .iter()
                .find(|r| r.term == term)
                .map(|r| r.count)
        };
        assert_eq!(count("Jane Smith"), Some(1));
        assert_eq!(count("Jane"), Some(1), "not the Jane inside Jane Smith");
    }

    #[test]
    fn the_provenance_and_every_other_text_go_through_the_register() {
        let p = Pseudonymiser::new(&[entry("Jane Smith", "Mother")]);
        let original = report(
            "From the snapshot \u{201c}After Jane\u{00A0}Smith's visit\u{201d}, taken by Jane Smith.",
            "Nothing.",
        );
        let (done, check) = p.pseudonymise(&original, &[]);
        assert_eq!(
            done.provenance,
            "From the snapshot \u{201c}After Mother's visit\u{201d}, taken by Mother."
        );
        assert_eq!(check.replaced[0].count, 2);
        assert!(check.remaining.is_empty());
    }

    #[test]
    fn names_on_the_factor_map_are_replaced_in_the_drawing_and_its_picture() {
        use crate::board::{Board, Episode, Factor};
        let mut board = Board::default();
        board.factors.push(Factor {
            id: "f".into(),
            title: "Jane Smith's shifts".into(),
            level: "Jane Smith".into(),
            ..Factor::default()
        });
        board.episodes.push(Episode {
            id: "e".into(),
            title: "Visit to Jane Smith".into(),
            ..Episode::default()
        });
        let episodes: Vec<&Episode> = board.episodes.iter().collect();
        let map = super::super::figure::factor_map(&board, &episodes, &[], str::to_string);
        let mut original = report("", "");
        original.blocks.push(Block::Figure(map));
        let p = Pseudonymiser::new(&[entry("Jane Smith", "Mother")]);
        let (done, check) = p.pseudonymise(&original, &[]);
        assert!(check.remaining.is_empty());
        assert_eq!(check.replaced[0].count, 3);
        let page = super::super::html(&done);
        assert!(!page.contains("Jane"), "{page}");
        assert!(page.contains("Visit to Mother") && page.contains("Mother&#39;s shifts"));
        let json = serde_json::to_string(&done).unwrap_or_default();
        assert!(
            !json.contains("Jane") && json.contains("Visit to Mother"),
            "{json}"
        );
    }

    #[test]
    fn the_check_lists_flagged_terms_still_present() {
        let p = Pseudonymiser::new(&[entry("Jane Smith", "Mother"), entry("St Mary's School", "")]);
        let original = report("", "Jane Smith took Child A to St Mary\u{2019}s School.");
        let (done, check) = p.pseudonymise(&original, &[]);
        assert!(!check.ok);
        assert_eq!(check.replaced[0].count, 1);
        assert_eq!(check.remaining.len(), 1);
        assert_eq!(check.remaining[0].kind, "flagged");
        assert_eq!(check.remaining[0].places, vec!["Episode 1".to_string()]);
        assert!(check.possible.is_empty(), "{:?}", check.possible);
        assert!(done.texts().iter().all(|(_, t)| !t.contains("Jane")));
    }

    #[test]
    fn the_check_finds_a_name_nobody_registered_and_says_what_it_checked() {
        let p = Pseudonymiser::new(&[entry("Jane Smith", "Mother"), entry("Zoe Smith", "Child A")]);
        let original = report(
            "",
            "Jane Smith and Darren Pryce argued. Child A said Darren Pryce shouted.",
        );
        let (_, check) = p.pseudonymise(&original, &[]);
        assert!(!check.ok);
        assert_eq!(check.possible.len(), 1, "{:?}", check.possible);
        assert_eq!(check.possible[0].text, "Darren Pryce");
        assert_eq!(check.possible[0].kind, "name");
        assert_eq!(check.possible[0].count, 2);
        assert_eq!(
            check.summary,
            "Checked the 10 texts of the export against 2 register entries: no registered name \
             or flagged term remains; 1 possible name or identifying detail to review."
        );
        assert!(!check.summary.to_lowercase().contains("ready"));
        // Marked safe, it is no longer listed.
        let (_, check) = p.pseudonymise(&original, &["Darren Pryce".to_string()]);
        assert!(check.ok, "{check:?}");
    }
}
