//! "Seen before": published findings of other reviews like a finding being drafted.
//! A candidate reads alike (any of the draft's words, scored by the database's
//! full-text engine) or shares its typology categories; [`rank`] puts the two together
//! so that words weigh most, and codes break ties and bring in findings worded
//! differently.

use serde::Serialize;
use utoipa::ToSchema;

use super::LibraryHit;
use crate::board::Finding;

/// Distinct words of a draft sent to the full-text engine, at most.
const MOST_WORDS: usize = 40;
/// Suggestions given, at most.
pub const MOST_SUGGESTIONS: usize = 10;

/// Words that tell two findings nothing apart: English stop words (SQLite's full-text
/// engine keeps them, PostgreSQL's drops them; leaving them out makes both look the
/// same) and words every finding uses.
const COMMON: &[&str] = &[
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "among",
    "and",
    "any",
    "are",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "can",
    "could",
    "did",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "either",
    "even",
    "every",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "into",
    "its",
    "itself",
    "just",
    "more",
    "most",
    "much",
    "must",
    "neither",
    "nor",
    "not",
    "now",
    "off",
    "once",
    "one",
    "only",
    "other",
    "others",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "same",
    "she",
    "should",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "too",
    "under",
    "until",
    "upon",
    "very",
    "was",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "finding",
    "findings",
    "review",
    "reviews",
    "case",
];

/// A published finding that may be like the draft, as the store found it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub hit: LibraryHit,
    /// The full-text engine's score for the draft's words (higher is closer); 0 when
    /// it came in by its codes alone.
    pub text_score: f64,
}

/// A suggestion, best first, with what it has in common with the draft: only what the
/// panel shows and a link keeps (the review team need not be library readers).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// The library finding's id.
    pub id: String,
    pub case_name: String,
    pub year: i64,
    pub reference: String,
    pub statement: String,
    pub category: String,
    pub secondary_category: String,
    pub effect: String,
    /// From 0 to 1: how close it is, words and codes together.
    pub score: f64,
    /// What it shares with the draft, in words: "the same category", "reads alike".
    pub shared: Vec<String>,
    #[serde(skip)]
    pub review_id: String,
}

/// What a draft finding is looked up by: its words and its codes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub words: Vec<String>,
    /// Its primary category first, then its second (codebook codes only).
    pub categories: Vec<String>,
    pub effect: String,
    pub agencies: Vec<String>,
}

impl Draft {
    /// The draft as `finding` stands: the words of its statement and why it is
    /// underlying (what a pattern is), its codes as the codebook knows them.
    pub fn of(finding: &Finding) -> Self {
        let book = super::codebook::codebook();
        let mut categories = Vec::new();
        for code in [&finding.category, &finding.secondary_category] {
            let known = book.known("category", code);
            if !known.is_empty() && !categories.contains(&known) {
                categories.push(known);
            }
        }
        Draft {
            words: words_of(&format!("{}\n{}", finding.statement, finding.underlying)),
            categories,
            effect: book.known("effect", &finding.effect),
            agencies: finding.agencies.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.categories.is_empty()
    }
}

/// The distinct words of `text` worth looking up, lower case, letters and digits only
/// (so none is query syntax), in the order they first appear.
pub fn words_of(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for token in text.split(|c: char| !c.is_alphanumeric()) {
        let word = token.to_lowercase();
        let length = word.chars().count();
        // Numbers (years, ages) say nothing of a pattern.
        if !(3..=40).contains(&length)
            || word.chars().all(|c| c.is_numeric())
            || COMMON.contains(&&*word)
        {
            continue;
        }
        if !words.contains(&word) {
            words.push(word);
        }
        if words.len() == MOST_WORDS {
            break;
        }
    }
    words
}

/// Ranks `candidates` for `draft`. How alike the words are (0 to 1) is half the
/// engine's score scaled to the best one's and half the share of the draft's words
/// found in the candidate's statement (compared by their first letters, a rough stem);
/// codes add a little: a fifth for the same primary category, a tenth for another
/// shared category, a twentieth each for the same effect and for shared agencies. So a
/// finding worded alike comes first, and codes order the rest and bring in findings
/// worded differently. Ties go to the newer review.
pub fn rank(draft: &Draft, candidates: Vec<Candidate>) -> Vec<Suggestion> {
    let best = candidates
        .iter()
        .map(|c| c.text_score)
        .fold(0.0_f64, f64::max);
    let draft_stems: Vec<String> = draft.words.iter().map(|w| stem(w)).collect();
    let mut suggestions: Vec<Suggestion> = candidates
        .into_iter()
        .map(|c| {
            let mut shared = Vec::new();
            let finding = &c.hit.finding;
            let engine = if best > 0.0 {
                (c.text_score / best).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let theirs: Vec<String> = words_of(&finding.statement)
                .iter()
                .map(|w| stem(w))
                .collect();
            let overlap = if draft_stems.is_empty() {
                0.0
            } else {
                draft_stems.iter().filter(|s| theirs.contains(s)).count() as f64
                    / draft_stems.len() as f64
            };
            let words = 0.5 * engine + 0.5 * overlap;
            if words > 0.0 {
                shared.push("reads alike".to_string());
            }
            let categories = [&finding.category, &finding.secondary_category];
            let mut codes = 0.0;
            if let Some(primary) = draft.categories.first() {
                if finding.category == *primary {
                    codes += 0.2;
                    shared.push("the same category".to_string());
                } else if draft.categories.iter().any(|d| categories.contains(&d)) {
                    codes += 0.1;
                    shared.push("a category in common".to_string());
                }
            }
            if !draft.effect.is_empty() && finding.effect == draft.effect {
                codes += 0.05;
                shared.push("the same effect on practice".to_string());
            }
            if draft.agencies.iter().any(|a| finding.agencies.contains(a)) {
                codes += 0.05;
                shared.push("agencies in common".to_string());
            }
            let hit = c.hit;
            Suggestion {
                id: hit.id,
                case_name: hit.case_name,
                year: hit.year,
                reference: hit.finding.reference,
                statement: hit.finding.statement,
                category: hit.finding.category,
                secondary_category: hit.finding.secondary_category,
                effect: hit.finding.effect,
                score: (words + codes) / 1.3,
                shared,
                review_id: hit.review_id,
            }
        })
        .collect();
    suggestions.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.year.cmp(&a.year))
            .then_with(|| a.id.cmp(&b.id))
    });
    suggestions.truncate(MOST_SUGGESTIONS);
    suggestions
}

