//! What a library search asks for, and how counts leave it: by distinct review, and
//! never below the small-number threshold.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The library's coded facets, as `library_codes.facet` holds them.
pub const FACETS: [&str; 7] = [
    "category",
    "effect",
    "level",
    "factor_type",
    "agency",
    "recommendation_type",
    "recommendation_status",
];

/// A search of the library: words, and any facets chosen.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filters {
    /// Words to find (English stemming: "referral" finds "referrals").
    pub q: Option<String>,
    /// A typology code (first or second category).
    pub category: Option<String>,
    /// `supports` or `hinders`.
    pub effect: Option<String>,
    /// A factor level code of one of its contributory factors.
    pub level: Option<String>,
    /// A factor type code of one of its contributory factors.
    pub factor_type: Option<String>,
    /// An agency involved.
    pub agency: Option<String>,
    /// A recommendation type code of one of its recommendations.
    pub recommendation_type: Option<String>,
    /// Where the board is with one of its recommendations (`proposed`, `accepted`,
    /// `not_accepted`, `in_progress`, `done`).
    pub recommendation_status: Option<String>,
    /// The kind of review (`lcspr`, `sar`, ...).
    pub kind: Option<String>,
    /// The Learning Together variant.
    pub variant: Option<String>,
    pub year: Option<i64>,
    /// With `year`, the last year of a period (a trend's bar of several years): the
    /// reviews of `year` to `until`.
    pub until: Option<i64>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The longest words or facet value a search takes.
const MAX_CHOICE_CHARS: usize = 200;

impl Filters {
    /// Refuses what no search needs: long text, and control characters (which no code
    /// or word holds, and which PostgreSQL refuses in text).
    pub fn check(&self) -> Result<(), String> {
        let texts = [
            &self.q,
            &self.category,
            &self.effect,
            &self.level,
            &self.factor_type,
            &self.agency,
            &self.recommendation_type,
            &self.recommendation_status,
            &self.kind,
            &self.variant,
        ];
        for text in texts.into_iter().flatten() {
            if text.chars().count() > MAX_CHOICE_CHARS {
                return Err(format!(
                    "A search takes at most {MAX_CHOICE_CHARS} characters of words or of a facet's value."
                ));
            }
            if text.chars().any(char::is_control) {
                return Err("A search cannot hold control characters.".into());
            }
        }
        Ok(())
    }

    /// The words asked for, if any.
    pub fn words(&self) -> Option<&str> {
        given(&self.q)
    }

    /// The coded facets chosen: (facet, code).
    pub fn codes(&self) -> Vec<(&'static str, &str)> {
        [
            ("category", &self.category),
            ("effect", &self.effect),
            ("level", &self.level),
            ("factor_type", &self.factor_type),
            ("agency", &self.agency),
            ("recommendation_type", &self.recommendation_type),
            ("recommendation_status", &self.recommendation_status),
        ]
        .into_iter()
        .filter_map(|(facet, value)| Some((facet, given(value)?)))
        .collect()
    }

    pub fn kind(&self) -> Option<&str> {
        given(&self.kind)
    }

    pub fn variant(&self) -> Option<&str> {
        given(&self.variant)
    }

    /// The years asked for: one, or a period from `year` to `until`.
    pub fn years(&self) -> Option<(i64, i64)> {
        let from = self.year?;
        Some((from, self.until.filter(|u| *u > from).unwrap_or(from)))
    }

    /// Whether any facet (not only words) narrows the search: such a narrowing may
    /// single out a review, so it is held to the small-number rule.
    pub fn narrows(&self) -> bool {
        !self.codes().is_empty()
            || self.kind().is_some()
            || self.variant().is_some()
            || self.year.is_some()
    }

    /// The same search without one facet (a facet's own counts ignore its choice).
    pub fn without(&self, facet: &str) -> Filters {
        let mut other = self.clone();
        match facet {
            "category" => other.category = None,
            "effect" => other.effect = None,
            "level" => other.level = None,
            "factor_type" => other.factor_type = None,
            "agency" => other.agency = None,
            "recommendation_type" => other.recommendation_type = None,
            "recommendation_status" => other.recommendation_status = None,
            "kind" => other.kind = None,
            "variant" => other.variant = None,
            "year" => {
                other.year = None;
                other.until = None;
            }
            _ => {}
        }
        other
    }
}

/// A count of distinct reviews as it may leave the library: the number, or "fewer
/// than N" when it is below the small-number threshold (never 1, 2, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewCount {
    /// The number of reviews; absent when it is below the threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviews: Option<u64>,
    /// The threshold, when the number is below it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fewer_than: Option<u64>,
    /// In words: "7 reviews", "fewer than 5 reviews", "no reviews".
    pub text: String,
}

impl ReviewCount {
    pub fn of(n: u64, threshold: u64) -> Self {
        if n == 0 {
            ReviewCount {
                reviews: Some(0),
                fewer_than: None,
                text: "no reviews".into(),
            }
        } else if n < threshold {
            ReviewCount {
                reviews: None,
                fewer_than: Some(threshold),
                text: format!("fewer than {threshold} reviews"),
            }
        } else {
            ReviewCount {
                reviews: Some(n),
                fewer_than: None,
                text: format!("{n} reviews"),
            }
        }
    }

    /// Whether the number is withheld (below the threshold, or to protect one that is).
    pub fn suppressed(&self) -> bool {
        self.reviews.is_none()
    }
}

