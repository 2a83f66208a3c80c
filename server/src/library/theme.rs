//! A theme's thematic summary for the board's annual report: its memo, what recurs
//! across its findings (counted by distinct review, small counts hidden), and each
//! finding with its review, codes and recommendations. Built as a report, so Word and
//! Markdown come from the report's own writers and escaping.

use std::collections::BTreeMap;

use super::{
    codebook::{Code, codebook},
    query::ReviewCount,
};
use crate::report::{Block, Cover, Report, Setting, iso_time, long_date};

/// One finding of the theme, with its review.
pub struct ThemeFinding<'a> {
    pub review_id: &'a str,
    pub case_name: &'a str,
    pub year: i64,
    pub finding: &'a super::PublishedFinding,
}

fn label(codes: &BTreeMap<String, Code>, code: &str) -> String {
    codes
        .get(code)
        .map(|c| c.label.clone())
        .unwrap_or_else(|| code.to_string())
}

pub fn summary(
    name: &str,
    memo: &str,
    findings: &[ThemeFinding<'_>],
    threshold: u64,
    setting: &Setting,
    coverage: &str,
) -> Report {
    let book = codebook();
    let mut blocks = vec![
        Block::Heading {
            level: 1,
            text: "The theme".into(),
        },
        Block::Paragraph {
            text: if memo.trim().is_empty() {
                "No memo has been written for this theme.".into()
            } else {
                memo.trim().to_string()
            },
        },
        Block::Paragraph {
            text: coverage.to_string(),
        },
        Block::Heading {
            level: 1,
            text: "What recurs".into(),
        },
    ];
    // Each category and factor type by the distinct reviews whose findings here carry it.
    let mut rows = Vec::new();
    for (what, facet, codes) in [
        ("Typology category", "category", &book.typology),
        ("Factor type", "factor_type", &book.factor_types),
        (
            "Recommendation type",
            "recommendation_type",
            &book.recommendation_types,
        ),
    ] {
        let mut reviews: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
        for f in findings {
            for (code_facet, code) in f.finding.codes() {
                if code_facet == facet
                    && let Some((key, _)) = codes.get_key_value(&code)
                {
                    reviews.entry(key.as_str()).or_default().insert(f.review_id);
                }
            }
        }
        let mut ordered: Vec<(&str, usize)> = reviews.iter().map(|(c, r)| (*c, r.len())).collect();
        ordered.sort_by_key(|(c, n)| (std::cmp::Reverse(*n), codes.get(*c).map_or(0, |e| e.order)));
        for (code, n) in ordered {
            rows.push(vec![
                what.to_string(),
                label(codes, code),
                ReviewCount::of(n as u64, threshold).text,
            ]);
        }
    }
    if rows.is_empty() {
        blocks.push(Block::Paragraph {
            text: "The theme's findings carry no codes yet.".into(),
        });
    } else {
        blocks.push(Block::Table {
            header: vec!["Code".into(), "Value".into(), "Reviews".into()],
            rows,
        });
    }
    blocks.push(Block::Heading {
        level: 1,
        text: "The findings".into(),
    });
    for f in findings {
        let finding = f.finding;
        blocks.push(Block::Heading {
            level: 2,
            text: finding.statement.clone(),
        });
        blocks.push(Block::Field {
            label: "From".into(),
            text: format!("{} ({})", f.case_name, f.year),
        });
        let categories: Vec<String> = [&finding.category, &finding.secondary_category]
            .into_iter()
            .filter(|c| !c.is_empty())
            .map(|c| label(&book.typology, c))
            .collect();
        if !categories.is_empty() {
            blocks.push(Block::Field {
                label: "Category".into(),
                text: categories.join("; "),
            });
        }
        if !finding.effect.is_empty() {
            blocks.push(Block::Field {
                label: "Effect on practice".into(),
                text: label(&book.effects, &finding.effect),
            });
        }
        let recommendations: Vec<String> = finding
            .recommendations
            .iter()
            .map(|r| match r.kind.as_str() {
                "" => r.text.clone(),
                kind => format!("{} ({})", r.text, label(&book.recommendation_types, kind)),
            })
            .collect();
        if !recommendations.is_empty() {
            blocks.push(Block::Field {
                label: "Recommended".into(),
                text: String::new(),
            });
            blocks.push(Block::Bullets {
                items: recommendations,
            });
        }
    }
    Report {
        title: name.to_string(),
        subtitle: "A thematic summary from the findings library".into(),
        provenance: format!(
            "{} findings from the partnership's findings library, {}.",
            findings.len(),
            long_date(setting.exported_at)
        ),
        cover: Cover {
            review_kind: "Thematic summary".into(),
            partnership: setting.partnership.clone(),
            marking: setting.marking.clone(),
            date: long_date(setting.exported_at),
            created: iso_time(setting.exported_at),
            draft: false,
        },
        blocks,
    }
}
