//! The review report, built from a snapshot: the model's sections in order, every text
//! pseudonymised through the review's register, and rendered as Word (.docx), printable
//! HTML, Markdown or JSON. The pre-publication check lists what still needs attention.
//!
//! A report is a set of texts (`Report::texts_mut` lists every one, the provenance
//! included): an export is built as texts first, every text goes through the register,
//! and the check reads exactly those texts. Renderers add only fixed words.

mod detect;
mod docx;
pub mod figure;
mod fold;
pub mod pdf;
pub use fold::{key as term_key, occurrences};
mod pseudonyms;
mod register;
mod render;

use serde::Serialize;
use utoipa::ToSchema;

pub use pseudonyms::{Possible, Pseudonymiser, PublicationCheck, Remaining};
pub use register::{RegisterEntry, SafeTerm, safe_vocabulary};
pub use render::{html, iso_time, long_date, markdown};

use crate::{
    access::Role,
    board::{Board, Episode},
    review::{FrozenMember, Meeting, Review, SnapshotInfo},
};

/// A report: a title, a line under it, its title page, and blocks in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Report {
    pub title: String,
    pub subtitle: String,
    /// Where the content came from: the snapshot, when and by whom, its hash.
    pub provenance: String,
    pub cover: Cover,
    pub blocks: Vec<Block>,
}

/// What the title page says besides the title: none of it is case data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Cover {
    /// The kind of review, in words ("Local child safeguarding practice review").
    pub review_kind: String,
    /// Who the report is for, and its author in the document's properties.
    pub partnership: String,
    /// The protective marking on every page ("OFFICIAL-SENSITIVE").
    pub marking: String,
    /// The day of the export, as "6 December 2026".
    pub date: String,
    /// The export's time, ISO 8601 (the document's "created").
    pub created: String,
    /// Marked as a draft until the review reaches publication.
    pub draft: bool,
}

/// What an export adds to the snapshot: the partnership, the marking and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub partnership: String,
    pub marking: String,
    pub exported_at: i64,
}

impl Default for Setting {
    fn default() -> Self {
        Setting {
            partnership: DEFAULT_PARTNERSHIP.into(),
            marking: DEFAULT_MARKING.into(),
            exported_at: 0,
        }
    }
}

/// The marking a report carries unless the server is told otherwise.
pub const DEFAULT_MARKING: &str = "OFFICIAL-SENSITIVE";
/// The partnership a report names unless the server is told otherwise.
pub const DEFAULT_PARTNERSHIP: &str = "Safeguarding partnership";

/// A review is a draft until it reaches publication.
pub fn is_draft(phase: &str) -> bool {
    !matches!(phase, "publication" | "implementation" | "closed")
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    Heading {
        level: u8,
        text: String,
    },
    Paragraph {
        text: String,
    },
    /// A labelled piece of text ("Appraisal: ...").
    Field {
        label: String,
        text: String,
    },
    Bullets {
        items: Vec<String>,
    },
    /// A table with a header row.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// A drawing: the factor map.
    Figure(figure::Figure),
}

/// Which format an export is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Html,
    Markdown,
    Json,
    /// The printable HTML printed by Chromium ([`pdf`]).
    Pdf,
}

impl Format {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "docx" => Some(Format::Docx),
            "html" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Html => "text/html; charset=utf-8",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Json => "application/json",
            Format::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Pdf => "pdf",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("could not write the Word document: {0}")]
    Docx(String),
    #[error("could not write JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Renders `report` in `format`.
pub fn render(report: &Report, format: Format) -> Result<Vec<u8>, ReportError> {
    Ok(match format {
        Format::Docx => docx::write(report)?,
        Format::Html => html(report).into_bytes(),
        Format::Markdown => markdown(report).into_bytes(),
        Format::Json => serde_json::to_vec_pretty(report)?,
        // Printed from the HTML by the caller, which may wait for Chromium.
        Format::Pdf => html(report).into_bytes(),
    })
}

fn label(board: &Board, vocabulary: &str, code: &str) -> String {
    board
        .vocabularies
        .get(vocabulary)
        .and_then(|v| v.get(code))
        .map(|e| e.label.clone())
        .unwrap_or_else(|| code.replace('_', " "))
}

