//! The partnership's findings library: the agreed findings of each review as a lead
//! published them from a snapshot, coded at source (typology, effect, contributory
//! factors, agencies, recommendation types, the review's kind, variant and year), and
//! pseudonymised through the review's register like the report. Searching, facets and
//! their small-number rule are in [`query`].

pub mod codebook;
pub mod export;
pub mod query;
pub mod similar;
pub mod theme;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    board::Board,
    report::{
        Pseudonymiser, PublicationCheck, RegisterEntry, SafeTerm, Texts, episode_agreed,
        finding_agreed, safe_vocabulary,
    },
    review::Review,
};

/// Who may read the library, beyond the lead reviewers of any review (who read it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LibraryRole {
    /// Searches and reads the library.
    Reader,
    /// Reads it, and exports from it and manages themes.
    Analyst,
}

impl LibraryRole {
    pub fn as_str(self) -> &'static str {
        match self {
            LibraryRole::Reader => "reader",
            LibraryRole::Analyst => "analyst",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "reader" => Some(LibraryRole::Reader),
            "analyst" => Some(LibraryRole::Analyst),
            _ => None,
        }
    }
}

/// A review's agreed findings as they enter the library.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Publication {
    /// The case by the name it goes by (its reference or title), through the register.
    pub case_name: String,
    pub review_kind: String,
    pub variant: String,
    pub year: i64,
    pub partnership: String,
    pub findings: Vec<PublishedFinding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublishedFinding {
    pub reference: String,
    pub statement: String,
    pub in_case: String,
    pub underlying: String,
    pub widespread: String,
    pub matters: String,
    pub questions: String,
    /// Typology codes (empty when not coded).
    pub category: String,
    pub secondary_category: String,
    /// `supports` or `hinders`, or empty.
    pub effect: String,
    pub agencies: Vec<String>,
    pub factors: Vec<PublishedFactor>,
    pub recommendations: Vec<PublishedRecommendation>,
}