/// Counts of one thing split into parts that add up to a known total (each review has
/// one kind, one variant, one year), as they may leave: below the threshold hidden, and
/// when that hides exactly one part, the next smallest hidden too, so that no hidden
/// part is the total less the parts shown.
pub fn parts(counts: &[u64], threshold: u64) -> Vec<ReviewCount> {
    let mut out: Vec<ReviewCount> = counts
        .iter()
        .map(|&n| ReviewCount::of(n, threshold))
        .collect();
    if out.iter().filter(|c| c.suppressed()).count() == 1 {
        let smallest = counts
            .iter()
            .enumerate()
            .filter(|(i, n)| **n > 0 && !out[*i].suppressed())
            .min_by_key(|(_, n)| **n)
            .map(|(i, _)| i);
        if let Some(i) = smallest {
            out[i] = ReviewCount {
                reviews: None,
                fewer_than: None,
                text: "not shown (it would give a smaller count away)".into(),
            };
        }
    }
    out
}

/// Years of the library grouped into periods of at least `threshold` reviews, in
/// order: a partnership reviews a few cases a year, so a year alone would rarely show
/// a count. A year joins the years after it until their reviews reach the threshold; a
/// last group short of it joins the period before. Each entry is `(year, matched,
/// reviews)`; each period is `(from, until, matched, reviews)` (a review has one year,
/// so counts add up).
pub fn periods(years: &[(i64, u64, u64)], threshold: u64) -> Vec<(i64, i64, u64, u64)> {
    let mut sorted = years.to_vec();
    sorted.sort_by_key(|(year, _, _)| *year);
    let mut out: Vec<(i64, i64, u64, u64)> = Vec::new();
    let mut open: Option<(i64, i64, u64, u64)> = None;
    for (year, matched, reviews) in sorted {
        let (from, _, m, r) = open.unwrap_or((year, year, 0, 0));
        let grown = (from, year, m + matched, r + reviews);
        if grown.3 >= threshold {
            out.push(grown);
            open = None;
        } else {
            open = Some(grown);
        }
    }
    if let Some(short) = open {
        match out.last_mut() {
            Some(last) => *last = (last.0, short.1, last.2 + short.2, last.3 + short.3),
            None => out.push(short),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_grouped_into_periods_of_enough_reviews() {
        let years = [
            (2023, 1, 3),
            (2021, 1, 2),
            (2022, 0, 2),
            (2024, 2, 2),
            (2025, 1, 3),
        ];
        assert_eq!(
            periods(&years, 5),
            [(2021, 2023, 2, 7), (2024, 2025, 3, 5)],
            "2021 and 2022 are too few alone; 2024 joins 2025"
        );
        // A short last group joins the period before it.
        assert_eq!(
            periods(&[(2021, 3, 6), (2022, 1, 2)], 5),
            [(2021, 2022, 4, 8)]
        );
        // Too few reviews in all: one period, whose counts are hidden as usual.
        assert_eq!(
            periods(&[(2021, 1, 2), (2022, 1, 1)], 5),
            [(2021, 2022, 2, 3)]
        );
        // Years with enough reviews stand alone.
        assert_eq!(
            periods(&[(2021, 4, 6), (2022, 1, 5)], 5),
            [(2021, 2021, 4, 6), (2022, 2022, 1, 5)]
        );
        assert!(periods(&[], 5).is_empty());
    }

    #[test]
    fn small_counts_never_leave_as_numbers() {
        assert_eq!(ReviewCount::of(0, 5).text, "no reviews");
        for n in 1..5 {
            let count = ReviewCount::of(n, 5);
            assert_eq!(count.reviews, None);
            assert_eq!(count.text, "fewer than 5 reviews");
            let json = serde_json::to_string(&count).unwrap_or_default();
            assert!(!json.contains(&format!(":{n}")), "{json}");
        }
        assert_eq!(ReviewCount::of(5, 5).reviews, Some(5));
    }

    #[test]
    fn one_hidden_part_hides_another() {
        // 4 + 9 + 12 = 25: with 4 hidden alone, 25 - 9 - 12 would give it away.
        let shown = parts(&[4, 9, 12], 5);
        assert!(shown[0].suppressed() && shown[1].suppressed() && !shown[2].suppressed());
        assert_eq!(shown[2].reviews, Some(12));
        // Two hidden already: nothing more to hide.
        let two = parts(&[4, 3, 12], 5);
        assert_eq!(two[2].reviews, Some(12));
        assert_eq!(parts(&[7, 9], 5)[0].reviews, Some(7));
    }

    #[test]
    fn long_or_control_text_is_refused() {
        let nul = Filters {
            agency: Some("Police\u{0}".into()),
            ..Filters::default()
        };
        assert!(nul.check().is_err());
        let long = Filters {
            q: Some("x".repeat(201)),
            ..Filters::default()
        };
        assert!(long.check().is_err());
        assert!(Filters::default().check().is_ok());
    }

    #[test]
    fn words_alone_do_not_narrow() {
        let words = Filters {
            q: Some("referral".into()),
            category: Some("  ".into()),
            ..Filters::default()
        };
        assert!(!words.narrows());
        assert!(words.codes().is_empty());
        let narrowed = Filters {
            year: Some(2024),
            ..words.clone()
        };
        assert!(narrowed.narrows());
        assert!(!narrowed.without("year").narrows());
    }
}
