//! The library's findings with their codes, and the codebook, as files for other tools
//! (CSV for spreadsheets, JSON). A cell a spreadsheet would read as a formula is kept
//! as text.

use serde::Serialize;

use super::{
    PublishedFinding,
    codebook::{Code, Codebook},
};

/// One finding of an export, with the review it came from.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportedFinding<'a> {
    pub case_name: &'a str,
    pub review_kind: &'a str,
    pub variant: &'a str,
    pub year: i64,
    #[serde(flatten)]
    pub finding: &'a PublishedFinding,
}

/// A cell as a spreadsheet will read it: text that starts like a formula (`=`, `+`,
/// `-`, `@`, a tab or a carriage return) gets a leading apostrophe, so opening the file
/// never runs anything.
fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

fn label(codes: &std::collections::BTreeMap<String, Code>, code: &str) -> String {
    codes
        .get(code)
        .map(|c| c.label.clone())
        .unwrap_or_else(|| code.to_string())
}

/// The findings as CSV: a header row, then a row per finding, codes as the codebook's
/// labels.
pub fn findings_csv(
    findings: &[ExportedFinding<'_>],
    book: &Codebook,
) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "Case",
        "Kind of review",
        "Variant",
        "Year",
        "Reference",
        "Finding",
        "Typology category",
        "Second category",
        "Effect on practice",
        "Agencies",
        "Contributory factors",
        "Recommendations",
        "How it showed in the case",
        "Why it is underlying",
        "How widespread it is",
        "Why it matters",
        "Questions for the board",
    ])?;
    for e in findings {
        let f = e.finding;
        let factors: Vec<String> = f
            .factors
            .iter()
            .map(|factor| {
                let mut codes = Vec::new();
                if !factor.level.is_empty() {
                    codes.push(label(&book.factor_levels, &factor.level));
                }
                if !factor.kind.is_empty() {
                    codes.push(label(&book.factor_types, &factor.kind));
                }
                if codes.is_empty() {
                    factor.title.clone()
                } else {
                    format!("{} ({})", factor.title, codes.join("; "))
                }
            })
            .collect();
        let recommendations: Vec<String> = f
            .recommendations
            .iter()
            .map(|r| match r.kind.as_str() {
                "" => r.text.clone(),
                kind => format!("{}: {}", label(&book.recommendation_types, kind), r.text),
            })
            .collect();
        let optional = |codes: &std::collections::BTreeMap<String, Code>, code: &str| {
            if code.is_empty() {
                String::new()
            } else {
                label(codes, code)
            }
        };
        let row = [
            e.case_name.to_string(),
            e.review_kind.to_string(),
            e.variant.to_string(),
            e.year.to_string(),
            f.reference.clone(),
            f.statement.clone(),
            optional(&book.typology, &f.category),
            optional(&book.typology, &f.secondary_category),
            optional(&book.effects, &f.effect),
            f.agencies.join("; "),
            factors.join("\n"),
            recommendations.join("\n"),
            f.in_case.clone(),
            f.underlying.clone(),
            f.widespread.clone(),
            f.matters.clone(),
            f.questions.clone(),
        ];
        out.write_record(row.iter().map(|c| cell(c)))?;
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

/// The codebook as CSV: a row per code of every list, with its definition.
pub fn codebook_csv(book: &Codebook) -> Result<Vec<u8>, csv::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "Codebook version",
        "List",
        "Code",
        "Label",
        "Short label",
        "Definition",
        "Order",
    ])?;
    let lists = [
        ("Typology of underlying patterns", &book.typology),
        ("Factor levels", &book.factor_levels),
        ("Factor types", &book.factor_types),
        ("Recommendation types", &book.recommendation_types),
        ("Recommendation statuses", &book.recommendation_statuses),
        ("Effects on practice", &book.effects),
    ];
    for (list, codes) in lists {
        let mut sorted: Vec<(&String, &Code)> = codes.iter().collect();
        sorted.sort_by_key(|(_, c)| c.order);
        for (code, c) in sorted {
            out.write_record([
                book.version.as_str(),
                list,
                code,
                &c.label,
                c.short_label.as_deref().unwrap_or(""),
                c.description.as_deref().unwrap_or(""),
                &c.order.to_string(),
            ])?;
        }
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::codebook::codebook;

    #[test]
    fn formulas_stay_text_and_codes_read_as_labels() {
        let finding = PublishedFinding {
            reference: "F1".into(),
            statement: "=HYPERLINK(\"http://x\",\"click\")".into(),
            in_case: "-1+2".into(),
            underlying: String::new(),
            widespread: String::new(),
            matters: String::new(),
            questions: String::new(),
            category: "human_tool_operation".into(),
            secondary_category: String::new(),
            effect: "hinders".into(),
            agencies: vec!["Police".into(), "@Health".into()],
            factors: Vec::new(),
            recommendations: Vec::new(),
        };
        let rows = [ExportedFinding {
            case_name: "Child A",
            review_kind: "lcspr",
            variant: "full",
            year: 2025,
            finding: &finding,
        }];
        let text = String::from_utf8(findings_csv(&rows, codebook()).unwrap_or_default())
            .unwrap_or_default();
        assert!(
            text.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\""),
            "{text}"
        );
        assert!(text.contains(",'-1+2,"), "{text}");
        assert!(text.contains("Patterns in human–tool operation"));
        assert!(text.contains("Makes problematic practice more likely"));
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.records().count(), 1);
        let book =
            String::from_utf8(codebook_csv(codebook()).unwrap_or_default()).unwrap_or_default();
        assert_eq!(book.lines().count(), 1 + 6 + 3 + 10 + 3 + 5 + 2, "{book}");
    }
}
