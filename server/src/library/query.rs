//! What a library search asks for, and how counts leave it: by distinct review, and
//! never below the small-number threshold.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The library's coded facets, as `library_codes.facet` holds them.
pub const FACETS: [&str; 6] = [
    "category",
    "effect",
    "level",
    "factor_type",
    "agency",
    "recommendation_type",
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
    /// The kind of review (`lcspr`, `sar`, ...).
    pub kind: Option<String>,
    /// The Learning Together variant.
    pub variant: Option<String>,
    pub year: Option<i64>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Filters {
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
            "kind" => other.kind = None,
            "variant" => other.variant = None,
            "year" => other.year = None,
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

    pub fn suppressed(&self) -> bool {
        self.fewer_than.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