/// Who did the review, by role and agency, never by name: the lead reviewers, the
/// review team and the case group (board members and observers did not take part).
fn push_people(blocks: &mut Vec<Block>, people: &[FrozenMember], names: bool) {
    let agencies = |role: Role| {
        let mut counted: Vec<(String, usize)> = Vec::new();
        for person in people.iter().filter(|p| p.role == role) {
            let agency = person.agency.trim();
            let agency = if agency.is_empty() {
                "agency not given"
            } else {
                agency
            };
            match counted
                .iter_mut()
                .find(|(a, _)| a.eq_ignore_ascii_case(agency))
            {
                Some((_, n)) => *n += 1,
                None => counted.push((agency.to_string(), 1)),
            }
        }
        counted.sort_by_key(|(agency, _)| agency.to_lowercase());
        counted
            .into_iter()
            .map(|(agency, n)| {
                if n == 1 {
                    agency
                } else {
                    format!("{agency} ({n})")
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let rows: Vec<String> = [
        (Role::LeadReviewer, "Lead reviewer"),
        (Role::ReviewTeamMember, "Review team"),
        (Role::CaseGroupMember, "Case group"),
    ]
    .into_iter()
    .filter_map(|(role, label)| {
        let listed = agencies(role);
        (!listed.is_empty()).then(|| format!("{label}: {listed}"))
    })
    .collect();
    if rows.is_empty() {
        return;
    }
    blocks.push(Block::Heading {
        level: 2,
        text: "The review team and the case group".into(),
    });
    if !names {
        blocks.push(Block::Paragraph {
            text: "People took part by their role and agency; the report does not name them."
                .into(),
        });
        blocks.push(Block::Bullets { items: rows });
        return;
    }
    // Named, as a lead chose: each person's name, role, job and agency.
    let mut named: Vec<&FrozenMember> = people
        .iter()
        .filter(|p| {
            matches!(
                p.role,
                Role::LeadReviewer | Role::ReviewTeamMember | Role::CaseGroupMember
            )
        })
        .collect();
    named.sort_by_key(|p| {
        (
            p.role != Role::LeadReviewer,
            p.role != Role::ReviewTeamMember,
        )
    });
    blocks.push(Block::Table {
        header: vec![
            "Name".into(),
            "Role in the review".into(),
            "Job".into(),
            "Agency".into(),
        ],
        rows: named
            .into_iter()
            .map(|p| {
                vec![
                    p.name.trim().to_string(),
                    match p.role {
                        Role::LeadReviewer => "Lead reviewer",
                        Role::ReviewTeamMember => "Review team",
                        _ => "Case group",
                    }
                    .into(),
                    p.job_title.trim().to_string(),
                    p.agency.trim().to_string(),
                ]
            })
            .collect(),
    });
}

/// The name an export leaves under, without its extension:
/// `child-a-lcspr-report-draft-2026-12-03` (the case as `case`, already through the
/// register; "draft" until the review reaches publication; the export's date, UTC).
pub fn file_stem(case: &str, kind: &str, phase: &str, at_ms: i64) -> String {
    let mut slug = String::new();
    for c in case.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty()
            && !slug.ends_with('-')
            && (c.is_whitespace() || "-_./".contains(c))
        {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let case = if slug.is_empty() { "review" } else { slug };
    let kind: String = kind
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(30)
        .collect::<String>()
        .to_lowercase();
    let kind = if kind.is_empty() {
        String::new()
    } else {
        format!("-{kind}")
    };
    let draft = if is_draft(phase) { "-draft" } else { "" };
    let stamp = render::date_time(at_ms);
    let date = stamp.split(' ').next().unwrap_or_default();
    format!("{case}{kind}-report{draft}-{date}")
}

/// How the report words a practice quality; `None` while it is unclear (or a code this
/// server does not know, which is never printed as a code).
fn quality_words(quality: &str) -> Option<&'static str> {
    match quality {
        "good" => Some("good"),
        "mixed" => Some("mixed"),
        "problematic" => Some("problematic"),
        _ => None,
    }
}

/// An episode's appraisal as a sentence about the practice ("Practice was mixed: …").
fn push_appraisal(blocks: &mut Vec<Block>, episode: &Episode) {
    match (quality_words(&episode.quality), episode.appraisal.trim()) {
        (Some(quality), "") => blocks.push(Block::Paragraph {
            text: format!("Practice was {quality}."),
        }),
        (Some(quality), appraisal) => {
            push_field(blocks, &format!("Practice was {quality}"), appraisal)
        }
        (None, appraisal) => push_field(blocks, "Appraisal of practice", appraisal),
    }
}

fn push_field(blocks: &mut Vec<Block>, label: &str, text: &str) {
    if !text.trim().is_empty() {
        blocks.push(Block::Field {
            label: label.to_string(),
            text: text.trim().to_string(),
        });
    }
}

fn episode_date(e: &Episode) -> String {
    if e.date_start.is_empty() {
        return String::new();
    }
    let start = format_date(&e.date_start);
    match e.date_kind.as_str() {
        "period" if e.date_end.is_empty() => format!("{start} – ongoing"),
        "period" => format!("{start} – {}", format_date(&e.date_end)),
        "approximate" => format!("About {start}"),
        _ => start,
    }
}

/// An item's stable reference, or its place in the list on a board from before them.
fn reference_or(reference: &str, index: usize) -> String {
    if reference.is_empty() {
        (index + 1).to_string()
    } else {
        reference.to_string()
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An ISO date of any precision as the board shows it: "2025-07-02" → "2 Jul 2025",
/// "2025-07" → "Jul 2025", "2025" → "2025"; anything else as it is.
pub fn format_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.trim().split('-').collect();
    let number = |s: &str| s.parse::<usize>().ok();
    let month = |m: &str| number(m).and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    match parts[..] {
        [year] if year.len() == 4 && number(year).is_some() => year.to_string(),
        [year, m] if year.len() == 4 && number(year).is_some() => match month(m) {
            Some(name) => format!("{name} {year}"),
            None => iso.to_string(),
        },
        [year, m, day] if year.len() == 4 && number(year).is_some() => {
            match (month(m), number(day)) {
                (Some(name), Some(day)) => format!("{day} {name} {year}"),
                _ => iso.to_string(),
            }
        }
        _ => iso.to_string(),
    }
}

const METHODOLOGY: &str = "The review used the Social Care Institute for Excellence's Learning \
Together systems model. A review team of senior managers from the agencies involved worked with \
a case group of the frontline staff and first-line managers who worked on the case. Key \
practice episodes were identified and appraised, taking into account how each looked to those \
involved at the time (local rationality), and the contributory factors that made practice more \
or less likely were analysed. Findings describe underlying patterns in the multi-agency system, \
classified by the six-part typology, and set out questions or recommendations for the \
safeguarding partnership. The findings are about the system, not about individuals.";

/// Terms a reader of the report meets, in the model's words.
const GLOSSARY: &[(&str, &str)] = &[
    (
        "Case group",
        "The frontline staff and first-line managers who worked on the case, who took part in the review.",
    ),
    (
        "Contributory factor",
        "Something in the system that made the practice in an episode more or less likely: at the frontline, in local strategy, or national.",
    ),
    (
        "Finding",
        "An underlying pattern in the multi-agency system that the case shows, and that is likely to affect other cases.",
    ),
    (
        "Key practice episode",
        "A point in the case where practice shaped what happened next, appraised with how it looked at the time.",
    ),
    (
        "Learning Together",
        "The Social Care Institute for Excellence's systems model for case reviews.",
    ),
    (
        "Local rationality",
        "Why practice made sense to those involved at the time, with what they knew and the pressures they were under.",
    ),
    (
        "Review team",
        "Senior managers from the agencies involved, who carried out the review with the lead reviewers.",
    ),
    (
        "Typology",
        "The six categories of underlying pattern that findings are classified by.",
    ),
];

/// The appendices: the review's meetings, and a glossary (the typology's categories
/// with their descriptions from the board, and the model's terms).
fn push_appendices(blocks: &mut Vec<Block>, board: &Board, meetings: &[Meeting]) {
    blocks.push(Block::Heading {
        level: 1,
        text: "Appendix A: Timeline of the review".into(),
    });
    if meetings.is_empty() {
        blocks.push(Block::Paragraph {
            text: "No meetings were recorded.".into(),
        });
    } else {
        let kind = |code: &str| {
            crate::review::MEETING_KINDS
                .iter()
                .find(|(c, _)| *c == code)
                .map_or(code.replace('_', " "), |(_, l)| l.to_string())
        };
        let mode = |code: &str| match code {
            "in_person" => "In person",
            "remote" => "Remote",
            "hybrid" => "Hybrid",
            _ => "",
        };
        blocks.push(Block::Table {
            header: vec!["Meeting".into(), "Kind".into(), "When".into(), "How".into()],
            rows: meetings
                .iter()
                .map(|m| {
                    let date = m.scheduled_at.get(..10).unwrap_or(&m.scheduled_at);
                    vec![
                        m.title.trim().to_string(),
                        kind(&m.kind),
                        if date.is_empty() {
                            "Not scheduled".into()
                        } else {
                            format_date(date)
                        },
                        mode(&m.mode).into(),
                    ]
                })
                .collect(),
        });
    }
    blocks.push(Block::Heading {
        level: 1,
        text: "Appendix B: Glossary".into(),
    });
    let mut terms: Vec<(String, String)> = GLOSSARY
        .iter()
        .map(|(t, d)| (t.to_string(), d.to_string()))
        .collect();
    if let Some(typology) = board.vocabularies.get("typology") {
        let mut categories: Vec<_> = typology.values().collect();
        categories.sort_by_key(|e| e.order);
        for entry in categories {
            if let Some(description) = entry
                .description
                .as_deref()
                .filter(|d| !d.trim().is_empty())
            {
                terms.push((entry.label.clone(), description.trim().to_string()));
            }
        }
    }
    for (term, definition) in terms {
        blocks.push(Block::Field {
            label: term,
            text: definition,
        });
    }
}

/// What a report holds besides the agreed work, by a lead's choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    /// Candidate episodes and draft findings too, each marked as not yet agreed.
    pub drafts: bool,
    /// The names of the lead reviewers, the review team and the case group.
    pub names: bool,
}

/// A text written on the board, or what to say when it was not.
fn written_or(text: &str, missing: &str) -> String {
    if text.trim().is_empty() {
        missing.to_string()
    } else {
        text.trim().to_string()
    }
}

/// An episode the review team agreed (and perhaps checked with the case group).
pub fn episode_agreed(e: &Episode) -> bool {
    matches!(e.status.as_str(), "agreed" | "checked" | "recheck")
}

/// A link to a finding of an earlier review, as the report gives it: "Recurrence of
/// Child B (2024), finding F2: “…”".
fn seen_before_line(link: &crate::board::SeenBefore) -> String {
    let relation = match link.relation.as_str() {
        "recurrence" => "Recurrence of",
        "contrasting" => "In contrast to",
        _ => "Related to",
    };
    let reference = if link.reference.trim().is_empty() {
        String::new()
    } else {
        format!(", finding {}", link.reference.trim())
    };
    match link.statement.trim() {
        // Its set was withdrawn or replaced since (the export checks the library).
        "" => format!(
            "{relation} {} ({}){reference}, no longer in the library",
            link.case_name.trim(),
            link.year
        ),
        statement => format!(
            "{relation} {} ({}){reference}: \u{201c}{statement}\u{201d}",
            link.case_name.trim(),
            link.year
        ),
    }
}

/// A finding the review team agreed (and perhaps tested, or made final).
pub fn finding_agreed(f: &crate::board::Finding) -> bool {
    matches!(f.status.as_str(), "agreed" | "tested" | "final")
}

/// What a report says of the work it leaves out: "2 candidate episodes".
fn left_out(count: usize, one: &str, many: &str) -> Option<String> {
    match count {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    }
}

/// The factor map as a figure, with its links as a table for those who cannot see it.
fn push_factor_map(
    blocks: &mut Vec<Block>,
    board: &Board,
    episodes: &[&Episode],
    findings: &[&crate::board::Finding],
) {
    blocks.push(Block::Heading {
        level: 1,
        text: "The factor map".into(),
    });
    let figure = figure::factor_map(board, episodes, findings, |level| {
        label(board, "factorLevels", level)
    });
    if figure.nodes.is_empty() {
        blocks.push(Block::Paragraph {
            text: "Nothing was placed on the factor map.".into(),
        });
        return;
    }
    let rows = figure.link_rows();
    blocks.push(Block::Figure(figure));
    if rows.is_empty() {
        blocks.push(Block::Paragraph {
            text: "No links were drawn on the map.".into(),
        });
    } else {
        blocks.push(Block::Heading {
            level: 2,
            text: "The map\u{2019}s links".into(),
        });
        blocks.push(Block::Table {
            header: vec!["From".into(), "Link".into(), "To".into()],
            rows,
        });
    }
}

/// Builds the report of `board` (a snapshot of `review`'s board), not yet
/// pseudonymised: the agreed episodes and findings, and with `scope.drafts` the rest,
/// marked.
pub fn build(
    review: &Review,
    people: &[FrozenMember],
    meetings: &[Meeting],
    snapshot: &SnapshotInfo,
    board: &Board,
    scope: Scope,
    setting: &Setting,
) -> Report {
    let mut blocks = Vec::new();
    let episodes: Vec<&Episode> = board
        .episodes
        .iter()
        .filter(|e| scope.drafts || episode_agreed(e))
        .collect();
    let findings: Vec<&crate::board::Finding> = board
        .findings
        .iter()
        .filter(|f| scope.drafts || finding_agreed(f))
        .collect();
    let factor_title = |id: &str| board.factors.iter().find(|f| f.id == id);

    blocks.push(Block::Heading {
        level: 1,
        text: "Executive summary".into(),
    });
    blocks.push(Block::Paragraph {
        text: written_or(
            &board.report.executive_summary,
            "The executive summary has not been written on the board.",
        ),
    });

    blocks.push(Block::Heading {
        level: 1,
        text: "Introduction".into(),
    });
    let kind = crate::review::KINDS
        .iter()
        .find(|(code, _)| *code == review.kind)
        .map(|(_, label)| *label)
        .unwrap_or(review.kind.as_str());
    let variant = crate::review::VARIANTS
        .iter()
        .find(|(code, _)| *code == review.variant)
        .map(|(_, label)| *label)
        .unwrap_or(review.variant.as_str());
    // The case by the name the review goes by (its pseudonym), with its reference.
    let case = match (review.title.trim(), review.case_ref.trim()) {
        ("", "") => "the case".to_string(),
        (title, "") => title.to_string(),
        ("", reference) => reference.to_string(),
        (title, reference) if title.eq_ignore_ascii_case(reference) => title.to_string(),
        (title, reference) => format!("{title} ({reference})"),
    };
    blocks.push(Block::Paragraph {
        text: format!(
            "This is the report of a {} concerning {case}, carried out as a {} Learning Together review.",
            kind.to_lowercase(),
            variant.to_lowercase()
        ),
    });
    if !review.period_start.is_empty() || !review.period_end.is_empty() {
        push_field(
            &mut blocks,
            "Period under review",
            &format!("{} to {}", review.period_start, review.period_end),
        );
    }
    push_field(
        &mut blocks,
        "Terms of reference",
        &review.terms_of_reference,
    );
    let questions: Vec<String> = review
        .questions
        .lines()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_string)
        .collect();
    blocks.push(Block::Heading {
        level: 2,
        text: "Review questions".into(),
    });
    if questions.is_empty() {
        blocks.push(Block::Paragraph {
            text: "No review questions were recorded.".into(),
        });
    } else {
        blocks.push(Block::Bullets { items: questions });
    }

    blocks.push(Block::Heading {
        level: 1,
        text: "Methodology".into(),
    });
    blocks.push(Block::Paragraph {
        text: METHODOLOGY.into(),
    });
    blocks.push(Block::Heading {
        level: 2,
        text: "The family\u{2019}s contribution".into(),
    });
    blocks.push(Block::Paragraph {
        text: written_or(
            &board.report.family_contribution,
            "The family\u{2019}s contribution was not recorded on the board.",
        ),
    });
    push_people(&mut blocks, people, scope.names);

    blocks.push(Block::Heading {
        level: 1,
        text: "Key practice episodes".into(),
    });
    if episodes.is_empty() {
        blocks.push(Block::Paragraph {
            text: "No key practice episodes were agreed.".into(),
        });
    }
    if let Some(count) = left_out(
        board.episodes.len() - episodes.len(),
        "candidate episode the review team has not agreed is",
        "candidate episodes the review team has not agreed are",
    ) {
        blocks.push(Block::Paragraph {
            text: format!("{count} not included."),
        });
    }
    for (n, episode) in episodes.iter().copied().enumerate() {
        blocks.push(Block::Heading {
            level: 2,
            text: format!(
                "Episode {}: {}{}",
                reference_or(&episode.reference, n),
                episode.title.trim(),
                if episode_agreed(episode) {
                    ""
                } else {
                    " (candidate, not yet agreed)"
                }
            ),
        });
        push_field(&mut blocks, "When", &episode_date(episode));
        push_field(&mut blocks, "Agencies", &episode.agencies.join(", "));
        push_field(&mut blocks, "What happened", &episode.what_happened);
        push_field(
            &mut blocks,
            "How it was seen at the time",
            &episode.seen_at_the_time,
        );
        push_appraisal(&mut blocks, episode);
        let factors: Vec<String> = board
            .links
            .iter()
            .filter(|l| l.to == episode.id)
            .filter_map(|l| factor_title(&l.from))
            .map(|f| {
                format!(
                    "{} ({})",
                    f.title.trim(),
                    label(board, "factorLevels", &f.level)
                )
            })
            .collect();
        if !factors.is_empty() {
            blocks.push(Block::Field {
                label: "Contributory factors".into(),
                text: String::new(),
            });
            blocks.push(Block::Bullets { items: factors });
        }
        push_field(&mut blocks, "Evidence", &episode.evidence);
    }

    push_factor_map(&mut blocks, board, &episodes, &findings);

    blocks.push(Block::Heading {
        level: 1,
        text: "Findings".into(),
    });
    if findings.is_empty() {
        blocks.push(Block::Paragraph {
            text: "No findings were agreed.".into(),
        });
    }
    if let Some(count) = left_out(
        board.findings.len() - findings.len(),
        "draft finding the review team has not agreed is",
        "draft findings the review team has not agreed are",
    ) {
        blocks.push(Block::Paragraph {
            text: format!("{count} not included."),
        });
    }
    for (n, finding) in findings.iter().copied().enumerate() {
        blocks.push(Block::Heading {
            level: 2,
            text: format!(
                "Finding {}: {}{}",
                reference_or(&finding.reference, n),
                finding.statement.trim(),
                if finding_agreed(finding) {
                    ""
                } else {
                    " (draft, not yet agreed)"
                }
            ),
        });
        let category = if finding.category.is_empty() {
            "Not yet classified".to_string()
        } else {
            label(board, "typology", &finding.category)
        };
        push_field(&mut blocks, "Category of underlying pattern", &category);
        push_field(&mut blocks, "How it showed in this case", &finding.in_case);
        // The episodes in the table's order, each once.
        let shown_by = board.episodes_showing(finding, &episodes);
        let evidence: Vec<String> = shown_by
            .iter()
            .map(|e| match e.reference.as_str() {
                "" => e.title.trim().to_string(),
                reference => format!("{reference}: {}", e.title.trim()),
            })
            .collect();
        if !evidence.is_empty() {
            blocks.push(Block::Field {
                label: "Episodes that show it".into(),
                text: String::new(),
            });
            blocks.push(Block::Bullets { items: evidence });
        }
        // Its contributory factors: linked to it, or to the episodes that show it.
        let mut factors: Vec<String> = Vec::new();
        for factor in board.factors_of(finding, &shown_by) {
            let line = format!(
                "{} ({})",
                factor.title.trim(),
                label(board, "factorLevels", &factor.level)
            );
            if !factors.contains(&line) {
                factors.push(line);
            }
        }
        if !factors.is_empty() {
            blocks.push(Block::Field {
                label: "Contributory factors".into(),
                text: String::new(),
            });
            blocks.push(Block::Bullets { items: factors });
        }
        push_field(&mut blocks, "Why it is underlying", &finding.underlying);
        push_field(&mut blocks, "How widespread it is", &finding.widespread);
        let seen: Vec<String> = finding.seen_before.iter().map(seen_before_line).collect();
        if !seen.is_empty() {
            blocks.push(Block::Field {
                label: "Seen before in other reviews".into(),
                text: String::new(),
            });
            blocks.push(Block::Bullets { items: seen });
        }
        push_field(&mut blocks, "Why it matters", &finding.matters);
        push_field(&mut blocks, "Questions for the board", &finding.questions);
        let types = board.vocabularies.get("recommendationTypes");
        let mut codes: Vec<(i64, String)> = types
            .map(|t| t.iter().map(|(code, e)| (e.order, code.clone())).collect())
            .unwrap_or_default();
        codes.sort();
        for code in finding.recommendations.iter().map(|r| r.kind.clone()) {
            if !codes.iter().any(|(_, c)| *c == code) {
                codes.push((i64::MAX, code));
            }
        }
        for (_, code) in codes {
            let items: Vec<String> = finding
                .recommendations
                .iter()
                .filter(|r| r.kind == code && !r.text.trim().is_empty())
                .map(|r| r.text.trim().to_string())
                .collect();
            if !items.is_empty() {
                blocks.push(Block::Heading {
                    level: 3,
                    text: format!(
                        "Recommendations: {}",
                        label(board, "recommendationTypes", &code)
                    ),
                });
                blocks.push(Block::Bullets { items });
            }
        }
    }

    push_appendices(&mut blocks, board, meetings);

    let kind_words = crate::review::KINDS
        .iter()
        .find(|(code, _)| *code == review.kind)
        .map(|(_, label)| label.to_string())
        .unwrap_or_else(|| "Case review".into());
    Report {
        cover: Cover {
            review_kind: kind_words,
            partnership: setting.partnership.clone(),
            marking: setting.marking.clone(),
            date: render::long_date(setting.exported_at),
            created: render::iso_time(setting.exported_at),
            draft: is_draft(&review.phase),
        },
        title: review.title.clone(),
        subtitle: if review.case_ref.is_empty() {
            "Case review report".into()
        } else {
            format!("Case review report: {}", review.case_ref)
        },
        provenance: format!(
            "From the snapshot \u{201c}{}\u{201d}, taken {} by {}. Content hash {}.",
            snapshot.label,
            render::date_time(snapshot.taken_at),
            snapshot.taken_by_name,
            &snapshot.content_hash[..snapshot.content_hash.len().min(16)]
        ),
        blocks,
    }
}

/// Something that leaves the board as texts (a report, a library publication): every
/// one of its texts with the place it is in, the one list that pseudonymisation, the
/// check and the cleaning of characters go through.
pub trait Texts: Clone {
    fn texts_mut(&mut self) -> Vec<(String, &mut String)>;

    /// Every text with its place, for checks.
    fn texts(&self) -> Vec<(String, String)> {
        let mut copy = self.clone();
        copy.texts_mut()
            .into_iter()
            .map(|(place, text)| (place, std::mem::take(text)))
            .collect()
    }

    /// Removes the characters no document format can hold (controls other than tab
    /// and line breaks, U+FFFE, U+FFFF): one of them makes a .docx unreadable by Word.
    fn clean_characters(&mut self) {
        for (_, text) in self.texts_mut() {
            if text.chars().any(|c| !xml_char(c)) {
                *text = text.chars().filter(|c| xml_char(*c)).collect();
            }
        }
    }
}

impl Texts for Report {
    /// Every text of the report with the section it is in.
    fn texts_mut(&mut self) -> Vec<(String, &mut String)> {
        let mut texts = vec![
            ("Title".to_string(), &mut self.title),
            ("Subtitle".to_string(), &mut self.subtitle),
            ("Provenance".to_string(), &mut self.provenance),
            ("Title page".to_string(), &mut self.cover.review_kind),
            ("Title page".to_string(), &mut self.cover.partnership),
            ("Title page".to_string(), &mut self.cover.marking),
            ("Title page".to_string(), &mut self.cover.date),
            ("Title page".to_string(), &mut self.cover.created),
        ];
        let mut heading = String::from("Introduction");
        for block in &mut self.blocks {
            match block {
                Block::Heading { text, .. } => {
                    heading = text.clone();
                    texts.push((heading.clone(), text));
                }
                Block::Paragraph { text } => texts.push((heading.clone(), text)),
                Block::Field { label, text } => {
                    let place = format!("{heading}: {label}");
                    texts.push((heading.clone(), label));
                    texts.push((place, text));
                }
                Block::Bullets { items } => {
                    for item in items {
                        texts.push((heading.clone(), item));
                    }
                }
                Block::Table { header, rows } => {
                    for cell in header.iter_mut().chain(rows.iter_mut().flatten()) {
                        texts.push((heading.clone(), cell));
                    }
                }
                Block::Figure(figure) => {
                    texts.push((heading.clone(), &mut figure.caption));
                    for band in &mut figure.bands {
                        texts.push((heading.clone(), band));
                    }
                    for node in &mut figure.nodes {
                        texts.push((heading.clone(), &mut node.label));
                        texts.push((heading.clone(), &mut node.title));
                        texts.push((heading.clone(), &mut node.detail));
                    }
                    for link in &mut figure.links {
                        texts.push((heading.clone(), &mut link.says));
                    }
                }
            }
        }
        texts
    }
}

/// Whether XML 1.0 allows `c` in a document.
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_the_board_shows_them() {
        assert_eq!(format_date("2025-07-02"), "2 Jul 2025");
        assert_eq!(format_date("2025-07"), "Jul 2025");
        assert_eq!(format_date("2025"), "2025");
        assert_eq!(format_date("2025-13"), "2025-13");
        assert_eq!(format_date("soon"), "soon");
        let episode = |kind: &str, start: &str, end: &str| Episode {
            date_kind: kind.into(),
            date_start: start.into(),
            date_end: end.into(),
            ..Episode::default()
        };
        assert_eq!(
            episode_date(&episode("period", "2025-07-02", "2025-07-09")),
            "2 Jul 2025 – 9 Jul 2025"
        );
        assert_eq!(
            episode_date(&episode("approximate", "2024-03", "")),
            "About Mar 2024"
        );
        assert_eq!(episode_date(&episode("exact", "", "")), "");
    }

    #[test]
    fn an_export_is_named_after_its_case_kind_and_date() {
        let at = 1_796_256_000_000; // 2026-12-03
        assert_eq!(
            file_stem("Child A", "lcspr", "analysis", at),
            "child-a-lcspr-report-draft-2026-12-03"
        );
        assert_eq!(
            file_stem("Child A", "lcspr", "publication", at),
            "child-a-lcspr-report-2026-12-03"
        );
        assert_eq!(
            file_stem(
                "  Zoë / \"Adult B\"  ",
                "safeguarding_adult_review",
                "closed",
                at
            ),
            "zo-adult-b-safeguardingadultreview-report-2026-12-03"
        );
        assert_eq!(file_stem("", "", "", at), "review-report-draft-2026-12-03");
        assert_eq!(
            file_stem("../..", "x\r\n", "", at),
            "review-x-report-draft-2026-12-03"
        );
    }

    #[test]
    fn people_are_listed_by_role_and_agency_never_by_name() {
        let person = |name: &str, agency: &str, role: Role| FrozenMember {
            name: name.into(),
            agency: agency.into(),
            job_title: "Manager".into(),
            role,
        };
        let mut blocks = Vec::new();
        push_people(
            &mut blocks,
            &[
                person("Alex Lead", "Safeguarding partnership", Role::LeadReviewer),
                person("Rita Team", "Police", Role::ReviewTeamMember),
                person("Hana Visit", "Health visiting", Role::ReviewTeamMember),
                person("Hugh Visit", "health visiting", Role::ReviewTeamMember),
                person("Cary Case", "Health visiting", Role::CaseGroupMember),
                person("Bob Board", "Board", Role::BoardMember),
                person("Olive Observer", "SCIE", Role::Observer),
            ],
            false,
        );
        let text = serde_json::to_string(&blocks).unwrap_or_default();
        assert!(
            text.contains("Lead reviewer: Safeguarding partnership"),
            "{text}"
        );
        assert!(
            text.contains("Review team: Health visiting (2); Police"),
            "{text}"
        );
        assert!(text.contains("Case group: Health visiting"), "{text}");
        for name in [
            "Alex", "Rita", "Hana", "Hugh", "Cary", "Bob", "Olive", "SCIE", "Manager",
        ] {
            assert!(!text.contains(name), "{name} in {text}");
        }
        let mut none = Vec::new();
        push_people(&mut none, &[], false);
        assert!(none.is_empty());
    }

    #[test]
    fn practice_quality_reads_as_words_never_as_a_code() {
        let appraised = |quality: &str, appraisal: &str| {
            let mut blocks = Vec::new();
            push_appraisal(
                &mut blocks,
                &Episode {
                    quality: quality.into(),
                    appraisal: appraisal.into(),
                    ..Episode::default()
                },
            );
            serde_json::to_string(&blocks).unwrap_or_default()
        };
        assert!(
            appraised("mixed", "Thorough but late.")
                .contains(r#""label":"Practice was mixed","text":"Thorough but late.""#)
        );
        assert!(appraised("good", "").contains(r#""text":"Practice was good.""#));
        assert!(
            appraised("unclear", "Not known yet.").contains(r#""label":"Appraisal of practice""#)
        );
        let unknown = appraised("superb_v2", "x");
        assert!(!unknown.contains("superb_v2"), "{unknown}");
        assert_eq!(appraised("unclear", ""), "[]");
    }

    /// Every string in the JSON export is one of the report's texts (or a block's
    /// kind, a link's polarity): no text can reach an export without going through the register.
    #[test]
    fn every_text_of_an_export_is_in_the_list_the_register_reads() {
        let report = Report {
            title: "t".into(),
            subtitle: "s".into(),
            provenance: "p".into(),
            cover: Cover {
                review_kind: "k".into(),
                partnership: "w".into(),
                marking: "m".into(),
                date: "d".into(),
                created: "c".into(),
                draft: true,
            },
            blocks: vec![
                Block::Heading {
                    level: 1,
                    text: "h".into(),
                },
                Block::Paragraph { text: "q".into() },
                Block::Field {
                    label: "l".into(),
                    text: "f".into(),
                },
                Block::Bullets {
                    items: vec!["b1".into(), "b2".into()],
                },
                Block::Table {
                    header: vec!["th".into()],
                    rows: vec![vec!["td".into()]],
                },
                Block::Figure(figure::Figure {
                    caption: "fc".into(),
                    bands: vec!["fb".into()],
                    nodes: vec![figure::FigureNode {
                        kind: figure::NodeKind::Factor,
                        label: "fl".into(),
                        title: "ft".into(),
                        detail: "fd".into(),
                        band: 0,
                        x: 1,
                        y: 2,
                    }],
                    links: vec![figure::FigureLink {
                        from: 0,
                        to: 0,
                        says: "fs".into(),
                        polarity: figure::Polarity::Negative,
                    }],
                }),
            ],
        };
        let texts: Vec<String> = report.texts().into_iter().map(|(_, t)| t).collect();
        fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
            match value {
                serde_json::Value::String(s) => out.push(s.clone()),
                serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
                serde_json::Value::Object(o) => o
                    .iter()
                    // Fixed codes: a block's or node's kind, a link's polarity.
                    .filter(|(k, _)| !matches!(k.as_str(), "kind" | "polarity"))
                    .for_each(|(_, v)| strings(v, out)),
                _ => {}
            }
        }
        let mut exported = Vec::new();
        strings(
            &serde_json::to_value(&report).unwrap_or_default(),
            &mut exported,
        );
        exported.sort();
        let mut listed = texts.clone();
        listed.sort();
        assert_eq!(exported, listed);
    }

    #[test]
    fn characters_xml_cannot_hold_are_removed() {
        let mut report = Report {
            title: "a\u{0}b\u{1b}c\u{FFFF}".into(),
            subtitle: "tab\tand\nline".into(),
            provenance: String::new(),
            cover: Cover::default(),
            blocks: vec![Block::Paragraph {
                text: "x\u{0008}y".into(),
            }],
        };
        report.clean_characters();
        assert_eq!(report.title, "abc");
        assert_eq!(report.subtitle, "tab\tand\nline");
        assert_eq!(report.texts().last().map(|(_, t)| t.as_str()), Some("xy"));
    }
}