/// A published finding as a search finds it, with the review it came from (by the name
/// the case goes by, never the review's id).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LibraryHit {
    pub id: String,
    pub set_id: String,
    pub case_name: String,
    pub review_kind: String,
    pub variant: String,
    pub year: i64,
    pub partnership: String,
    #[serde(flatten)]
    pub finding: PublishedFinding,
    #[serde(skip)]
    pub review_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PublishedFactor {
    pub title: String,
    /// A factor level code, or empty.
    pub level: String,
    /// A factor type code, or empty.
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PublishedRecommendation {
    /// A recommendation type code, or empty.
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    /// Where the board was with it when published (a codebook status), or empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
}

/// The agreed findings of `board` as they enter the library: taken by [`publication`],
/// cleaned of characters no format holds, pseudonymised through the review's register,
/// and the pre-publication check of exactly that (publishing needs it clean). The
/// partnership's name is safe: it is the library's, not the case's.
pub fn prepare(
    review: &Review,
    board: &Board,
    taken_at: i64,
    partnership: &str,
    register: &[RegisterEntry],
    safe_terms: &[SafeTerm],
) -> (Publication, PublicationCheck) {
    let mut original = publication(review, board, taken_at, partnership);
    original.clean_characters();
    let mut safe = safe_vocabulary(board, safe_terms);
    safe.push(partnership.to_string());
    Pseudonymiser::new(register).pseudonymise(&original, &safe)
}

/// The year a snapshot was taken (UTC).
fn year_of(ms: i64) -> i64 {
    // Days to a civil year (Howard Hinnant's algorithm, as the report's dates).
    let z = ms.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

/// The agreed findings of `board` (a snapshot of `review`, taken at `taken_at`) as
/// they would enter the library, not yet pseudonymised. Codes the codebook does not
/// know are left empty; the factors are those linked to a finding or to the agreed
/// episodes that show it.
pub fn publication(
    review: &Review,
    board: &Board,
    taken_at: i64,
    partnership: &str,
) -> Publication {
    let book = codebook::codebook();
    let episodes: Vec<_> = board
        .episodes
        .iter()
        .filter(|e| episode_agreed(e))
        .collect();
    let findings = board
        .findings
        .iter()
        .filter(|f| finding_agreed(f))
        .map(|f| {
            let shown_by = board.episodes_showing(f, &episodes);
            let secondary = book.known("category", &f.secondary_category);
            let category = book.known("category", &f.category);
            PublishedFinding {
                reference: f.reference.clone(),
                statement: f.statement.trim().to_string(),
                in_case: f.in_case.trim().to_string(),
                underlying: f.underlying.trim().to_string(),
                widespread: f.widespread.trim().to_string(),
                matters: f.matters.trim().to_string(),
                questions: f.questions.trim().to_string(),
                secondary_category: if secondary == category {
                    String::new()
                } else {
                    secondary
                },
                category,
                effect: book.known("effect", &f.effect),
                agencies: f
                    .agencies
                    .iter()
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect(),
                factors: board
                    .factors_of(f, &shown_by)
                    .into_iter()
                    .map(|factor| PublishedFactor {
                        title: factor.title.trim().to_string(),
                        level: book.known("level", &factor.level),
                        kind: book.known("factor_type", &factor.kind),
                    })
                    .collect(),
                recommendations: f
                    .recommendations
                    .iter()
                    .filter(|r| !r.text.trim().is_empty())
                    .map(|r| PublishedRecommendation {
                        kind: book.known("recommendation_type", &r.kind),
                        text: r.text.trim().to_string(),
                        status: book.known("recommendation_status", &r.status),
                    })
                    .collect(),
            }
        })
        .collect();
    let case_name = match review.case_ref.trim() {
        "" => review.title.trim().to_string(),
        reference => reference.to_string(),
    };
    Publication {
        case_name,
        review_kind: review.kind.clone(),
        variant: review.variant.clone(),
        year: year_of(taken_at),
        partnership: partnership.to_string(),
        findings,
    }
}

impl Texts for Publication {
    fn texts_mut(&mut self) -> Vec<(String, &mut String)> {
        let mut texts = vec![("Case".to_string(), &mut self.case_name)];
        for (n, f) in self.findings.iter_mut().enumerate() {
            let place = match f.reference.as_str() {
                "" => format!("Finding {}", n + 1),
                reference => format!("Finding {reference}"),
            };
            for text in [
                &mut f.statement,
                &mut f.in_case,
                &mut f.underlying,
                &mut f.widespread,
                &mut f.matters,
                &mut f.questions,
            ] {
                texts.push((place.clone(), text));
            }
            for agency in &mut f.agencies {
                texts.push((format!("{place}: agencies"), agency));
            }
            for factor in &mut f.factors {
                texts.push((format!("{place}: contributory factors"), &mut factor.title));
            }
            for r in &mut f.recommendations {
                texts.push((format!("{place}: recommendations"), &mut r.text));
            }
        }
        texts
    }
}

impl PublishedFinding {
    /// Every word a search reads, in one text.
    pub fn search_text(&self) -> String {
        let mut parts = vec![
            self.statement.as_str(),
            self.in_case.as_str(),
            self.underlying.as_str(),
            self.widespread.as_str(),
            self.matters.as_str(),
            self.questions.as_str(),
        ];
        parts.extend(self.factors.iter().map(|f| f.title.as_str()));
        parts.extend(self.recommendations.iter().map(|r| r.text.as_str()));
        parts.join("\n")
    }

    /// The codes it carries, by facet, for facets and matrices.
    pub fn codes(&self) -> Vec<(&'static str, String)> {
        let mut codes = Vec::new();
        for category in [&self.category, &self.secondary_category] {
            if !category.is_empty() {
                codes.push(("category", category.clone()));
            }
        }
        if !self.effect.is_empty() {
            codes.push(("effect", self.effect.clone()));
        }
        for factor in &self.factors {
            if !factor.level.is_empty() {
                codes.push(("level", factor.level.clone()));
            }
            if !factor.kind.is_empty() {
                codes.push(("factor_type", factor.kind.clone()));
            }
        }
        for agency in &self.agencies {
            codes.push(("agency", agency.clone()));
        }
        for r in &self.recommendations {
            if !r.kind.is_empty() {
                codes.push(("recommendation_type", r.kind.clone()));
            }
            if !r.status.is_empty() {
                codes.push(("recommendation_status", r.status.clone()));
            }
        }
        codes.sort();
        codes.dedup();
        codes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::{Episode, Factor, Finding, Link, Recommendation};

    fn review() -> Review {
        Review {
            id: "r".into(),
            title: "Child D".into(),
            case_ref: "LCSPR 2026/03".into(),
            kind: "lcspr".into(),
            variant: "full".into(),
            period_start: String::new(),
            period_end: String::new(),
            questions: String::new(),
            terms_of_reference: String::new(),
            phase: "analysis".into(),
            created_at: 0,
        }
    }

    #[test]
    fn only_agreed_findings_with_known_codes_enter() {
        let mut board = Board::default();
        board.episodes.push(Episode {
            id: "e1".into(),
            status: "agreed".into(),
            ..Episode::default()
        });
        board.episodes.push(Episode {
            id: "e2".into(),
            status: "candidate".into(),
            ..Episode::default()
        });
        for (id, level) in [("f1", "frontline"), ("f2", "national")] {
            board.factors.push(Factor {
                id: id.into(),
                title: format!("Factor {id}"),
                level: level.into(),
                kind: "conditions_of_work".into(),
                ..Factor::default()
            });
        }
        board.findings.push(Finding {
            id: "g1".into(),
            reference: "F1".into(),
            statement: " Referrals lose detail ".into(),
            category: "human_tool_operation".into(),
            secondary_category: "Jane Smith".into(),
            effect: "hinders".into(),
            status: "agreed".into(),
            agencies: vec!["Police".into(), " ".into()],
            recommendations: vec![
                Recommendation {
                    text: "Agree one record.".into(),
                    kind: "local_clear_cut".into(),
                    status: "in_progress".into(),
                    ..Recommendation::default()
                },
                Recommendation {
                    text: "Train the front door.".into(),
                    kind: "local_clear_cut".into(),
                    status: "half done".into(),
                    ..Recommendation::default()
                },
            ],
            ..Finding::default()
        });
        board.findings.push(Finding {
            id: "g2".into(),
            status: "draft".into(),
            ..Finding::default()
        });
        for (id, from, to) in [
            ("l1", "f1", "e1"),
            ("l2", "e1", "g1"),
            ("l3", "f2", "e2"),
            ("l4", "e2", "g1"),
        ] {
            board.links.push(Link {
                id: id.into(),
                from: from.into(),
                to: to.into(),
                ..Link::default()
            });
        }
        // 2026-03-01.
        let p = publication(&review(), &board, 1_772_323_200_000, "Oakfield");
        assert_eq!(p.year, 2026);
        assert_eq!(p.case_name, "LCSPR 2026/03");
        assert_eq!(p.findings.len(), 1);
        let f = &p.findings[0];
        assert_eq!(f.statement, "Referrals lose detail");
        assert_eq!(f.secondary_category, "", "an unknown code never enters");
        assert_eq!(f.agencies, ["Police"]);
        // The factor of the candidate episode is not the finding's.
        assert_eq!(f.factors.len(), 1);
        assert_eq!(f.factors[0].title, "Factor f1");
        assert_eq!(
            f.codes(),
            [
                ("agency", "Police".to_string()),
                ("category", "human_tool_operation".to_string()),
                ("effect", "hinders".to_string()),
                ("factor_type", "conditions_of_work".to_string()),
                ("level", "frontline".to_string()),
                ("recommendation_status", "in_progress".to_string()),
                ("recommendation_type", "local_clear_cut".to_string()),
            ]
        );
        assert_eq!(
            f.recommendations[1].status, "",
            "an unknown status never enters"
        );
        assert_eq!(year_of(0), 1970);
        assert_eq!(year_of(1_767_225_599_000), 2025);
    }
}