/// A word's first five letters: "assessments" and "assessing" alike, "mother" and
/// "mothers". Rough, but only to order what the engine (which stems properly) found.
fn stem(word: &str) -> String {
    word.chars().take(5).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::PublishedFinding;

    fn candidate(
        id: &str,
        statement: &str,
        category: &str,
        text_score: f64,
        year: i64,
    ) -> Candidate {
        Candidate {
            hit: LibraryHit {
                id: id.into(),
                set_id: "s".into(),
                case_name: "Child A".into(),
                review_kind: "lcspr".into(),
                variant: "full".into(),
                year,
                partnership: "P".into(),
                finding: PublishedFinding {
                    reference: "F1".into(),
                    statement: statement.into(),
                    in_case: String::new(),
                    underlying: String::new(),
                    widespread: String::new(),
                    matters: String::new(),
                    questions: String::new(),
                    category: category.into(),
                    secondary_category: String::new(),
                    effect: "hinders".into(),
                    agencies: vec![],
                    factors: vec![],
                    recommendations: vec![],
                },
                review_id: "r".into(),
            },
            text_score,
        }
    }

    #[test]
    fn words_are_plain_distinct_and_without_the_common_ones() {
        assert_eq!(
            words_of("The father's \"role\" OR NEAR(x) — the father; assessment* 2024"),
            ["father", "role", "near", "assessment"]
        );
        assert!(words_of("a an of to").is_empty());
        assert_eq!(words_of(&"word ".repeat(500)), ["word"]);
        let many: String = (0..100).map(|n| format!("word{n} ")).collect();
        assert_eq!(words_of(&many).len(), MOST_WORDS);
    }

    #[test]
    fn wording_weighs_more_than_codes_and_codes_break_ties() {
        let draft = Draft {
            words: words_of("Assessments left out the fathers"),
            categories: vec!["family_professional_interaction".into()],
            effect: "hinders".into(),
            agencies: vec![],
        };
        let fpi = "family_professional_interaction";
        let hjr = "human_judgement_reasoning";
        let ranked = rank(
            &draft,
            vec![
                candidate("codes-only", "Visits were announced", fpi, 0.0, 2025),
                candidate("alike", "Assessment left fathers out", hjr, 8.0, 2021),
                candidate(
                    "alike-and-coded",
                    "Assessment left fathers out",
                    fpi,
                    8.0,
                    2020,
                ),
                // The engine found one word in a long text: codes do not lift it above
                // a finding worded alike.
                candidate("one-word", "Fathers were not invited", fpi, 5.0, 2024),
            ],
        );
        let order: Vec<&str> = ranked.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            order,
            ["alike-and-coded", "alike", "one-word", "codes-only"]
        );
        assert!(ranked[0].score <= 1.0 && ranked[0].score > ranked[1].score);
        assert_eq!(
            ranked[0].shared,
            [
                "reads alike",
                "the same category",
                "the same effect on practice"
            ]
        );
        assert_eq!(
            ranked[3].shared,
            ["the same category", "the same effect on practice"]
        );
    }
}
