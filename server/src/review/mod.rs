//! The vocabulary of a review (domain model §1–3 and §11.1): its kinds, Learning
//! Together variants, phases, and the meeting timeline each variant starts with.

pub mod comments;
mod records;

pub use records::*;

/// Kinds of review.
pub const KINDS: &[(&str, &str)] = &[
    ("scr", "Serious case review"),
    ("lcspr", "Local child safeguarding practice review"),
    ("rapid_review", "Rapid review"),
    ("safeguarding_adult_review", "Safeguarding adult review"),
    ("case_review_non_statutory", "Non-statutory case review"),
    ("themed_review", "Themed review"),
];

/// Learning Together variants.
pub const VARIANTS: &[(&str, &str)] = &[
    ("full", "Full"),
    ("intensive", "Intensive"),
    ("speed_plus", "Speed+"),
    ("mid_range", "Mid-range"),
    ("focused", "Focused"),
    ("themed", "Themed"),
];

/// Phases of a review.
pub const PHASES: &[(&str, &str)] = &[
    ("commissioning", "Commissioning"),
    ("preparation", "Preparation"),
    ("data_collection", "Data collection"),
    ("analysis", "Analysis"),
    ("findings", "Findings"),
    ("board_response", "Board response"),
    ("publication", "Publication"),
    ("implementation", "Implementation"),
    ("closed", "Closed"),
];

/// Kinds of meeting on the timeline.
pub const MEETING_KINDS: &[(&str, &str)] = &[
    ("initial_planning", "Initial planning"),
    ("documentation_review", "Documentation review"),
    ("introductory", "Introductory meeting"),
    ("conversations", "Individual conversations"),
    ("analysis", "Analysis meeting"),
    ("follow_on", "Follow-on meeting"),
    ("report_signoff", "Report sign-off"),
    ("board_presentation", "Board presentation"),
    ("other", "Other meeting"),
];

/// How a meeting is held.
pub const MEETING_MODES: &[&str] = &["in_person", "remote", "hybrid"];

pub fn is_one_of(value: &str, list: &[(&str, &str)]) -> bool {
    list.iter().any(|(code, _)| *code == value)
}

/// The details of a new review, with defaults for anything left empty.
pub fn new_review_fields(title: &str, case_ref: &str, kind: &str, variant: &str) -> ReviewFields {
    ReviewFields {
        title: title.trim().to_string(),
        case_ref: case_ref.trim().to_string(),
        kind: if kind.is_empty() { "lcspr" } else { kind }.to_string(),
        variant: if variant.is_empty() { "full" } else { variant }.to_string(),
        phase: "commissioning".to_string(),
        ..ReviewFields::default()
    }
}

/// The meetings a review of `variant` starts with (domain model §3.2); the lead edits
/// them from there.
pub fn timeline(variant: &str) -> Vec<NewMeeting> {
    let full: &[(&str, &str)] = &[
        ("initial_planning", "Initial planning"),
        ("documentation_review", "Documentation review"),
        ("introductory", "Introductory meeting with the case group"),
        ("conversations", "Individual conversations"),
        ("analysis", "Analysis meeting 1"),
        ("follow_on", "Follow-on meeting 1"),
        ("analysis", "Analysis meeting 2"),
        ("follow_on", "Follow-on meeting 2"),
        ("report_signoff", "Report sign-off"),
        ("board_presentation", "Board presentation"),
    ];
    let short: &[(&str, &str)] = &[
        ("initial_planning", "Initial planning"),
        ("introductory", "Introductory meeting with the case group"),
        ("conversations", "Individual conversations"),
        ("analysis", "Analysis meeting"),
        ("follow_on", "Follow-on meeting"),
        ("report_signoff", "Report sign-off"),
        ("board_presentation", "Board presentation"),
    ];
    let focused: &[(&str, &str)] = &[
        ("initial_planning", "Initial planning"),
        ("follow_on", "Practitioner event"),
        ("analysis", "Analysis meeting"),
        ("report_signoff", "Report sign-off"),
        ("board_presentation", "Board presentation"),
    ];
    let template = match variant {
        "mid_range" | "speed_plus" | "intensive" => short,
        "focused" => focused,
        _ => full,
    };
    template
        .iter()
        .map(|(kind, title)| NewMeeting {
            kind: kind.to_string(),
            title: title.to_string(),
            scheduled_at: String::new(),
            mode: "in_person".to_string(),
            attendees: Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_timeline_of_known_meetings() {
        for (variant, _) in VARIANTS {
            let meetings = timeline(variant);
            assert!(meetings.len() >= 5, "{variant}");
            for meeting in meetings {
                assert!(is_one_of(&meeting.kind, MEETING_KINDS), "{}", meeting.kind);
            }
        }
        assert_eq!(timeline("full").len(), 10);
    }
}
